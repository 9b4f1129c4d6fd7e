package esapikeytest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// RoleDescriptor.parseIndex refuses an indices entry without names or privileges, and a
// remote_indices entry without clusters, each with its own parse_exception (messages as in
// RoleDescriptorTests and the API-key REST tests of Elasticsearch).
func TestConformanceRoleIndexEntryRequiredFields(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)
		rows := map[string]string{
			`{"r":{"indices":[{"privileges":["read"]}]}}`: "failed to parse indices privileges for role [r]. missing required [names] field",
			`{"r":{"indices":[{"names":["a"]}]}}`:         "failed to parse indices privileges for role [r]. missing required [privileges] field",
		}
		if tg.has(version.RoleRemoteIndices) {
			rows[`{"r":{"remote_indices":[{"names":["a"],"privileges":["read"]}]}}`] = "failed to parse remote indices privileges for role [r]. missing required [clusters] field"
		}
		for roles, want := range rows {
			r := tg.updateRoles(tg.admin, id, roles)
			require.Equal(t, 400, r.status, string(r.raw))
			r.innermost(t, "parse_exception", want)
		}
	})
}
