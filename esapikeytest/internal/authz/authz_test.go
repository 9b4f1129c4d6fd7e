package authz

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func set(t *testing.T, patterns ...string) *automaton {
	t.Helper()
	a, err := compilePatterns(patterns)
	require.NoError(t, err)
	return a
}

// indexGranted asks one index privilege on one name or pattern through HasPrivileges.
func indexGranted(p Permission, index, priv string, allowRestricted bool) (bool, error) {
	res, err := p.HasPrivileges(Privileges{Index: []IndexCheck{{Names: []string{index}, Privileges: []string{priv}, AllowRestricted: allowRestricted}}}, nil)
	return res.All, err
}

// applicationGranted asks one application privilege on one resource through HasPrivileges.
func applicationGranted(p Permission, app, priv, resource string, stored AppPrivileges) (bool, error) {
	res, err := p.HasPrivileges(Privileges{Application: []AppCheck{{Application: app, Privileges: []string{priv}, Resources: []string{resource}}}}, stored)
	return res.All, err
}

// The subset examples of Automatons.subsetOf that every has-privileges answer rests on.
func TestAutomatonsSubset(t *testing.T) {
	for _, c := range []struct {
		a, b []string
		want bool
	}{
		{[]string{"logs-*"}, []string{"*"}, true},
		{[]string{"logs-a1"}, []string{"logs-*"}, true},
		{[]string{"logs-*"}, []string{"logs-a*"}, false},
		{[]string{"logs-*"}, []string{"logs-a*", "logs-*"}, true},
		{[]string{"?"}, []string{"*"}, true},
		{[]string{"a*"}, []string{"a?*"}, false},
		{[]string{"/logs-[0-9]+/"}, []string{"logs-*"}, true},
		{[]string{"logs-*"}, []string{"/logs-[0-9]+/"}, false},
		{[]string{"/a(b|c){2,3}/"}, []string{"a*"}, true},
		{[]string{"abcc"}, []string{"/a(b|c){2,3}/"}, true},
		{[]string{"abcbc"}, []string{"/a(b|c){2,3}/"}, false},
		{[]string{`/"a.b"/`}, []string{`a\.b`, "x"}, true},
		{[]string{"/[^a-y]z/"}, []string{"?z"}, true},
		{[]string{"az"}, []string{"/[^a-y]z/"}, false},
		{[]string{"/@/"}, []string{"*"}, true},
		{[]string{"*"}, []string{"/@/"}, true},
		{[]string{`a\*`}, []string{"a*"}, true},
		{[]string{"a*"}, []string{`a\*`}, false},
		{nil, []string{"x"}, true}, // the empty language is a subset of everything
	} {
		assert.Equal(t, c.want, subsetOf(set(t, c.a...), set(t, c.b...)), "%v ⊆ %v", c.a, c.b)
	}
	assert.True(t, set(t, `a\*`).run("a*"))
	assert.False(t, set(t, `a\*`).run("ab"))
	assert.True(t, set(t, "/.../").run("日本x"), "a regex '.' is one character, not one byte")
}

func TestPatternErrors(t *testing.T) {
	for _, p := range []string{"/", "/abc", "/a/b "} {
		_, err := compilePattern(p)
		require.Error(t, err, p)
		assert.Equal(t, "invalid pattern ["+p+"]. patterns starting with '/' indicate regular expression pattern and therefore must also end with '/'. other patterns (those that do not start with '/') will be treated as simple wildcard patterns", err.Error())
	}
	// RegExp.ALL | DEPRECATED_COMPLEMENT (Automatons.buildAutomaton): complement, intersection and
	// numeric intervals are syntax; unbalanced groups and repetitions, and backslash letters other
	// than the predefined classes, are refused.
	for _, p := range []string{"/a~b/", "/a&b/", "/<1-5>/"} {
		_, err := compilePattern(p)
		assert.NoError(t, err, p)
	}
	for _, p := range []string{"/(a/", "/a{2/", `/\q/`} {
		_, err := compilePattern(p)
		assert.Error(t, err, p)
	}
}

