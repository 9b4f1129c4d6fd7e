package esapikeytest_test

// Scenarios that follow, step by step, Elasticsearch's API-key REST tests (x-pack rest-api-spec
// test/api_key/10_basic.yml and 60_admin_user.yml) and the API-key file of the clients' shared suite
// (security/10_api_key_basic.yml). Users, roles and application names are unique per run, so the
// scenarios also run against a real cluster; where a YAML step counts every key of a shared user, the
// exact count is asserted only on the embedded server, which starts empty.

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// yamlSetup is the first step of every Elasticsearch API-key test: wait for a yellow cluster.
func (tg *target) yamlSetup() {
	tg.t.Helper()
	r := tg.call(tg.admin, "GET", "/_cluster/health?wait_for_status=yellow", noBody).ok(tg.t)
	assert.NotEqual(tg.t, "red", r.obj["status"])
	assert.Equal(tg.t, false, r.obj["timed_out"])
}

// created checks a create (or grant) answer as the YAML tests do: the name, a truthy id, api_key and,
// when asked, expiration, and "encoded" equal to base64(id:api_key). It returns the id and credentials.
func (tg *target) created(r *reply, name string, expiring bool) (string, cred) {
	t := tg.t
	t.Helper()
	r.ok(t)
	assert.Equal(t, name, r.obj["name"])
	id, _ := r.obj["id"].(string)
	secret, _ := r.obj["api_key"].(string)
	require.NotEmpty(t, id, string(r.raw))
	require.NotEmpty(t, secret, "api_key")
	if expiring {
		exp, _ := r.obj["expiration"].(float64)
		assert.Positive(t, exp, string(r.raw))
	} else {
		assert.NotContains(t, r.obj, "expiration")
	}
	enc := base64.StdEncoding.EncodeToString([]byte(id + ":" + secret))
	assert.Equal(t, enc, r.obj["encoded"])
	return id, cred{apiKey: enc}
}

// authenticatesAs checks GET /_security/_authenticate with a key: its owner, no roles, the API-key realm.
func (tg *target) authenticatesAs(key cred, owner, id, name string) {
	t := tg.t
	t.Helper()
	a := tg.call(key, "GET", "/_security/_authenticate", noBody).ok(t)
	assert.Equal(t, owner, a.obj["username"])
	assert.Equal(t, []any{}, a.obj["roles"])
	assert.Equal(t, "_es_api_key", a.at("authentication_realm.name"))
	assert.Equal(t, "_es_api_key", a.at("authentication_realm.type"))
	assert.Equal(t, id, a.at("api_key.id"))
	assert.Equal(t, name, a.at("api_key.name"))
}

