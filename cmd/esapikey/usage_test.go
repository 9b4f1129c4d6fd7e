package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsageErrorsSendNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stdin  string
		args   []string
		stderr string
	}{
		{"no command", "", nil, "Commands:"},
		{"unknown command", "", []string{"delete"}, `esapikey: unknown command "delete"`},
		{"unknown flag", "", []string{"update", "id", "--colour"}, "esapikey update: unknown flag --colour"},
		{"bad flag value", "", []string{"update", "id", "--timeout", "soon"}, `invalid value "soon" for flag --timeout`},
		{"no id", "", []string{"update", "--clear-metadata"}, "want exactly one API key id, got 0"},
		{"two ids", "", []string{"update", "a", "b"}, "want exactly one API key id, got 2"},
		{"empty id", "", []string{"update", ""}, "invalid request: id: required"},
		{"roles and remove", "", []string{"update", "id", "--role-descriptors", "{}", "--remove-privileges"}, "not both"},
		{"metadata and clear", "", []string{"update", "id", "--metadata", "{}", "--clear-metadata"}, "not both"},
		{"empty roles", "", []string{"update", "id", "--role-descriptors", "{}"}, "use --remove-privileges"},
		{"misspelt role field", "", []string{"update", "id", "--role-descriptors", `{"r":{"indices":[{"names":["*"],"privileges":["read"],"field_securty":{"grant":["a"]}}]}}`},
			"--role-descriptors: r.indices[0].field_securty: unknown field"},
		{"unknown role field", "", []string{"update", "id", "--role-descriptors", `{"r":{"cluster":["all"],"descripton":"d"}}`}, "r.descripton: unknown field"},
		{"roles not JSON", "", []string{"update", "id", "--role-descriptors", "-"}, "--role-descriptors: want a JSON object"},
		{"roles file missing", "", []string{"update", "id", "--role-descriptors", "no-such-file.json"}, "no-such-file.json: no such file"},
		{"roles syntax error", "{\n \"r\": {,}\n}", []string{"update", "id", "--role-descriptors", "-"}, "invalid JSON at line 2, column 8"},
		{"metadata not JSON", "", []string{"update", "id", "--metadata", "env=prod"}, "want a JSON object, @FILE, or - for stdin"},
		{"metadata an array", "", []string{"update", "id", "--metadata", "[1]"}, "--metadata: want a JSON object"},
		{"metadata two values", "", []string{"update", "id", "--metadata", "{} {}"}, "more than one JSON value"},
		{"reserved metadata key", "", []string{"update", "id", "--metadata", `{"_x":1}`}, `invalid request: metadata: key "_x"`},
		{"empty expiration", "", []string{"update", "id", "--expiration="}, "--expiration is empty"},
		{"months", "", []string{"update", "id", "--expiration", "1M"}, `"M" (months) is not supported`},
		{"stdin twice", "x", []string{"bulk-update", "--role-descriptors", "-"}, "--role-descriptors: stdin is already used by the ids"},
		{"chunk size", "", []string{"bulk-update", "a", "--chunk-size", "0"}, "--chunk-size must be at least 1"},
		{"no bulk ids", "\n \n", []string{"bulk-update"}, "no ids"},
		{"dash among ids", "", []string{"bulk-update", "a", "-"}, `argument 2: "-" is not an id`},
		{"nothing to update", "", []string{"update-cross-cluster", "id"}, "nothing to update: give --access, --metadata"},
		{"expiration alone", "", []string{"update-cross-cluster", "id", "--expiration", "1d"}, "--expiration alone is refused by Elasticsearch"},
		{"both identities", "", []string{"update-cross-cluster", "id", "--access", `{"search":[{"names":["*"]}]}`, "--certificate-identity", "CN=x", "--clear-certificate-identity"}, "not both"},
		{"empty identity", "", []string{"update-cross-cluster", "id", "--access", `{"search":[{"names":["*"]}]}`, "--certificate-identity="}, "use --clear-certificate-identity"},
		{"empty access", "", []string{"update-cross-cluster", "id", "--access", `{}`}, "invalid request: access: needs at least one search or replication entry"},
		{"unknown access field", "", []string{"update-cross-cluster", "id", "--access", `{"search":[{"names":["*"]}],"monitor":[{"names":["*"]}]}`}, "--access: monitor: unknown field"},
		{"help for no command", "", []string{"help", "nope"}, `unknown command "nope"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := newCluster(t)

			r := runCLI(t, tc.stdin, tc.args...)

			assert.Equal(t, exitUsage, r.code)
			assert.Contains(t, r.stderr, tc.stderr)
			assert.Empty(t, r.stdout)
			assert.Empty(t, es.rec.requests())
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		r := runCLI(t, "", args...)
		require.Equal(t, exitOK, r.code)
		for _, c := range commands() {
			assert.Contains(t, r.stdout, "  "+c.name)
		}
		assert.Contains(t, r.stdout, "Exit codes:")
		assert.Contains(t, r.stdout, "ELASTICSEARCH_PASSWORD")
		assert.Empty(t, r.stderr)
	}
	flags := map[string][]string{
		"update":               {"--role-descriptors FILE", "--remove-privileges", "--metadata JSON", "--clear-metadata"},
		"bulk-update":          {"--role-descriptors FILE", "--remove-privileges", "--metadata JSON", "--clear-metadata", "--chunk-size N"},
		"update-cross-cluster": {"--access FILE", "--metadata JSON", "--clear-metadata", "--certificate-identity DN", "--clear-certificate-identity"},
	}
	for _, c := range commands() {
		require.Contains(t, flags, c.name)
		for _, args := range [][]string{{"help", c.name}, {c.name, "-h"}, {c.name, "some-id", "--help"}} {
			r := runCLI(t, "", args...)
			require.Equal(t, exitOK, r.code, args)
			assert.Contains(t, r.stdout, "esapikey "+c.name, args)
			assert.Contains(t, r.stdout, "Examples:\n", args)
			assert.Contains(t, r.stdout, "  --dry-run\n", args)
			assert.Contains(t, r.stdout, "  --expiration DURATION\n", args)
			for _, f := range append(flags[c.name], "--url URL", "--password-file FILE", "--token-file FILE", "--run-as USER",
				"--opaque-id ID", "--timeout DURATION", "--ca-cert FILE", "--fingerprint HEX") {
				assert.Contains(t, r.stdout, "  "+f+"\n", args)
			}
			assert.Empty(t, r.stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, "", "version")
	assert.Equal(t, exitOK, r.code)
	assert.Regexp(t, `^esapikey \d+\.\d+\.\d+ `, r.stdout)
}
