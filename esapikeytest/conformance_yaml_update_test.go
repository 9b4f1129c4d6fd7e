package esapikeytest_test

// Scenarios following x-pack rest-api-spec test/api_key/30_update.yml: single and bulk updates, what
// the keys may do afterwards (_has_privileges with the key), and the automatic refresh of the limited-by
// snapshot when the owner's role changed.

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// yamlUpdate is 30_update.yml's setup: a user whose role manages its own keys and has every index
// privilege. It returns the role's name, which some scenarios redefine.
func yamlUpdate(tg *target) (cred, string) {
	tg.yamlSetup()
	role := tg.role(`{"cluster":["manage_own_api_key"],"indices":[{"names":"*","privileges":["all"]}]}`)
	return tg.user(role), role
}

// The questions 30_update.yml asks of a key before and after an update.
const (
	yamlAskWrite = `{"cluster":["manage_own_api_key"],"index":[{"names":["index-a"],"privileges":["write"]},{"names":["index-b"],"privileges":["read"]}]}`
	yamlAskAll   = `{"cluster":["all"],"index":[{"names":["index-a"],"privileges":["read"]}]}`
	yamlGrantAll = `{"cluster":["all"],"indices":[{"names":"index-a","privileges":["all"]}]}`
	yamlRoleA    = `{"role-a":{"cluster":["all"],"index":[{"names":["index-a"],"privileges":["write"]},{"names":["index-b"],"privileges":["read"]}]}}`
)

// hasAll asks _has_privileges with a key and returns has_all_requested.
func (tg *target) hasAll(key cred, body string) bool {
	tg.t.Helper()
	r := tg.hasPrivileges(key, body)
	v, ok := r.obj["has_all_requested"].(bool)
	require.True(tg.t, ok, string(r.raw))
	return v
}

// ownKeyMetadata reads a key's metadata as its owner sees it (get_api_key with owner=true).
func (tg *target) ownKeyMetadata(owner cred, id string) any {
	tg.t.Helper()
	r := tg.call(owner, "GET", "/_security/api_key?owner=true&id="+id, noBody).ok(tg.t)
	assert.Len(tg.t, r.obj["api_keys"], 1, string(r.raw))
	return r.at("api_keys.0.metadata")
}

func TestConformanceYAML30Update_UpdateAPIKey(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		user, _ := yamlUpdate(tg)
		id, key := tg.created(tg.call(user, "POST", "/_security/api_key", `{"name":"user1-api-key",
		  "role_descriptors":{"role-a":{"cluster":["none"],"index":[{"names":["index-a"],"privileges":["read"]}]}}}`), "user1-api-key", false)
		assert.False(t, tg.hasAll(key, yamlAskWrite))

		assert.True(t, tg.update(user, id, `{"role_descriptors":`+yamlRoleA+`,"metadata":{"letter":"a","number":42}}`))
		assert.True(t, tg.hasAll(key, yamlAskWrite))
		assert.Equal(t, decode(t, `{"letter":"a","number":42}`), tg.ownKeyMetadata(user, id))
	})
}

func TestConformanceYAML30Update_UpdateAPIKeyWithoutExplicitFieldUpdates(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		user, role := yamlUpdate(tg)
		id, key := tg.created(tg.call(user, "POST", "/_security/api_key",
			`{"name":"user1-api-key","metadata":{"letter":"a","number":42}}`), "user1-api-key", false)

		tg.putRole(role, yamlGrantAll)
		assert.True(t, tg.update(user, id, `{}`), "the owner's roles changed: the limited-by snapshot is refreshed")
		r := tg.call(user, "PUT", "/_security/api_key/"+id, noBody).ok(t)
		assert.Equal(t, false, r.obj["updated"], "an update without a body changes nothing now")
		assert.Equal(t, decode(t, `{"letter":"a","number":42}`), tg.ownKeyMetadata(user, id))
		assert.True(t, tg.hasAll(key, yamlAskAll))
	})
}

func TestConformanceYAML30Update_UpdateAPIKeyWithEmptyRequestFields(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		user, role := yamlUpdate(tg)
		id, key := tg.created(tg.call(user, "POST", "/_security/api_key", `{"name":"user1-api-key",
		  "role_descriptors":{"role-a":{"cluster":["none"],"index":[{"names":["index-a"],"privileges":["none"]}]}},
		  "metadata":{"letter":"a","number":42}}`), "user1-api-key", false)

		tg.putRole(role, yamlGrantAll)
		assert.True(t, tg.update(user, id, `{"role_descriptors":{},"metadata":{}}`))
		assert.Equal(t, decode(t, `{}`), tg.ownKeyMetadata(user, id))
		assert.True(t, tg.hasAll(key, yamlAskAll), "no descriptors left: the key has its owner's new role")
	})
}

// bulk calls POST /_security/api_key/_bulk_update as c and asserts a 200 answer without errors.
func (tg *target) bulk(c cred, body string) *reply {
	tg.t.Helper()
	r := tg.call(c, "POST", "/_security/api_key/_bulk_update", body).ok(tg.t)
	assert.Nil(tg.t, r.obj["errors"], string(r.raw))
	return r
}

