package esapikey_test

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

type failingMarshaler struct{}

func (failingMarshaler) MarshalJSON() ([]byte, error) { return nil, errors.New("no JSON today") }

// Values JSON cannot hold are refused before sending, like any other bad
// request, with the path of the value: never a bare encoding error.
func TestUpdateAPIKey_metadataJSONCannotHold(t *testing.T) {
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	cases := []struct {
		name   string
		req    esapikey.UpdateAPIKeyRequest
		field  string
		reason string
	}{
		{"NaN", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"limits": map[string]any{"ratio": math.NaN()}}},
			"metadata.limits.ratio", "NaN is not a JSON number"},
		{"+Inf in a list", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"a": []any{1, math.Inf(1)}}},
			"metadata.a[1]", "+Inf is not a JSON number"},
		{"-Inf float32", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"f": float32(math.Inf(-1))}},
			"metadata.f", "-Inf is not a JSON number"},
		{"channel", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"c": make(chan int)}},
			"metadata.c", "a value of type chan int cannot be written as JSON"},
		{"func", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"x": map[string]any{"f": func() {}}}},
			"metadata.x.f", "a value of type func() cannot be written as JSON"},
		{"map keyed by any", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"m": map[any]any{"k": 1}}},
			"metadata.m", "a map with keys of type interface {} cannot be written as a JSON object"},
		{"complex", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"z": 1 + 2i}},
			"metadata.z", "a value of type complex128 cannot be written as JSON"},
		{"cycle", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"loop": cyclic}},
			("metadata.loop" + strings.Repeat(".self", 40))[:200] + "…", "nested more than 1000 levels deep, or cyclic"},
		{"a MarshalJSON that fails", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"m": failingMarshaler{}}},
			"metadata.m", "cannot be written as JSON: json: error calling MarshalJSON for type esapikey_test.failingMarshaler: no JSON today"},
		{"role metadata", esapikey.UpdateAPIKeyRequest{RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Cluster: []string{"monitor"}, Metadata: esapikey.Metadata{"n": math.NaN()}})},
			"role_descriptors[role-a].metadata.n", "NaN is not a JSON number"},
		{"query object", esapikey.UpdateAPIKeyRequest{RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Indices: []esapikey.IndicesPrivileges{{Names: []string{"i"}, Privileges: []string{"read"},
				Query: &esapikey.Query{Object: map[string]any{"term": map[string]any{"n": math.Inf(1)}}}}}})},
			"role_descriptors[role-a].indices[0].query.term.n", "+Inf is not a JSON number"},
		{"template params", esapikey.UpdateAPIKeyRequest{RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Indices: []esapikey.IndicesPrivileges{{Names: []string{"i"}, Privileges: []string{"read"},
				Query: &esapikey.Query{Template: &esapikey.RoleTemplate{Source: "{}", Params: map[string]any{"p": make(chan bool)}}}}}})},
			"role_descriptors[role-a].indices[0].query.template.params.p", "a value of type chan bool cannot be written as JSON"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assertRefusedBeforeSending(t, tc.req, tc.field, tc.reason) })
	}
}

// Every endpoint's body goes through the same check.
func TestBulkAndCrossCluster_metadataJSONCannotHold(t *testing.T) {
	client, mux := setup(t)
	rec := answer(mux, 200, `{"updated":true}`)
	_, err := client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{
		IDs: []string{"a"}, Metadata: esapikey.Metadata{"t": map[string]any{"when": time.Time{}, "bad": math.NaN()}}})
	assertInvalid(t, err, "metadata.t.bad")
	_, err = client.UpdateCrossClusterAPIKey(t.Context(), esapikey.UpdateCrossClusterAPIKeyRequest{
		ID: testID, Metadata: esapikey.Metadata{"c": make(chan int)}})
	assertInvalid(t, err, "metadata.c")
	assert.Empty(t, rec.calls())
}

// Values JSON can hold, including ones that write themselves, are sent as
// encoding/json writes them.
func TestUpdateAPIKey_metadataEncodedByEncodingJSON(t *testing.T) {
	client, mux := setup(t)
	rec := answer(mux, 200, `{"updated":true}`)
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	md := esapikey.Metadata{"when": when, "n": json.Number("12345678901234567890"), "ints": map[int]string{2: "b", 10: "a"},
		"html": "<a&b>", "bytes": []byte("hi"), "ptr": &when, "nil": nil}
	_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID, Metadata: md})
	require.NoError(t, err)
	assertJSONRequest(t, rec.only(t), "PUT", updatePath,
		`{"metadata":{"bytes":"aGk=","html":"\u003ca\u0026b\u003e","ints":{"10":"a","2":"b"},"n":12345678901234567890,"nil":null,"ptr":"2026-01-02T03:04:05Z","when":"2026-01-02T03:04:05Z"}}`)
}