// dropKey invalidates a key when the test ends, so keys of the shared admin do not pile up on a real cluster.
func (tg *target) dropKey(id string) {
	tg.t.Cleanup(func() { tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":["`+id+`"]}`) })
}

// clearCache is security.clear_api_key_cache: no node may fail.
func (tg *target) clearCache(ids string) {
	tg.t.Helper()
	r := tg.call(tg.admin, "POST", "/_security/api_key/"+ids+"/_clear_cache", noBody).ok(tg.t)
	assert.Equal(tg.t, float64(0), r.at("_nodes.failed"), string(r.raw))
}

// invalidated checks an invalidation answer: exactly these ids, none previously invalidated, no error.
func invalidated(t *testing.T, r *reply, ids ...string) {
	t.Helper()
	r.ok(t)
	got, _ := r.obj["invalidated_api_keys"].([]any)
	want := make([]any, len(ids))
	for i, id := range ids {
		want[i] = id
	}
	assert.ElementsMatch(t, want, got, string(r.raw))
	assert.Equal(t, []any{}, r.obj["previously_invalidated_api_keys"])
	assert.Equal(t, float64(0), r.obj["error_count"])
}

// appPrivileges stores read (data:read/*) and write (data:write/*) of a fresh application, removed at the end.
func (tg *target) appPrivileges() string {
	tg.t.Helper()
	app := "esk" + tg.prefix[4:]
	tg.call(tg.admin, "PUT", "/_security/privilege", `{"`+app+`":{
	  "read":{"application":"`+app+`","name":"read","actions":["data:read/*"]},
	  "write":{"application":"`+app+`","name":"write","actions":["data:write/*"]}}}`).ok(tg.t)
	tg.t.Cleanup(func() { tg.call(tg.admin, "DELETE", "/_security/privilege/"+app+"/read,write", noBody) })
	return app
}

// Two role descriptors the YAML tests create keys with.
const yamlTwoRoles = `"role_descriptors":{
  "role-a":{"cluster":["all"],"index":[{"names":["index-a"],"privileges":["read"]}]},
  "role-b":{"cluster":["manage"],"index":[{"names":["index-b"],"privileges":["all"]}]}}`

// yamlBasic is 10_basic.yml's setup: an application, and a user whose role has manage_api_key, every
// index privilege and every privilege of the application.
func yamlBasic(tg *target) (cred, string) {
	tg.yamlSetup()
	app := tg.appPrivileges()
	user := tg.user(tg.role(`{"cluster":["manage_api_key"],"indices":[{"names":"*","privileges":["all"]}],
	  "applications":[{"application":"` + app + `","privileges":["*"],"resources":["*"]}]}`))
	return user, app
}

func TestConformanceYAML10Basic_CreateAPIKey(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		user, _ := yamlBasic(tg)
		id, key := tg.created(tg.call(user, "POST", "/_security/api_key",
			`{"name":"my-api-key","expiration":"1d",`+yamlTwoRoles+`}`), "my-api-key", true)
		tg.authenticatesAs(key, user.user, id, "my-api-key")
		tg.clearCache(id)
	})
}

func TestConformanceYAML10Basic_GetAPIKey(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		user, _ := yamlBasic(tg)
		id, _ := tg.created(tg.call(user, "POST", "/_security/api_key",
			`{"name":"my-api-key","expiration":"1d",`+yamlTwoRoles+`}`), "my-api-key", true)

		r := tg.call(user, "GET", "/_security/api_key?id="+id, noBody).ok(t)
		assert.Equal(t, id, r.at("api_keys.0.id"))
		assert.Equal(t, "my-api-key", r.at("api_keys.0.name"))
		assert.Equal(t, user.user, r.at("api_keys.0.username"))
		assert.Equal(t, false, r.at("api_keys.0.invalidated"))
		assert.NotZero(t, r.at("api_keys.0.creation"))

		r = tg.call(user, "GET", "/_security/api_key?owner=true", noBody).ok(t)
		assert.Len(t, r.obj["api_keys"], 1, string(r.raw))
		assert.Equal(t, user.user, r.at("api_keys.0.username"))
		assert.Equal(t, false, r.at("api_keys.0.invalidated"))
		assert.NotZero(t, r.at("api_keys.0.creation"))

		tg.clearCache("*")
	})
}

func TestConformanceYAML10Basic_InvalidateAPIKeys(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		user, _ := yamlBasic(tg)
		var ids []string
		for _, name := range []string{"my-api-key-1", "my-api-key-2", "my-api-key-3"} {
			id, _ := tg.created(tg.call(user, "POST", "/_security/api_key",
				`{"name":"`+name+`","expiration":"1d","role_descriptors":{}}`), name, true)
			ids = append(ids, id)
		}
		invalidated(t, tg.call(user, "DELETE", "/_security/api_key", `{"ids":`+jsonString(ids)+`}`), ids...)
	})
}

