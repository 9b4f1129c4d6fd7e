package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// JSON cut short says where it ends, as any other syntax error says where
// it is.
func TestTruncatedJSONSaysWhere(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"update", "id", "--metadata", `{"a":1`}, `--metadata: invalid JSON at line 1, column 7: unexpected end of JSON input`},
		{[]string{"update", "id", "--merge-metadata", "{\n\"a\":"}, `--merge-metadata: invalid JSON at line 2, column 5: unexpected end of JSON input`},
		{[]string{"update", "id", "--role-descriptors", `{"r":{"cluster":[`}, `--role-descriptors: invalid JSON at line 1, column 18: unexpected end of JSON input`},
	} {
		es := newCluster(t)
		r := runCLI(t, "", tc.args...)
		assert.Equal(t, exitUsage, r.code)
		assert.Contains(t, r.stderr, tc.want)
		assert.Empty(t, es.rec.requests())
	}
}

// A configuration the client refuses is reported with the flag, or the
// variable, it came from: not with the library's Go field.
func TestConfigErrorsNameTheFlag(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"--fingerprint", "abc"}, "esapikey update: --fingerprint: must be a hex SHA-256 fingerprint"},
		{map[string]string{"ELASTICSEARCH_CERT_FINGERPRINT": "abc"}, nil, "esapikey update: ELASTICSEARCH_CERT_FINGERPRINT: must be a hex SHA-256 fingerprint"},
		{nil, []string{"--url", "ftp://es:9200"}, "esapikey update: --url: scheme must be http or https"},
		{map[string]string{"ELASTICSEARCH_URL": "http://es:9200,http://"}, nil, "esapikey update: ELASTICSEARCH_URL: address 2: no host"},
		{nil, []string{"--ca-cert", "NOTPEM"}, "esapikey update: --ca-cert: no PEM certificate found"},
	} {
		r := runWithConfig(t, tc.env, tc.args)
		assert.Equal(t, exitUsage, r.code)
		assert.Contains(t, r.stderr, tc.want)
		for _, field := range []string{"CertificateFingerprint", "Addresses", "CACert", "config:"} {
			assert.NotContains(t, r.stderr, field)
		}
	}
}

// A merge patch that only deletes a reserved key asks for nothing
// Elasticsearch refuses: the merged metadata has no such key.
func TestMergePatchDeletingAReservedKey(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, `{"name":"k","metadata":{"team":"a","old":1}}`)

	r := runCLI(t, "", "update", "--merge-metadata", `{"_x":null,"old":null,"team":"b"}`, "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, map[string]any{"team": "b"}, es.stored(t, id).Metadata)

	r = runCLI(t, "", "update", "--merge-metadata", `{"_x":1}`, "--", id)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `invalid request: metadata: key "_x"`)
}
