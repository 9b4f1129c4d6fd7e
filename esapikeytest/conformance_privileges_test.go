package esapikeytest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// hasPrivileges calls POST /_security/user/_has_privileges as c and asserts a 200 answer.
func (tg *target) hasPrivileges(c cred, body string) *reply {
	tg.t.Helper()
	return tg.call(c, "POST", "/_security/user/_has_privileges", body).ok(tg.t)
}

// can asks one index privilege on one index, the question most scenarios below ask.
func (tg *target) can(c cred, privilege, index string) bool {
	tg.t.Helper()
	r := tg.hasPrivileges(c, `{"index":[{"names":["`+index+`"],"privileges":["`+privilege+`"]}]}`)
	v, ok := r.at("index." + index + "." + privilege).(bool)
	require.True(tg.t, ok, string(r.raw))
	return v
}

// canCluster asks one cluster privilege.
func (tg *target) canCluster(c cred, privilege string) bool {
	tg.t.Helper()
	r := tg.hasPrivileges(c, `{"cluster":["`+privilege+`"]}`)
	v, ok := r.obj["cluster"].(map[string]any)[privilege].(bool)
	require.True(tg.t, ok, string(r.raw))
	return v
}

// The three documented update examples, each followed by _has_privileges with the key: what the key
// may do is its descriptors intersected with the owner's snapshot (LimitedRole).
func TestConformanceHasPrivilegesDocumentedExamples(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		ownerRole := tg.role(`{"cluster":["all"],"indices":[{"names":["*"],"privileges":["all"]}]}`)
		owner := tg.user(ownerRole)
		id, key := tg.key(owner, `{"name":"my-api-key","role_descriptors":{"role-a":{"cluster":["all"],"indices":[{"names":["index-a*"],"privileges":["read"]}]}}}`)
		assert.True(t, tg.canCluster(key, "all"))
		assert.True(t, tg.can(key, "read", "index-a1"))
		assert.False(t, tg.can(key, "write", "index-a1"), "the key's own descriptor grants read only")
		assert.False(t, tg.can(key, "read", "index-b"))

		// 1. New descriptors: write on every index, no cluster privilege.
		tg.update(owner, id, `{"role_descriptors":{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}},"metadata":{"environment":{"level":2}}}`)
		assert.False(t, tg.canCluster(key, "all"))
		assert.True(t, tg.can(key, "write", "index-b"))
		assert.True(t, tg.can(key, "index", "index-b"), "write implies index")
		assert.False(t, tg.can(key, "read", "index-a1"))

		// 2. No descriptors: the key holds exactly its owner's snapshot.
		tg.update(owner, id, `{"role_descriptors":{}}`)
		assert.True(t, tg.canCluster(key, "all"))
		assert.True(t, tg.can(key, "read", "index-a1"))
		assert.True(t, tg.can(key, "manage", "anything"))

		// 3. The owner's role shrinks: the key keeps its snapshot until a bodyless update refreshes it.
		tg.putRole(ownerRole, `{"cluster":["manage_security"],"indices":[{"names":["*"],"privileges":["read"]}]}`)
		assert.True(t, tg.canCluster(key, "all"), "the snapshot is taken at creation or update, not read live")
		assert.True(t, tg.update(owner, id, noBody))
		assert.False(t, tg.canCluster(key, "all"))
		assert.True(t, tg.canCluster(key, "manage_security"))
		assert.True(t, tg.canCluster(key, "manage_api_key"), "manage_security implies manage_api_key")
		assert.True(t, tg.can(key, "read", "index-a1"))
		assert.False(t, tg.can(key, "write", "index-a1"))
	})
}

// An owner who loses a role, then a bodyless update: the key narrows with its owner.
func TestConformanceHasPrivilegesOwnerLosesRole(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		logs := tg.role(`{"cluster":["manage_own_api_key"],"indices":[{"names":["logs-*"],"privileges":["read"]}]}`)
		metrics := tg.role(`{"indices":[{"names":["metrics-*"],"privileges":["read","write"]}]}`)
		owner := tg.user(logs, metrics)
		id, key := tg.key(owner, `{"name":"narrowing"}`)
		assert.True(t, tg.can(key, "write", "metrics-1"))

		tg.putUser(owner.user, `{"roles":["`+logs+`"]}`)
		assert.True(t, tg.can(key, "write", "metrics-1"), "still the snapshot of creation")
		assert.True(t, tg.update(owner, id, noBody))
		assert.False(t, tg.can(key, "write", "metrics-1"))
		assert.False(t, tg.can(key, "read", "metrics-1"))
		assert.True(t, tg.can(key, "read", "logs-1"))
		assert.False(t, tg.update(owner, id, noBody), "nothing changed since")
	})
}

