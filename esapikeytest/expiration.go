package esapikeytest

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	minusOne = regexp.MustCompile(`^-0*1$`)
	zeros    = regexp.MustCompile(`^0+$`)
)

// timeUnits are the suffixes of Elasticsearch's TimeValue, checked in this order. Only "m" is
// case-sensitive, because "M" would be months.
var timeUnits = []struct {
	suffix        string
	unit          time.Duration
	caseSensitive bool
}{
	{"nanos", time.Nanosecond, false},
	{"micros", time.Microsecond, false},
	{"ms", time.Millisecond, false},
	{"s", time.Second, false},
	{"m", time.Minute, true},
	{"h", time.Hour, false},
	{"d", 24 * time.Hour, false},
}

// parseTimeValue parses an expiration the way TimeValue.parseTimeValue does. The result may be zero
// or negative ("0", "-1", "-1d"): those parse, and fail validation later.
func parseTimeValue(value, setting string) (time.Duration, error) {
	normalized := strings.TrimSpace(strings.ToLower(value))
	for _, u := range timeUnits {
		matches := strings.HasSuffix(normalized, u.suffix)
		if u.caseSensitive {
			matches = strings.HasSuffix(value, u.suffix)
		}
		if !matches {
			continue
		}
		n, err := parseTimeNumber(value, strings.TrimSpace(strings.TrimSuffix(normalized, u.suffix)), setting)
		if err != nil {
			return 0, err
		}
		return time.Duration(n) * u.unit, nil
	}
	switch {
	case minusOne.MatchString(normalized):
		return -1, nil
	case zeros.MatchString(normalized):
		return 0, nil
	}
	return 0, fmt.Errorf("failed to parse setting [%s] with value [%s] as a time value: unit is missing or unrecognized", setting, value)
}

func parseTimeNumber(input, number, setting string) (int64, error) {
	n, err := strconv.ParseInt(number, 10, 64)
	if err == nil {
		if n < -1 {
			return 0, fmt.Errorf("failed to parse setting [%s] with value [%s] as a time value: negative durations are not supported", setting, input)
		}
		return n, nil
	}
	if _, ferr := strconv.ParseFloat(number, 64); ferr == nil {
		return 0, fmt.Errorf("failed to parse [%s], fractional time values are not supported", input)
	}
	return 0, fmt.Errorf("failed to parse [%s]", input)
}

// expiresAt is the expiry of a key created or updated now: whole seconds, as Elasticsearch computes it.
func expiresAt(now time.Time, d time.Duration) time.Time {
	return now.Add(d.Truncate(time.Second))
}
