package esapikeytest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// The fidelity scenarios about role descriptors sent with an API key update: their fields, their
// entries, their names and their restriction, as RoleDescriptor parses and validates them.

const roleNameMsg = "Validation Failed: 1: Role names must be at least 1 and no more than 1024 characters. They can contain " +
	"alphanumeric characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. " +
	"Leading or trailing whitespace is not allowed.;"

// updateRoles sends role descriptors to the key's update route and returns the answer.
func (tg *target) updateRoles(c cred, id, roles string) *reply {
	tg.t.Helper()
	return tg.call(c, "PUT", "/_security/api_key/"+id, `{"role_descriptors":`+roles+`}`)
}

func TestConformanceD4Restriction_RoleDescriptorRestriction(t *testing.T) {
	forVersions(t, needs{version.RoleRestriction, version.AnswerRoleDescriptors}, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)

		assert.True(t, tg.update(tg.admin, id, `{"role_descriptors":{"r":{"indices":[{"names":["x"],"privileges":["read"]}],"restriction":{}}}}`))
		assert.NotContains(t, at(tg.get(id), "role_descriptors.r"), "restriction")

		r := tg.updateRoles(tg.admin, id, `{"r":{"restriction":{"workflows":["nope"]}}}`)
		require.Equal(t, 400, r.status, string(r.raw))
		assert.Equal(t, validation, r.at("error.type"))
		reason, _ := r.at("error.reason").(string)
		assert.True(t, strings.HasPrefix(reason,
			"Validation Failed: 1: Unknown workflow [nope]. A workflow must be one of the predefined workflow names ["), reason)

		for _, w := range []string{"SEARCH_APPLICATION_QUERY", " search_application_query "} {
			tg.updateRoles(tg.admin, id, `{"r":{"restriction":{"workflows":["`+w+`"]}}}`).ok(t)
		}

		r = tg.updateRoles(tg.admin, id, `{"r":{"restriction":{"workflows":[]}}}`)
		r.isError(t, 400, xParse, "[1:21] ["+payload+"] failed to parse field [role_descriptors]")
		r.rootCause(t, parseExc, "failed to parse restriction for role [r]. [workflows] cannot be an empty array")

		r = tg.updateRoles(tg.admin, id, `{"r":{"restriction":"x"}}`)
		r.isError(t, 400, xParse, "[1:21] ["+payload+"] failed to parse field [role_descriptors]")
		r.rootCause(t, parseExc, "failed to parse restriction for role [r]. expected field [restriction] value to be an object, but found an element of type [VALUE_STRING]")
	})
}

func TestConformanceD9RoleFields_RoleDescriptorParse(t *testing.T) {
	forVersions(t, needs{version.AnswerRoleDescriptors}, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)

		assert.True(t, tg.update(tg.admin, id, `{"role_descriptors":{"r":{"cluster":["monitor"],"type":"role"}}}`))
		assert.True(t, tg.update(tg.admin, id, `{"role_descriptors":{"r":{"application":[{"application":"app","privileges":["read"],"resources":["*"]}]}}}`))
		assert.Equal(t, decode(t, `[{"application":"app","privileges":["read"],"resources":["*"]}]`), at(tg.get(id), "role_descriptors.r.applications"))

		assert.True(t, tg.update(tg.admin, id, `{"role_descriptors":{"r":{"cluster":["monitor"],"transient_metadata":{"a":1}}}}`))
		assert.Equal(t, decode(t, `{"enabled":true}`), at(tg.get(id), "role_descriptors.r.transient_metadata"))
		assert.False(t, tg.update(tg.admin, id, `{"role_descriptors":{"r":{"cluster":["monitor"],"transient_metadata":{"a":2}}}}`))

		r := tg.updateRoles(tg.admin, id, `{"r":{"metadata":"x"}}`)
		r.isError(t, 400, xParse, "[1:21] ["+payload+"] failed to parse field [role_descriptors]")
		r.rootCause(t, parseExc, "expected field [metadata] to be of type object, but found [VALUE_STRING] instead")
		r = tg.updateRoles(tg.admin, id, `{"r":{"transient_metadata":"x"}}`)
		r.rootCause(t, parseExc, "failed to parse role [r]. unexpected field [transient_metadata]")
	})
}

