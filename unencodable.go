package esapikey

import (
	"cmp"
	"encoding"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// encodeBody writes a request body with encoding/json. A value JSON cannot
// hold (NaN, a channel, a func, a map keyed by any, a cycle) is a caller's
// error like any other refusal before sending: it becomes a *ValidationError
// naming where the value sits, such as "metadata.limits.ratio". The search
// for the culprit runs only after json.Marshal failed, so a valid request
// pays nothing for it.
func encodeBody(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err == nil {
		return b, nil
	}
	field, reason := unencodable(reflect.ValueOf(v), "", 0)
	if field == "" && reason == "" {
		field, reason = "body", "cannot be written as JSON: "+err.Error()
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
		// A query is written as its one form: the object, or {"template":…}.
		q := v.Interface().(Query)
		if f, r := unencodable(reflect.ValueOf(q.Object), path, depth+1); r != "" {
			return f, r
		}
		return unencodable(reflect.ValueOf(q.Template), member(path, "template"), depth+1)
	}
	if foreignMarshaler(v.Type()) {
		if v.Kind() == reflect.Pointer && v.IsNil() {
			return "", ""
		}
		if _, err := json.Marshal(v.Interface()); err != nil {
			return path, "cannot be written as JSON: " + err.Error()
		}
		return "", ""
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return "", ""
		}
		return unencodable(v.Elem(), path, depth)
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