// A key with "role_descriptors": {} answers exactly as its owner does.
func TestConformanceHasPrivilegesEmptyDescriptors(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.user(tg.role(`{"cluster":["manage_own_api_key","monitor"],"indices":[{"names":["logs-*"],"privileges":["read","write"]},
			{"names":["/metrics-[0-9]+/"],"privileges":["monitor"]}],"run_as":["nobody"]}`))
		_, key := tg.key(owner, `{"name":"same-as-owner","role_descriptors":{}}`)
		body := `{"cluster":["monitor","manage","manage_own_api_key","cluster:admin/xpack/security/api_key/get","none"],
		  "index":[{"names":["logs-1","logs-*","*","metrics-7","metrics-x"],"privileges":["read","write","delete","create_doc","manage","none"]},
		           {"names":[".security-7",".security*"],"privileges":["read"],"allow_restricted_indices":true}]}`
		asOwner := tg.hasPrivileges(owner, body)
		asKey := tg.hasPrivileges(key, body)
		for _, field := range []string{"username", "has_all_requested", "cluster", "index", "application"} {
			assert.Equal(t, asOwner.obj[field], asKey.obj[field], field)
		}
		assert.Equal(t, owner.user, asKey.obj["username"])
		assert.Equal(t, decode(t, `{"monitor":true,"manage":false,"manage_own_api_key":true,"cluster:admin/xpack/security/api_key/get":false,"none":true}`), asKey.obj["cluster"])
		assert.Equal(t, decode(t, `{"read":true,"write":true,"delete":true,"create_doc":true,"manage":false,"none":true}`), asKey.at("index.logs-*"))
		assert.Equal(t, decode(t, `{"read":false,"write":false,"delete":false,"create_doc":false,"manage":false,"none":false}`), asKey.at("index.*"))
		assert.Equal(t, true, asKey.at("index.metrics-7.none"))
		assert.Equal(t, false, asKey.at("index.metrics-x.none"))
		index := asKey.obj["index"].(map[string]any)
		assert.Equal(t, decode(t, `{"read":false}`), index[".security-7"], "restricted indices need allow_restricted_indices on the role")
		assert.Equal(t, decode(t, `{"read":false}`), index[".security*"])
	})
}

// "Test update api key" and "Test bulk update api keys" of 30_update.yml: what the keys may do before
// and after the update.
func TestConformanceHasPrivilegesAfterUpdate(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		const ask = `{"cluster":["manage_own_api_key"],"index":[{"names":["index-a"],"privileges":["write"]},{"names":["index-b"],"privileges":["read"]}]}`
		const narrow = `"role_descriptors":{"role-a":{"cluster":["none"],"index":[{"names":["index-a"],"privileges":["read"]}]}}`
		const wide = `"role_descriptors":{"role-a":{"cluster":["all"],"index":[{"names":["index-a"],"privileges":["write"]},{"names":["index-b"],"privileges":["read"]}]}}`

		id, key := tg.key(owner, `{"name":"one",`+narrow+`}`)
		r := tg.hasPrivileges(key, ask)
		assert.Equal(t, false, r.obj["has_all_requested"])
		assert.Equal(t, decode(t, `{"manage_own_api_key":false}`), r.obj["cluster"], "none holds no API-key action")
		assert.True(t, tg.update(owner, id, `{`+wide+`,"metadata":{"letter":"a","number":42}}`))
		r = tg.hasPrivileges(key, ask)
		assert.Equal(t, true, r.obj["has_all_requested"], string(r.raw))
		assert.Equal(t, decode(t, `{"manage_own_api_key":true}`), r.obj["cluster"], "all on the key, manage_own_api_key on the owner")
		assert.False(t, tg.canCluster(key, "manage_api_key"), "the owner's manage_own_api_key limits the key's all")

		if !tg.has(version.RouteBulkUpdate) {
			return
		}
		id1, key1 := tg.key(owner, `{"name":"api-key-1",`+narrow+`}`)
		id2, key2 := tg.key(owner, `{"name":"api-key-2","role_descriptors":{"role-a":{"cluster":["monitor"]}}}`)
		for _, k := range []cred{key1, key2} {
			assert.Equal(t, false, tg.hasPrivileges(k, ask).obj["has_all_requested"])
		}
		r = tg.call(owner, "POST", "/_security/api_key/_bulk_update", `{"ids":["`+id1+`","`+id2+`"],`+wide+`}`).ok(t)
		assert.Equal(t, []any{id1, id2}, r.obj["updated"])
		for _, k := range []cred{key1, key2} {
			assert.Equal(t, true, tg.hasPrivileges(k, ask).obj["has_all_requested"])
		}
	})
}