// Implications among index privileges, derived from IndexPrivilege's action patterns.
func TestIndexPrivilegeImplications(t *testing.T) {
	implies := func(a, b string) bool {
		pa, err := ResolveIndex(a)
		require.NoError(t, err)
		pb, err := ResolveIndex(b)
		require.NoError(t, err)
		return subsetOf(pb.actions, pa.actions)
	}
	for _, c := range [][2]string{{"all", "manage"}, {"write", "index"}, {"index", "create"}, {"create", "create_doc"},
		{"write", "delete"}, {"manage", "monitor"}, {"manage", "view_index_metadata"}, {"manage", "maintenance"},
		{"manage", "create_index"}, {"manage", "auto_configure"}, {"all", "indices:data/read/search"}} {
		assert.True(t, implies(c[0], c[1]), "%s ⊇ %s", c[0], c[1])
	}
	for _, c := range [][2]string{{"read", "view_index_metadata"}, {"write", "auto_configure"}, {"auto_configure", "create_index"},
		{"read", "write"}, {"create_doc", "create"}, {"index", "delete"}} {
		assert.False(t, implies(c[0], c[1]), "%s ⊉ %s", c[0], c[1])
	}
	_, err := ResolveIndex("nope")
	assert.EqualError(t, err, "unknown index privilege [nope]. a privilege must be either one of the predefined fixed indices privileges [all,auto_configure,create,create_doc,create_index,cross_cluster_replication,cross_cluster_replication_internal,delete,delete_index,index,maintenance,manage,manage_data_stream_lifecycle,manage_failure_store,manage_follow_index,manage_ilm,manage_leader_index,monitor,none,read,read_cross_cluster,read_failure_store,view_index_metadata,write] or a pattern over one of the available index actions")
}

func role(t *testing.T, bodies ...string) *Role {
	t.Helper()
	raw := make([]json.RawMessage, len(bodies))
	for i, b := range bodies {
		raw[i] = json.RawMessage(b)
	}
	r, err := Compile(raw...)
	require.NoError(t, err)
	return r
}

// ClusterPermissionTests.testImpliesOnSecurityPrivilegeHierarchy and the action rules of
// ClusterPrivilegeResolver.
func TestClusterGrants(t *testing.T) {
	granted := func(held, asked string) bool {
		ok, err := Of(role(t, `{"cluster":["`+held+`"]}`)).ClusterGranted(asked)
		require.NoError(t, err)
		return ok
	}
	chain := []string{"all", "manage_security", "manage_api_key", "manage_own_api_key"}
	for i, high := range chain {
		for _, low := range chain[i:] {
			assert.True(t, granted(high, low), "%s ⊇ %s", high, low)
		}
	}
	update := "cluster:admin/xpack/security/api_key/update"
	for held, want := range map[string]bool{"all": true, "manage_security": true, "manage_api_key": true, "manage": false, "manage_own_api_key": false, "monitor": false} {
		assert.Equal(t, want, granted(held, update), "%s grants %s", held, update)
	}
	assert.False(t, granted("manage_own_api_key", "cluster:admin/xpack/security/api_key/get"))
	assert.False(t, granted("manage", "manage_api_key"))
	assert.True(t, granted("manage", "monitor"))
	assert.True(t, granted("manage", "cross_cluster_search"))
	assert.False(t, granted("monitor", "monitor_enrich"))
	assert.True(t, granted("MONITOR", "Monitor"), "names are case-insensitive")
	assert.True(t, granted("monitor", "none"))
	assert.False(t, granted("manage_own_api_key", "none"), "a manage_own_api_key check implies only itself")
	assert.True(t, granted("cluster:admin/xpack/security/api_key/*", "manage_own_api_key"))

	_, err := Of(role(t, `{}`)).ClusterGranted("nope")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "unknown cluster privilege [nope]. a privilege must be either one of the predefined cluster privilege names [manage_own_api_key,manage_data_stream_global_retention,monitor_data_stream_global_retention,none,cancel_task,")
	assert.Contains(t, err.Error(), ",all] or a pattern over one of the available cluster actions")
}

// ClusterPrivilegeResolver.findPrivilegesThatGrant checks each privilege against the request itself.
func TestFindPrivilegesThatGrant(t *testing.T) {
	assert.Equal(t, []string{"manage_api_key", "manage_security", "all"},
		FindPrivilegesThatGrant(Request{Action: ActionInvalidateAPIKey}))
	assert.Equal(t, []string{"manage_own_api_key", "manage_api_key", "manage_security", "all"},
		FindPrivilegesThatGrant(Request{Action: ActionInvalidateAPIKey, OwnKeys: true}))
	assert.Equal(t, []string{"manage_own_api_key", "manage_api_key", "manage_security", "all"},
		FindPrivilegesThatGrant(Request{Action: ActionUpdateAPIKey}))
	assert.Equal(t, []string{"manage_own_api_key", "read_security", "manage_api_key", "manage_security", "all"},
		FindPrivilegesThatGrant(Request{Action: ActionGetAPIKey, OwnKeys: true}))
	assert.Equal(t, []string{"grant_api_key", "manage_api_key", "manage_security", "all"},
		FindPrivilegesThatGrant(Request{Action: ActionGrantAPIKey, OwnKeys: true}))
	// sortByAccessLevel: manage_own_api_key implies no other privilege; none and the two no-op
	// global retention privileges (ActionClusterPrivilege over no action) imply each other only;
	// ties go by name.
	_, order := clusterTable(true)
	assert.Equal(t, []string{"manage_own_api_key", "manage_data_stream_global_retention", "monitor_data_stream_global_retention", "none", "cancel_task"}, order[:5])
	assert.Equal(t, "all", order[len(order)-1])
}

