package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDuplicateField(t *testing.T) {
	for doc, want := range map[string]string{
		`{"a":1,"a":2}`:                         "Duplicate field 'a' (line 1, column 10)",
		"{\n \"a\": {\"b\": 1,\n  \"b\": 2}}":   "Duplicate field 'b' (line 3, column 5)",
		`{"l":[{"x":1},{"x":2,"y":{"x":3}}]}`:   "",
		`{"a":{"x":1},"b":{"x":2}}`:             "",
		`{"a":["a","a"],"b":"a","c":{"a":"a"}}`: "",
		`{"a":[{"k":1,"k":2}]}`:                 "Duplicate field 'k' (line 1, column 16)",
		`{"a":{},"b":[],"a":null}`:              "Duplicate field 'a' (line 1, column 18)",
		`{"a":1,`:                               "",
	} {
		assert.Equal(t, want, duplicateField([]byte(doc)), doc)
	}
}

// Elasticsearch refuses a key given twice (Jackson's strict duplicate
// detection); encoding/json keeps the last one, so {"a":1,"a":2} was sent
// as {"a":2}.
func TestDuplicateKeysRefused(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"update", "id", "--metadata", `{"a":1,"a":2}`}, "--metadata: Duplicate field 'a' (line 1, column 10): Elasticsearch refuses a key given twice"},
		{[]string{"update", "id", "--merge-metadata", `{"a":{"b":1,"b":null}}`}, "--merge-metadata: Duplicate field 'b'"},
		{[]string{"update", "id", "--role-descriptors", `{"r":{"cluster":["all"],"cluster":["monitor"]}}`}, "--role-descriptors: Duplicate field 'cluster'"},
		{[]string{"bulk-update", "id", "--metadata", `{"a":1,"a":1}`}, "--metadata: Duplicate field 'a'"},
		{[]string{"update-cross-cluster", "id", "--access", `{"search":[{"names":["a"]}],"search":[]}`}, "--access: Duplicate field 'search'"},
	} {
		es := newCluster(t)
		r := runCLI(t, "", tc.args...)
		assert.Equal(t, exitUsage, r.code, tc.args)
		assert.Contains(t, r.stderr, tc.want)
		assert.Empty(t, es.rec.requests())
	}
}

func TestRepeatedFlagRefused(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"update", "id", "--metadata", `{"a":1}`, "--metadata", `{"b":1}`}, "esapikey update: flag --metadata given more than once"},
		{[]string{"update", "id", "--expiration", "1d", "--expiration", "2d"}, "flag --expiration given more than once"},
		{[]string{"update", "id", "--role-descriptors", "{}", "--role-descriptors", "{}"}, "flag --role-descriptors given more than once"},
		{[]string{"update-cross-cluster", "id", "--access", "{}", "--access", "{}"}, "flag --access given more than once"},
		{[]string{"update", "id", "--clear-metadata", "--password", secret, "--password", secret}, "esapikey update: flag --password given more than once"},
		// Every flag that takes one value, and every switch: the last one
		// does not silently win.
		{[]string{"update", "id", "--url", "http://alice:" + secret + "@127.0.0.1:1", "--url=http://127.0.0.1:2"}, "flag --url given more than once"},
		{[]string{"update", "id", "--run-as", "bob", "--run-as", "carol"}, "flag --run-as given more than once"},
		{[]string{"update", "id", "--username", "alice", "--username", "bob"}, "flag --username given more than once"},
		{[]string{"update", "id", "--timeout", "1s", "--timeout", "2s"}, "flag --timeout given more than once"},
		{[]string{"bulk-update", "a", "--chunk-size", "1", "--chunk-size", "2"}, "flag --chunk-size given more than once"},
		{[]string{"update", "id", "--opaque-id", "a", "--opaque-id", "b"}, "flag --opaque-id given more than once"},
		{[]string{"update", "id", "--ca-cert", "a.pem", "--ca-cert", "b.pem"}, "flag --ca-cert given more than once"},
		{[]string{"update", "id", "--fingerprint", "ab", "--fingerprint", "cd"}, "flag --fingerprint given more than once"},
		{[]string{"update", "id", "--password-file", "a", "--password-file", "b"}, "flag --password-file given more than once"},
		{[]string{"update", "id", "--token-file", "a", "--token-file", "b"}, "flag --token-file given more than once"},
		{[]string{"update", "id", "--token", secret, "--token", secret}, "flag --token given more than once"},
		{[]string{"update-cross-cluster", "id", "--certificate-identity", "CN=a", "--certificate-identity", "CN=b"}, "flag --certificate-identity given more than once"},
		{[]string{"update", "id", "--merge-metadata", "{}", "--merge-metadata", "{}"}, "flag --merge-metadata given more than once"},
		{[]string{"update", "id", "--dry-run", "--dry-run"}, "flag --dry-run given more than once"},
		{[]string{"update", "id", "--clear-metadata", "--yes", "--yes=false"}, "flag --yes given more than once"},
	} {
		es := newCluster(t)
		r := runCLI(t, "", tc.args...) // runCLI fails the test if the password is printed
		assert.Equal(t, exitUsage, r.code, tc.args)
		assert.Contains(t, r.stderr, tc.want)
		assert.Empty(t, es.rec.requests())
	}
}

// A dry run masks credentials where they are, and prints the body exactly,
// even the word that happens to be the password.
func TestDryRunMasksCredentialsNotTheBody(t *testing.T) {
	clearEnv(t)
	t.Setenv("ELASTICSEARCH_USERNAME", "alice")
	t.Setenv("ELASTICSEARCH_PASSWORD", "production")
	var stdout, stderr bytes.Buffer

	code := run([]string{"update", "k", "--metadata", `{"environment":"production"}`, "--dry-run", "--url", "http://127.0.0.1:1"},
		strings.NewReader(""), &stdout, &stderr)

	require.Equal(t, exitOK, code, stderr.String())
	assert.Contains(t, stdout.String(), "\n"+`{"metadata":{"environment":"production"}}`+"\n")
	assert.Contains(t, stdout.String(), "Authorization: Basic ****\n")
	assert.NotContains(t, stdout.String(), "YWxpY2U6cHJvZHVjdGlvbg==", "alice:production in base64")
}

func TestMaskURL(t *testing.T) {
	for raw, want := range map[string]string{
		"http://alice:pw@es:9200/x": "http://alice:****@es:9200/x",
		"http://alice@es:9200/x":    "http://alice@es:9200/x",
		"http://es:9200/x?id=a":     "http://es:9200/x?id=a",
	} {
		u := mustURL(t, raw)
		assert.Equal(t, want, maskURL(u))
		assert.Equal(t, raw, u.String(), "the request's URL is not changed")
	}
}
