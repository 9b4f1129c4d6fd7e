package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const createWithRole = `{"name":"k","role_descriptors":{"role-a":{"cluster":["all"],"indices":[{"names":["index-a*"],"privileges":["read"]}]}},` +
	`"metadata":{"application":"my-application"}}`

const rolesJSON = `{"role-b":{"indices":[{"names":["logs-*"],"privileges":["write"],"field_security":{"grant":["msg"]}}]}}`

func TestUpdateRoleDescriptorsFromFile(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, createWithRole)

	r := runCLI(t, "", "update", "--role-descriptors", writeFile(t, "roles.json", rolesJSON), "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assertJSON(t, `{"updated":true}`, r.stdout)
	assert.Empty(t, r.stderr)
	k := es.stored(t, id)
	require.Contains(t, k.RoleDescriptors, "role-b")
	assert.NotContains(t, k.RoleDescriptors, "role-a")
	assert.Contains(t, string(k.RoleDescriptors["role-b"]), `"grant":["msg"]`)
	assert.Equal(t, map[string]any{"application": "my-application"}, k.Metadata, "metadata was not named, so it stays")
}

func TestUpdateRoleDescriptorsFromStdin(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, createWithRole)

	r := runCLI(t, rolesJSON, "update", "--role-descriptors", "-", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assertJSON(t, `{"updated":true}`, r.stdout)
	assert.Contains(t, es.stored(t, id).RoleDescriptors, "role-b")
}

func TestUpdateRemovePrivilegesSendsEmptyRoleDescriptors(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, createWithRole)

	r := runCLI(t, "", "update", "--remove-privileges", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assertJSON(t, `{"updated":true}`, r.stdout)
	reqs := es.rec.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "PUT", reqs[0].Method)
	assert.Equal(t, "/_security/api_key/"+id, reqs[0].URI)
	assert.JSONEq(t, `{"role_descriptors":{}}`, reqs[0].Body)
	assert.Empty(t, es.stored(t, id).RoleDescriptors, "the key inherits its owner's permissions")
}

func TestUpdateClearMetadataSendsEmptyMetadata(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, createWithRole)

	r := runCLI(t, "", "update", "--clear-metadata", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assertJSON(t, `{"updated":true}`, r.stdout)
	reqs := es.rec.requests()
	require.Len(t, reqs, 1)
	assert.JSONEq(t, `{"metadata":{}}`, reqs[0].Body)
	k := es.stored(t, id)
	assert.NotNil(t, k.Metadata)
	assert.Empty(t, k.Metadata)
	assert.Contains(t, k.RoleDescriptors, "role-a", "roles were not named, so they stay")
}

func TestUpdateMetadata(t *testing.T) {
	// Keys in order, so that the body sent is byte for byte the same.
	const md = `{"big":12345678901234567890,"environment":{"level":2,"tags":["production"],"trusted":true}}`
	for _, tc := range []struct {
		name, stdin string
		arg         func(t *testing.T) string
	}{
		{"inline", "", func(*testing.T) string { return md }},
		{"@file", "", func(t *testing.T) string { return "@" + writeFile(t, "md.json", md+"\n") }},
		{"stdin", md, func(*testing.T) string { return "-" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := newCluster(t)
			id := es.key(t, createWithRole)

			r := runCLI(t, tc.stdin, "update", "--metadata", tc.arg(t), "--", id)

			require.Equal(t, exitOK, r.code, r.stderr)
			assertJSON(t, `{"updated":true}`, r.stdout)
			reqs := es.rec.requests()
			require.Len(t, reqs, 1)
			assert.Equal(t, `{"metadata":`+md+`}`, reqs[0].Body, "numbers are sent as written")
			want := map[string]any{}
			dec := json.NewDecoder(strings.NewReader(md))
			dec.UseNumber() // the stored metadata keeps numbers as Elasticsearch renders them
			require.NoError(t, dec.Decode(&want))
			assert.Equal(t, want, es.stored(t, id).Metadata)
		})
	}
}

func TestUpdateExpiration(t *testing.T) {
	es := newCluster(t)
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	es.SetNow(now)
	id := es.key(t, `{"name":"k"}`)

	r := runCLI(t, "", "update", "--expiration", "30d", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assertJSON(t, `{"updated":true}`, r.stdout)
	assert.Equal(t, now.Add(30*24*time.Hour), es.stored(t, id).Expiration.UTC())
}

func TestUpdateWithoutFlagsSendsNoBody(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, createWithRole)

	r := runCLI(t, "", "update", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assertJSON(t, `{"updated":false}`, r.stdout)
	reqs := es.rec.requests()
	require.Len(t, reqs, 1)
	assert.Empty(t, reqs[0].Body)
}

func TestUpdateEverythingAtOnceWithFlagsAfterTheID(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, createWithRole)
	for strings.HasPrefix(id, "-") { // such an id goes after "--"
		id = es.key(t, createWithRole)
	}

	r := runCLI(t, "", "update", id, "--remove-privileges", "--metadata", `{"a":1}`, "--expiration", "12h",
		"--opaque-id", "trace-42")

	require.Equal(t, exitOK, r.code, r.stderr)
	reqs := es.rec.requests()
	require.Len(t, reqs, 1)
	assert.JSONEq(t, `{"role_descriptors":{},"metadata":{"a":1},"expiration":"12h"}`, reqs[0].Body)
	assert.Equal(t, "trace-42", reqs[0].Header.Get("X-Opaque-Id"))
}

func TestUpdateRunAs(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, createWithRole)
	t.Setenv("ELASTICSEARCH_USERNAME", "elastic") // the superuser may run as alice

	r := runCLI(t, "", "update", "--run-as", "alice", "--clear-metadata", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assertJSON(t, `{"updated":true}`, r.stdout)
	assert.Equal(t, "alice", es.rec.requests()[0].Header.Get("Es-Security-Runas-User"))
	assert.Empty(t, es.stored(t, id).Metadata)

	// Without it, the superuser's own keys are searched, and alice's is not one of them.
	r = runCLI(t, "", "update", "--clear-metadata", "--", id)
	assert.Equal(t, exitNotFound, r.code, r.stderr)
}

func TestUpdateIDThatStartsWithADash(t *testing.T) {
	rec := fake(t, answer(200, `{"updated":true}`))

	r := runCLI(t, "", "update", "-dash", "--clear-metadata")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, `unknown flag --dash; if it is an API key id, put it after "--": esapikey update [flags] -- -dash`)

	r = runCLI(t, "", "update", "--clear-metadata", "--", "-dash/slash")

	require.Equal(t, exitOK, r.code, r.stderr)
	reqs := rec.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/_security/api_key/-dash%2Fslash", reqs[0].URI)
}
