// Package java reads text as the Java standard library does where Elasticsearch's parsing depends on it,
// for the client and esapikeytest alike, so that both read an expiration (or a media type) as
// Elasticsearch does.
package java

import (
	"math"
	"strings"
	"unicode"
)

// Trim is String.trim: it strips every character up to and including U+0020 at both ends, control
// characters included, and no other (not U+00A0, unlike strings.TrimSpace).
func Trim(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
}

// LowerASCII lower-cases ASCII letters only. toLowerCase(Locale.ROOT) lowers every letter, but no
// other one becomes a letter of a unit or a keyword there, while strings.ToLower would make U+0130 an "i".
func LowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// ParseLong is Long.parseLong: an optional sign, then digits read with Character.digit(char, 10),
// which takes the decimal digit of any script ("١", "１") as long as it is one UTF-16 unit, without
// overflow.
func ParseLong(s string) (int64, bool) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	if s == "" {
		return 0, false
	}
	var n uint64
	for _, r := range s {
		d, ok := digit(r)
		if !ok || n > (1<<63-uint64(d))/10 { // n*10+d would pass 2^63
			return 0, false
		}
		n = n*10 + uint64(d)
	}
	switch {
	case neg:
		return -int64(n), true // 2^63 wraps to MinInt64, as intended
	case n > math.MaxInt64:
		return 0, false
	}
	return int64(n), true
}

// digit is the value of a decimal digit of the Basic Multilingual Plane. Unicode lays out each
// script's digits as a run of ten from zero, and the Nd table keeps them as ranges that each start at a zero.
func digit(r rune) (int, bool) {
	if r > 0xFFFF || !unicode.IsDigit(r) {
		return 0, false
	}
	for _, rg := range unicode.Nd.R16 {
		if rune(rg.Lo) <= r && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	return 0, false
}