// yamlHasPrivilegesOfKey is the has-privileges step 10_basic.yml and 60_admin_user.yml share: a key with
// read on index-a (role-a) and all on index-b (role-b), and the application's read on every resource.
func yamlHasPrivilegesOfKey(t *testing.T, tg *target, owner cred, ownerName, app string) {
	id, key := tg.created(tg.call(owner, "POST", "/_security/api_key", `{"name":"my-api-key","expiration":"1d","role_descriptors":{
	  "role-a":{"cluster":["all"],"index":[{"names":["index-a"],"privileges":["read"]}],
	    "applications":[{"application":"`+app+`","privileges":["read"],"resources":["*"]}]},
	  "role-b":{"cluster":["manage"],"index":[{"names":["index-b"],"privileges":["all"]}]}}}`), "my-api-key", true)
	tg.dropKey(id)

	r := tg.hasPrivileges(key, `{
	  "index":[{"names":["*","index-a"],"privileges":["read","index","write"]},
	           {"names":["index-a","index-b"],"privileges":["read","write"]}],
	  "application":[{"application":"`+app+`","resources":["*","some-other-res"],"privileges":["data:read/me","data:write/me"]}]}`)
	assert.Equal(t, ownerName, r.obj["username"])
	assert.Equal(t, false, r.obj["has_all_requested"])
	assert.Equal(t, decode(t, `{
	  "*":{"read":false,"index":false,"write":false},
	  "index-a":{"read":true,"index":false,"write":false},
	  "index-b":{"read":true,"write":true}}`), r.obj["index"], string(r.raw))
	assert.Equal(t, decode(t, `{"`+app+`":{
	  "*":{"data:read/me":true,"data:write/me":false},
	  "some-other-res":{"data:read/me":true,"data:write/me":false}}}`), r.obj["application"], string(r.raw))
}

func TestConformanceYAML10Basic_HasPrivilegesAPIForAPIKey(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		user, app := yamlBasic(tg)
		yamlHasPrivilegesOfKey(t, tg, user, user.user, app)
	})
}

// 60_admin_user.yml: the same steps as the admin itself, with no user or role of the test's own.
func yamlAdmin(tg *target) (string, string) {
	tg.yamlSetup()
	app := tg.appPrivileges()
	r := tg.call(tg.admin, "GET", "/_security/_authenticate", noBody).ok(tg.t)
	owner, _ := r.obj["username"].(string)
	require.NotEmpty(tg.t, owner)
	return owner, app
}

func TestConformanceYAML60AdminUser_CreateAPIKey(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner, _ := yamlAdmin(tg)
		id, key := tg.created(tg.call(tg.admin, "POST", "/_security/api_key",
			`{"name":"api-key-1","expiration":"1d",`+yamlTwoRoles+`}`), "api-key-1", true)
		tg.dropKey(id)
		tg.authenticatesAs(key, owner, id, "api-key-1")
		tg.clearCache(id)
	})
}

func TestConformanceYAML60AdminUser_GetAPIKeyWithRoleDescriptorsAndMetadata(t *testing.T) {
	forVersions(t, needs{version.AnswerRoleDescriptors}, func(t *testing.T, tg *target) {
		owner, _ := yamlAdmin(tg)
		id, key := tg.created(tg.call(tg.admin, "POST", "/_security/api_key", `{"name":"api-key-2","expiration":"1d",
		  "role_descriptors":{"role-a":{"cluster":["all"],"index":[{"names":["index-a"],"privileges":["read"]}]}},
		  "metadata":{"string":"bean","number":5,"boolean":true}}`), "api-key-2", true)
		tg.dropKey(id)

		r := tg.call(tg.admin, "GET", "/_security/api_key?id="+id, noBody).ok(t)
		assert.Equal(t, id, r.at("api_keys.0.id"))
		assert.Equal(t, "api-key-2", r.at("api_keys.0.name"))
		assert.Equal(t, owner, r.at("api_keys.0.username"))
		assert.Equal(t, false, r.at("api_keys.0.invalidated"))
		assert.NotZero(t, r.at("api_keys.0.creation"))
		assert.Equal(t, decode(t, `{"string":"bean","number":5,"boolean":true}`), r.at("api_keys.0.metadata"))
		assert.Equal(t, decode(t, `{"role-a":{"cluster":["all"],
		  "indices":[{"names":["index-a"],"privileges":["read"],"allow_restricted_indices":false}],
		  "applications":[],"run_as":[],"metadata":{},"transient_metadata":{"enabled":true}}}`), r.at("api_keys.0.role_descriptors"))
		assert.Nil(t, r.at("api_keys.0.access"))
		assert.Nil(t, r.at("api_keys.0.limited_by"))

		r = tg.call(tg.admin, "GET", "/_security/api_key?owner=true", noBody).ok(t)
		keys, _ := r.obj["api_keys"].([]any)
		if !tg.real() {
			// The YAML test's cluster holds only this key of the admin; a shared real cluster may hold more.
			require.Len(t, keys, 1, string(r.raw))
		}
		var mine map[string]any
		for _, k := range keys {
			if m, _ := k.(map[string]any); m["id"] == id {
				mine = m
			}
		}
		require.NotNil(t, mine, string(r.raw))
		assert.Equal(t, owner, mine["username"])
		assert.Equal(t, "api-key-2", mine["name"])
		assert.Equal(t, false, mine["invalidated"])
		assert.NotZero(t, mine["creation"])

		// The key itself (cluster "all") may read itself.
		r = tg.call(key, "GET", "/_security/api_key?id="+id, noBody).ok(t)
		assert.Len(t, r.obj["api_keys"], 1, string(r.raw))
		assert.Equal(t, id, r.at("api_keys.0.id"))
		assert.Equal(t, "api-key-2", r.at("api_keys.0.name"))
		assert.Equal(t, owner, r.at("api_keys.0.username"))
	})
}

