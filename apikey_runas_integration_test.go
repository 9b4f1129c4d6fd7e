package esapikey_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

// Config.APIKey's use (fidelity D2): a key that runs as a user updates that
// user's keys, end to end through the client; without run-as the same call
// is ErrAPIKeyCredentials.
func TestIntegration_apiKeyRunningAsAUser(t *testing.T) {
	w := newWorld(t)
	require.NoError(t, w.srv.PutRole("runner", `{"cluster":["manage_own_api_key"],"run_as":["bob"]}`))
	require.NoError(t, w.srv.AddUser("bob", "bob-password", "owner"))
	require.NoError(t, w.srv.AddUser("carol", "carol-password", "runner"))
	bobs := w.key(t, "bob", `{"name":"bobs"}`)
	runner := w.key(t, "carol", `{"name":"runner","role_descriptors":{"r":{"cluster":["manage_own_api_key"],"run_as":["bob"]}}}`)
	client := clientFor(t, w.srv.URL, esapikey.Config{APIKey: runner.Encoded})

	res, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: bobs.ID, Metadata: esapikey.Metadata{"x": 1}},
		esapikey.WithRunAs("bob"))
	require.NoError(t, err)
	assert.True(t, res.Updated)
	got, err := client.GetAPIKey(t.Context(), bobs.ID, esapikey.WithRunAs("bob"))
	require.NoError(t, err)
	assert.Equal(t, "bob", got.Username)
	assert.Equal(t, esapikey.Metadata{"x": json.Number("1")}, got.Metadata)

	_, err = client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: bobs.ID, Metadata: esapikey.Metadata{"x": 2}})
	assert.ErrorIs(t, err, esapikey.ErrAPIKeyCredentials)
	assert.NotContains(t, err.Error(), runner.Key)
}
