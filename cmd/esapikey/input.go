package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sort"
	"strings"

	"github.com/esapikey/esapikey"
)

// readJSONArg reads the value of a JSON flag: inline JSON, @FILE, "-" or "@-"
// for stdin, and, when bareFile is set, a plain FILE.
func (a *app) readJSONArg(cmd, name, value string, bareFile bool) ([]byte, error) {
	v := strings.TrimSpace(value)
	var (
		data []byte
		err  error
	)
	switch {
	case v == "-" || v == "@-":
		data, err = a.readStdin(cmd, "--"+name)
	case strings.HasPrefix(v, "@"):
		data, err = os.ReadFile(v[1:])
	case strings.HasPrefix(v, "{") || strings.HasPrefix(v, "["):
		data = []byte(v)
	case bareFile && v != "":
		data, err = os.ReadFile(v)
	case bareFile:
		return nil, usagef(cmd, "--%s: want FILE, - for stdin, or inline JSON", name)
	default:
		return nil, usagef(cmd, "--%s: want a JSON object, @FILE, or - for stdin", name)
	}
	var ie *interruptedError
	if errors.As(err, &ie) {
		return nil, err
	}
	if err != nil {
		return nil, usagef(cmd, "--%s: %v", name, err)
	}
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' {
		return nil, usagef(cmd, "--%s: want a JSON object", name)
	}
	if dup := duplicateField(data); dup != "" {
		return nil, usagef(cmd, "--%s: %s: Elasticsearch refuses a key given twice", name, dup)
	}
	return data, nil
}

// decodeExact decodes data into out, a request type of the library, and
// checks that every field of data is one the library knows and that out
// encodes back to what data says. The library sends a field it does not know
// as it is, for a newer Elasticsearch; on the command line such a field is
// far more likely a misspelt "field_security" or "restriction", refused
// here with its path before anything is sent.
func decodeExact(cmd, name string, data []byte, out any) error {
	if err := json.Unmarshal(data, out); err != nil {
		return usagef(cmd, "--%s: %s", name, jsonError(data, err))
	}
	in, err := decodeTree(data)
	if err != nil {
		return usagef(cmd, "--%s: %v", name, err)
	}
	if path := unknownField(in, reflect.TypeOf(out), ""); path != "" {
		return usagef(cmd, "--%s: %s: unknown field", name, path)
	}
	encoded, err := json.Marshal(out)
	if err != nil {
		return usagef(cmd, "--%s: %v", name, err)
	}
	sent, err := decodeTree(encoded)
	if err != nil {
		return usagef(cmd, "--%s: %v", name, err)
	}
	if path, why := diff(in, sent, ""); path != "" {
		return usagef(cmd, "--%s: %s: %s", name, path, why)
	}
	return nil
}

// decodeObject decodes a free-form JSON object, keeping numbers as written.
func decodeObject(cmd, name string, data []byte, out any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return usagef(cmd, "--%s: %s", name, jsonError(data, err))
	}
	if dec.More() {
		return usagef(cmd, "--%s: more than one JSON value", name)
	}
	return nil
}

