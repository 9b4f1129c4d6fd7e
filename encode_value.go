package esapikey

// The writers of free-form JSON: metadata objects and their values, numbers
// and strings, byte for byte as encoding/json writes them.

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// object writes a JSON object; nil is null, as for any map.
func (e *encoder) object(m map[string]any) {
	if m == nil {
		e.buf = append(e.buf, "null"...)
		return
	}
	if e.depth++; e.depth > maxDepth {
		e.failed = true
		return
	}
	start := len(e.keys)
	e.keys = slices.Grow(e.keys, len(m))
	for k := range m {
		e.keys = append(e.keys, k)
	}
	slices.Sort(e.keys[start:])
	e.buf = append(e.buf, '{')
	// Nested maps push their keys past these, and may move the stack.
	for i, k := range e.keys[start : start+len(m)] {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.string(k)
		e.buf = append(e.buf, ':')
		e.value(m[k])
		if e.failed {
			break
		}
	}
	e.buf = append(e.buf, '}')
	e.keys = e.keys[:start]
	e.depth--
}

func (e *encoder) stringMap(m map[string]string) {
	if m == nil {
		e.buf = append(e.buf, "null"...)
		return
	}
	start := len(e.keys)
	e.keys = slices.Grow(e.keys, len(m))
	for k := range m {
		e.keys = append(e.keys, k)
	}
	slices.Sort(e.keys[start:])
	e.buf = append(e.buf, '{')
	for i, k := range e.keys[start:] {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.string(k)
		e.buf = append(e.buf, ':')
		e.string(m[k])
	}
	e.buf = append(e.buf, '}')
	e.keys = e.keys[:start]
}

// value writes a metadata value. The JSON types and what a decoded
// document holds are written here; any other type by json.Marshal, whose
// output for a value is the same alone as inside a document.
func (e *encoder) value(v any) {
	switch v := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		e.string(v)
	case bool:
		e.buf = strconv.AppendBool(e.buf, v)
	case float64:
		e.float(v, 64)
	case float32:
		e.float(float64(v), 32)
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case int64:
		e.buf = strconv.AppendInt(e.buf, v, 10)
	case int32:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case int16:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case int8:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case uint32:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uint16:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uint8:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uintptr:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uint64:
		e.buf = strconv.AppendUint(e.buf, v, 10)
	case uint:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case map[string]any:
		e.object(v)
	case Metadata:
		e.object(v)
	case []any:
		if v == nil {
			e.buf = append(e.buf, "null"...)
			return
		}
		if e.depth++; e.depth > maxDepth {
			e.failed = true
			return
		}
		e.buf = append(e.buf, '[')
		for i, x := range v {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.value(x)
		}
		e.buf = append(e.buf, ']')
		e.depth--
	case json.Number:
		e.number(v)
	case []string:
		e.strings(v)
	case map[string]string:
		e.stringMap(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			e.failed = true
			return
		}
		e.buf = append(e.buf, b...)
	}
}

// float writes f as encoding/json does: like ES6 number formatting.
func (e *encoder) float(f float64, bits int) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		e.failed = true
		return
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
		bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	b := strconv.AppendFloat(e.buf, f, format, -1, bits)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		// e-07 is written e-7.
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	e.buf = b
}

// number writes n as it stands, as encoding/json does; "" is 0.
func (e *encoder) number(n json.Number) {
	s := string(n)
	if s == "" {
		s = "0"
	}
	if !validNumber(s) {
		e.failed = true
		return
	}
	e.buf = append(e.buf, s...)
}

// validNumber reports whether s is a JSON number literal.
func validNumber(s string) bool {
	digits := func(i int) int {
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i
	}
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(i + 1)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(s)
}

// strings writes a list of strings; nil is null, as json.Marshal writes it.
func (e *encoder) strings(list []string) {
	if list == nil {
		e.buf = append(e.buf, "null"...)
		return
	}
	e.buf = append(e.buf, '[')
	for i, s := range list {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.string(s)
	}
	e.buf = append(e.buf, ']')
}

// string writes s quoted with the escapes of json.Marshal: HTML characters
// as \u003c, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func (e *encoder) string(s string) {
	const hex = "0123456789abcdef"
	b := append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
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
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	e.buf = append(b, '"')
}
