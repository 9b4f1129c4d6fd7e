package esapikey

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// roleDescriptorError says in JSON terms why a role descriptor does not
// parse: encoding/json names the Go types and the embedded helper structs
// the decoder goes through ("Go struct field .plain.indices.plain.query of
// type map[string]json.RawMessage"), which mean nothing to whoever wrote
// the JSON.
func roleDescriptorError(err error) error {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("esapikey: role descriptor: %w", err)
	}
	path := jsonPath(te.Field)
	want := jsonKind(te.Type, path)
	if path == "" {
		return fmt.Errorf("esapikey: role descriptor: expected %s, found %s", want, jsonValue(te.Value))
	}
	return fmt.Errorf("esapikey: role descriptor: field [%s]: expected %s, found %s", path, want, jsonValue(te.Value))
}

// jsonPath drops from a decoder's field path the names of the structs
// embedded to decode aliases and single strings ("plain").
func jsonPath(field string) string {
	var parts []string
	for _, p := range strings.Split(field, ".") {
		if p != "" && p != "plain" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ".")
}

// oneOrManyFields are the fields Elasticsearch reads as one string or an
// array of strings.
var oneOrManyFields = map[string]bool{"names": true, "clusters": true, "grant": true, "except": true}

// jsonKind names the JSON a Go type decodes.
func jsonKind(t reflect.Type, path string) string {
	last := path[strings.LastIndex(path, ".")+1:]
	switch {
	case t == nil:
		return "another value"
	case oneOrManyFields[last] && (t.Kind() == reflect.Slice || t.Kind() == reflect.String):
		return "a string or an array of strings"
	case last == "query" && t.Kind() == reflect.Map:
		return "a query as a JSON string or object"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return jsonKind(t.Elem(), "")
	case reflect.Slice, reflect.Array:
		if e := t.Elem(); e.Kind() == reflect.String {
			return "an array of strings"
		}
		return "an array of objects"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "another value"
}

// jsonValue names the JSON value the decoder found, which encoding/json
// gives as "number", "number 5", "string", "array", "object" or "bool".
func jsonValue(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	switch kind {
	case "array", "object":
		return "an " + kind
	case "number", "string":
		return "a " + kind
	case "bool":
		return "a boolean"
	}
	return v
}