// "Test update api key without explicit field updates" of 30_update.yml: a key without descriptors
// follows its owner's new role after an update with an empty body.
func TestConformanceHasPrivilegesAutoUpdate(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		role := tg.role(`{"cluster":["manage_own_api_key"],"indices":[{"names":["*"],"privileges":["all"]}]}`)
		owner := tg.user(role)
		id, key := tg.key(owner, `{"name":"auto","metadata":{"letter":"a","number":42}}`)
		const ask = `{"cluster":["all"],"index":[{"names":["index-a"],"privileges":["read"]}]}`
		assert.Equal(t, false, tg.hasPrivileges(key, ask).obj["has_all_requested"])
		tg.putRole(role, `{"cluster":["all"],"indices":[{"names":"index-a","privileges":["all"]}]}`)
		assert.True(t, tg.update(owner, id, `{}`))
		assert.Equal(t, true, tg.hasPrivileges(key, ask).obj["has_all_requested"])
		assert.False(t, tg.can(key, "read", "index-b"))
	})
}

// "Test has privileges API for api key" of 10_basic.yml: index and application answers of a key whose
// two descriptors grant less than its owner.
func TestConformanceHasPrivilegesBasic(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		app := "esk" + tg.prefix[4:]
		tg.call(tg.admin, "PUT", "/_security/privilege", `{"`+app+`":{"read":{"actions":["data:read/*"]},"write":{"actions":["data:write/*"]}}}`).ok(t)
		t.Cleanup(func() { tg.call(tg.admin, "DELETE", "/_security/privilege/"+app+"/read,write", noBody) })
		owner := tg.user(tg.role(`{"cluster":["manage_own_api_key"],"indices":[{"names":"*","privileges":["all"]}],
			"applications":[{"application":"` + app + `","privileges":["*"],"resources":["*"]}]}`))
		_, key := tg.key(owner, `{"name":"basic","role_descriptors":{
		  "role-a":{"indices":[{"names":["index-a"],"privileges":["read"]}],"applications":[{"application":"`+app+`","privileges":["read"],"resources":["*"]}]},
		  "role-b":{"indices":[{"names":["index-b"],"privileges":["all"]}]}}}`)
		r := tg.hasPrivileges(key, `{
		  "index":[{"names":["*","index-a"],"privileges":["read","index","write"]},{"names":["index-a","index-b"],"privileges":["read","write"]}],
		  "application":[{"application":"`+app+`","resources":["*","some-other-res"],"privileges":["data:read/me","data:write/me"]}]}`)
		assert.Equal(t, false, r.obj["has_all_requested"])
		assert.Equal(t, owner.user, r.obj["username"])
		assert.Equal(t, decode(t, `{"*":{"read":false,"index":false,"write":false},"index-a":{"read":true,"index":false,"write":false},
			"index-b":{"read":true,"write":true}}`), r.obj["index"])
		assert.Equal(t, decode(t, `{"`+app+`":{"*":{"data:read/me":true,"data:write/me":false},"some-other-res":{"data:read/me":true,"data:write/me":false}}}`), r.obj["application"])
		assert.Equal(t, decode(t, `{}`), r.obj["cluster"])
	})
}

