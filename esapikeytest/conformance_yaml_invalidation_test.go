package esapikeytest_test

// Scenarios following x-pack rest-api-spec test/api_key/11_invalidation.yml: a manager with
// manage_api_key invalidates by username and realm; a user with manage_own_api_key may not.

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// yamlInvalidation is the setup of 11_invalidation.yml (and of 30_update.yml's first version): a manager
// and a user who owns its keys, each with a key of its own.
func yamlInvalidation(tg *target) (manager, user cred, managerKey, userKey string) {
	tg.yamlSetup()
	manager = tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
	user = tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
	managerKey, _ = tg.created(tg.call(manager, "POST", "/_security/api_key",
		`{"name":"manager-api-key","expiration":"1d","role_descriptors":{}}`), "manager-api-key", true)
	userKey, _ = tg.created(tg.call(user, "POST", "/_security/api_key",
		`{"name":"user1-api-key","expiration":"1d","role_descriptors":{}}`), "user1-api-key", true)
	return
}

// invalidateForbidden is the 403 a manage_own_api_key user gets for another user's or a realm's keys: the
// privileges named are those that grant this request (ClusterPrivilegeResolver.findPrivilegesThatGrant),
// so manage_own_api_key is not among them.
func (tg *target) invalidateForbidden(user cred, body string) {
	tg.t.Helper()
	tg.call(user, "DELETE", "/_security/api_key", body).isError(tg.t, 403, "security_exception",
		"action [cluster:admin/xpack/security/api_key/invalidate] is unauthorized for user ["+user.user+
			"] with effective roles ["+tg.rolesOf(user)+"], this action is granted by the cluster privileges [manage_api_key,manage_security,all]")
}

func TestConformanceYAML11Invalidation_InvalidateAPIKeyByUsername(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		manager, user, managerKey, userKey := yamlInvalidation(tg)
		invalidated(t, tg.call(manager, "DELETE", "/_security/api_key", `{"username":"`+user.user+`"}`), userKey)
		tg.invalidateForbidden(user, `{"username":"`+manager.user+`"}`)
		invalidated(t, tg.call(manager, "DELETE", "/_security/api_key", `{"username":"`+manager.user+`"}`), managerKey)
	})
}

func TestConformanceYAML11Invalidation_InvalidateAPIKeyByRealmName(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		manager, user, managerKey, userKey := yamlInvalidation(tg)
		tg.invalidateForbidden(user, `{"realm_name":"default_native"}`)
		r := tg.call(manager, "DELETE", "/_security/api_key", `{"realm_name":"default_native"}`)
		if tg.real() {
			// A shared cluster may hold other native users' keys: ours must be among those invalidated.
			r.ok(t)
			assert.Subset(t, r.obj["invalidated_api_keys"], []any{managerKey, userKey}, string(r.raw))
			assert.Equal(t, float64(0), r.obj["error_count"])
			return
		}
		invalidated(t, r, managerKey, userKey)
	})
}
