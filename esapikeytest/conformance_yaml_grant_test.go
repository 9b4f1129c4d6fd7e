package esapikeytest_test

// Scenarios following x-pack rest-api-spec test/api_key/12_grant.yml (10_grant.yml is its earlier
// form with the same scenarios) and 30_grant.yml: a key granted for another user by password or access
// token, with or without run_as, and who may grant.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// yamlGrantKey is the key 12_grant.yml grants: read on "index", expiring in a day.
const yamlGrantKey = `"api_key":{"name":"my-api-key","expiration":"1d",
  "role_descriptors":{"role":{"index":[{"names":["index"],"privileges":["read"]}]}}}`

// yamlGrant is 12_grant.yml's setup: granter (grant_api_key), target (manage_token, all on "index") and a
// run-as user allowed to run as the target.
func yamlGrant(tg *target) grantSetup {
	tg.yamlSetup()
	return newGrantSetup(tg)
}

// passwordToken is security.get_token with a password grant, run by the admin; it returns the access token.
func (tg *target) passwordToken(c cred) string {
	tg.t.Helper()
	r := tg.call(tg.admin, "POST", "/_security/oauth2/token",
		`{"grant_type":"password","username":"`+c.user+`","password":"`+c.pass+`"}`).ok(tg.t)
	assert.Equal(tg.t, "Bearer", r.obj["type"])
	token, _ := r.obj["access_token"].(string)
	require.NotEmpty(tg.t, token)
	return token
}

// grantForbidden is the 403 of a grant by someone without grant_api_key (or above).
func (tg *target) grantForbidden(caller cred, body string) {
	tg.t.Helper()
	tg.call(caller, "POST", "/_security/api_key/grant", body).isError(tg.t, 403, "security_exception",
		"action [cluster:admin/xpack/security/api_key/grant] is unauthorized for user ["+caller.user+"] with effective roles ["+
			tg.rolesOf(caller)+"], this action is granted by the cluster privileges [grant_api_key,manage_api_key,manage_security,all]")
}

func TestConformanceYAML12Grant_GrantAPIKeyWithPassword(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		g := yamlGrant(tg)
		id, key := tg.created(tg.call(g.granter, "POST", "/_security/api_key/grant", `{`+yamlGrantKey+`,
		  "grant_type":"password","username":"`+g.target.user+`","password":"`+testPassword+`"}`), "my-api-key", true)
		tg.authenticatesAs(key, g.target.user, id, "my-api-key")
		tg.clearCache(id)
	})
}

func TestConformanceYAML12Grant_GrantAPIKeyWithToken(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		g := yamlGrant(tg)
		token := tg.passwordToken(g.target)
		id, key := tg.created(tg.call(g.granter, "POST", "/_security/api_key/grant", `{`+yamlGrantKey+`,
		  "grant_type":"access_token","access_token":"`+token+`"}`), "my-api-key", true)
		tg.authenticatesAs(key, g.target.user, id, "my-api-key")
		tg.clearCache(id)
	})
}

func TestConformanceYAML12Grant_GrantAPIKeyForbidden(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		g := yamlGrant(tg)
		tg.grantForbidden(g.target, `{`+yamlGrantKey+`,"grant_type":"password","username":"`+g.granter.user+`","password":"`+testPassword+`"}`)
	})
}

func TestConformanceYAML12Grant_GrantAPIKeyForbiddenWithManageOwnAPIKeyPrivilege(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		g := yamlGrant(tg)
		tg.putRole(g.targetRole, `{"cluster":["manage_own_api_key"],"indices":[{"names":"index","privileges":["all"]}]}`)

		id, _ := tg.created(tg.call(g.target, "POST", "/_security/api_key", `{"name":"my-api-key"}`), "my-api-key", false)
		tg.grantForbidden(g.target, `{"api_key":{"name":"my-api-key"},"grant_type":"password","username":"`+g.target.user+`","password":"`+testPassword+`"}`)
		tg.grantForbidden(g.target, `{"api_key":{"name":"my-api-key"},"grant_type":"password","username":"`+g.granter.user+`","password":"`+testPassword+`"}`)
		tg.clearCache(id)
	})
}

func TestConformanceYAML12Grant_GrantAPIKeyWithPasswordAndRunAs(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		g := yamlGrant(tg)
		id, key := tg.created(tg.call(g.granter, "POST", "/_security/api_key/grant", `{"api_key":{"name":"my-api-key-with-password-runas"},
		  "grant_type":"password","username":"`+g.runner.user+`","password":"`+testPassword+`","run_as":"`+g.target.user+`"}`),
			"my-api-key-with-password-runas", false)
		tg.authenticatesAs(key, g.target.user, id, "my-api-key-with-password-runas")
	})
}

func TestConformanceYAML12Grant_GrantAPIKeyWithAccessTokenAndRunAs(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		g := yamlGrant(tg)
		token := tg.passwordToken(g.runner)
		id, key := tg.created(tg.call(g.granter, "POST", "/_security/api_key/grant", `{"api_key":{"name":"my-api-key-with-access-token-runas"},
		  "grant_type":"access_token","access_token":"`+token+`","run_as":"`+g.target.user+`"}`),
			"my-api-key-with-access-token-runas", false)
		tg.authenticatesAs(key, g.target.user, id, "my-api-key-with-access-token-runas")
	})
}

// 30_grant.yml: a granter with manage_api_key grants for a user whose only role does not exist (the
// file defines one role and assigns another name), so the key is limited by no privilege at all.
func TestConformanceYAML30Grant_GrantAPIKey(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		tg.yamlSetup()
		granter := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		tg.role(`{"indices":[{"names":"index","privileges":["all"]}]}`)
		targetUser := tg.user(tg.prefix + "_grant_target_role")

		id, key := tg.created(tg.call(granter, "POST", "/_security/api_key/grant", `{"api_key":{"name":"my-api-key","expiration":"1d",
		  "role_descriptors":{"role-a":{"cluster":["all"],"index":[{"names":["index-a"],"privileges":["read"]}]}}},
		  "grant_type":"password","username":"`+targetUser.user+`","password":"`+testPassword+`"}`), "my-api-key", true)
		tg.authenticatesAs(key, targetUser.user, id, "my-api-key")
		// Beyond the YAML: the owner's missing role grants nothing, so neither does the key.
		assert.False(t, tg.canCluster(key, "monitor"))
		assert.False(t, tg.can(key, "read", "index-a"))
		tg.clearCache(id)
	})
}
