package esapikeytest

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"unicode/utf8"
)

// kv is one field of an ordered JSON object.
type kv struct {
	k string
	v any
}

// ordered is a JSON object that keeps its field order, so responses read like Elasticsearch's.
type ordered []kv

// MarshalJSON renders the fields in order.
func (o ordered) MarshalJSON() ([]byte, error) { return appendJSON(nil, o) }

// marshalNoEscape marshals like Elasticsearch writes: without HTML escaping.
func marshalNoEscape(v any) ([]byte, error) { return appendJSON(nil, v) }

// appendJSON appends v as encoding/json writes it without HTML escaping. The types answers are
// built of are written directly, in one pass (a listing of many keys is mostly these); json.RawMessage
// is trusted to be the server's own valid JSON. Anything else goes through encoding/json.
func appendJSON(b []byte, v any) ([]byte, error) {
	var err error
	switch t := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case ordered:
		b = append(b, '{')
		for i, f := range t {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(appendString(b, f.k), ':')
			if b, err = appendJSON(b, f.v); err != nil {
				return nil, err
			}
		}
		return append(b, '}'), nil
	case []ordered:
		return appendArray(b, len(t), func(b []byte, i int) ([]byte, error) { return appendJSON(b, t[i]) })
	case []any:
		return appendArray(b, len(t), func(b []byte, i int) ([]byte, error) { return appendJSON(b, t[i]) })
	case []string:
		return appendArray(b, len(t), func(b []byte, i int) ([]byte, error) { return appendString(b, t[i]), nil })
	case map[string]json.RawMessage:
		b = append(b, '{')
		for i, k := range sortedKeys(t) {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(append(appendString(b, k), ':'), t[k]...)
		}
		return append(b, '}'), nil
	case json.RawMessage:
		return append(b, t...), nil
	case string:
		return appendString(b, t), nil
	case bool:
		return strconv.AppendBool(b, t), nil
	case int:
		return strconv.AppendInt(b, int64(t), 10), nil
	case int64:
		return strconv.AppendInt(b, t, 10), nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...), nil
}

func appendArray(b []byte, n int, elem func([]byte, int) ([]byte, error)) ([]byte, error) {
	var err error
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = elem(b, i); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

const hex = "0123456789abcdef"

// appendString quotes s exactly as encoding/json does with HTML escaping off: control characters
// escaped, invalid UTF-8 as \ufffd, and U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(append(b, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
