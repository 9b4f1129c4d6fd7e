package esapikeytest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// The documented examples of the update API reference page, in order.
func TestConformanceDocumentedExamples(t *testing.T) {
	forVersions(t, needs{version.AnswerRoleDescriptors, version.AnswerLimitedBy}, func(t *testing.T, tg *target) {
		ownerRole := tg.role(`{"cluster":["all"],"indices":[{"names":["*"],"privileges":["all"]}]}`)
		owner := tg.user(ownerRole)
		id, _ := tg.key(owner, `{
		  "name": "my-api-key",
		  "role_descriptors": {"role-a": {"cluster": ["all"], "indices": [{"names": ["index-a*"], "privileges": ["read"]}]}},
		  "metadata": {"application": "my-application", "environment": {"level": 1, "trusted": true, "tags": ["dev", "staging"]}}
		}`)

		// 1. New role descriptors and metadata.
		assert.True(t, tg.update(owner, id, `{
		  "role_descriptors": {"role-a": {"indices": [{"names": ["*"], "privileges": ["write"]}]}},
		  "metadata": {"environment": {"level": 2, "trusted": true, "tags": ["production"]}}
		}`))
		k := tg.get(id)
		assert.Equal(t, decode(t, `{"environment":{"level":2,"trusted":true,"tags":["production"]}}`), k["metadata"])
		assert.Equal(t, decode(t, `[{"names":["*"],"privileges":["write"],"allow_restricted_indices":false}]`), at(k, "role_descriptors.role-a.indices"))
		assert.Equal(t, decode(t, `[]`), at(k, "role_descriptors.role-a.cluster"))

		// 2. Remove the assigned privileges: the key inherits the owner's.
		assert.True(t, tg.update(owner, id, `{"role_descriptors":{}}`))
		k = tg.get(id)
		assert.Equal(t, map[string]any{}, k["role_descriptors"])
		assert.Equal(t, []any{"all"}, at(k, "limited_by.0."+ownerRole+".cluster"))

		// 3. No body after the owner's roles changed: the limited-by snapshot is refreshed.
		tg.putRole(ownerRole, `{"cluster":["manage_security"],"indices":[{"names":["*"],"privileges":["read"]}]}`)
		assert.True(t, tg.update(owner, id, noBody))
		k = tg.get(id)
		assert.Equal(t, []any{"manage_security"}, at(k, "limited_by.0."+ownerRole+".cluster"))

		// Nothing changed since: a no-op.
		assert.False(t, tg.update(owner, id, noBody))
	})
}

// "Test update api key" of Elasticsearch's 30_update.yml.
func TestConformanceYAMLUpdate(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		id, _ := tg.key(owner, `{"name":"user1-api-key","role_descriptors":{"role-a":{"cluster":["none"],"index":[{"names":["index-a"],"privileges":["read"]}]}}}`)
		assert.True(t, tg.update(owner, id, `{
		  "role_descriptors": {"role-a": {"cluster": ["all"], "index": [
		    {"names": ["index-a"], "privileges": ["write"]}, {"names": ["index-b"], "privileges": ["read"]}]}},
		  "metadata": {"letter": "a", "number": 42}
		}`))
		r := tg.call(owner, "GET", "/_security/api_key?owner=true&id="+id, noBody).ok(t)
		assert.Equal(t, decode(t, `{"letter":"a","number":42}`), r.at("api_keys.0.metadata"))
		if tg.has(version.AnswerType) {
			assert.Equal(t, "rest", r.at("api_keys.0.type"))
		} else {
			assert.Nil(t, r.at("api_keys.0.type"), "before 8.10 keys have no type")
		}
		assert.Equal(t, owner.user, r.at("api_keys.0.username"))
		assert.Equal(t, "default_native", r.at("api_keys.0.realm"))
		assert.Equal(t, false, r.at("api_keys.0.invalidated"))
		assert.Nil(t, r.at("api_keys.0.limited_by"), "limited_by only with with_limited_by=true")
	})
}

