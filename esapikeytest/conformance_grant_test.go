package esapikeytest_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// bearer authenticates with an OAuth2 access token.
func (tg *target) bearer(token, method, path, body string) *reply {
	tg.t.Helper()
	return tg.callWith(cred{}, method, path, body, map[string]string{"Authorization": "Bearer " + token})
}

// The grant path is a literal beside {id}: it answers the grant's validation, not an update of key "grant"
// (its own methods on a wrong one: TestConformanceRoutesWrongMethod).
func TestConformanceGrantRoute(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		for _, method := range []string{"PUT", "POST"} {
			tg.call(tg.admin, method, "/_security/api_key/grant", `{}`).isError(t, 400, "action_request_validation_exception",
				"Validation Failed: 1: api key name is required;2: [grant_type] is required;")
		}
	})
}

// grantSetup makes a granter (grant_api_key), a target user and a run-as user allowed to run as the target.
type grantSetup struct {
	granter, target, runner cred
	targetRole              string
}

func newGrantSetup(tg *target) grantSetup {
	var g grantSetup
	g.granter = tg.user(tg.role(`{"cluster":["grant_api_key"]}`))
	g.targetRole = tg.role(`{"cluster":["manage_token"],"indices":[{"names":["index"],"privileges":["all"]}]}`)
	g.target = tg.user(g.targetRole)
	g.runner = tg.user(tg.role(`{"run_as":["` + g.target.user + `"]}`))
	return g
}

// checkGranted asserts a 200 grant answer and that the key authenticates as owner.
func (tg *target) checkGranted(r *reply, name, owner string) string {
	t := tg.t
	t.Helper()
	r.ok(t)
	id, _ := r.obj["id"].(string)
	secret, _ := r.obj["api_key"].(string)
	assert.Equal(t, name, r.obj["name"])
	assert.Equal(t, base64.StdEncoding.EncodeToString([]byte(id+":"+secret)), r.obj["encoded"])
	enc, _ := r.obj["encoded"].(string)
	a := tg.call(cred{apiKey: enc}, "GET", "/_security/_authenticate", noBody).ok(t)
	assert.Equal(t, owner, a.obj["username"])
	assert.Equal(t, []any{}, a.obj["roles"])
	assert.Equal(t, "_es_api_key", a.at("authentication_realm.name"))
	assert.Equal(t, "_es_api_key", a.at("authentication_realm.type"))
	assert.Equal(t, id, a.at("api_key.id"))
	assert.Equal(t, name, a.at("api_key.name"))
	return id
}

// POST|PUT /_security/api_key/grant with a password (RestGrantApiKeyAction, TransportGrantAction).
func TestConformanceGrantAPIKeyPassword(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		g := newGrantSetup(tg)
		body := `{"api_key":{"name":"granted","expiration":"1d","role_descriptors":{"r":{"index":[{"names":["index"],"privileges":["read"]}]}}},` +
			`"grant_type":"password","username":"` + g.target.user + `","password":"` + testPassword + `"}`
		r := tg.call(g.granter, "POST", "/_security/api_key/grant", body)
		assert.NotNil(t, r.obj["expiration"], string(r.raw))
		id := tg.checkGranted(r, "granted", g.target.user)
		key := tg.get(id)
		assert.Equal(t, g.target.user, key["username"])
		assert.Equal(t, "default_native", key["realm"])
		if tg.has(version.AnswerLimitedBy) {
			limited, _ := key["limited_by"].([]any)
			require.Len(t, limited, 1)
			assert.Contains(t, limited[0], g.targetRole, "limited by the target's roles, not the granter's")
		}
		tg.checkGranted(tg.call(g.granter, "PUT", "/_security/api_key/grant?refresh=wait_for",
			strings.Replace(body, `"granted"`, `"granted-put"`, 1)), "granted-put", g.target.user)

		// run_as: the runner's password, a key for the target.
		runAs := `{"api_key":{"name":"run-as"},"grant_type":"password","username":"` + g.runner.user + `","password":"` + testPassword +
			`","run_as":"` + g.target.user + `"}`
		id = tg.checkGranted(tg.call(g.granter, "POST", "/_security/api_key/grant", runAs), "run-as", g.target.user)
		assert.Equal(t, g.target.user, tg.get(id)["username"])
		notAllowed := strings.Replace(runAs, `"run_as":"`+g.target.user, `"run_as":"`+g.granter.user, 1)
		tg.call(g.granter, "POST", "/_security/api_key/grant", notAllowed).isError(t, 403, "security_exception",
			"action [cluster:admin/xpack/security/user/authenticate] is unauthorized for user ["+g.runner.user+"] with effective roles ["+
				tg.rolesOf(g.runner)+"], because user ["+g.runner.user+"] is unauthorized to run as ["+g.granter.user+"]")

		// Wrong grant credentials: the 401 becomes a 403 that keeps it as its cause.
		wrong := strings.Replace(body, `"password":"`+testPassword, `"password":"not-the-password`, 1)
		r = tg.call(g.granter, "POST", "/_security/api_key/grant", wrong)
		r.isError(t, 403, "security_exception", "Failed to authenticate api key grant")
		r.causedBy(t, "security_exception", "unable to authenticate user ["+g.target.user+"] for action [cluster:admin/xpack/security/api_key/grant]")
	})
}