func decodeTree(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// jsonError adds the line and column to a syntax error; JSON cut short
// ends just past its last character.
func jsonError(data []byte, err error) string {
	var off int64
	switch e := err.(type) {
	case *json.SyntaxError:
		if e.Offset >= int64(len(data)) && strings.Contains(e.Error(), "end of JSON input") {
			return endOfInput(data)
		}
		off = e.Offset
	case *json.UnmarshalTypeError:
		off = e.Offset
	default:
		if err == io.ErrUnexpectedEOF { // a json.Decoder's "end of JSON input"
			return endOfInput(data)
		}
		// json.Unmarshal checks the syntax before any UnmarshalJSON runs, so
		// this is valid JSON that does not fit, such as a role descriptor
		// the library explains field by field: not "invalid JSON".
		return strings.TrimPrefix(err.Error(), "esapikey: ")
	}
	off = min(max(off, 1), int64(len(data)))
	// Offset counts the bytes read, the offending one included.
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - 1 - int64(bytes.LastIndexByte(data[:off-1], '\n'))
	return fmt.Sprintf("invalid JSON at line %d, column %d: %v", line, col, err)
}

// endOfInput places JSON cut short just past its last character.
func endOfInput(data []byte) string {
	line := 1 + bytes.Count(data, []byte("\n"))
	col := len(data) - bytes.LastIndexByte(data, '\n')
	return fmt.Sprintf("invalid JSON at line %d, column %d: unexpected end of JSON input", line, col)
}

// aliases are the other names of fields the library reads.
var aliases = map[reflect.Type]map[string]string{
	reflect.TypeFor[esapikey.RoleDescriptor](): {"index": "indices", "application": "applications"},
}

var (
	queryType    = reflect.TypeFor[esapikey.Query]()
	templateType = reflect.TypeFor[esapikey.RoleTemplate]()
)

// unknownField returns the path of the first member of v, a decoded JSON
// value, that no field of the library's type t takes, by the exact JSON
// names Elasticsearch reads; "" when there is none. Free-form values
// (metadata, a query object) have no unknown members.
func unknownField(v any, t reflect.Type, path string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Slice:
		list, _ := v.([]any)
		for i, e := range list {
			if p := unknownField(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Map:
		obj, _ := v.(map[string]any)
		for _, k := range sortedKeys(obj) {
			if p := unknownField(obj[k], t.Elem(), join(path, k)); p != "" {
				return p
			}
		}
	case reflect.Struct:
		obj, _ := v.(map[string]any)
		if t == queryType {
			// A query is free-form, but for the role template it may be.
			if tmpl, ok := obj["template"]; ok && len(obj) == 1 {
				return unknownField(tmpl, templateType, join(path, "template"))
			}
			return ""
		}
		fields := jsonFields(t)
		for _, k := range sortedKeys(obj) {
			f, ok := fields[k]
			if alias, isAlias := aliases[t][k]; isAlias {
				f, ok = fields[alias]
			}
			if !ok {
				return join(path, k)
			}
			if p := unknownField(obj[k], f, join(path, k)); p != "" {
				return p
			}
		}
	}
	return ""
}

// jsonFields maps the JSON names of the fields of a struct to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "-" {
			fields[cmp.Or(name, f.Name)] = f.Type
		}
	}
	return fields
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// diff returns the first path where sent, the request as the client encodes
// it, does not say what in, the user's JSON, says; "" when it does.
func diff(in, sent any, path string) (string, string) {
	switch v := in.(type) {
	case map[string]any:
		return diffObject(v, sent, path)
	case []any:
		s, ok := sent.([]any)
		if !ok || len(s) != len(v) {
			return orRoot(path), "not understood"
		}
		for i := range v {
			if p, why := diff(v[i], s[i], fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p, why
			}
		}
	case string:
		// A single name stands for a list of one.
		if s, ok := sent.([]any); ok && len(s) == 1 {
			sent = s[0]
		}
		if sent != v {
			return orRoot(path), "not understood"
		}
	case json.Number:
		if s, ok := sent.(json.Number); !ok || !sameNumber(v, s) {
			return orRoot(path), "number not kept exactly (too large?)"
		}
	case bool:
		if sent != v {
			return orRoot(path), "not understood"
		}
	}
	return "", ""
}

func diffObject(in map[string]any, sent any, path string) (string, string) {
	s, _ := sent.(map[string]any)
	for _, k := range sortedKeys(in) {
		sub := join(path, k)
		got, ok := s[k]
		if !ok && k == "index" { // alias of "indices" in a role
			if _, both := in["indices"]; both {
				continue
			}
			got, ok = s["indices"]
		}
		if !ok {
			if empty(in[k]) {
				continue // omitted when empty, which means the same
			}
			return sub, "unknown field"
		}
		if p, why := diff(in[k], got, sub); p != "" {
			return p, why
		}
	}
	return "", ""
}

// orRoot names the place of path in a message: the whole value when path is empty.
func orRoot(path string) string {
	if path == "" {
		return "the value"
	}
	return path
}

// empty reports whether v is a field's default value, which the client omits.
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}

// sameNumber compares integers as written, other numbers by value.
func sameNumber(a, b json.Number) bool {
	if !strings.ContainsAny(a.String(), ".eE") {
		return a == b
	}
	fa, errA := a.Float64()
	fb, errB := b.Float64()
	return errA == nil && errB == nil && fa == fb
}