// 40_view_role_descriptors.yml's concern: what GET /_security/user/_privileges shows for a key. The
// refusal for a key with assigned descriptors came in 8.5 (#89333) with their rendering in GET
// (AnswerRoleDescriptors); the table has no row of its own for it.
func TestConformanceUserPrivilegesOfKey(t *testing.T) {
	forVersions(t, needs{version.AnswerRoleDescriptors}, func(t *testing.T, tg *target) {
		role := tg.role(`{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["logs-b","logs-a"],"privileges":["write","read"]}],"run_as":["z","a"]}`)
		owner := tg.user(role)
		_, plain := tg.key(owner, `{"name":"plain"}`)
		_, scoped := tg.key(owner, `{"name":"scoped","role_descriptors":{"r":{"cluster":["monitor"]}}}`)

		want := decode(t, `{"cluster":["manage_own_api_key","monitor"],"global":[],
		  "indices":[{"names":["logs-a","logs-b"],"privileges":["read","write"],"allow_restricted_indices":false}],
		  "applications":[],"run_as":["a","z"]}`)
		assert.Equal(t, want, decode(t, string(tg.call(owner, "GET", "/_security/user/_privileges", noBody).ok(t).raw)))
		assert.Equal(t, want, decode(t, string(tg.call(plain, "GET", "/_security/user/_privileges", noBody).ok(t).raw)))
		tg.call(scoped, "GET", "/_security/user/_privileges", noBody).isError(t, 400, illegalArg,
			"Cannot retrieve privileges for API keys with assigned role descriptors. Please use the Get API key information API https://ela.st/es-api-get-api-key")
	})
}

// Bodies RoleDescriptor.parsePrivilegesToCheck and PrivilegesToCheck.validate refuse, and the
// own-account rule of TransportHasPrivilegesAction.
func TestConformanceHasPrivilegesErrors(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		u := tg.owner()
		d := u.user + "/has_privileges"
		for _, c := range []struct{ body, typ, reason string }{
			{`[]`, "parse_exception", "failed to parse privileges check [" + d + "]. expected an object but found [START_ARRAY] instead"},
			{`{}`, "parse_exception", "failed to parse privileges check [" + d + "]. All privilege fields [cluster,index,applications] are missing"},
			{`{"indices":[]}`, "parse_exception", "failed to parse privileges check [" + d + "]. unexpected field [indices]"},
			{`{"cluster":[]}`, validation, "Validation Failed: 1: must specify at least one privilege;"},
			{`{"index":[{"names":["a"],"privileges":["read"],"query":"{}"}]}`, "parse_exception", "Field [query] is not supported in a has_privileges request"},
			{`{"index":[{"query":"{}","field_security":{"grant":["a"]},"names":["a"],"privileges":["read"]}]}`, "parse_exception", "Field [field_security] is not supported in a has_privileges request"},
			{`{"index":[{"names":[],"privileges":["read"]}]}`, "parse_exception", "failed to parse indices privileges for role [" + d + "]. [names] cannot be an empty array"},
			{`{"index":[{"names":["a"]}]}`, "parse_exception", "failed to parse indices privileges for role [" + d + "]. missing required [privileges] field"},
			{`{"application":[{"application":"app","privileges":[],"resources":["*"]}]}`, illegalArg, "application privileges must define at least one privilege"},
			{`{"application":[{"application":"app*","privileges":["x"],"resources":["*"]}]}`, validation, "Validation Failed: 1: Application names may not contain '*' (found 'app*');"},
			{`{"cluster":["fly"]}`, illegalArg, "unknown cluster privilege [fly]. a privilege must be either one of the predefined cluster privilege names ["},
			{`{"index":[{"names":["a"],"privileges":["fly"]}]}`, illegalArg, "unknown index privilege [fly]. a privilege must be either one of the predefined fixed indices privileges ["},
		} {
			r := tg.call(u, "POST", "/_security/user/_has_privileges", c.body)
			require.Equal(t, 400, r.status, "%s: %s", c.body, r.raw)
			assert.Equal(t, c.typ, r.at("error.type"), c.body)
			got, _ := r.at("error.reason").(string)
			assert.Contains(t, got, c.reason, c.body)
		}

		// Checking oneself by name is fine; checking someone else is refused.
		r := tg.call(u, "GET", "/_security/user/"+u.user+"/_has_privileges", `{"cluster":["monitor"]}`).ok(t)
		assert.Equal(t, decode(t, `{"monitor":false}`), r.obj["cluster"])
		tg.call(tg.admin, "POST", "/_security/user/"+u.user+"/_has_privileges", `{"cluster":["monitor"]}`).isError(t, 400, illegalArg,
			"users may only check the privileges of their own account")
	})
}