// Who may grant: grant_api_key (or manage_api_key and above); manage_own_api_key may not, not even to itself.
func TestConformanceGrantAPIKeyForbidden(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		g := newGrantSetup(tg)
		own := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		for _, caller := range []cred{g.target, own} {
			body := `{"api_key":{"name":"k"},"grant_type":"password","username":"` + caller.user + `","password":"` + testPassword + `"}`
			tg.call(caller, "POST", "/_security/api_key/grant", body).isError(t, 403, "security_exception",
				"action [cluster:admin/xpack/security/api_key/grant] is unauthorized for user ["+caller.user+"] with effective roles ["+
					tg.rolesOf(caller)+"], this action is granted by the cluster privileges [grant_api_key,manage_api_key,manage_security,all]")
		}
		manager := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		tg.checkGranted(tg.call(manager, "POST", "/_security/api_key/grant", `{"api_key":{"name":"by-manager"},"grant_type":"password","username":"`+
			g.target.user+`","password":"`+testPassword+`"}`), "by-manager", g.target.user)
	})
}

// GrantApiKeyRequest.validate and the grant_api_key_request parser.
func TestConformanceGrantAPIKeyValidation(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		const vf = "action_request_validation_exception"
		const xc = "x_content_parse_exception"
		const withClient = `{"api_key":{"name":"k"},"grant_type":"password","username":"u","password":"p","client_authentication":{"scheme":"SharedSecret","value":"v"}}`
		if !tg.has(version.GrantClientAuthentication) {
			// Before 8.12 the grant's parser has no client_authentication.
			tg.call(tg.admin, "POST", "/_security/api_key/grant", withClient).
				isError(t, 400, xc, unknownAt(withClient, "grant_api_key_request", "client_authentication"))
		}
		for _, c := range []struct{ body, reason string }{
			{`{"grant_type":"password","username":"u","password":"p"}`, "Validation Failed: 1: api key name is required;"},
			{`{"api_key":{"name":"k"},"grant_type":"password"}`,
				"Validation Failed: 1: [username] is required for grant_type [password];2: [password] is required for grant_type [password];"},
			{`{"api_key":{"name":"k"},"grant_type":"password","username":"u","password":"p","access_token":"t"}`,
				"Validation Failed: 1: [access_token] is not supported for grant_type [password];"},
			{withClient, "Validation Failed: 1: [client_authentication] is not supported for grant_type [password];"},
			{`{"api_key":{"name":"k"},"grant_type":"access_token","username":"u","password":"p"}`,
				"Validation Failed: 1: [access_token] is required for grant_type [access_token];2: [username] is not supported for grant_type [access_token];3: [password] is not supported for grant_type [access_token];"},
			{`{"api_key":{"name":"k"},"grant_type":"access_token","access_token":"t","client_authentication":{"scheme":"Basic","value":"v"}}`,
				"Validation Failed: 1: [client_authentication.scheme] must be set to [SharedSecret];"},
			{`{"api_key":{"name":"_k"},"grant_type":"magic"}`,
				"Validation Failed: 1: api key name may not begin with an underscore;2: grant_type [magic] is not supported;"},
		} {
			if strings.Contains(c.body, "client_authentication") && !tg.has(version.GrantClientAuthentication) {
				continue
			}
			tg.call(tg.admin, "POST", "/_security/api_key/grant", c.body).isError(t, 400, vf, c.reason)
		}
		tg.call(tg.admin, "POST", "/_security/api_key/grant", `{"grant_type":"password","nope":1}`).
			isError(t, 400, xc, "[1:32] [grant_api_key_request] unknown field [nope]")
		tg.call(tg.admin, "POST", "/_security/api_key/grant", `{"grant_type":1}`).
			isError(t, 400, xc, "[1:15] [grant_api_key_request] grant_type doesn't support values of type: VALUE_NUMBER")
		r := tg.call(tg.admin, "POST", "/_security/api_key/grant", `{"api_key":{"name":"k","nope":true}}`)
		r.isError(t, 400, xc, "[1:12] [grant_api_key_request] failed to parse field [api_key]")
		r.causedBy(t, xc, "[1:30] [api_key_request] unknown field [nope]")
		tg.call(tg.admin, "POST", "/_security/api_key/grant", noBody).isError(t, 400, "parse_exception", "request body is required")
	})
}

