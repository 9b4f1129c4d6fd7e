package esapikeytest_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

// A body the helpers refuse is an *esapikeytest.Error with Elasticsearch's
// status and type, and with every cause: a typo in a role names its field,
// not only "failed to parse field [role_descriptors]".
func TestHelperErrorsKeepTheCauses(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()

	_, err := srv.CreateAPIKey("elastic", `{"name":"k","role_descriptors":{"r":{"clusterz":["all"]}}}`)

	var e *esapikeytest.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 400, e.Status)
	assert.Equal(t, "x_content_parse_exception", e.Type)
	assert.Equal(t, "[1:32] [api_key_request] failed to parse field [role_descriptors]", e.Reason)
	require.NotNil(t, e.Cause)
	assert.Equal(t, "parse_exception", e.Cause.Type)
	assert.Equal(t, "failed to parse role [r]. unexpected field [clusterz]", e.Cause.Reason)
	assert.Zero(t, e.Cause.Status, "a cause has no status of its own")
	assert.EqualError(t, err, "esapikeytest: [400] x_content_parse_exception: [1:32] [api_key_request] failed to parse field [role_descriptors]"+
		"; caused by parse_exception: failed to parse role [r]. unexpected field [clusterz]")
	var cause *esapikeytest.Error
	assert.True(t, errors.As(e.Unwrap(), &cause) && cause == e.Cause, "Unwrap gives the cause")

	_, err = srv.CreateCrossClusterAPIKey("elastic", `{"name":"k","access":{}}`)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 400, e.Status)

	err = srv.PutRole("r", `{"clusterz":["all"]}`)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "parse_exception", e.Type)
	assert.Equal(t, "failed to parse role [r]. unexpected field [clusterz]", e.Reason)

	err = srv.AddUser("elastic", "a-long-password")
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 400, e.Status)
	assert.Equal(t, "action_request_validation_exception", e.Type)
	assert.Equal(t, "Validation Failed: 1: Username [elastic] is reserved and may not be used.;", e.Reason)

	err = srv.AddUser("alice", "short")
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Validation Failed: 1: passwords must be at least [6] characters long;", e.Reason)

	_, err = srv.CreateAPIKey("nobody", `{"name":"k"}`)
	require.Error(t, err)
	assert.False(t, errors.As(err, &e), "an owner the server does not have is the helper's own error")

	assert.NoError(t, srv.PutRole("ok", `{"cluster":["monitor"]}`))
}

// A key logged as JSON (json.Marshal, slog's JSON handler) or as text
// (slog's text handler) does not show its secret either.
func TestAPIKeyJSONMasksTheSecret(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	key, err := srv.CreateAPIKey("elastic", `{"name":"logged","expiration":"1d"}`)
	require.NoError(t, err)
	require.NotEmpty(t, key.Key)

	var out bytes.Buffer
	for _, h := range []slog.Handler{slog.NewJSONHandler(&out, nil), slog.NewTextHandler(&out, nil)} {
		slog.New(h).Info("created", "key", key, "ptr", &key, "keys", []esapikeytest.APIKey{key})
	}
	b, err := json.Marshal(map[string]any{"key": key, "ptr": &key})
	require.NoError(t, err)
	out.Write(b)
	for _, secret := range []string{key.Key, key.Encoded} {
		assert.NotContains(t, out.String(), secret)
	}

	var decoded map[string]struct {
		ID, Name, Key, Encoded string
		Expiration             time.Time
	}
	require.NoError(t, json.Unmarshal(b, &decoded))
	back := decoded["key"]
	assert.Equal(t, back, decoded["ptr"])
	assert.Equal(t, key.ID, back.ID)
	assert.Equal(t, "logged", back.Name)
	assert.Equal(t, "****", back.Key)
	assert.Equal(t, "****", back.Encoded)
	assert.True(t, key.Expiration.Equal(back.Expiration))
}