// R7: the 403 names the privileges that grant this very request (findPrivilegesThatGrant): invalidating
// someone else's keys is not granted by manage_own_api_key, invalidating one's own is.
func TestConformanceForbiddenNamesGrantingPrivileges(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		role := tg.role(`{"cluster":["monitor"]}`)
		weak := tg.user(role)
		prefix := "action [cluster:admin/xpack/security/api_key/invalidate] is unauthorized for user [" + weak.user + "] with effective roles [" + role + "], this action is granted by the cluster privileges "
		tg.call(weak, "DELETE", "/_security/api_key", `{"username":"someone-else"}`).isError(t, 403, "security_exception",
			prefix+"[manage_api_key,manage_security,all]")
		tg.call(weak, "DELETE", "/_security/api_key", `{"owner":true}`).isError(t, 403, "security_exception",
			prefix+"[manage_own_api_key,manage_api_key,manage_security,all]")

		own := tg.owner()
		tg.call(own, "DELETE", "/_security/api_key", `{"username":"someone-else"}`).isError(t, 403, "security_exception",
			"action [cluster:admin/xpack/security/api_key/invalidate] is unauthorized for user ["+own.user+"] with effective roles ["+
				tg.rolesOf(own)+"], this action is granted by the cluster privileges [manage_api_key,manage_security,all]")
	})
}

// With run-as, _has_privileges answers for the user run as (RestHasPrivilegesAction takes the
// effective principal); a user who may not run as someone gets the run-as 403 instead.
func TestConformanceHasPrivilegesRunAs(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		bob := tg.user(tg.role(`{"indices":[{"names":["logs-*"],"privileges":["read"]}]}`))
		alice := tg.user(tg.role(`{"run_as":["` + bob.user + `"]}`))
		asBob := alice
		asBob.runAs = bob.user
		r := tg.hasPrivileges(asBob, `{"index":[{"names":["logs-1"],"privileges":["read","write"]}]}`)
		assert.Equal(t, bob.user, r.obj["username"])
		assert.Equal(t, decode(t, `{"logs-1":{"read":true,"write":false}}`), r.obj["index"])
		assert.False(t, tg.can(alice, "read", "logs-1"), "alice herself holds no index privilege")

		asAlice := bob
		asAlice.runAs = alice.user
		r = tg.call(asAlice, "POST", "/_security/user/_has_privileges", `{"cluster":["monitor"]}`)
		assert.Equal(t, 403, r.status, string(r.raw))
		reason, _ := r.at("error.reason").(string)
		assert.Contains(t, reason, "is unauthorized to run as ["+alice.user+"]")
	})
}

// What 40_view_role_descriptors.yml checks of a key's own privileges: a key that inherits only
// manage_own_api_key may not read its own limited-by roles, one that inherits manage_api_key may.
func TestConformanceKeyViewsOwnLimitedBy(t *testing.T) {
	forVersions(t, needs{version.GetWithLimitedBy}, func(t *testing.T, tg *target) {
		userRole := tg.role(`{"cluster":["manage_own_api_key"]}`)
		adminRole := tg.role(`{"cluster":["manage_api_key"],"indices":[{"names":"*","privileges":["all"]}],"applications":[{"application":"myapp","privileges":["*"],"resources":["*"]}]}`)
		user, admin := tg.user(userRole), tg.user(adminRole)

		id0, key0 := tg.key(user, `{"name":"key-0-limited-by-api-key-user"}`)
		r := tg.call(key0, "GET", "/_security/api_key?with_limited_by=true&id="+id0, noBody)
		assert.Equal(t, 403, r.status, string(r.raw))
		r = tg.call(user, "GET", "/_security/api_key?owner=true&with_limited_by=true&id="+id0, noBody).ok(t)
		assert.Equal(t, decode(t, `{"`+userRole+`":{"cluster":["manage_own_api_key"],"indices":[],"applications":[],"run_as":[],"metadata":{},"transient_metadata":{"enabled":true}}}`),
			r.at("api_keys.0.limited_by.0"))

		id1, key1 := tg.key(admin, `{"name":"key-1-limited-by-api-key-admin"}`)
		r = tg.call(key1, "GET", "/_security/api_key?with_limited_by=true&id="+id1, noBody).ok(t)
		assert.Equal(t, []any{"manage_api_key"}, r.at("api_keys.0.limited_by.0."+adminRole+".cluster"))
		assert.True(t, tg.canCluster(key1, "manage_api_key"))
		assert.False(t, tg.canCluster(key0, "manage_api_key"))
		assert.True(t, tg.canCluster(key0, "manage_own_api_key"))
	})
}
