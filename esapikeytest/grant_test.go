package esapikeytest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

// Access tokens last 20 minutes of the server's clock; an expired one answers TokenService's 401.
func TestRoutesAccessTokenExpires(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.AddUser("tok", "tok-password", "superuser"))
	_, body := send(t, srv, "POST", "/_security/oauth2/token", "application/json",
		`{"grant_type":"password","username":"tok","password":"tok-password"}`)
	assert.NotContains(t, body, "tok-password")
	token := between(body, `"access_token":"`, `"`)
	require.NotEmpty(t, token, body)
	res, body := send(t, srv, "GET", "/_security/_authenticate", "", "", "Bearer "+token)
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Contains(t, body, `"username":"tok"`)

	srv.Advance(20*time.Minute + time.Millisecond)
	res, body = send(t, srv, "GET", "/_security/_authenticate", "", "", "Bearer "+token)
	assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
	assert.Contains(t, body, `"type":"security_exception","reason":"token expired"`)
	assert.Equal(t, `Bearer realm="security", error="invalid_token", error_description="The access token expired"`,
		res.Header.Get("WWW-Authenticate"))

	// client_credentials issues a token for the caller.
	_, body = send(t, srv, "POST", "/_security/oauth2/token", "application/json", `{"grant_type":"client_credentials"}`)
	assert.Contains(t, body, `"authentication":{"username":"elastic"`)
	assert.NotContains(t, body, "refresh_token")
	res, body = send(t, srv, "POST", "/_security/oauth2/token", "application/json", `{"grant_type":"refresh_token","refresh_token":"x"}`)
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Contains(t, body, `"error":"unsupported_grant_type"`)
	_, body = send(t, srv, "POST", "/_security/oauth2/token", "application/json", `{"grant_type":"password","username":"u","password":"p","refresh_token":"x"}`)
	assert.JSONEq(t, `{"error":"unsupported_grant_type","error_description":"Validation Failed: 1: refresh_token is not supported with the password grant_type;"}`, body)
}

// Grant errors never carry the password or token of the request.
func TestRoutesGrantKeepsSecretsOut(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.AddUser("target", "target-secret"))
	for _, body := range []string{
		`{"api_key":{"name":"k"},"grant_type":"password","username":"target","password":"wrong-secret"}`,
		`{"api_key":{"name":"k"},"grant_type":"access_token","access_token":"token-secret"}`,
		`{"api_key":{"name":"k"},"grant_type":"password","username":"target","password":"target-secret","run_as":"nobody"}`,
	} {
		res, out := send(t, srv, "POST", "/_security/api_key/grant", "application/json", body)
		assert.Equal(t, http.StatusForbidden, res.StatusCode, out)
		assert.NotContains(t, out, "secret")
	}
}
