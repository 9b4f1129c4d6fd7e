package esapikeytest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/esapikey/esapikey/esapikeytest"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// The rows of the role-descriptor fields and values, each on either side of the release that brought
// it, in an API key's role descriptors and (where a role takes it) in PUT /_security/role.

// causedBy asserts the cause of an error answer.
func (e exchange) causedBy(t *testing.T, typ, reason string) {
	t.Helper()
	assert.Equal(t, typ, at(e.obj, "error.caused_by.type"), e.body)
	got, _ := at(e.obj, "error.caused_by.reason").(string)
	assert.True(t, sameReason(reason, got), "cause\nwant: %s\n got: %s", reason, got)
}

// keyWithRole creates a key whose role descriptor r is descriptor, as the superuser.
func keyWithRole(t *testing.T, srv *esapikeytest.Server, descriptor string) exchange {
	t.Helper()
	return do(t, srv, "POST", "/_security/api_key", `{"name":"k","role_descriptors":{"r":`+descriptor+`}}`)
}

// roleRefused asserts RoleDescriptor.parse's refusal of a key's descriptor r, under the create
// parser's wrapping (ApiKeyService.parseRoleDescriptorsBytes).
func roleRefused(t *testing.T, e exchange, reason string) {
	t.Helper()
	e.esError(t, 400, "x_content_parse_exception", "[1:21] [api_key_request] failed to parse field [role_descriptors]")
	e.causedBy(t, "parse_exception", reason)
}

// unexpected is RoleDescriptor.parse's refusal of a field it does not read.
func unexpected(field string) string {
	return "failed to parse role [r]. unexpected field [" + field + "]"
}

func TestGateRoleRestriction(t *testing.T) {
	before, after := around(t, version.RoleRestriction, "8.8.2", "8.9.0")
	const rd = `{"restriction":{"workflows":["search_application_query"]}}`
	roleRefused(t, keyWithRole(t, before, rd), unexpected("restriction"))
	id, _ := keyWithRole(t, after, rd).ok(t).obj["id"].(string)
	k := do(t, after, "GET", "/_security/api_key?id="+id, "").ok(t)
	assert.Equal(t, []any{"search_application_query"}, at(k.obj, "api_keys.0.role_descriptors.r.restriction.workflows"), k.body)
	// A role never takes it.
	for _, srv := range []*esapikeytest.Server{before, after} {
		do(t, srv, "PUT", "/_security/role/r", rd).esError(t, 400, "parse_exception", unexpected("restriction"))
	}
}

func TestGateRoleRemoteIndices(t *testing.T) {
	before, after := around(t, version.RoleRemoteIndices, "8.9.2", "8.10.0")
	const rd = `{"remote_indices":[{"clusters":["remote"],"names":["logs-*"],"privileges":["read"]}]}`
	roleRefused(t, keyWithRole(t, before, rd), unexpected("remote_indices"))
	do(t, before, "PUT", "/_security/role/r", rd).esError(t, 400, "parse_exception", unexpected("remote_indices"))
	keyWithRole(t, after, rd).ok(t)
	do(t, after, "PUT", "/_security/role/r", rd).ok(t)
}

func TestGateRoleRemoteCluster(t *testing.T) {
	before, after := around(t, version.RoleRemoteCluster, "8.14.3", "8.15.0")
	const rd = `{"remote_cluster":[{"privileges":["monitor_enrich"],"clusters":["remote"]}]}`
	roleRefused(t, keyWithRole(t, before, rd), unexpected("remote_cluster"))
	do(t, before, "PUT", "/_security/role/r", rd).esError(t, 400, "parse_exception", unexpected("remote_cluster"))
	keyWithRole(t, after, rd).ok(t)
	do(t, after, "PUT", "/_security/role/r", rd).ok(t)
}

// monitor_stats is a remote_cluster privilege from 8.17; before, monitor_enrich is the only one.
func TestGateRemoteClusterMonitorStats(t *testing.T) {
	before, after := around(t, version.RemoteClusterMonitorStats, "8.16.1", "8.17.0")
	const rd = `{"remote_cluster":[{"privileges":["monitor_stats"],"clusters":["remote"]}]}`
	roleRefused(t, keyWithRole(t, before, rd), "failed to parse remote_cluster for role [r]. "+
		"[monitor_enrich] are the only values allowed for [privileges] within [remote_cluster]. Found [monitor_stats]")
	keyWithRole(t, after, rd).ok(t)
	// The newest release names both in the same message.
	do(t, after, "PUT", "/_security/role/r", `{"remote_cluster":[{"privileges":["nope"],"clusters":["remote"]}]}`).esError(t, 400, "parse_exception",
		"failed to parse remote_cluster for role [r]. [monitor_enrich, monitor_stats] are the only values allowed for [privileges] "+
			"within [remote_cluster]. Found [nope]")
}

