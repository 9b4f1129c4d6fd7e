package esapikeytest

import (
	"github.com/esapikey/esapikey/esapikeytest/internal/query"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// A request names parts of the surface that only some releases know: a field of a role descriptor,
// a value of one of its lists, a body field, query type or field of the query API key request. The
// parsers ask lacks whether the server's release knows a name, and answer as a release that does not:
// with the error that release gives a name it does not know. (Routes, URL parameters and the body
// fields of the key endpoints are declared with their features where they are: router.go, payload.go.)

// surface is a kind of name a request uses.
type surface string

// The surfaces of role descriptors; the query API key request's are query.Part.
const (
	roleField              surface = "role field"         // a field of a role's descriptor (PUT /_security/role)
	keyRoleField           surface = "API key role field" // a field of an API key's role descriptor
	remoteClusterPrivilege surface = "remote_cluster privilege"
	globalCategory         surface = "global privilege category"
	indexPrivilege         surface = "index privilege"
)

// gated are the names only some releases know, by surface, each with the feature of the release table
// that says which. A name not listed is known to every release.
var gated = map[surface]map[string]version.Feature{
	roleField: {
		"remote_indices": version.RoleRemoteIndices,
		"remote_cluster": version.RoleRemoteCluster,
		"description":    version.RoleDescription,
	},
	keyRoleField: {
		"restriction":    version.RoleRestriction,
		"remote_indices": version.RoleRemoteIndices,
		"remote_cluster": version.RoleRemoteCluster,
		"description":    version.APIKeyRoleDescription, // of no release
	},
	remoteClusterPrivilege:   {"monitor_enrich": version.RoleRemoteCluster, "monitor_stats": version.RemoteClusterMonitorStats},
	globalCategory:           {"role": version.GlobalRoleManage},
	indexPrivilege:           {"read_failure_store": version.FailureStorePrivileges, "manage_failure_store": version.FailureStorePrivileges},
	surface(query.BodyField): {"aggs": version.QueryAggs, "aggregations": version.QueryAggregationsAlias},
	surface(query.QueryType): {"match": version.QueryMatch, "simple_query_string": version.QuerySimpleQueryString},
	surface(query.Field):     {"type": version.QueryTypeField, "invalidation": version.QueryInvalidationField},
}

// lacks reports whether release v does not know name, a name of surface s.
func lacks(v version.Version, s surface, name string) bool {
	f, ok := gated[s][name]
	return ok && !v.Has(f)
}

// knownOf returns the names of list that release v knows, in their order.
func knownOf(v version.Version, s surface, list []string) []string {
	out := make([]string, 0, len(list))
	for _, name := range list {
		if !lacks(v, s, name) {
			out = append(out, name)
		}
	}
	return out
}

// queryRelease is what release v's query API key request knows, and its refusals.
func queryRelease(v version.Version) *query.Release {
	return &query.Release{
		Lacks:             func(p query.Part, name string) bool { return lacks(v, surface(p), name) },
		FieldNotAllowed:   v.Text(version.MsgFieldNotAllowed),
		PatternNotAllowed: v.Text(version.MsgFieldPatternNotAllowed),
		QueryNotSupported: v.Text(version.MsgQueryTypeNotSupported),
	}
}
