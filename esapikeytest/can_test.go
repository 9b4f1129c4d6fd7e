package esapikeytest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

func TestAPIKeyCan(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.PutRole("owner", `{"cluster":["manage_own_api_key","monitor"],"indices":[{"names":["logs-*"],"privileges":["read","write"]}],
		"applications":[{"application":"myapp","privileges":["read"],"resources":["doc/*"]}]}`))
	require.NoError(t, srv.AddUser("alice", "alice-password", "owner"))
	plain, err := srv.CreateAPIKey("alice", `{"name":"plain"}`)
	require.NoError(t, err)
	scoped, err := srv.CreateAPIKey("alice", `{"name":"scoped","role_descriptors":{"r":{"cluster":["all"],"indices":[{"names":["*"],"privileges":["read"]}]}}}`)
	require.NoError(t, err)

	for _, c := range []struct {
		id, privilege string
		on            esapikeytest.Resource
		want          bool
	}{
		{plain.ID, "write", esapikeytest.Index("logs-1"), true},
		{plain.ID, "monitor", esapikeytest.Cluster(), true},
		{plain.ID, "cluster:monitor/health", esapikeytest.Cluster(), true},
		{plain.ID, "read", esapikeytest.Index("metrics-1"), false},
		{scoped.ID, "read", esapikeytest.Index("logs-1"), true},
		{scoped.ID, "write", esapikeytest.Index("logs-1"), false},                      // the key's descriptor
		{scoped.ID, "read", esapikeytest.Index("metrics-1"), false},                    // the owner's snapshot
		{scoped.ID, "manage_api_key", esapikeytest.Cluster(), false},                   // all, limited by manage_own_api_key
		{scoped.ID, "manage_own_api_key", esapikeytest.Cluster(), true},                // all covers it, and so does the owner
		{plain.ID, "read", esapikeytest.Application("myapp", "doc/1"), true},           // the very privilege held
		{plain.ID, "data:read/doc", esapikeytest.Application("myapp", "doc/1"), false}, // nothing stored: read has no actions yet
	} {
		got, err := srv.APIKeyCan(c.id, c.privilege, c.on)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%s %s on %s", c.id, c.privilege, c.on)
	}

	// Once myapp's read privilege is stored, the role's "read" means its actions.
	req, _ := http.NewRequest("PUT", srv.URL+"/_security/privilege", strings.NewReader(`{"myapp":{"read":{"actions":["data:read/*"]}}}`))
	req.SetBasicAuth("elastic", "changeme")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	for priv, want := range map[string]bool{"read": true, "data:read/doc": true, "data:write/doc": false} {
		got, err := srv.APIKeyCan(plain.ID, priv, esapikeytest.Application("myapp", "doc/1"))
		require.NoError(t, err)
		assert.Equal(t, want, got, priv)
	}
	got, err := srv.APIKeyCan(plain.ID, "read", esapikeytest.Application("myapp", "*"))
	require.NoError(t, err)
	assert.False(t, got, "the role covers doc/* only")

	got, err = srv.UserCan("alice", "write", esapikeytest.Index("logs-1"))
	require.NoError(t, err)
	assert.True(t, got)
	got, err = srv.UserCan("elastic", "write", esapikeytest.Index("anything"))
	require.NoError(t, err)
	assert.True(t, got, "superuser")
	got, err = srv.UserCan("elastic", "write", esapikeytest.Index(".security-7"))
	require.NoError(t, err)
	assert.False(t, got, "the superuser only reads restricted indices")

	_, err = srv.APIKeyCan(plain.ID, "fly", esapikeytest.Cluster())
	assert.ErrorContains(t, err, "unknown cluster privilege [fly]")
	_, err = srv.APIKeyCan("nope", "read", esapikeytest.Cluster())
	assert.EqualError(t, err, "esapikeytest: no API key [nope]")
	_, err = srv.UserCan("nobody", "read", esapikeytest.Cluster())
	assert.EqualError(t, err, "esapikeytest: no user [nobody]")
	_, err = srv.APIKeyCan(plain.ID, "read", esapikeytest.Resource{})
	assert.Error(t, err)
	_, err = srv.APIKeyCan(plain.ID, "read", esapikeytest.Index("/logs"))
	assert.ErrorContains(t, err, "invalid pattern [/logs]")

	require.NoError(t, srv.InvalidateAPIKey(plain.ID))
	got, err = srv.APIKeyCan(plain.ID, "monitor", esapikeytest.Cluster())
	require.NoError(t, err)
	assert.False(t, got, "an invalidated key can do nothing")
}

// A cross-cluster key holds its cross_cluster descriptor: search access reads, never writes.
func TestAPIKeyCanCrossCluster(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	key, err := srv.CreateCrossClusterAPIKey("elastic", `{"name":"cc","access":{"search":[{"names":["logs-*"]}],"replication":[{"names":["archive"]}]}}`)
	require.NoError(t, err)
	for _, c := range []struct {
		privilege string
		on        esapikeytest.Resource
		want      bool
	}{
		{"read", esapikeytest.Index("logs-1"), true},
		{"view_index_metadata", esapikeytest.Index("logs-1"), true},
		{"write", esapikeytest.Index("logs-1"), false},
		{"cross_cluster_replication", esapikeytest.Index("archive"), true},
		{"read", esapikeytest.Index("archive"), false},
		{"cross_cluster_search", esapikeytest.Cluster(), true},
		{"cross_cluster_replication", esapikeytest.Cluster(), true},
		{"monitor", esapikeytest.Cluster(), false},
	} {
		got, err := srv.APIKeyCan(key.ID, c.privilege, c.on)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%s on %s", c.privilege, c.on)
	}
}