// global.role is a category of the configurable cluster privileges from 8.16 (manage_roles).
func TestGateGlobalRoleManage(t *testing.T) {
	before, after := around(t, version.GlobalRoleManage, "8.15.3", "8.16.0")
	const rd = `{"global":{"role":{"manage":{"indices":[{"names":["logs-*"],"privileges":["read"]}]}}}}`
	// ConfigurableClusterPrivileges.expectFieldName: an XContentParseException at the category.
	const refused = "[1:11] failed to parse privilege. expected one of [application,profile] but found [role] instead"
	e := keyWithRole(t, before, rd)
	e.esError(t, 400, "x_content_parse_exception", "[1:21] [api_key_request] failed to parse field [role_descriptors]")
	e.causedBy(t, "x_content_parse_exception", refused)
	do(t, before, "PUT", "/_security/role/r", rd).esError(t, 400, "x_content_parse_exception", refused)
	keyWithRole(t, after, rd).ok(t)
	do(t, after, "PUT", "/_security/role/r", rd).ok(t)
}

// A role takes a description from 8.15; an API key's role descriptors never do.
func TestGateRoleDescription(t *testing.T) {
	before, after := around(t, version.RoleDescription, "8.14.3", "8.15.0")
	const rd = `{"description":"reads logs","cluster":["monitor"]}`
	do(t, before, "PUT", "/_security/role/r", rd).esError(t, 400, "parse_exception", unexpected("description"))
	do(t, after, "PUT", "/_security/role/r", rd).ok(t)
	g := do(t, after, "GET", "/_security/role/r", "").ok(t)
	assert.Equal(t, "reads logs", at(g.obj, "r.description"), g.body)
	for _, srv := range []*esapikeytest.Server{before, after} {
		roleRefused(t, keyWithRole(t, srv, rd), unexpected("description"))
	}
}

// The failure store privileges are index privileges of 8.19 and of 9.1 on; 9.0, released before
// 8.19, lacks them. A release that lacks them does not list them among its privileges either.
func TestGateFailureStorePrivileges(t *testing.T) {
	for _, c := range []struct{ without, with string }{{"8.18.2", "8.19.0"}, {"9.0.0", "9.1.0"}} {
		before, after := around(t, version.FailureStorePrivileges, c.without, c.with)
		for _, priv := range []string{"read_failure_store", "manage_failure_store"} {
			rd := `{"indices":[{"names":["logs-*"],"privileges":["` + priv + `"]}]}`
			e := do(t, before, "PUT", "/_security/role/r", rd)
			reason, _ := at(e.obj, "error.reason").(string)
			e.esError(t, 400, "action_request_validation_exception", reason)
			assert.True(t, strings.HasPrefix(reason, "Validation Failed: 1: unknown index privilege ["+priv+"]. "+
				"a privilege must be either one of the predefined fixed indices privileges [all,"), "%s: %s", c.without, reason)
			assert.NotContains(t, reason, "failure_store,", "%s lists no failure store privilege", c.without)
			keyWithRole(t, before, rd).esError(t, 400, "action_request_validation_exception", reason)

			do(t, after, "PUT", "/_security/role/r", rd).ok(t)
			keyWithRole(t, after, rd).ok(t)
		}
		// The newest releases list them when they refuse another name.
		e := do(t, after, "PUT", "/_security/role/r", `{"indices":[{"names":["x"],"privileges":["nope"]}]}`)
		assert.Contains(t, e.body, "read_failure_store", c.with)
	}
}

// The superuser role holds what the release's role descriptors can hold: remote indices from 8.10,
// remote clusters from 8.15, with the remote-cluster privileges of the release.
func TestGateSuperuserRoleFollowsTheRelease(t *testing.T) {
	for _, c := range []struct {
		release       string
		remoteIndices bool
		remoteCluster any
	}{
		{"8.9.2", false, nil},
		{"8.10.0", true, nil},
		{"8.15.0", true, []any{"monitor_enrich"}},
		{"8.17.0", true, []any{"monitor_enrich", "monitor_stats"}},
	} {
		e := do(t, serverAt(t, c.release), "GET", "/_security/role/superuser", "").ok(t)
		_, has := at(e.obj, "superuser").(map[string]any)["remote_indices"]
		assert.Equal(t, c.remoteIndices, has, "%s: %s", c.release, e.body)
		assert.Equal(t, c.remoteCluster, at(e.obj, "superuser.remote_cluster.0.privileges"), "%s: %s", c.release, e.body)
	}
}