func TestIndexChecks(t *testing.T) {
	r := Of(role(t, `{"indices":[{"names":["logs-*"],"privileges":["read"]},{"names":["logs-*"],"privileges":["write"]},
		{"names":["/metrics-[0-9]+/"],"privileges":["manage"]},{"names":[".security*"],"privileges":["read"],"allow_restricted_indices":true}]}`))
	for _, c := range []struct {
		index, priv string
		restricted  bool
		want        bool
	}{
		{"logs-a1", "read", false, true},
		{"logs-a1", "index", false, true}, // write ⊇ index
		{"logs-*", "read", false, true},
		{"*", "read", false, false},
		{"logs-a1", "view_index_metadata", false, false},
		{"metrics-42", "monitor", false, true},
		{"metrics-x", "monitor", false, false},
		{"/metrics-4[0-9]/", "maintenance", false, true},
		{"logs-a1", "none", false, true},
		{"other", "none", false, false},
		{".security-7", "read", false, true}, // a concrete restricted name is checked as is
		{".security*", "read", true, true},
		{"logs-a1", "indices:data/read/search", false, true},
		{"logs-a1", "indices:admin/refresh", false, false},
	} {
		got, err := indexGranted(r, c.index, c.priv, c.restricted)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%s on %s (restricted %v)", c.priv, c.index, c.restricted)
	}

	// Restricted indices: a group on * does not cover them unless it allows them.
	star := Of(role(t, `{"indices":[{"names":["*"],"privileges":["all"]}]}`))
	for _, c := range []struct {
		index      string
		restricted bool
		want       bool
	}{{"*", false, true}, {"*", true, false}, {".security-7", false, false}, {".security*", false, true}, {".security-7*", false, false}} {
		got, err := indexGranted(star, c.index, "read", c.restricted)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%s (restricted %v)", c.index, c.restricted)
	}
	// Groups with the same privileges cover a pattern together (IndicesPermission.indexGroupAutomatons);
	// groups with different privileges do not.
	same := Of(role(t, `{"indices":[{"names":["a*"],"privileges":["read"]},{"names":["b*"],"privileges":["read"]}]}`))
	ok, err := indexGranted(same, "/[ab]1/", "read", false)
	require.NoError(t, err)
	assert.True(t, ok)
	other := Of(role(t, `{"indices":[{"names":["a*"],"privileges":["read"]},{"names":["b*"],"privileges":["read","write"]}]}`))
	ok, err = indexGranted(other, "/[ab]1/", "read", false)
	require.NoError(t, err)
	assert.False(t, ok)

	_, err = indexGranted(star, "x", "nope", false)
	assert.ErrorContains(t, err, "unknown index privilege [nope]")
}

// The superuser role reaches restricted indices only for reading (ReservedRolesStore).
func TestSuperuserRestricted(t *testing.T) {
	su := Of(role(t, `{"cluster":["all"],"indices":[{"names":["*"],"privileges":["all"],"allow_restricted_indices":false},
		{"names":["*"],"privileges":["monitor","read","view_index_metadata","read_cross_cluster"],"allow_restricted_indices":true}],
		"applications":[{"application":"*","privileges":["*"],"resources":["*"]}],"run_as":["*"]}`))
	ok, _ := indexGranted(su, ".security-7", "read", false)
	assert.True(t, ok)
	ok, _ = indexGranted(su, ".security-7", "write", false)
	assert.False(t, ok)
	ok, _ = indexGranted(su, "*", "read", true)
	assert.True(t, ok)
	assert.True(t, su.RunAs("anyone"))
	ok, _ = applicationGranted(su, "myapp", "read", "*", nil)
	assert.True(t, ok)
}