type rawText string

func (r rawText) MarshalJSON() ([]byte, error) { return json.Marshal(string(r)) }

// encoding/json writes each invalid UTF-8 byte as U+FFFD, so two keys could
// become one and a value would change silently. Such text is refused before
// sending, naming where it is; text that holds U+FFFD itself, or the six
// characters \ufffd, is valid and sent.
func TestUpdateAPIKey_invalidUTF8Refused(t *testing.T) {
	cases := []struct {
		name   string
		req    esapikey.UpdateAPIKeyRequest
		field  string
		reason string
	}{
		{"metadata key", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"a\xffb": 1, "a\xfeb": 2}},
			"metadata", `key "a\xfeb" is not valid UTF-8: Elasticsearch would read U+FFFD in its place, and two keys could become one`},
		{"nested key", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"env": map[string]string{"t\xc3": "x"}}},
			"metadata.env", `key "t\xc3" is not valid UTF-8: Elasticsearch would read U+FFFD in its place, and two keys could become one`},
		{"metadata string", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"tags": []any{"ok", "caf\xe9"}}},
			"metadata.tags[1]", `"caf\xe9" is not valid UTF-8: Elasticsearch would read U+FFFD in its place`},
		{"typed string", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"s": struct{ Name string }{"\x80"}}},
			"metadata.s.Name", `"\x80" is not valid UTF-8: Elasticsearch would read U+FFFD in its place`},
		{"index name", esapikey.UpdateAPIKeyRequest{RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Indices: []esapikey.IndicesPrivileges{{Names: []string{"logs-\xff"}, Privileges: []string{"read"}}}})},
			"role_descriptors[role-a].indices[0].names[0]", `"logs-\xff" is not valid UTF-8: Elasticsearch would read U+FFFD in its place`},
		{"role name", esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{"r\xff": {}}},
			"role_descriptors", `key "r\xff" is not valid UTF-8: Elasticsearch would read U+FFFD in its place, and two keys could become one`},
		{"query text", esapikey.UpdateAPIKeyRequest{RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Indices: []esapikey.IndicesPrivileges{{Names: []string{"i"}, Privileges: []string{"read"}, Query: &esapikey.Query{Text: "{\"term\":{\"a\":\"\xff\"}}"}}}})},
			"role_descriptors[role-a].indices[0].query", `"{\"term\":{\"a\":\"\xff\"}}" is not valid UTF-8: Elasticsearch would read U+FFFD in its place`},
		{"a MarshalJSON that writes it", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"m": rawText("\xff")}},
			"metadata.m", "writes text that is not valid UTF-8: Elasticsearch would read U+FFFD in its place"},
		{"a long value is cut", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"l": strings.Repeat("x", 100) + "\xff"}},
			"metadata.l", `"` + strings.Repeat("x", 64) + `"… is not valid UTF-8: Elasticsearch would read U+FFFD in its place`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { assertRefusedBeforeSending(t, tc.req, tc.field, tc.reason) })
	}

	client, mux := setup(t)
	rec := answer(mux, 200, `{"updated":true}`)
	_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID,
		Metadata: esapikey.Metadata{"\ufffd": "\ufffd", "escaped": `\ufffd`, "k\\": `\\\ufffd`}})
	require.NoError(t, err)
	assertJSONRequest(t, rec.only(t), "PUT", updatePath, `{"metadata":{"escaped":"\\ufffd","k\\":"\\\\\\ufffd","`+"\ufffd"+`":"`+"\ufffd"+`"}}`)
}

// assertRefusedBeforeSending checks that an update of req is refused with a
// *ValidationError naming field for reason, and that nothing is sent.
func assertRefusedBeforeSending(t *testing.T, req esapikey.UpdateAPIKeyRequest, field, reason string) {
	t.Helper()
	client, mux := setup(t)
	rec := answer(mux, 200, `{"updated":true}`)
	req.ID = testID
	_, err := client.UpdateAPIKey(t.Context(), req)
	assertInvalid(t, err, field)
	var ve *esapikey.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, reason, ve.Reason)
	assert.Empty(t, rec.calls(), "nothing is sent")
}