// POST /_security/oauth2/token (password grant) and a grant by access token (12_grant.yml's scenarios).
func TestConformanceGrantAPIKeyAccessToken(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		g := newGrantSetup(tg)
		r := tg.call(tg.admin, "POST", "/_security/oauth2/token",
			`{"grant_type":"password","username":"`+g.target.user+`","password":"`+testPassword+`"}`).ok(t)
		assert.Equal(t, "Bearer", r.obj["type"])
		assert.Equal(t, float64(1200), r.obj["expires_in"])
		assert.Equal(t, g.target.user, r.at("authentication.username"))
		token, _ := r.obj["access_token"].(string)
		require.NotEmpty(t, token)

		a := tg.bearer(token, "GET", "/_security/_authenticate", noBody).ok(t)
		assert.Equal(t, g.target.user, a.obj["username"])
		assert.Equal(t, "token", a.obj["authentication_type"])

		body := `{"api_key":{"name":"by-token","expiration":"1d"},"grant_type":"access_token","access_token":"` + token + `"}`
		tg.checkGranted(tg.call(g.granter, "POST", "/_security/api_key/grant", body), "by-token", g.target.user)

		// client_authentication is for JWTs only (from 8.12; unknown before).
		withClient := strings.Replace(body, `"grant_type"`, `"client_authentication":{"scheme":"SharedSecret","value":"whatever"},"grant_type"`, 1)
		r = tg.call(g.granter, "POST", "/_security/api_key/grant", withClient)
		if tg.has(version.GrantClientAuthentication) {
			r.isError(t, 400, "security_exception", "[client_authentication] not supported with the supplied access_token type")
		} else {
			r.isError(t, 400, "x_content_parse_exception", unknownAt(withClient, "grant_api_key_request", "client_authentication"))
		}

		// A token of the runner, run as the target.
		r = tg.call(tg.admin, "POST", "/_security/oauth2/token",
			`{"grant_type":"password","username":"`+g.runner.user+`","password":"`+testPassword+`"}`).ok(t)
		runnerToken, _ := r.obj["access_token"].(string)
		tg.checkGranted(tg.call(g.granter, "POST", "/_security/api_key/grant", `{"api_key":{"name":"token-run-as"},"grant_type":"access_token","access_token":"`+
			runnerToken+`","run_as":"`+g.target.user+`"}`), "token-run-as", g.target.user)

		bad := tg.call(g.granter, "POST", "/_security/api_key/grant", `{"api_key":{"name":"k"},"grant_type":"access_token","access_token":"bm90LWEtdG9rZW4="}`)
		bad.isError(t, 403, "security_exception", "Failed to authenticate api key grant")
		assert.Equal(t, "security_exception", bad.at("error.caused_by.type"), string(bad.raw))
	})
}

// RestGetTokenAction's errors: validation as an OAuth2 error body, a wrong password as a 401.
func TestConformanceCreateTokenErrors(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		u := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		for _, c := range []struct{ body, code, desc string }{
			{`{"grant_type":"password","username":"` + u.user + `"}`, "invalid_request", "Validation Failed: 1: password is missing;"},
			{`{"grant_type":"password","password":"x"}`, "invalid_request", "Validation Failed: 1: username is missing;"},
		} {
			r := tg.call(tg.admin, "POST", "/_security/oauth2/token", c.body)
			require.Equal(t, http.StatusBadRequest, r.status, string(r.raw))
			assert.Equal(t, c.code, r.obj["error"])
			assert.Equal(t, c.desc, r.obj["error_description"])
		}
		tg.call(tg.admin, "POST", "/_security/oauth2/token", `{"grant_type":"password","username":"`+u.user+`","password":"wrong-password"}`).
			isError(t, 401, "security_exception", "unable to authenticate user ["+u.user+"] for action [cluster:admin/xpack/security/token/create]")
		tg.call(u, "POST", "/_security/oauth2/token", `{"grant_type":"password","username":"`+u.user+`","password":"`+testPassword+`"}`).
			isError(t, 403, "security_exception", "action [cluster:admin/xpack/security/token/create] is unauthorized for user ["+u.user+
				"] with effective roles ["+tg.rolesOf(u)+"], this action is granted by the cluster privileges [manage_token,manage_security,all]")
	})
}

// A password grant's token pair can be refreshed by the client that asked for it (TokenService).
func TestConformanceRefreshToken(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		u := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		r := tg.call(tg.admin, "POST", "/_security/oauth2/token",
			`{"grant_type":"password","username":"`+u.user+`","password":"`+testPassword+`"}`).ok(t)
		refresh, _ := r.obj["refresh_token"].(string)
		require.NotEmpty(t, refresh, string(r.raw))
		r = tg.call(tg.admin, "POST", "/_security/oauth2/token", `{"grant_type":"refresh_token","refresh_token":"`+refresh+`"}`).ok(t)
		access, _ := r.obj["access_token"].(string)
		assert.NotEmpty(t, r.obj["refresh_token"])
		assert.Equal(t, u.user, tg.bearer(access, "GET", "/_security/_authenticate", noBody).ok(t).obj["username"])

		r = tg.call(tg.admin, "POST", "/_security/oauth2/token", `{"grant_type":"refresh_token"}`)
		require.Equal(t, http.StatusBadRequest, r.status, string(r.raw))
		assert.Equal(t, "invalid_request", r.obj["error"])
		assert.Equal(t, "Validation Failed: 1: refresh_token is missing;", r.obj["error_description"])
	})
}
