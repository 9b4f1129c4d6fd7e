package esapikeytest

import (
	"testing"
	"time"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
	"github.com/stretchr/testify/assert"
)

func TestParseTimeValue(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"30d": 30 * 24 * time.Hour, "36h": 36 * time.Hour, "90m": 90 * time.Minute, "10S": 10 * time.Second,
		"1500ms": 1500 * time.Millisecond, "7MICROS": 7 * time.Microsecond, "9nanos": 9, "1D": 24 * time.Hour,
		" 2h ": 2 * time.Hour, "0": 0, "000": 0, "0s": 0, "-1": -time.Millisecond, "-01": -time.Millisecond, "-1d": -24 * time.Hour,
	} {
		got, err := parseTimeValue(in, "expiration")
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, time.Duration(got.n)*got.unit, in)
		}
	}
	for in, want := range map[string]string{
		"5":    "failed to parse setting [expiration] with value [5] as a time value: unit is missing or unrecognized",
		"1M":   "failed to parse setting [expiration] with value [1M] as a time value: unit is missing or unrecognized",
		"abc":  "failed to parse setting [expiration] with value [abc] as a time value: unit is missing or unrecognized",
		"":     "failed to parse setting [expiration] with value [] as a time value: unit is missing or unrecognized",
		"-2d":  "failed to parse setting [expiration] with value [-2d] as a time value: negative durations are not supported",
		"1.5h": "failed to parse [1.5h], fractional time values are not supported",
		"xh":   "failed to parse [xh]",
	} {
		_, err := parseTimeValue(in, "expiration")
		if assert.Error(t, err, in) {
			assert.Equal(t, want, err.Error())
		}
	}
}

// TestExpiresAtLarge: a count of days beyond what time.Duration holds still lands in the future.
func TestExpiresAtLarge(t *testing.T) {
	now := time.UnixMilli(1_700_000_000_123)
	v, err := parseTimeValue("200000d", "expiration")
	assert.NoError(t, err)
	assert.Equal(t, now.UnixMilli()+200000*86400*1000, expiresAt(now, v).UnixMilli())
	v, err = parseTimeValue("9223372036854775807d", "expiration")
	assert.NoError(t, err)
	assert.True(t, expiresAt(now, v).After(now), "a saturated expiry must not wrap into the past")
	v, _ = parseTimeValue("1500ms", "expiration")
	assert.Equal(t, now.Add(time.Second), expiresAt(now, v), "whole seconds")
}

func TestParseDoc(t *testing.T) {
	d, err := parseDoc([]byte("{\n  \"a\": [1, \"x\", true, null],\n  \"b\": {}\n}"))
	if assert.Nil(t, err) {
		assert.Equal(t, "[2:3]", jsontree.LocAt(d.Body, 4))
		assert.Equal(t, "[2:9]", d.Loc(d.Root.Field("a").Vals()[0]))
		assert.Equal(t, jsontree.Null, d.Root.Field("a").Vals()[3].Kind)
	}
	for body, want := range map[string]string{
		`{"a":1,"a":2}`: "[1:8] Duplicate field 'a'",
		`{"a":`:         "[1:6] Unexpected end-of-input",
		`{"a":1}x`:      "x_content_parse_exception",
		`{"a" 1}`:       "x_content_parse_exception",
	} {
		_, err := parseDoc([]byte(body))
		if assert.NotNil(t, err, body) {
			assert.Equal(t, "x_content_parse_exception", err.typ)
			if want != "x_content_parse_exception" {
				assert.Equal(t, want, err.reason, body)
			}
		}
	}
	d, err = parseDoc([]byte("  \n "))
	assert.Nil(t, err)
	assert.Nil(t, d.Root)
}

func TestMatchesPattern(t *testing.T) {
	for _, c := range []struct {
		pattern, name string
		want          bool
	}{
		{"*", "anything", true}, {"bob", "bob", true}, {"bob", "bobby", false}, {"b*b", "bob", true},
		{"b*b", "bo", false}, {"*-key", "my-key", true}, {"a*b*c", "aXbYc", true}, {"a*b*c", "aXcYb", false},
	} {
		assert.Equal(t, c.want, matchesPattern(c.pattern, c.name), "%s ~ %s", c.pattern, c.name)
	}
}

func TestRootCause(t *testing.T) {
	wrapper := badRequest("x_content_parse_exception", "outer").causedBy(parseErr("role").causedBy(parseErr("inner")))
	assert.Equal(t, "inner", wrapper.rootCause().reason)
	build := badRequest("x_content_parse_exception", "build").causedBy(illegalArgument("bad value"))
	assert.Equal(t, "build", build.rootCause().reason, "a plain Java exception is not a root cause")
}

// TestSuggest pins SuggestingErrorOnUnknownTests' cases.
func TestSuggest(t *testing.T) {
	assert.Equal(t, "", suggest("foo", nil))
	assert.Equal(t, "", suggest("foo", []string{"bar", "baz"}))
	assert.Equal(t, " did you mean [fop]?", suggest("foo", []string{"bar", "fop"}))
	assert.Equal(t, " did you mean any of [fop, fou]?", suggest("foo", []string{"bar", "fop", "fou", "baz"}))
	assert.Equal(t, " did you mean [metadata]?", suggest("metdata", []string{"role_descriptors", "metadata", "expiration"}))
}

// TestJavaNumbers pins Double.toString's two notations and Jackson's integer reading.
func TestJavaNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"1.0": "1.0", "1.00": "1.0", "10E-1": "1.0", "1e2": "100.0", "0.001": "0.001", "0.0009999": "9.999E-4",
		"1234567.5": "1234567.5", "1e7": "1.0E7", "1.5e10": "1.5E10", "0.00001": "1.0E-5", "-2.50": "-2.5",
		"0.0": "0.0", "-0.0": "-0.0", "0.1": "0.1", "42": "42", "-0": "0",
		"123456789012345678901234567890": "123456789012345678901234567890",
	} {
		assert.Equal(t, want, string(javaNumber(in)), in)
	}
}
