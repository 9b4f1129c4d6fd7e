package esapikeytest

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// javaNumber reads a number literal as Jackson does and writes it back as XContentBuilder does: an
// integer keeps its digits (int, long or BigInteger), any other number becomes a double written as
// Java's Double.toString writes it. So 1.00 and 10E-1 both become 1.0.
func javaNumber(lit string) json.Number {
	if !strings.ContainsAny(lit, ".eE") {
		if lit == "-0" {
			return "0"
		}
		return json.Number(lit)
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil || math.IsInf(f, 0) {
		return json.Number(lit) // out of a double's range: keep the text rather than write invalid JSON
	}
	return json.Number(javaDouble(f))
}

// javaDouble is Double.toString: plain notation from 10^-3 up to 10^7, computerized scientific
// notation ("1.5E10") outside it, always with a fractional part, digits as few as identify the double.
func javaDouble(f float64) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	mant, exp, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}
