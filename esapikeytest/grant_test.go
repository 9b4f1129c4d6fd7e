package esapikeytest_test

import (
	"encoding/base64"
	"net/http"
	"strings"
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
	assert.JSONEq(t, `{"error":"invalid_grant","error_description":"could not refresh the requested token"}`, body)
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

// A password grant's refresh token gives the client that asked for it one new pair.
func TestRoutesRefreshToken(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.AddUser("tok", "tok-password"))
	require.NoError(t, srv.AddUser("other", "other-password", "superuser"))
	_, body := send(t, srv, "POST", "/_security/oauth2/token", "application/json",
		`{"grant_type":"password","username":"tok","password":"tok-password"}`)
	refresh := between(body, `"refresh_token":"`, `"`)
	require.NotEmpty(t, refresh, body)
	assert.Less(t, strings.Index(body, `"expires_in"`), strings.Index(body, `"refresh_token"`))
	assert.Less(t, strings.Index(body, `"refresh_token"`), strings.Index(body, `"authentication"`))

	otherAuth := "Basic " + base64.StdEncoding.EncodeToString([]byte("other:other-password"))
	_, body = send(t, srv, "POST", "/_security/oauth2/token", "application/json",
		`{"grant_type":"refresh_token","refresh_token":"`+refresh+`"}`, otherAuth)
	assert.JSONEq(t, `{"error":"invalid_grant","error_description":"tokens must be refreshed by the creating client"}`, body)

	res, body := send(t, srv, "POST", "/_security/oauth2/token", "application/json", `{"grant_type":"refresh_token","refresh_token":"`+refresh+`"}`)
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
	access := between(body, `"access_token":"`, `"`)
	assert.NotEmpty(t, between(body, `"refresh_token":"`, `"`))
	res, body = send(t, srv, "GET", "/_security/_authenticate", "", "", "Bearer "+access)
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
	assert.Contains(t, body, `"username":"tok"`)

	_, body = send(t, srv, "POST", "/_security/oauth2/token", "application/json", `{"grant_type":"refresh_token","refresh_token":"`+refresh+`"}`)
	assert.JSONEq(t, `{"error":"invalid_grant","error_description":"token has already been refreshed"}`, body)
	_, body = send(t, srv, "POST", "/_security/oauth2/token", "application/json", `{"grant_type":"refresh_token","username":"tok"}`)
	assert.JSONEq(t, `{"error":"unsupported_grant_type","error_description":"Validation Failed: 1: username is not supported with the refresh_token grant_type;2: refresh_token is missing;"}`, body)
}