func TestConformanceD10Entries_RoleDescriptorParse(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)
		for _, c := range []struct {
			name, roles, typ, reason string
			need                     version.Feature // the release must have it for the row to apply, when not 0
		}{
			{"empty names", `{"r":{"indices":[{"names":[],"privileges":["read"]}]}}`, parseExc,
				"failed to parse indices privileges for role [r]. [names] cannot be an empty array", 0},
			{"empty privileges", `{"r":{"indices":[{"names":["a"],"privileges":[]}]}}`, illegalArg,
				"indices privileges must define at least one privilege", 0},
			{"names a number", `{"r":{"indices":[{"names":5,"privileges":["read"]}]}}`, parseExc,
				"failed to parse indices privileges for role [r]. expected field [names] value to be a string or an array of strings, but found [VALUE_NUMBER] instead", 0},
			{"application without resources", `{"r":{"applications":[{"application":"app","privileges":["read"]}]}}`, parseExc,
				"failed to parse application privileges for role [r]. missing required [resources] field", 0},
			{"application without name", `{"r":{"applications":[{"privileges":["read"],"resources":["*"]}]}}`, illegalArg,
				"application privileges must have an application name", 0},
			{"remote_cluster without clusters", `{"r":{"remote_cluster":[{"privileges":["monitor_enrich"]}]}}`, parseExc,
				"failed to parse remote_cluster for role [r]. [clusters] must be defined when [privileges] are defined ", version.RoleRemoteCluster},
			{"remote_cluster empty group", `{"r":{"remote_cluster":[{}]}}`, illegalArg,
				"remote cluster groups must not be null or empty", version.RoleRemoteCluster},
			{"remote_cluster privileges", `{"r":{"remote_cluster":[{"privileges":["monitor_stats","read_pipeline"],"clusters":["*"]}]}}`, parseExc,
				"failed to parse remote_cluster for role [r]. [monitor_enrich, monitor_stats] are the only values allowed for [privileges] within [remote_cluster]. Found [monitor_stats, read_pipeline]",
				version.RemoteClusterMonitorStats},
		} {
			if c.need != 0 && !tg.has(c.need) {
				continue
			}
			t.Run(c.name, func(t *testing.T) {
				r := tg.updateRoles(tg.admin, id, c.roles)
				r.isError(t, 400, xParse, "[1:21] ["+payload+"] failed to parse field [role_descriptors]")
				r.innermost(t, c.typ, c.reason)
			})
		}
		t.Run("application unknown field", func(t *testing.T) {
			r := tg.updateRoles(tg.admin, id, `{"r":{"applications":[{"foo":1,"application":"app","privileges":["read"],"resources":["*"]}]}}`)
			r.isError(t, 400, xParse, "[1:21] ["+payload+"] failed to parse field [role_descriptors]")
			reason, _ := r.at("error.caused_by.reason").(string)
			assert.Contains(t, reason, "[application] unknown field [foo]", string(r.raw))
		})
		t.Run("query null", func(t *testing.T) {
			assert.True(t, tg.update(tg.admin, id, `{"role_descriptors":{"r":{"indices":[{"names":["a"],"privileges":["read"],"query":null}]}}}`))
			if tg.has(version.AnswerRoleDescriptors) {
				assert.NotContains(t, at(tg.get(id), "role_descriptors.r.indices.0"), "query")
			}
		})
	})
}

func TestConformanceD11GlobalPrivileges_ConfigurableClusterPrivileges(t *testing.T) {
	forVersions(t, needs{version.GlobalRoleManage, version.AnswerRoleDescriptors}, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)

		assert.True(t, tg.update(tg.admin, id, `{"role_descriptors":{"r":{"global":{"application":{"manage":{"applications":[]}}}}}}`))
		r := tg.updateRoles(tg.admin, id, `{"r":{"global":{"foo":{}}}}`)
		r.isError(t, 400, xParse, "[1:21] ["+payload+"] failed to parse field [role_descriptors]")
		r.innermost(t, xParse, "[1:33] failed to parse privilege. expected one of [application,profile,role] but found [foo] instead")

		role := `{"r":{"global":{"role":{"manage":{"indices":[{"names":["x"],"privileges":["read"]}]}}}}}`
		assert.True(t, tg.update(tg.admin, id, `{"role_descriptors":`+role+`}`))
		assert.Equal(t, decode(t, `{"manage":{"indices":[{"names":["x"],"privileges":["read"]}]}}`), at(tg.get(id), "role_descriptors.r.global.role"))
		assert.False(t, tg.update(tg.admin, id, `{"role_descriptors":`+role+`}`))
	})
}

func TestConformanceD12RoleNames_NativeRealmValidationUtil(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)
		for _, name := range []string{" r", "", "é", "r ", strings.Repeat("r", 1025)} {
			r := tg.updateRoles(tg.admin, id, `{`+jsonString(name)+`:{}}`)
			r.isError(t, 400, xParse, "[1:21] ["+payload+"] failed to parse field [role_descriptors]")
			r.causedBy(t, "validation_exception", roleNameMsg)
		}
		assert.True(t, tg.update(tg.admin, id, `{"role_descriptors":{"a b-c_d.e@f!":{}}}`))
		assert.True(t, tg.update(tg.admin, id, `{"role_descriptors":{`+jsonString(strings.Repeat("r", 1024))+`:{}}}`))
	})
}
