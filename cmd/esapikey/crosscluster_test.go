package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const createCrossCluster = `{"name":"cc","access":{"search":[{"names":["logs-*"]}]},"metadata":{"a":1}}`

// crossClusterOwner gives alice manage_security, which cross-cluster keys need.
func crossClusterOwner(t *testing.T, es *cluster) string {
	t.Helper()
	require.NoError(t, es.PutRole("owner", `{"cluster":["manage_security"],"indices":[{"names":["*"],"privileges":["all"]}]}`))
	k, err := es.CreateCrossClusterAPIKey("alice", createCrossCluster)
	require.NoError(t, err)
	return k.ID
}

func TestUpdateCrossCluster(t *testing.T) {
	es := newCluster(t)
	id := crossClusterOwner(t, es)
	access := `{"search":[{"names":["logs-*","metrics-*"]}],"replication":[{"names":["archive-*"]}]}`

	r := runCLI(t, "", "update-cross-cluster", "--access", access, "--metadata", `{"b":2}`,
		"--certificate-identity", "CN=remote,OU=.*", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assertJSON(t, `{"updated":true}`, r.stdout)
	reqs := es.rec.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "PUT", reqs[0].Method)
	assert.Equal(t, "/_security/cross_cluster/api_key/"+id, reqs[0].URI)
	assert.JSONEq(t, `{"access":`+access+`,"metadata":{"b":2},"certificate_identity":"CN=remote,OU=.*"}`, reqs[0].Body)
	k := es.stored(t, id)
	assert.Equal(t, map[string]any{"b": json.Number("2")}, k.Metadata)
	assert.Equal(t, "CN=remote,OU=.*", k.CertificateIdentity)

	t.Run("access from a file, clear the identity and the metadata", func(t *testing.T) {
		file := writeFile(t, "access.json", access)
		r := runCLI(t, "", "update-cross-cluster", "--access", file, "--clear-certificate-identity",
			"--clear-metadata", "--expiration", "90d", "--", id)

		require.Equal(t, exitOK, r.code, r.stderr)
		assertJSON(t, `{"updated":true}`, r.stdout)
		reqs := es.rec.requests()
		assert.JSONEq(t, `{"access":`+access+`,"metadata":{},"expiration":"90d","certificate_identity":null}`,
			reqs[len(reqs)-1].Body)
		k := es.stored(t, id)
		assert.Empty(t, k.CertificateIdentity)
		assert.Empty(t, k.Metadata)
		assert.False(t, k.Expiration.IsZero())
	})
	t.Run("access from stdin", func(t *testing.T) {
		r := runCLI(t, access, "update-cross-cluster", "--access", "-", "--", id)
		require.Equal(t, exitOK, r.code, r.stderr)
		assertJSON(t, `{"updated":false}`, r.stdout)
	})
}

func TestUpdateCrossClusterWrongKeyType(t *testing.T) {
	es := newCluster(t)
	ccID := crossClusterOwner(t, es)
	restID := es.key(t, createWithRole)

	r := runCLI(t, "", "update-cross-cluster", "--access", `{"search":[{"names":["*"]}]}`, "--", restID)
	assert.Equal(t, exitKeyState, r.code)
	assert.Contains(t, r.stderr, "cannot update API key of type [rest] while expected type is [cross_cluster]")
	assert.Contains(t, r.stderr, "hint: use 'esapikey update-cross-cluster'")

	r = runCLI(t, "", "update", "--clear-metadata", "--", ccID)
	assert.Equal(t, exitKeyState, r.code)
	assert.Contains(t, r.stderr, "cannot update API key of type [cross_cluster] while expected type is [rest]")
	assert.Empty(t, r.stdout)
}
