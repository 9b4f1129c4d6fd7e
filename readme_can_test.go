package esapikey_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/esapikeytest"
)

// The example of README's "Asserting what a key may do": an update that drops write leaves read.
func TestUpdateDropsWrite(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.PutRole("owner", `{"cluster":["manage_own_api_key"],"indices":[{"names":["logs-*"],"privileges":["all"]}]}`))
	require.NoError(t, srv.AddUser("alice", "alice-password", "owner"))
	key, err := srv.CreateAPIKey("alice", `{"name":"ingest","role_descriptors":{"logs":{"indices":[{"names":["logs-*"],"privileges":["read","write"]}]}}}`)
	require.NoError(t, err)

	c, err := esapikey.NewClient(esapikey.Config{Addresses: []string{srv.URL}, Username: "alice", Password: "alice-password"})
	require.NoError(t, err)
	_, err = c.UpdateAPIKey(context.Background(), esapikey.UpdateAPIKeyRequest{
		ID: key.ID,
		RoleDescriptors: map[string]esapikey.RoleDescriptor{"logs": {Indices: []esapikey.IndicesPrivileges{
			{Names: []string{"logs-*"}, Privileges: []string{esapikey.IndexRead}},
		}}},
	})
	require.NoError(t, err)

	canRead, err := srv.APIKeyCan(key.ID, "read", esapikeytest.Index("logs-2025.01"))
	require.NoError(t, err)
	assert.True(t, canRead)
	canWrite, err := srv.APIKeyCan(key.ID, "write", esapikeytest.Index("logs-2025.01"))
	require.NoError(t, err)
	assert.False(t, canWrite)
}
