package esapikeytest

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// encodingJSON is what encoding/json writes for v without HTML escaping.
func encodingJSON(t *testing.T, v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	require.NoError(t, enc.Encode(v))
	return string(bytes.TrimRight(buf.Bytes(), "\n"))
}

// FuzzAppendString: answers quote strings byte for byte as encoding/json does, whatever the bytes.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "<a&b>", "\"\\/", "\x00\x01\b\f\n\r\t\x1f\x7f", "é€𝄞", "\xff\xfe", "a\u2028b\u2029c", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		assert.Equal(t, encodingJSON(t, s), string(appendString(nil, s)))
	})
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	v := ordered{{"a", 1}, {"b", []string{"x", "<y>"}}, {"c", []ordered{{{"n", nil}}}}, {"d", []any{true, int64(-2), "z"}},
		{"e", map[string]json.RawMessage{"z": json.RawMessage(`{"q":1}`), "a": json.RawMessage(`[]`)}},
		{"f", map[string]any{"k": []any{1.5, json.Number("10E-1")}}}, {"g", json.RawMessage(`{"r":true}`)}}
	got, err := appendJSON(nil, v)
	require.NoError(t, err)
	assert.Equal(t, `{"a":1,"b":["x","<y>"],"c":[{"n":null}],"d":[true,-2,"z"],"e":{"a":[],"z":{"q":1}},"f":{"k":[1.5,10E-1]},"g":{"r":true}}`, string(got))
	assert.Equal(t, encodingJSON(t, v), string(got))
}