func TestApplicationChecks(t *testing.T) {
	stored := AppPrivileges(func(app string) map[string]map[string][]string {
		if app != "myapp" {
			return nil
		}
		return map[string]map[string][]string{"myapp": {"read": {"data:read/*"}, "write": {"data:write/*"}, "admin": {"*"}}}
	})
	r := Of(role(t, `{"applications":[{"application":"myapp","privileges":["read"],"resources":["obj/*"]},
		{"application":"other*","privileges":["action:login"],"resources":["*"]}]}`))
	for _, c := range []struct {
		app, priv, res string
		want           bool
	}{
		{"myapp", "read", "obj/1", true},
		{"myapp", "data:read/me", "obj/1", true},
		{"myapp", "data:write/me", "obj/1", false},
		{"myapp", "write", "obj/1", false},
		{"myapp", "read", "obj/*", true},
		{"myapp", "read", "*", false},
		{"myapp", "unknown", "obj/1", false},
		{"other", "unknown", "x", false},
		{"otherapp", "action:login", "x", true},
		{"otherapp", "action:logout", "x", false},
		{"myapp", "admin", "obj/1", false},
	} {
		got, err := applicationGranted(r, c.app, c.priv, c.res, stored)
		require.NoError(t, err)
		assert.Equal(t, c.want, got, "%s %s on %s", c.app, c.priv, c.res)
	}
	unknown := Of(role(t, `{"applications":[{"application":"myapp","privileges":["nostore"],"resources":["*"]}]}`))
	ok, err := applicationGranted(unknown, "myapp", "nostore", "x", stored)
	require.NoError(t, err)
	assert.True(t, ok, "a privilege equal to the one held is granted even when nothing is stored for it")
	ok, _ = applicationGranted(unknown, "myapp", "other", "x", stored)
	assert.False(t, ok)
	assert.Equal(t, "Application names may not contain '*' (found '*')", ValidateApplicationName("*", false))
	assert.Equal(t, "", ValidateApplicationName("app*", true))
	assert.Equal(t, "Application name patterns only support trailing wildcards (found 'a*p')", ValidateApplicationName("a*p", true))
	assert.Equal(t, "An application name prefix must be at least 3 characters long (found 'ab')", ValidateApplicationName("ab", false))
	assert.Equal(t, "An application name prefix must match the pattern ^[a-z][A-Za-z0-9]*$ (found 'My')", ValidateApplicationName("My-app", false))
	assert.Equal(t, "", ValidateApplicationName("kibana-.kibana", false))
	assert.Equal(t, "Application privilege names must match the pattern ^[a-z][a-zA-Z0-9_.-]*$ (found 'Read')", ValidatePrivilegeName("Read"))
}

func TestRunAs(t *testing.T) {
	p := Of(role(t, `{"run_as":["app-*"]}`, `{"run_as":["bob"]}`))
	assert.True(t, p.RunAs("app-1"))
	assert.True(t, p.RunAs("bob"))
	assert.False(t, p.RunAs("alice"))
	assert.False(t, p.Limit(role(t, `{"run_as":["app-1"]}`)).RunAs("bob"))
	assert.False(t, Permission{}.RunAs("bob"), "no roles, no privileges")
}

// LimitedRole: a privilege is granted only if each side alone grants it (10_basic.yml's API-key example).
func TestLimitedRole(t *testing.T) {
	key := role(t, `{"indices":[{"names":["index-a"],"privileges":["read"]}]}`, `{"indices":[{"names":["index-b"],"privileges":["all"]}]}`)
	owner := role(t, `{"cluster":["manage_own_api_key"],"indices":[{"names":["*"],"privileges":["all"]}]}`)
	res, err := Of(key).Limit(owner).HasPrivileges(Privileges{Index: []IndexCheck{
		{Names: []string{"*", "index-a"}, Privileges: []string{"read", "index", "write"}},
		{Names: []string{"index-a", "index-b"}, Privileges: []string{"read", "write"}},
	}}, nil)
	require.NoError(t, err)
	assert.False(t, res.All)
	assert.Equal(t, []ResourceAnswers{
		{"*", []Answer{{"read", false}, {"index", false}, {"write", false}}},
		{"index-a", []Answer{{"read", true}, {"index", false}, {"write", false}}},
		{"index-b", []Answer{{"read", true}, {"write", true}}},
	}, res.Index)

	all := role(t, `{"cluster":["all"]}`)
	ok, _ := Of(all).Limit(owner).ClusterGranted("manage_own_api_key")
	assert.True(t, ok, "30_update.yml: key with all, owner with manage_own_api_key")
	ok, _ = Of(all).Limit(owner).ClusterGranted("manage_api_key")
	assert.False(t, ok)
	assert.True(t, Of(all).Limit(owner).Check(Request{Action: ActionUpdateAPIKey}))
	assert.False(t, Of(role(t, `{"cluster":["monitor"]}`)).Limit(owner).Check(Request{Action: ActionUpdateAPIKey}))
}

