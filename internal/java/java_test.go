package java

import "testing"

// Long.parseLong and String.trim, as Java answers them.
func TestParseLongAndTrim(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"42", 42, true}, {"+7", 7, true}, {"-01", -1, true}, {"١٢", 12, true}, {"１d", 0, false}, {"１", 1, true},
		{"9223372036854775807", 9223372036854775807, true}, {"9223372036854775808", 0, false},
		{"-9223372036854775808", -9223372036854775808, true}, {"-9223372036854775809", 0, false},
		{"", 0, false}, {"-", 0, false}, {"1 ", 0, false}, {"\U0001D7CE", 0, false}, // 𝟎: two UTF-16 units
	} {
		got, ok := ParseLong(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseLong(%q) = %d, %v; want %d, %v", c.in, got, ok, c.want, c.ok)
		}
	}
	for in, want := range map[string]string{"\x00 1d\t\n": "1d", "\u00a01d": "\u00a01d", "1d\u2003": "1d\u2003"} {
		if got := Trim(in); got != want {
			t.Errorf("Trim(%q) = %q; want %q", in, got, want)
		}
	}
	if got := LowerASCII("1D\u0130"); got != "1d\u0130" {
		t.Errorf("LowerASCII = %q", got)
	}
}
