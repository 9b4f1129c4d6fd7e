package esapikeytest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/esapikey/esapikey/internal/java"
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

// timeValue is a parsed TimeValue: a count of a unit, kept apart so that "200000d" does not overflow
// a time.Duration (Java's TimeValue holds any long count of any unit).
type timeValue struct {
	n    int64
	unit time.Duration
}

// positive reports whether the value is in the future, as the request validation checks it.
func (v timeValue) positive() bool { return v.n > 0 }

// seconds is TimeValue.getSeconds: whole seconds, saturating like TimeUnit.toSeconds.
func (v timeValue) seconds() int64 {
	if v.unit < time.Second {
		return v.n / int64(time.Second/v.unit)
	}
	per := int64(v.unit / time.Second)
	if v.n > math.MaxInt64/per {
		return math.MaxInt64
	}
	return v.n * per
}

// parseTimeValue parses an expiration the way TimeValue.parseTimeValue does. The result may be zero
// or negative ("0", "-1", "-1d"): those parse, and fail validation later.
func parseTimeValue(value, setting string) (timeValue, error) {
	normalized := java.Trim(java.LowerASCII(value))
	for _, u := range timeUnits {
		matches := strings.HasSuffix(normalized, u.suffix)
		if u.caseSensitive {
			matches = strings.HasSuffix(value, u.suffix)
		}
		if !matches {
			continue
		}
		n, err := parseTimeNumber(value, java.Trim(strings.TrimSuffix(normalized, u.suffix)), setting)
		if err != nil {
			return timeValue{}, err
		}
		return timeValue{n, u.unit}, nil
	}
	switch {
	case minusOne.MatchString(normalized):
		return timeValue{-1, time.Millisecond}, nil
	case zeros.MatchString(normalized):
		return timeValue{0, time.Millisecond}, nil
	}
	return timeValue{}, fmt.Errorf("failed to parse setting [%s] with value [%s] as a time value: unit is missing or unrecognized", setting, value)
}

func parseTimeNumber(input, number, setting string) (int64, error) {
	n, ok := java.ParseLong(number)
	if ok {
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

// maxExpirySeconds keeps an expiry within what a millisecond timestamp can hold (about 292 million
// years), so that no expiration, however large, wraps around into the past.
const maxExpirySeconds = math.MaxInt64/1000 - 1

// expiresAt is the expiry of a key created or updated now: now plus whole seconds, as ApiKeyService
// computes it (Instant.plusSeconds(expiration.getSeconds())).
func expiresAt(now time.Time, v timeValue) time.Time {
	secs := v.seconds()
	if secs > maxExpirySeconds-now.Unix() {
		secs = maxExpirySeconds - now.Unix()
	}
	return time.Unix(now.Unix()+secs, int64(now.Nanosecond())).In(now.Location())
}