// "Test update api key without explicit field updates" and "with empty request fields" of 30_update.yml.
func TestConformanceYAMLAutoUpdate(t *testing.T) {
	forVersions(t, needs{version.AnswerRoleDescriptors}, func(t *testing.T, tg *target) {
		role := tg.role(`{"cluster":["manage_own_api_key"],"indices":[{"names":["*"],"privileges":["all"]}]}`)
		owner := tg.user(role)
		id, _ := tg.key(owner, `{"name":"user1-api-key","metadata":{"letter":"a","number":42}}`)
		id2, _ := tg.key(owner, `{"name":"user1-api-key","role_descriptors":{"role-a":{"cluster":["none"]}},"metadata":{"letter":"a","number":42}}`)

		tg.putRole(role, `{"cluster":["all"],"indices":[{"names":"index-a","privileges":["all"]}]}`)
		assert.True(t, tg.update(owner, id, `{}`))
		assert.False(t, tg.update(owner, id, noBody))
		assert.Equal(t, decode(t, `{"letter":"a","number":42}`), tg.get(id)["metadata"])

		assert.True(t, tg.update(owner, id2, `{"role_descriptors":{},"metadata":{}}`))
		k := tg.get(id2)
		assert.Equal(t, map[string]any{}, k["metadata"])
		assert.Equal(t, map[string]any{}, k["role_descriptors"])
	})
}

func TestConformanceNoop(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		roles := `{"a":{"cluster":["monitor"]},"b":{"indices":[{"names":["x"],"privileges":["read"]}]}}`
		id, _ := tg.key(owner, `{"name":"k","role_descriptors":`+roles+`,"metadata":{"m":1}}`)

		for name, body := range map[string]string{
			"no body":              noBody,
			"empty object":         `{}`,
			"identical values":     `{"role_descriptors":` + roles + `,"metadata":{"m":1}}`,
			"descriptor order":     `{"role_descriptors":{"b":{"indices":[{"names":["x"],"privileges":["read"]}]},"a":{"cluster":["monitor"]}}}`,
			"index alias":          `{"role_descriptors":{"a":{"cluster":["monitor"]},"b":{"index":[{"names":"x","privileges":["read"]}]}}}`,
			"metadata key order":   `{"metadata":{"m":1}}`,
			"defaults spelled out": `{"role_descriptors":{"a":{"cluster":["monitor"],"run_as":[]},"b":{"indices":[{"names":["x"],"privileges":["read"],"allow_restricted_indices":false}]}}}`,
		} {
			t.Run(name, func(t *testing.T) { assert.False(t, tg.update(owner, id, body)) })
		}
	})
}

func TestConformanceUpdated(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		id, _ := tg.key(owner, `{"name":"k","role_descriptors":{"a":{"cluster":["monitor"]}}}`)

		t.Run("metadata {} on a key created without metadata", func(t *testing.T) {
			assert.True(t, tg.update(owner, id, `{"metadata":{}}`))
			assert.False(t, tg.update(owner, id, `{"metadata":{}}`))
		})
		t.Run("metadata replaces, never merges", func(t *testing.T) {
			assert.True(t, tg.update(owner, id, `{"metadata":{"a":1,"b":{"c":2}}}`))
			assert.True(t, tg.update(owner, id, `{"metadata":{"b":{"d":3}}}`))
			assert.Equal(t, decode(t, `{"b":{"d":3}}`), tg.get(id)["metadata"])
		})
		t.Run("any expiration is an update", func(t *testing.T) {
			if !tg.has(version.UpdateExpiration) {
				t.Skip("before 8.13 an update has no expiration")
			}
			assert.True(t, tg.update(owner, id, `{"expiration":"1d"}`))
			assert.True(t, tg.update(owner, id, `{"expiration":"1d"}`))
			exp, _ := tg.get(id)["expiration"].(float64)
			want := time.Now().Add(24 * time.Hour).UnixMilli()
			if !tg.real() {
				want = tg.srv.Now().Add(24 * time.Hour).UnixMilli()
			}
			assert.InDelta(t, want, exp, float64(time.Minute.Milliseconds()))
		})
		t.Run("changed role descriptor", func(t *testing.T) {
			assert.True(t, tg.update(owner, id, `{"role_descriptors":{"a":{"cluster":["monitor","manage_own_api_key"]}}}`))
			assert.True(t, tg.update(owner, id, `{"role_descriptors":{"a":{"cluster":["manage_own_api_key","monitor"]}}}`), "privileges order counts")
			assert.True(t, tg.update(owner, id, `{"role_descriptors":{"renamed":{"cluster":["manage_own_api_key","monitor"]}}}`))
		})
		t.Run("owner details changed", func(t *testing.T) {
			assert.False(t, tg.update(owner, id, noBody))
			u := tg.call(tg.admin, "GET", "/_security/user/"+owner.user, noBody).ok(t)
			roles := u.at(owner.user + ".roles")
			tg.putUser(owner.user, `{"roles":`+jsonString(roles)+`,"full_name":"Another Name","email":"owner@example.com"}`)
			assert.True(t, tg.update(owner, id, noBody))
			assert.False(t, tg.update(owner, id, noBody))
		})
		t.Run("owner roles changed", func(t *testing.T) {
			extra := tg.role(`{"cluster":["monitor"]}`)
			u := tg.call(tg.admin, "GET", "/_security/user/"+owner.user, noBody).ok(t)
			roles, _ := u.at(owner.user + ".roles").([]any)
			tg.putUser(owner.user, `{"roles":`+jsonString(append(roles, extra))+`}`)
			assert.True(t, tg.update(owner, id, noBody))
			if tg.has(version.AnswerLimitedBy) {
				assert.Contains(t, at(tg.get(id), "limited_by.0"), extra)
			}
		})
	})
}