func TestConformanceYAML60AdminUser_InvalidateAPIKeys(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		yamlAdmin(tg)
		id1, _ := tg.created(tg.call(tg.admin, "POST", "/_security/api_key",
			`{"name":"api-key-delete-1","expiration":"1d","role_descriptors":{}}`), "api-key-delete-1", true)
		id2, _ := tg.created(tg.call(tg.admin, "POST", "/_security/api_key",
			`{"name":"api-key-delete-2","expiration":"1d","role_descriptors":{}}`), "api-key-delete-2", true)
		invalidated(t, tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":["`+id1+`","`+id2+`"]}`), id1, id2)
	})
}

func TestConformanceYAML60AdminUser_HasPrivilegesAPIForAPIKey(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner, app := yamlAdmin(tg)
		yamlHasPrivilegesOfKey(t, tg, tg.admin, owner, app)
	})
}

func TestConformanceYAML60AdminUser_UpdateAPIKeys(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner, _ := yamlAdmin(tg)
		id, key := tg.created(tg.call(tg.admin, "POST", "/_security/api_key", `{"name":"api-key-update","expiration":"1d",
		  "role_descriptors":{"access":{"cluster":["monitor"]}},"metadata":{"step":1}}`), "api-key-update", true)
		tg.dropKey(id)

		k := tg.get(id)
		assert.Equal(t, "api-key-update", k["name"])
		assert.Equal(t, owner, k["username"])
		assert.Equal(t, float64(1), at(k, "metadata.step"))
		assert.False(t, tg.canCluster(key, "manage"))

		assert.True(t, tg.update(tg.admin, id, `{"role_descriptors":{"access":{"cluster":["manage"]}},"metadata":{"step":2}}`))
		k = tg.get(id)
		assert.Equal(t, "api-key-update", k["name"])
		assert.Equal(t, owner, k["username"])
		assert.Equal(t, float64(2), at(k, "metadata.step"))
		assert.True(t, tg.canCluster(key, "manage"))
	})
}

// security/10_api_key_basic.yml of the clients' suite, without its query step (the query API is served
// elsewhere): create with empty cluster and indices, get by id, invalidate.
func TestConformanceYAMLClients10APIKeyBasic_APIKey(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.admin
		r := tg.call(owner, "POST", "/_security/api_key", `{"name":"test_api_key","role_descriptors":{"test_role":{"cluster":[],"indices":[]}}}`)
		id, _ := tg.created(r, "test_api_key", false)
		r = tg.call(owner, "GET", "/_security/api_key?id="+id, noBody).ok(t)
		assert.Equal(t, "test_api_key", r.at("api_keys.0.name"))
		r = tg.call(owner, "DELETE", "/_security/api_key", `{"ids":["`+id+`"]}`).ok(t)
		assert.Equal(t, []any{id}, r.obj["invalidated_api_keys"])
	})
}