func TestConformanceYAML30Update_BulkUpdateAPIKeys(t *testing.T) {
	forVersions(t, needs{version.RouteBulkUpdate}, func(t *testing.T, tg *target) {
		user, _ := yamlUpdate(tg)
		id1, key1 := tg.created(tg.call(user, "POST", "/_security/api_key", `{"name":"api-key-1",
		  "role_descriptors":{"role-a":{"cluster":["none"],"index":[{"names":["index-a"],"privileges":["read"]}]}}}`), "api-key-1", false)
		id2, key2 := tg.created(tg.call(user, "POST", "/_security/api_key",
			`{"name":"api-key-2","role_descriptors":{"role-a":{"cluster":["monitor"]}}}`), "api-key-2", false)
		assert.False(t, tg.hasAll(key1, yamlAskWrite))
		assert.False(t, tg.hasAll(key2, yamlAskWrite))

		r := tg.bulk(user, `{"ids":["`+id1+`","`+id2+`"],"role_descriptors":`+yamlRoleA+`,"metadata":{"letter":"a","number":42}}`)
		assert.Equal(t, []any{}, r.obj["noops"])
		assert.Equal(t, []any{id1, id2}, r.obj["updated"])

		r = tg.bulk(user, `{"ids":["`+id1+`","`+id2+`"]}`)
		assert.Equal(t, []any{}, r.obj["updated"])
		assert.Equal(t, []any{id1, id2}, r.obj["noops"])

		assert.True(t, tg.hasAll(key1, yamlAskWrite))
		assert.True(t, tg.hasAll(key2, yamlAskWrite))
		r = tg.call(user, "GET", "/_security/api_key?owner=true", noBody).ok(t)
		require.Len(t, r.obj["api_keys"], 2, string(r.raw))
		assert.Equal(t, decode(t, `{"letter":"a","number":42}`), r.at("api_keys.0.metadata"))
		assert.Equal(t, decode(t, `{"letter":"a","number":42}`), r.at("api_keys.1.metadata"))
	})
}

func TestConformanceYAML30Update_BulkUpdateAPIKeyWithoutExplicitFieldUpdates(t *testing.T) {
	forVersions(t, needs{version.RouteBulkUpdate}, func(t *testing.T, tg *target) {
		user, role := yamlUpdate(tg)
		id1, key1 := tg.created(tg.call(user, "POST", "/_security/api_key",
			`{"name":"api-key-1","metadata":{"letter":"a","number":42}}`), "api-key-1", false)
		id2, key2 := tg.created(tg.call(user, "POST", "/_security/api_key",
			`{"name":"api-key-2","metadata":{"letter":"b","number":43}}`), "api-key-2", false)

		tg.putRole(role, yamlGrantAll)
		r := tg.bulk(user, `{"ids":["`+id1+`","`+id2+`"]}`)
		assert.Equal(t, []any{}, r.obj["noops"])
		assert.Equal(t, []any{id1, id2}, r.obj["updated"])
		assert.True(t, tg.hasAll(key1, yamlAskAll))
		assert.True(t, tg.hasAll(key2, yamlAskAll))

		for id, want := range map[string]string{id1: `{"letter":"a","number":42}`, id2: `{"letter":"b","number":43}`} {
			r = tg.call(user, "GET", "/_security/api_key?id="+id, noBody).ok(t)
			assert.Len(t, r.obj["api_keys"], 1, string(r.raw))
			assert.Equal(t, decode(t, want), r.at("api_keys.0.metadata"))
		}
	})
}

func TestConformanceYAML30Update_BulkUpdateAPIKeyWithEmptyRequestFields(t *testing.T) {
	forVersions(t, needs{version.RouteBulkUpdate}, func(t *testing.T, tg *target) {
		user, role := yamlUpdate(tg)
		id1, key1 := tg.created(tg.call(user, "POST", "/_security/api_key", `{"name":"api-key-1",
		  "role_descriptors":{"role-a":{"cluster":["none"],"index":[{"names":["index-a"],"privileges":["none"]}]}},
		  "metadata":{"letter":"a","number":42}}`), "api-key-1", false)
		id2, key2 := tg.created(tg.call(user, "POST", "/_security/api_key", `{"name":"api-key-2",
		  "role_descriptors":{"role-a":{"cluster":["monitor"]}},"metadata":{"letter":"b","number":43}}`), "api-key-2", false)

		tg.putRole(role, yamlGrantAll)
		r := tg.bulk(user, `{"ids":["`+id1+`","`+id2+`"],"role_descriptors":{},"metadata":{}}`)
		assert.Equal(t, []any{}, r.obj["noops"])
		assert.Equal(t, []any{id1, id2}, r.obj["updated"])
		assert.True(t, tg.hasAll(key1, yamlAskAll))
		assert.True(t, tg.hasAll(key2, yamlAskAll))

		r = tg.call(user, "GET", "/_security/api_key?owner=true", noBody).ok(t)
		require.Len(t, r.obj["api_keys"], 2, string(r.raw))
		assert.Equal(t, decode(t, `{}`), r.at("api_keys.0.metadata"))
		assert.Equal(t, decode(t, `{}`), r.at("api_keys.1.metadata"))
	})
}