func TestHasPrivilegesValidate(t *testing.T) {
	assert.Equal(t, []string{"must specify at least one privilege"}, Privileges{}.Validate())
	assert.Equal(t, []string{"Application names may not contain '*' (found 'app*')"},
		Privileges{Application: []AppCheck{{Application: "app*", Privileges: []string{"a"}, Resources: []string{"*"}}}}.Validate())
}

// The Lucene regular-expression forms accepted between slashes.
func TestRegexForms(t *testing.T) {
	for _, c := range []struct {
		re      string
		in, out []string
	}{
		{"/ab+c?/", []string{"ab", "abbb", "abc"}, []string{"a", "abcc", "ac"}},
		{"/a{2,}/", []string{"aa", "aaaa"}, []string{"a", ""}},
		{"/a{0,1}b/", []string{"b", "ab"}, []string{"aab"}},
		{"/x(y|z)*/", []string{"x", "xyzzy"}, []string{"xa"}},
		{`/[a\-c]/`, []string{"a", "-", "c"}, []string{"b"}},
		{`/a\.b/`, []string{"a.b"}, []string{"axb"}},
		{"/a.b/", []string{"a.b", "axb"}, []string{"ab"}},
		{"/a@/", []string{"a", "abc"}, []string{"b"}},
		{"/#|a/", []string{"a"}, []string{""}},
		{"/()a/", []string{"a"}, []string{""}},
	} {
		s := set(t, c.re)
		for _, in := range c.in {
			assert.True(t, s.run(in), "%s should match %q", c.re, in)
		}
		for _, out := range c.out {
			assert.False(t, s.run(out), "%s should not match %q", c.re, out)
		}
	}
	assert.True(t, isRestricted(".security-7"))
	assert.True(t, isRestricted(".security-tokens-7"))
	assert.True(t, isRestricted(".security"))
	assert.True(t, isRestricted(".async-search-abc"))
	assert.False(t, isRestricted(".securityx"))
	assert.False(t, isRestricted(".security-"))
	assert.False(t, isRestricted("security-7"))
}

// GetUserPrivilegesResponse groups: sorted names, application entries merged by resources, then by privileges.
func TestDescribe(t *testing.T) {
	d, err := role(t, `{"cluster":["monitor","manage"],"global":{"application":{"manage":{"applications":["test-*"]}}},
		"indices":[{"names":["b","a"],"privileges":["write","read"],"query":"{\"term\":{\"x\":1}}"}],
		"applications":[{"application":"app","privileges":["user"],"resources":["*"]},{"application":"app","privileges":["dne"],"resources":["*"]},
			{"application":"app","privileges":["read"],"resources":["object/2"]},{"application":"app","privileges":["read"],"resources":["object/1"]}],
		"run_as":["z"]}`, `{"cluster":["monitor"],"run_as":["a"]}`).Describe(nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"manage", "monitor"}, d.Cluster)
	assert.Equal(t, []string{"a", "z"}, d.RunAs)
	require.Len(t, d.Global, 1)
	assert.Equal(t, "application", d.Global[0].Category)
	assert.Equal(t, "manage", d.Global[0].Name)
	assert.JSONEq(t, `{"applications":["test-*"]}`, string(d.Global[0].Value))
	require.Len(t, d.Indices, 1)
	assert.Equal(t, []string{"a", "b"}, d.Indices[0].Names)
	assert.Equal(t, []string{"read", "write"}, d.Indices[0].Privileges)
	assert.Nil(t, d.Indices[0].FieldSecurity)
	assert.Equal(t, []AppEntry{
		{Application: "app", Privileges: []string{"dne", "user"}, Resources: []string{"*"}},
		{Application: "app", Privileges: []string{"read"}, Resources: []string{"object/1", "object/2"}},
	}, d.Applications)
}

// ClusterPrivilegeResolver.MANAGE_SAML_PATTERN holds SamlSpMetadataAction.NAME, under cluster:monitor.
func TestManageSAMLMetadata(t *testing.T) {
	saml := Of(role(t, `{"cluster":["manage_saml"]}`))
	assert.True(t, saml.Check(Request{Action: "cluster:monitor/xpack/security/saml/metadata"}))
	assert.Contains(t, FindPrivilegesThatGrant(Request{Action: "cluster:monitor/xpack/security/saml/metadata"}), "manage_saml")
}