func TestConformanceRunAs(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		admin := tg.user(tg.role(`{"cluster":["manage_own_api_key"],"run_as":["` + owner.user + `"]}`))

		r := tg.call(cred{user: admin.user, pass: admin.pass, runAs: owner.user}, "POST", "/_security/api_key", `{"name":"run-as-key"}`).ok(t)
		id, _ := r.obj["id"].(string)
		assert.Equal(t, owner.user, tg.get(id)["username"], "a key created under run-as belongs to the run-as user")
		assert.True(t, tg.update(cred{user: admin.user, pass: admin.pass, runAs: owner.user}, id, `{"metadata":{"by":"run-as"}}`))
		assert.False(t, tg.update(owner, id, `{"metadata":{"by":"run-as"}}`))

		stranger := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		r = tg.call(cred{user: admin.user, pass: admin.pass, runAs: stranger.user}, "PUT", "/_security/api_key/"+id, noBody)
		r.isError(t, 403, "security_exception", "action [cluster:admin/xpack/security/api_key/update] is unauthorized for user ["+
			admin.user+"] with effective roles ["+roleOf(t, tg, admin)+"], because user ["+admin.user+"] is unauthorized to run as ["+stranger.user+"]")
	})
}

func TestConformanceEmptyIDIsTheCreateRoute(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		r := tg.call(owner, "PUT", "/_security/api_key/", `{"name":"created-by-put"}`).ok(t)
		assert.NotEmpty(t, r.obj["api_key"])
		assert.Equal(t, "created-by-put", r.obj["name"])
	})
}

func TestConformanceEscapedID(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		for _, c := range []struct{ path, id string }{
			{"a%2Fb", "a/b"}, {"a%3Fb", "a?b"}, {"a%23b", "a#b"}, {"%2E%2E", ".."}, {"%C3%A9", "é"},
		} {
			r := tg.call(owner, "PUT", "/_security/api_key/"+c.path, noBody)
			r.isError(t, 404, "resource_not_found_exception", "no API key owned by requesting user found for ID ["+c.id+"]")
		}
	})
}

func TestConformanceRootAndAuthenticate(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		r := tg.call(tg.admin, "GET", "/", noBody).ok(t)
		assert.Equal(t, "You Know, for Search", r.obj["tagline"])
		assert.NotEmpty(t, r.at("version.number"))

		owner := tg.owner()
		r = tg.call(owner, "GET", "/_security/_authenticate", noBody).ok(t)
		assert.Equal(t, owner.user, r.obj["username"])
		assert.Equal(t, "default_native", r.at("authentication_realm.name"))
		_, key := tg.key(owner, `{"name":"who-am-i"}`)
		r = tg.call(key, "GET", "/_security/_authenticate", noBody).ok(t)
		assert.Equal(t, owner.user, r.obj["username"])
		assert.Equal(t, "api_key", r.obj["authentication_type"])
		assert.Equal(t, "who-am-i", r.at("api_key.name"))
		if tg.has(version.AuthenticateManagedBy) {
			assert.Equal(t, tg.v.Text(version.AuthenticateManagedBy), r.at("api_key.managed_by"), string(r.raw))
		} else {
			assert.Nil(t, r.at("api_key.managed_by"), string(r.raw))
		}
	})
}

func roleOf(t *testing.T, tg *target, c cred) string {
	t.Helper()
	r := tg.call(tg.admin, "GET", "/_security/user/"+c.user, noBody).ok(t)
	roles, _ := r.at(c.user + ".roles").([]any)
	require.Len(t, roles, 1)
	return roles[0].(string)
}

func at(m map[string]any, path string) any {
	return (&reply{obj: m}).at(path)
}
