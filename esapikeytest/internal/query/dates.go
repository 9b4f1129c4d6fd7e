package query

import (
	"strconv"
	"strings"
	"time"
)

// formatMillis renders epoch milliseconds as the API-key date fields' mapping format (epoch_millis) does.
func formatMillis(ms int64) string { return strconv.FormatInt(ms, 10) }

// isoMillis renders epoch milliseconds as strict_date_optional_time.
func isoMillis(ms int64) string {
	return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05.000Z")
}

// dateParser reads date values as a date field with the given format does, with date math.
// The API-key date fields are mapped with format epoch_millis; a query may name another format.
type dateParser struct {
	format string
	now    int64
	loc    *time.Location
}

func (p dateParser) formatName() string {
	if p.format == "" {
		return "epoch_millis"
	}
	return p.format
}

func (p dateParser) fail(v string) *Error {
	return &Error{Status: 400, Type: "parse_exception", Search: true,
		Reason: "failed to parse date field [" + v + "] with format [" + p.formatName() + "]"}
}

// parse reads a date, date math included ("now-1d/d", "1700000000000||+1h"); roundUp says which end
// of a rounded unit to take, as range queries do for gt and lte.
func (p dateParser) parse(v string, roundUp bool) (int64, *Error) {
	base, math := v, ""
	if strings.HasPrefix(v, "now") {
		base, math = "", v[3:]
	} else if i := strings.Index(v, "||"); i >= 0 {
		base, math = v[:i], v[i+2:]
	}
	ms := p.now
	if base != "" {
		var ok bool
		if ms, ok = p.parseBase(base); !ok {
			return 0, p.fail(v)
		}
	}
	out, ok := p.applyMath(ms, math, roundUp)
	if !ok {
		return 0, p.fail(v)
	}
	return out, nil
}

var isoLayouts = []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05Z07:00",
	"2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02T15:04", "2006-01-02T15", "2006-01-02", "2006-01", "2006"}

func (p dateParser) parseBase(s string) (int64, bool) {
	f := p.formatName()
	for _, alt := range strings.Split(f, "||") {
		switch alt {
		case "epoch_millis":
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n, true
			}
			if x, err := strconv.ParseFloat(s, 64); err == nil {
				return int64(x), true
			}
		case "epoch_second":
			if n, err := strconv.ParseInt(s, 10, 64); err == nil {
				return n * 1000, true
			}
		default:
			loc := p.loc
			if loc == nil {
				loc = time.UTC
			}
			for _, layout := range isoLayouts {
				if t, err := time.ParseInLocation(layout, s, loc); err == nil {
					return t.UnixMilli(), true
				}
			}
		}
	}
	return 0, false
}

// applyMath applies "+1d", "-2h", "/d" steps to ms, in UTC unless a time zone was given.
func (p dateParser) applyMath(ms int64, math string, roundUp bool) (int64, bool) {
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	t := time.UnixMilli(ms).In(loc)
	for math != "" {
		op := math[0]
		math = math[1:]
		n := 1
		if op != '/' {
			i := 0
			for i < len(math) && math[i] >= '0' && math[i] <= '9' {
				i++
			}
			if i > 0 {
				n, _ = strconv.Atoi(math[:i])
			}
			math = math[i:]
		}
		if math == "" {
			return 0, false
		}
		unit := math[0]
		math = math[1:]
		switch op {
		case '+', '-':
			if op == '-' {
				n = -n
			}
			var ok bool
			if t, ok = addUnit(t, unit, n); !ok {
				return 0, false
			}
		case '/':
			start, ok := truncUnit(t, unit)
			if !ok {
				return 0, false
			}
			t = start
			if roundUp {
				next, _ := addUnit(start, unit, 1)
				t = next.Add(-time.Millisecond)
			}
		default:
			return 0, false
		}
	}
	return t.UnixMilli(), true
}

func addUnit(t time.Time, unit byte, n int) (time.Time, bool) {
	switch unit {
	case 'y':
		return t.AddDate(n, 0, 0), true
	case 'M':
		return t.AddDate(0, n, 0), true
	case 'w':
		return t.AddDate(0, 0, 7*n), true
	case 'd':
		return t.AddDate(0, 0, n), true
	case 'h', 'H':
		return t.Add(time.Duration(n) * time.Hour), true
	case 'm':
		return t.Add(time.Duration(n) * time.Minute), true
	case 's':
		return t.Add(time.Duration(n) * time.Second), true
	}
	return t, false
}

func truncUnit(t time.Time, unit byte) (time.Time, bool) {
	y, mo, d := t.Date()
	loc := t.Location()
	switch unit {
	case 'y':
		return time.Date(y, 1, 1, 0, 0, 0, 0, loc), true
	case 'M':
		return time.Date(y, mo, 1, 0, 0, 0, 0, loc), true
	case 'w':
		wd := (int(t.Weekday()) + 6) % 7 // weeks start on Monday
		return time.Date(y, mo, d-wd, 0, 0, 0, 0, loc), true
	case 'd':
		return time.Date(y, mo, d, 0, 0, 0, 0, loc), true
	case 'h', 'H':
		return time.Date(y, mo, d, t.Hour(), 0, 0, 0, loc), true
	case 'm':
		return time.Date(y, mo, d, t.Hour(), t.Minute(), 0, 0, loc), true
	case 's':
		return time.Date(y, mo, d, t.Hour(), t.Minute(), t.Second(), 0, loc), true
	}
	return t, false
}

// formatJava renders ms with a Java date pattern (yyyy, MM, dd, HH, mm, ss, SSS, quoted literals)
// or a named ISO format.
func formatJava(format string, ms int64) string {
	switch format {
	case "strict_date_optional_time", "date_optional_time", "strict_date_time", "date_time", "iso8601":
		return isoMillis(ms)
	case "epoch_second":
		return strconv.FormatInt(ms/1000, 10)
	}
	r := strings.NewReplacer("yyyy", "2006", "uuuu", "2006", "MM", "01", "dd", "02", "HH", "15", "mm", "04",
		"ss", "05", "SSS", "000", "'", "")
	return time.UnixMilli(ms).UTC().Format(r.Replace(format))
}
