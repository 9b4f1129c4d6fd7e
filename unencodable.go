package esapikey

import (
	"bytes"
	"cmp"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// encodeBody writes a request body with encoding/json. A value JSON cannot
// hold (NaN, a channel, a func, a map keyed by any, a cycle) is a caller's
// error like any other refusal before sending: it becomes a *ValidationError
// naming where the value sits, such as "metadata.limits.ratio". So is text
// that is not valid UTF-8, which encoding/json would silently write as
// U+FFFD (two metadata keys could become one). The search for the culprit
// runs only after json.Marshal failed or wrote such text, so a valid request
// pays nothing for it.
func encodeBody(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err == nil && !invalidUTF8(b) {
		return b, nil
	}
	field, reason := unencodable(reflect.ValueOf(v), "", 0)
	switch {
	case field != "" || reason != "":
	case err != nil:
		field, reason = "body", "cannot be written as JSON: "+err.Error()
	default:
		field, reason = "body", "holds text that is not valid UTF-8"
	}
	if len(field) > maxFieldPath {
		field = strings.ToValidUTF8(field[:maxFieldPath], "") + "…"
	}
	return nil, invalid(cmp.Or(field, "body"), "%s", reason)
}

// maxFieldPath cuts the path of a value inside a cycle to a readable length.
const maxFieldPath = 200

// maxNesting bounds the search, which follows values as json.Marshal does and
// would otherwise never leave a cycle. encoding/json itself starts looking for
// cycles at the same depth.
const maxNesting = 1000

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	queryType         = reflect.TypeFor[Query]()
)

// unencodable returns the JSON path below v of the first value json.Marshal
// refuses, and why; two empty strings when it finds none. Map keys are
// visited in sorted order, so the same request always names the same field.
func unencodable(v reflect.Value, path string, depth int) (field, reason string) {
	if depth > maxNesting {
		return path, fmt.Sprintf("nested more than %d levels deep, or cyclic", maxNesting)
	}
	if !v.IsValid() {
		return "", ""
	}
	if v.Type() == queryType {
		// A query is written as its one form: the text, the object, or
		// {"template":…}.
		q := v.Interface().(Query)
		if f, r := unencodable(reflect.ValueOf(q.Text), path, depth+1); r != "" {
			return f, r
		}
		if f, r := unencodable(reflect.ValueOf(q.Object), path, depth+1); r != "" {
			return f, r
		}
		return unencodable(reflect.ValueOf(q.Template), member(path, "template"), depth+1)
	}
	if foreignMarshaler(v.Type()) {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return "", ""
		}
		b, err := json.Marshal(v.Interface())
		switch {
		case err != nil:
			return path, "cannot be written as JSON: " + err.Error()
		case invalidUTF8(b):
			return path, "writes text that is not valid UTF-8: " + replaced
		}
		return "", ""
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", ""
		}
		return unencodable(v.Elem(), path, depth)
	case reflect.String:
		if s := v.String(); !utf8.ValidString(s) {
			return path, quoteCut(s) + " is not valid UTF-8: " + replaced
		}
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return path, fmt.Sprintf("%v is not a JSON number", f)
		}
	case reflect.Chan, reflect.Func, reflect.Complex64, reflect.Complex128, reflect.UnsafePointer:
		return path, fmt.Sprintf("a value of type %s cannot be written as JSON", v.Type())
	case reflect.Map:
		return unencodableMap(v, path, depth)
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			return "", "" // []byte is written as base64
		}
		for i := range v.Len() {
			if f, r := unencodable(v.Index(i), fmt.Sprintf("%s[%d]", path, i), depth+1); r != "" {
				return f, r
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if !sf.IsExported() || name == "-" {
				continue
			}
			if f, r := unencodable(v.Field(i), member(path, cmp.Or(name, sf.Name)), depth+1); r != "" {
				return f, r
			}
		}
	}
	return "", ""
}

func unencodableMap(v reflect.Value, path string, depth int) (field, reason string) {
	kt := v.Type().Key()
	switch {
	case kt.Kind() == reflect.String, kt.Implements(textMarshalerType):
	case kt.Kind() >= reflect.Int && kt.Kind() <= reflect.Uintptr:
	default:
		return path, fmt.Sprintf("a map with keys of type %s cannot be written as a JSON object", kt)
	}
	keys := v.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(keyText(a), keyText(b)) })
	// Role descriptors are named in brackets, as validation names them;
	// members of free-form values with dots.
	named := v.Type().Elem().Kind() == reflect.Struct
	for _, k := range keys {
		if key := keyText(k); !utf8.ValidString(key) {
			return path, "key " + quoteCut(key) + " is not valid UTF-8: " + replaced + ", and two keys could become one"
		}
	}
	for _, k := range keys {
		p := member(path, keyText(k))
		if named {
			p = path + "[" + keyText(k) + "]"
		}
		if f, r := unencodable(v.MapIndex(k), p, depth+1); r != "" {
			return f, r
		}
	}
	return "", ""
}

// replaced says what happens to text that is not valid UTF-8.
const replaced = "Elasticsearch would read U+FFFD in its place"

// invalidUTF8 reports whether encoding/json met text that is not valid
// UTF-8 while writing b: it writes each such byte as the escape \ufffd,
// and U+FFFD itself as it is. A foreign MarshalJSON may also have written
// the bytes themselves.
func invalidUTF8(b []byte) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(`\ufffd`))
		if j < 0 {
			return !utf8.Valid(b)
		}
		i += j
		// An escape when the backslashes before it are even in number:
		// `\\ufffd` is a backslash and the text "ufffd".
		n := 0
		for k := i - 1; k >= 0 && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return true
		}
		i++
	}
}

// quoteCut quotes s for a message, cut after its first 64 bytes.
func quoteCut(s string) string {
	if len(s) > 64 {
		return strconv.Quote(s[:64]) + "…"
	}
	return strconv.Quote(s)
}

// foreignMarshaler reports a type that writes itself as JSON and is not one
// of this package's, whose error can only be reported where it sits.
func foreignMarshaler(t reflect.Type) bool {
	base := t
	if t.Kind() == reflect.Pointer {
		base = t.Elem()
	}
	if base.PkgPath() == queryType.PkgPath() {
		return false
	}
	return t.Implements(marshalerType) || t.Implements(textMarshalerType)
}

func keyText(k reflect.Value) string {
	if k.Kind() == reflect.String {
		return k.String()
	}
	if tm, ok := k.Interface().(encoding.TextMarshaler); ok {
		if b, err := tm.MarshalText(); err == nil {
			return string(b)
		}
	}
	if k.CanInt() {
		return strconv.FormatInt(k.Int(), 10)
	}
	if k.CanUint() {
		return strconv.FormatUint(k.Uint(), 10)
	}
	return fmt.Sprint(k.Interface())
}

func member(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
