package esapikey

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/esapikey/esapikey/internal/java"
)

// Duration is an Elasticsearch time value such as "30d", "12h" or "90m": a
// whole number followed by one of the units nanos, micros, ms, s, m, h, d.
// The zero value "" is omitted from a request, leaving the expiration
// unchanged.
//
// Requests accept exactly the values Elasticsearch's time-value parser
// (TimeValue.parseTimeValue) accepts for an expiration, and send them as
// they are: units in any case but m ("M" means months, which Elasticsearch
// refuses; "30MS" is milliseconds), spaces around the value and between
// number and unit ("+30d", " 30d", "30d ", "30 d", "030d", "30D"), except
// after an "m", which Elasticsearch looks for in the raw text ("30m "
// fails). Fractions ("1.5h") and negative values are refused, and so are 0
// and -1, with a unit or without one ("0", "-1"), which Elasticsearch parses
// but refuses as an expiration ("must be in the future").
//
// As in Elasticsearch, the text is trimmed as Java's String.trim trims it
// (every character up to U+0020, control characters included, and no
// other: not U+00A0), and the number is read as Long.parseLong reads it: a
// decimal digit of any script counts ("١d" and "１d" are one day), as long
// as it is one UTF-16 unit ("𝟏d" is refused).
//
// Build one from a time.Duration with DurationOf; never with
// time.Duration.String, whose "1h30m0s" Elasticsearch rejects.
type Duration string

// units from the largest to the smallest, as DurationOf tries them.
var units = []struct {
	name string
	size time.Duration
}{
	{"d", 24 * time.Hour},
	{"h", time.Hour},
	{"m", time.Minute},
	{"s", time.Second},
	{"ms", time.Millisecond},
	{"micros", time.Microsecond},
	{"nanos", time.Nanosecond},
}

// DurationOf writes d in the largest unit that holds it exactly: 90 minutes
// is "90m", 36 hours "36h", 48 hours "2d". A zero or negative d gives a value
// that requests refuse ("0s", "-5m"), never one that is silently omitted.
func DurationOf(d time.Duration) Duration {
	if d == 0 {
		return "0s"
	}
	for _, u := range units {
		if d%u.size == 0 {
			return Duration(strconv.FormatInt(int64(d/u.size), 10) + u.name)
		}
	}
	panic("unreachable: every duration is a whole number of nanoseconds")
}

// TimeDuration returns d as a time.Duration, or an error when Elasticsearch
// would refuse d or it does not fit a time.Duration.
func (d Duration) TimeDuration() (time.Duration, error) {
	n, unit, err := d.parse()
	if err != nil {
		return 0, fmt.Errorf("esapikey: duration %q: %w", string(d), err)
	}
	if n > int64(math.MaxInt64/unit) {
		return 0, fmt.Errorf("esapikey: duration %q does not fit a time.Duration", string(d))
	}
	return time.Duration(n) * unit, nil
}

// parse splits d into a positive count and a unit as Elasticsearch's
// TimeValue.parseTimeValue does, refusing what it refuses and also what it
// parses only for the expiration check to reject (0, -1).
func (d Duration) parse() (int64, time.Duration, error) {
	raw := string(d)
	// The unit is found at the end of the trimmed, lower-cased text, but
	// minutes at the end of the raw text, so that "M" stays months.
	norm := java.Trim(java.LowerASCII(raw))
	var unit string
	var size time.Duration
	switch {
	case raw == "":
		return 0, 0, errors.New("empty")
	case strings.HasSuffix(norm, "nanos"):
		unit, size = "nanos", time.Nanosecond
	case strings.HasSuffix(norm, "micros"):
		unit, size = "micros", time.Microsecond
	case strings.HasSuffix(norm, "ms"):
		unit, size = "ms", time.Millisecond
	case strings.HasSuffix(norm, "s"):
		unit, size = "s", time.Second
	case strings.HasSuffix(raw, "m"):
		unit, size = "m", time.Minute
	case strings.HasSuffix(norm, "h"):
		unit, size = "h", time.Hour
	case strings.HasSuffix(norm, "d"):
		unit, size = "d", 24*time.Hour
	case strings.HasSuffix(java.Trim(raw), "m"):
		return 0, 0, errors.New(`nothing may follow the unit "m", not even a space`)
	case strings.HasSuffix(norm, "m"):
		return 0, 0, errors.New(`unit "M" (months) is not supported; use "m" for minutes`)
	case minusOne.MatchString(norm), zeros.MatchString(norm):
		// TimeValue.MINUS_ONE and ZERO, which need no unit, and which the
		// expiration check refuses.
		return 0, 0, errors.New("must be in the future")
	default:
		return 0, 0, errors.New("unit is missing or unrecognized (use nanos, micros, ms, s, m, h or d)")
	}
	num := java.Trim(norm[:len(norm)-len(unit)])
	n, ok := java.ParseLong(num)
	switch {
	case ok && n < -1:
		return 0, 0, errors.New("negative durations are not supported")
	case ok && n <= 0:
		return 0, 0, errors.New("must be in the future")
	case ok:
		return n, size, nil
	case strings.ContainsAny(num, ".,eE"):
		if _, err := strconv.ParseFloat(strings.ReplaceAll(num, ",", "."), 64); err == nil {
			return 0, 0, errors.New("fractional time values are not supported")
		}
	}
	if _, err := strconv.ParseInt(num, 10, 64); errors.Is(err, strconv.ErrRange) {
		return 0, 0, errors.New("number is too large")
	}
	return 0, 0, fmt.Errorf("%q is not a whole number", num)
}

// The unit-less values TimeValue.parseTimeValue reads, as the regular
// expressions it matches them with ("-0*1" and "0+": ASCII digits only).
var (
	minusOne = regexp.MustCompile(`^-0*1$`)
	zeros    = regexp.MustCompile(`^0+$`)
)

// validate checks d as the request field named field; "" is fine (omitted).
func (d Duration) validate(field string) error {
	if d == "" {
		return nil
	}
	if _, _, err := d.parse(); err != nil {
		return invalid(field, "%q: %v", string(d), err)
	}
	return nil
}
