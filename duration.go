package esapikey

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Duration is an Elasticsearch time value such as "30d", "12h" or "90m": a
// whole number followed by one of the units nanos, micros, ms, s, m, h, d.
// Units are case-insensitive except m: "M" means months, which Elasticsearch
// refuses. The zero value "" is omitted from a request, leaving the
// expiration unchanged.
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
		return 0, err
	}
	if n > int64(math.MaxInt64/unit) {
		return 0, fmt.Errorf("esapikey: duration %q does not fit a time.Duration", string(d))
	}
	return time.Duration(n) * unit, nil
}

// parse splits d into a positive count and a unit, refusing what
// Elasticsearch refuses and also what it parses only to reject (0, -1).
func (d Duration) parse() (int64, time.Duration, error) {
	s := string(d)
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9') {
		i++
	}
	num, unit := s[:i], s[i:]
	switch {
	case s == "":
		return 0, 0, errors.New("empty")
	case strings.HasPrefix(s, "-"):
		return 0, 0, errors.New("negative durations are not supported")
	case strings.ContainsAny(unit, ".,"):
		return 0, 0, errors.New("fractional time values are not supported")
	case num == "":
		return 0, 0, errors.New("must start with a whole number, like 30d")
	case unit == "":
		return 0, 0, errors.New("unit is missing (use nanos, micros, ms, s, m, h or d)")
	case strings.HasSuffix(unit, "M"):
		return 0, 0, errors.New(`unit "M" (months) is not supported; use "m" for minutes`)
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil {
		return 0, 0, errors.New("number is too large")
	}
	lower := strings.ToLower(unit)
	for _, u := range units {
		if lower == u.name {
			if n == 0 {
				return 0, 0, errors.New("must be in the future")
			}
			return n, u.size, nil
		}
	}
	return 0, 0, fmt.Errorf("unit %q is not recognized (use nanos, micros, ms, s, m, h or d)", unit)
}

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
