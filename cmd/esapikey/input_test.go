package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

// What Elasticsearch accepts in other spellings is kept; what the client
// would drop or change is refused.
func TestDecodeExact(t *testing.T) {
	for _, tc := range []struct {
		name, json, err string
	}{
		{"plain", `{"r":{"cluster":["monitor"],"indices":[{"names":["a"],"privileges":["read"],"allow_restricted_indices":true}]}}`, ""},
		{"index alias", `{"r":{"index":[{"names":["a"],"privileges":["read"]}]}}`, ""},
		{"one name as a string", `{"r":{"indices":[{"names":"a","privileges":["read"]}]}}`, ""},
		{"false and empty values", `{"r":{"cluster":[],"run_as":[],"indices":[{"names":["a"],"privileges":["read"],"allow_restricted_indices":false}]}}`, ""},
		{"query as text", `{"r":{"indices":[{"names":["a"],"privileges":["read"],"query":"{\"term\":{\"n\":1}}"}]}}`, ""},
		{"query as object", `{"r":{"indices":[{"names":["a"],"privileges":["read"],"query":{"term":{"n":1.5}}}]}}`, ""},
		{"restriction", `{"r":{"restriction":{"workflows":["search_application_query"]}}}`, ""},
		{"misspelt restriction", `{"r":{"cluster":["all"],"restrictions":{"workflows":["x"]}}}`, "r.restrictions: unknown field"},
		{"misspelt grant", `{"r":{"indices":[{"names":["a"],"privileges":["read"],"field_security":{"grnat":["x"]}}]}}`,
			"r.indices[0].field_security.grnat: unknown field"},
		{"number a float cannot hold", `{"r":{"indices":[{"names":["a"],"privileges":["read"],"query":{"term":{"id":9007199254740993}}}],"metadata":{"n":9007199254740993}}}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rds map[string]esapikey.RoleDescriptor
			err := decodeExact("update", "role-descriptors", []byte(tc.json), &rds)
			if tc.err == "" {
				require.NoError(t, err)
				assert.NotEmpty(t, rds)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
			}
		})
	}
}

func TestJSONErrorPosition(t *testing.T) {
	var v map[string]any
	err := decodeExact("update", "access", []byte("{\n  \"a\": [1,,2]\n}"), &v)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "invalid JSON at line 2, column 11")
}
