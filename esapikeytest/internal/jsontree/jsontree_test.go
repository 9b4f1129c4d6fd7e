package jsontree

import (
	"errors"
	"strings"
	"testing"
)

func TestParseLocations(t *testing.T) {
	d, err := Parse([]byte("{\n  \"a\": [1, \"x\", true, null],\n  \"b\": {}\n}"))
	if err != nil {
		t.Fatal(err)
	}
	a := d.Root.Field("a")
	if got := d.Loc(a); got != "[2:8]" {
		t.Errorf("Loc(a) = %s, want [2:8]", got)
	}
	if got := d.Loc(a.Vals()[0]); got != "[2:9]" {
		t.Errorf("Loc(a[0]) = %s, want [2:9]", got)
	}
	kinds := []Kind{Number, String, Bool, Null}
	for i, v := range a.Vals() {
		if v.Kind != kinds[i] {
			t.Errorf("a[%d] is %s, want %s", i, v.Kind.Token(), kinds[i].Token())
		}
	}
	if d.Root.Field("b").Kind != Object || d.Root.Field("c") != nil {
		t.Errorf("fields b and c: %+v %+v", d.Root.Field("b"), d.Root.Field("c"))
	}
	if a.Vals()[0].Str != "1" || a.Vals()[1].Str != "x" || !a.Vals()[2].Bool {
		t.Errorf("values: %q %q %v", a.Vals()[0].Str, a.Vals()[1].Str, a.Vals()[2].Bool)
	}
}

// Fields yields an object's members in document order and stops when asked; other values have none.
func TestFields(t *testing.T) {
	d, err := Parse([]byte(`{"b":1,"a":[true],"c":{}}`))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k, v := range d.Root.Fields() {
		if v != d.Root.Field(k) {
			t.Errorf("Fields gave %s another value than Field", k)
		}
		keys = append(keys, k)
		if k == "a" {
			break
		}
	}
	if strings.Join(keys, ",") != "b,a" {
		t.Errorf("Fields yielded %q, want b, a and a stop", keys)
	}
	for _, n := range []*Node{d.Root.Field("a"), d.Root.Field("c"), d.Root.Field("b")} {
		for k := range n.Fields() {
			t.Errorf("a %s yielded a field %q", n.Kind.Token(), k)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for body, want := range map[string]string{
		`{"a":1,"a":2}`: "[1:8] Duplicate field 'a'",
		`{"a":`:         "[1:6] Unexpected end-of-input",
		`{"a":1}x`:      "[1:8] Unexpected character after the end of the object",
	} {
		_, err := Parse([]byte(body))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%s) = %v, want a *SyntaxError", body, err)
			continue
		}
		if se.Msg != want {
			t.Errorf("Parse(%s) = %q, want %q", body, se.Msg, want)
		}
	}
}

func TestParseBlank(t *testing.T) {
	d, err := Parse([]byte(" \n\t"))
	if err != nil || d.Root != nil {
		t.Errorf("Parse(blank) = %+v, %v; want a nil root", d, err)
	}
}

// StreamReadConstraints as XContentImplUtils leaves them: 1000 levels and 1000-digit numbers pass, one
// more is refused with Jackson's message and no location.
func TestParseLimits(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	for body, want := range map[string]string{
		deep(1000) + " ":                             "",
		deep(1001):                                   "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)",
		strings.Repeat(`{"a":`, 5_000_000/5):         "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)",
		strings.Repeat("[", 5_000_000):               "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)",
		"[-" + strings.Repeat("9", 1000) + "]":       "",
		"[" + strings.Repeat("9", 1001) + "]":        "Number value length (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)",
		"[1." + strings.Repeat("0", 999) + "]":       "",
		"[1." + strings.Repeat("0", 1000) + "]":      "Number value length (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)",
		`["` + strings.Repeat("x", 6_000_000) + `"]`: "",
	} {
		_, err := Parse([]byte(body))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("Parse(%.20q...) = %q, want %q", body, got, want)
		}
	}
}

// The body language of JsonXContentImpl: comments and a byte order mark are allowed; invalid UTF-8,
// leading zeros and unknown tokens are refused, with Jackson's messages.
func TestParseJacksonSyntax(t *testing.T) {
	for body, want := range map[string]string{
		"/* c */ {\"a\": // d\n 1}": "",
		"\xef\xbb\xbf{}":            "",
		"{\"a\":\"\xff\"}":          "[1:7] Invalid UTF-8 start byte 0xff",
		`[01]`:                      "[1:2] Invalid numeric value: Leading zeroes not allowed",
		`{"a":tru}`:                 "[1:6] Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
		`[1}`:                       "[1:3] Unexpected close marker '}': expected ']' (for Array starting at [1:1])",
		"[\"a\nb\"]":                "[1:4] Illegal unquoted character ((CTRL-CHAR, code 10)): has to be escaped using backslash to be included in string value",
		`{"a" 1}`:                   "[1:6] Unexpected character ('1' (code 49)): was expecting a colon to separate field name and value",
		`/x`:                        "[1:2] Unexpected character ('x' (code 120)): was expecting either '*' or '/' for a comment",
	} {
		_, err := Parse([]byte(body))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("Parse(%q) = %q, want %q", body, got, want)
		}
	}
}
