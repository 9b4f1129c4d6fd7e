package jsontree

import (
	"errors"
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
	if got := d.Loc(a.Vals[0]); got != "[2:9]" {
		t.Errorf("Loc(a[0]) = %s, want [2:9]", got)
	}
	kinds := []Kind{Number, String, Bool, Null}
	for i, v := range a.Vals {
		if v.Kind != kinds[i] {
			t.Errorf("a[%d] is %s, want %s", i, v.Kind.Token(), kinds[i].Token())
		}
	}
	if d.Root.Field("b").Kind != Object || d.Root.Field("c") != nil {
		t.Errorf("fields b and c: %+v %+v", d.Root.Field("b"), d.Root.Field("c"))
	}
	if a.Vals[0].Str != "1" || a.Vals[1].Str != "x" || !a.Vals[2].Bool {
		t.Errorf("values: %q %q %v", a.Vals[0].Str, a.Vals[1].Str, a.Vals[2].Bool)
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
