package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that Parse never panics and that, on bodies where Jackson as Elasticsearch configures
// it and encoding/json read the same language, it accepts what encoding/json accepts and builds the same
// values. The languages differ, on purpose, where Elasticsearch's parser differs: comments (so bodies
// with '/' are left out of the comparison), a byte order mark, invalid UTF-8 (which Jackson refuses and
// encoding/json replaces), duplicate keys, the nesting and number limits, and a blank body.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{}`, `[]`, `{"a":[1,-2.5e+3,"x\u00e9\ud83d\ude00",true,false,null]}`, `{"a":{"b":{}}}`, `[1,]`, `{"a" 1}`,
		`{"a":1,"a":2}`, `"\ud800"`, `01`, `-`, `1.`, `1e`, `[1}`, `{"a":1]`, "\"\x01\"", `/* c */ {} // d`,
		`{"a":tru}`, `nulls`, "\xef\xbb\xbf{}", "\"\xff\"", strings.Repeat("[", 1001), `[` + strings.Repeat("9", 1001) + `]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		d, err := Parse(body)
		var se *SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("Parse(%q) = %v, not a *SyntaxError", body, err)
		}
		if bytes.ContainsRune(body, '/') || bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) || !utf8.Valid(body) ||
			len(bytes.TrimSpace(body)) == 0 {
			return
		}
		valid := json.Valid(body)
		if err != nil {
			if valid && !limitOrDuplicate(se.Msg) {
				t.Fatalf("Parse(%q) = %v; encoding/json accepts it", body, err)
			}
			return
		}
		if !valid {
			t.Fatalf("Parse(%q) accepted a body encoding/json refuses", body)
		}
		want := stdlibRead(t, body)
		if got := plain(d.Root); !reflect.DeepEqual(got, want) {
			t.Fatalf("Parse(%q) = %#v, encoding/json reads %#v", body, got, want)
		}
	})
}

func limitOrDuplicate(msg string) bool {
	return strings.Contains(msg, "Duplicate field") || strings.Contains(msg, "StreamReadConstraints")
}

// stdlibRead is what encoding/json reads from body, numbers as written.
func stdlibRead(t *testing.T, body []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// plain converts a node to the values encoding/json decodes with UseNumber.
func plain(n *Node) any {
	switch n.Kind {
	case Object:
		m := map[string]any{}
		for k, v := range n.Fields() {
			m[k] = plain(v)
		}
		return m
	case Array:
		a := []any{}
		for _, v := range n.Vals() {
			a = append(a, plain(v))
		}
		return a
	case String:
		return n.Str
	case Number:
		return json.Number(n.Str)
	case Bool:
		return n.Bool
	}
	return nil
}
