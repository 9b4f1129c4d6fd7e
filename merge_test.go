package esapikey_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

func decodeMetadata(t *testing.T, s string) esapikey.Metadata {
	t.Helper()
	var md esapikey.Metadata
	require.NoError(t, json.Unmarshal([]byte(s), &md), s)
	return md
}

func TestMergeMetadata_RFC7386(t *testing.T) {
	// The examples of RFC 7386 appendix A whose target and patch are objects.
	cases := []struct{ target, patch, want string }{
		{`{"a":"b"}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"b"}`, `{"b":"c"}`, `{"a":"b","b":"c"}`},
		{`{"a":"b"}`, `{"a":null}`, `{}`},
		{`{"a":"b","b":"c"}`, `{"a":null}`, `{"b":"c"}`},
		{`{"a":["b"]}`, `{"a":"c"}`, `{"a":"c"}`},
		{`{"a":"c"}`, `{"a":["b"]}`, `{"a":["b"]}`},
		{`{"a":{"b":"c"}}`, `{"a":{"b":"d","c":null}}`, `{"a":{"b":"d"}}`},
		{`{"a":[{"b":"c"}]}`, `{"a":[1]}`, `{"a":[1]}`},
		{`{"e":null}`, `{"a":1}`, `{"e":null,"a":1}`},
		{`{}`, `{"a":{"bb":{"ccc":null}}}`, `{"a":{"bb":{}}}`},
		{`{"a":"x"}`, `{"a":{"b":null,"c":1}}`, `{"a":{"c":1}}`},
		{`{"a":{"b":1}}`, `{}`, `{"a":{"b":1}}`},
	}
	for _, c := range cases {
		got := esapikey.MergeMetadata(decodeMetadata(t, c.target), decodeMetadata(t, c.patch))
		b, err := json.Marshal(got)
		require.NoError(t, err)
		assert.JSONEq(t, c.want, string(b), "%s + %s", c.target, c.patch)
	}
}

func TestMergeMetadata_neverNil(t *testing.T) {
	for _, got := range []esapikey.Metadata{
		esapikey.MergeMetadata(nil, nil),
		esapikey.MergeMetadata(esapikey.Metadata{"a": 1}, esapikey.Metadata{"a": nil}),
	} {
		require.NotNil(t, got)
		assert.Empty(t, got)
		b, _ := json.Marshal(esapikey.UpdateAPIKeyRequest{Metadata: got})
		assert.JSONEq(t, `{"metadata":{}}`, string(b), "an empty result clears the metadata")
	}
}

// The inputs stay as they were, and changing the result changes neither.
func TestMergeMetadata_sharesNothing(t *testing.T) {
	tags := []string{"dev"}
	current := esapikey.Metadata{
		"env":   map[string]any{"level": json.Number("1"), "tags": []any{"dev"}},
		"team":  "a",
		"owner": map[string]string{"name": "x"},
		"kept":  map[string]any{"deep": map[string]any{"v": 1}},
	}
	patch := esapikey.Metadata{"env": map[string]any{"level": 2, "new": map[string]any{"k": "v"}}, "team": nil, "tags": tags}
	currentJSON, _ := json.Marshal(current)
	patchJSON, _ := json.Marshal(patch)

	got := esapikey.MergeMetadata(current, patch)

	assert.Equal(t, esapikey.Metadata{
		"env":   map[string]any{"level": 2, "tags": []any{"dev"}, "new": map[string]any{"k": "v"}},
		"owner": map[string]any{"name": "x"},
		"kept":  map[string]any{"deep": map[string]any{"v": 1}},
		"tags":  []any{"dev"},
	}, got)
	after, _ := json.Marshal(current)
	assert.JSONEq(t, string(currentJSON), string(after), "current unchanged")
	after, _ = json.Marshal(patch)
	assert.JSONEq(t, string(patchJSON), string(after), "patch unchanged")

	got["env"].(map[string]any)["tags"].([]any)[0] = "changed"
	got["env"].(map[string]any)["new"].(map[string]any)["k"] = "changed"
	got["kept"].(map[string]any)["deep"].(map[string]any)["v"] = "changed"
	got["tags"].([]any)[0] = "changed"
	assert.Equal(t, "dev", current["env"].(map[string]any)["tags"].([]any)[0])
	assert.Equal(t, "v", patch["env"].(map[string]any)["new"].(map[string]any)["k"])
	assert.Equal(t, 1, current["kept"].(map[string]any)["deep"].(map[string]any)["v"])
	assert.Equal(t, "dev", tags[0])
}

func TestMergeMetadata_unencodableValueKept(t *testing.T) {
	got := esapikey.MergeMetadata(esapikey.Metadata{"a": 1}, esapikey.Metadata{"b": math.Inf(1)})
	assert.Equal(t, esapikey.Metadata{"a": 1, "b": math.Inf(1)}, got)
}

func TestMergeMetadata_planOfTheMergeRemovesOnlyWhatThePatchDeletes(t *testing.T) {
	current := &esapikey.APIKey{Metadata: decodeMetadata(t, `{"team":"a","owner":"x","env":{"level":1}}`)}
	merged := esapikey.MergeMetadata(current.Metadata, esapikey.Metadata{"team": "b", "owner": nil})

	p := esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{Metadata: merged})

	assert.Equal(t, []string{"owner"}, p.RemovedMetadataKeys())
	require.Len(t, p.Metadata, 2, "%s", p)
	assert.Equal(t, "team", p.Metadata[1].Key)
}

// A typed nil encodes to JSON null, so in a patch it deletes, as the null
// of the patch's own JSON does (RFC 7386); it never becomes {} or [].
func TestMergeMetadata_typedNilDeletesAsItsJSONDoes(t *testing.T) {
	current := func() esapikey.Metadata {
		return decodeMetadata(t, `{"m":{"x":1},"s":[1],"md":{"y":2},"p":"v","keep":true,"o":{"k":"v","j":1}}`)
	}
	patches := []esapikey.Metadata{
		{"m": map[string]any(nil)},
		{"s": []any(nil)},
		{"md": esapikey.Metadata(nil)},
		{"p": (*string)(nil)},
		{"s": []string(nil)},
		{"m": map[string]string(nil)},
		{"o": map[string]any{"k": []string(nil)}},
		{"o": map[string]any{"k": map[string]any(nil), "j": esapikey.Metadata(nil)}},
		{"new": map[string]any{"k": []any(nil)}},
		{"o": esapikey.Metadata{"k": []any(nil)}},
	}
	for _, patch := range patches {
		patchJSON, err := json.Marshal(patch)
		require.NoError(t, err)
		want, err := json.Marshal(esapikey.MergeMetadata(current(), decodeMetadata(t, string(patchJSON))))
		require.NoError(t, err)

		got, err := json.Marshal(esapikey.MergeMetadata(current(), patch))
		require.NoError(t, err)
		assert.JSONEq(t, string(want), string(got), "patch %s", patchJSON)
	}
}
