package esapikeytest_test

// Scenarios following x-pack rest-api-spec test/api_key/40_view_role_descriptors.yml: how get_api_key
// renders a key's role descriptors and limited-by roles. The YAML test's query_api_keys steps are
// not here: the query API is served and tested on its own.

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// yamlView is 40_view_role_descriptors.yml's setup: an admin (manage_api_key, all indices, every apm
// privilege) and a user who manages only its own keys. It returns both and their roles' names.
func yamlView(tg *target) (admin, user cred, adminRole, userRole string) {
	tg.yamlSetup()
	adminRole = tg.role(`{"cluster":["manage_api_key"],"indices":[{"names":"*","privileges":["all"]}],
	  "applications":[{"application":"apm","privileges":["*"],"resources":["*"]}]}`)
	userRole = tg.role(`{"cluster":["manage_own_api_key"]}`)
	return tg.user(adminRole), tg.user(userRole), adminRole, userRole
}

// A role descriptor as get_api_key renders it: every field present, indices with allow_restricted_indices.
func renderedRole(cluster, index, privilege string) string {
	return `{"cluster":["` + cluster + `"],"indices":[{"names":["` + index + `"],"privileges":["` + privilege +
		`"],"allow_restricted_indices":false}],"applications":[],"run_as":[],"metadata":{},"transient_metadata":{"enabled":true}}`
}

func TestConformanceYAML40ViewRoleDescriptors_RoleDescriptorsInGetResponses(t *testing.T) {
	forVersions(t, needs{version.AnswerRoleDescriptors}, func(t *testing.T, tg *target) {
		admin, _, _, _ := yamlView(tg)
		roleA := `"role-a":{"cluster":["all"],"index":[{"names":["index-a"],"privileges":["read"]}]}`
		for _, c := range []struct{ name, body, want string }{
			{"key-0-with-implicit-inherit", ``, `{}`},
			{"key-1-with-explicit-inherit", `,"role_descriptors":{}`, `{}`},
			{"key-2-with-single-assigned-role-descriptor", `,"role_descriptors":{` + roleA + `}`,
				`{"role-a":` + renderedRole("all", "index-a", "read") + `}`},
			{"key-3-with-multiple-assigned-role-descriptors", `,"expiration":"1d","role_descriptors":{` + roleA +
				`,"role-b":{"cluster":["manage"],"index":[{"names":["index-b"],"privileges":["all"]}]}}`,
				`{"role-a":` + renderedRole("all", "index-a", "read") + `,"role-b":` + renderedRole("manage", "index-b", "all") + `}`},
		} {
			r := tg.call(admin, "POST", "/_security/api_key", `{"name":"`+c.name+`"`+c.body+`}`).ok(t)
			assert.Equal(t, c.name, r.obj["name"])
			id, _ := r.obj["id"].(string)
			assert.NotEmpty(t, id)

			r = tg.call(admin, "GET", "/_security/api_key?id="+id, noBody).ok(t)
			assert.Equal(t, id, r.at("api_keys.0.id"), c.name)
			assert.Equal(t, decode(t, c.want), r.at("api_keys.0.role_descriptors"), c.name)
			assert.Nil(t, r.at("api_keys.0.access"), c.name)
			assert.Nil(t, r.at("api_keys.0.limited_by"), c.name)
		}
	})
}

func TestConformanceYAML40ViewRoleDescriptors_LimitedByRoleDescriptorsInGetResponses(t *testing.T) {
	forVersions(t, needs{version.GetWithLimitedBy}, func(t *testing.T, tg *target) {
		admin, user, adminRole, userRole := yamlView(tg)

		r := tg.call(user, "POST", "/_security/api_key", `{"name":"key-0-limited-by-api-key-user"}`).ok(t)
		id0, _ := r.obj["id"].(string)
		enc0, _ := r.obj["encoded"].(string)
		key0 := cred{apiKey: enc0}
		// With only manage_own_api_key inherited, the key may not see its own limited-by roles.
		r = tg.call(key0, "GET", "/_security/api_key?with_limited_by=true&id="+id0, noBody)
		assert.Equal(t, 403, r.status, string(r.raw))
		assert.Equal(t, "security_exception", r.at("error.type"), string(r.raw))

		r = tg.call(user, "GET", "/_security/api_key?owner=true&with_limited_by=true&id="+id0, noBody).ok(t)
		assert.Equal(t, id0, r.at("api_keys.0.id"))
		assert.NotNil(t, r.at("api_keys.0.role_descriptors"))
		assert.Nil(t, r.at("api_keys.0.access"))
		assert.Len(t, r.at("api_keys.0.limited_by"), 1)
		assert.Equal(t, decode(t, `{"`+userRole+`":{"cluster":["manage_own_api_key"],"indices":[],"applications":[],"run_as":[],
		  "metadata":{},"transient_metadata":{"enabled":true}}}`), r.at("api_keys.0.limited_by.0"))

		r = tg.call(admin, "POST", "/_security/api_key", `{"name":"key-1-limited-by-api-key-admin"}`).ok(t)
		id1, _ := r.obj["id"].(string)
		enc1, _ := r.obj["encoded"].(string)
		// Inheriting manage_api_key, this key may.
		r = tg.call(cred{apiKey: enc1}, "GET", "/_security/api_key?with_limited_by=true&id="+id1, noBody).ok(t)
		assert.Equal(t, id1, r.at("api_keys.0.id"))
		assert.NotNil(t, r.at("api_keys.0.role_descriptors"))
		assert.Nil(t, r.at("api_keys.0.access"))
		assert.Len(t, r.at("api_keys.0.limited_by"), 1)
		assert.Equal(t, decode(t, `{"`+adminRole+`":{"cluster":["manage_api_key"],
		  "indices":[{"names":["*"],"privileges":["all"],"allow_restricted_indices":false}],
		  "applications":[{"application":"apm","privileges":["*"],"resources":["*"]}],
		  "run_as":[],"metadata":{},"transient_metadata":{"enabled":true}}}`), r.at("api_keys.0.limited_by.0"))
	})
}
