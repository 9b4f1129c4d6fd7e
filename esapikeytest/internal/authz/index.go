package authz

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// indexDefs are the predefined index privileges of Elasticsearch 9.x (IndexPrivilege) as action
// patterns; the action names are those of the transport actions IndexPrivilege refers to.
var indexDefs = map[string][]string{
	"none":                               nil,
	"all":                                {"indices:*", "internal:transport/proxy/indices:*"},
	"read":                               {"indices:data/read/*", "indices:admin/resolve/index", "indices:admin/resolve/cluster"},
	"read_cross_cluster":                 {"internal:transport/proxy/indices:data/read/*", "indices:admin/shards/search_shards", "indices:admin/search/search_shards", "indices:admin/resolve/cluster", "indices:data/read/esql", "indices:data/read/esql/compute"},
	"create":                             {"indices:data/write/index*", "indices:data/write/bulk*", "indices:data/write/simulate/bulk*"},
	"create_doc":                         {"indices:data/write/index", "indices:data/write/index[*", "indices:data/write/index:op_type/create", "indices:data/write/bulk*", "indices:data/write/simulate/bulk*"},
	"index":                              {"indices:data/write/index*", "indices:data/write/bulk*", "indices:data/write/update*", "indices:data/write/simulate/bulk*"},
	"delete":                             {"indices:data/write/delete*", "indices:data/write/bulk*"},
	"write":                              {"indices:data/write/*", "indices:admin/mapping/auto_put"},
	"monitor":                            {"indices:monitor/*"},
	"manage":                             {"indices:monitor/*", "indices:admin/*", "indices:data/read/field_caps*", "indices:data/read/xpack/rollup/get/index/caps*"},
	"create_index":                       {"indices:admin/create", "indices:admin/auto_create", "indices:admin/data_stream/create"},
	"delete_index":                       {"indices:admin/delete", "indices:admin/data_stream/delete"},
	"view_index_metadata":                viewIndexMetadata,
	"maintenance":                        {"indices:admin/refresh*", "indices:admin/flush*", "indices:admin/synced_flush", "indices:admin/forcemerge*"},
	"auto_configure":                     {"indices:admin/mapping/auto_put", "indices:admin/auto_create"},
	"manage_follow_index":                {"indices:admin/xpack/ccr/put_follow", "indices:admin/xpack/ccr/unfollow", "indices:admin/close*", "indices:admin/data_stream/promote", "indices:admin/rollover"},
	"manage_leader_index":                {"indices:admin/xpack/ccr/forget_follower*"},
	"manage_ilm":                         {"indices:admin/ilm/*"},
	"manage_data_stream_lifecycle":       {"indices:admin/data_stream/lifecycle/*"},
	"cross_cluster_replication":          {"indices:data/read/xpack/ccr/shard_changes*", "indices:monitor/stats*", "indices:admin/seq_no/add_retention_lease*", "indices:admin/seq_no/remove_retention_lease*", "indices:admin/seq_no/renew_retention_lease*"},
	"cross_cluster_replication_internal": {"indices:internal/admin/ccr/restore/session/clear*", "indices:internal/admin/ccr/restore/file_chunk/get*", "indices:internal/admin/ccr/restore/session/put*", "internal:transport/proxy/indices:internal/admin/ccr/restore/session/clear*", "internal:transport/proxy/indices:internal/admin/ccr/restore/file_chunk/get*"},
	// The failure-store privileges act on the ::failures selector, which esapikeytest does not model:
	// they are known names with their actions, but never confused with the data privileges.
	"read_failure_store":   {"indices:data/read/*", "indices:admin/resolve/index"},
	"manage_failure_store": {"indices:monitor/*", "indices:admin/*", "indices:data/read/field_caps*", "indices:data/read/xpack/rollup/get/index/caps*"},
}

var viewIndexMetadata = []string{
	"indices:admin/aliases/get", "indices:admin/get", "indices:admin/mappings/fields/get*", "indices:admin/mappings/get",
	"indices:admin/shards/search_shards", "indices:admin/search/search_shards", "indices:admin/validate/query*",
	"indices:monitor/settings/get", "indices:admin/ilm/explain", "indices:admin/data_stream/lifecycle/get",
	"indices:admin/data_stream/lifecycle/explain", "indices:admin/data_stream/get", "indices:admin/resolve/index",
	"indices:admin/resolve/cluster", "indices:data/read/field_caps*", "indices:data/read/xpack/rollup/get/index/caps*",
	"indices:monitor/transform/checkpoint*", "indices:monitor/get/metering/stats", "indices:admin/get/metering/stats",
}

// failureStore are the privileges that act on failure stores only, so they neither imply nor are implied
// by the data privileges (IndexPrivilege's selector predicate).
var failureStore = []string{"read_failure_store", "manage_failure_store"}

type indexPrivilege struct {
	name    string
	actions Set
	failure bool
}

var (
	indexOnce      sync.Once
	indexResolved  map[string]indexPrivilege
	indexNames     []string
	indexActionSet = mustPatterns("indices:*", "internal:transport/proxy/indices:*")
)

func indexTable() (map[string]indexPrivilege, []string) {
	indexOnce.Do(func() {
		indexResolved = make(map[string]indexPrivilege, len(indexDefs))
		for name, patterns := range indexDefs {
			indexResolved[name] = indexPrivilege{name: name, actions: mustPatterns(patterns...), failure: slices.Contains(failureStore, name)}
			indexNames = append(indexNames, name)
		}
		sort.Strings(indexNames)
	})
	return indexResolved, indexNames
}

// ResolveIndex resolves an index privilege name or action pattern like IndexPrivilege.get.
func ResolveIndex(name string) (indexPrivilege, error) {
	lower := strings.ToLower(name)
	if indexActionSet.Matches(lower) {
		return indexPrivilege{name: lower, actions: leafSet(glob(lower + "*"))}, nil
	}
	table, names := indexTable()
	if p, ok := table[lower]; ok {
		return p, nil
	}
	return indexPrivilege{}, &Error{"unknown index privilege [" + lower + "]. a privilege must be either one of the predefined fixed indices privileges [" +
		strings.Join(names, ",") + "] or a pattern over one of the available index actions"}
}

// IndexPrivilegeNames lists the predefined index privilege names, sorted.
func IndexPrivilegeNames() []string {
	_, names := indexTable()
	return append([]string(nil), names...)
}

// restricted is the automaton of restricted (system) index names (RestrictedIndices): security's own
// indices and aliases, and the async-search results. Other products' system indices are not modelled.
var restricted = mustPatterns(".security", ".security-tokens", ".security-profile",
	`/\.security-[0-9]+.*/`, `/\.security-tokens-[0-9]+.*/`, `/\.security-profile-[0-9]+.*/`, ".async-search*")

// IsRestricted reports whether an index name is a restricted (system) index.
func IsRestricted(name string) bool { return restricted.Matches(name) }

// indexGroup is one indices entry of a role (IndicesPermission.Group): the names it covers, minus the
// restricted indices unless allow_restricted_indices, and the union of its privileges' actions.
type indexGroup struct {
	names           []string
	privileges      []string
	allowRestricted bool
	indices         Set
	actions         Set
	failureOnly     bool
}

func newIndexGroup(names, privileges []string, allowRestricted bool) (indexGroup, error) {
	g := indexGroup{names: names, privileges: privileges, allowRestricted: allowRestricted}
	set, err := Patterns(names)
	if err != nil {
		return g, err
	}
	if !allowRestricted {
		set = Minus(set, restricted)
	}
	g.indices = set
	var acts []Set
	for _, p := range privileges {
		ip, err := ResolveIndex(p)
		if err != nil {
			return g, err
		}
		if ip.failure {
			continue
		}
		acts = append(acts, ip.actions)
	}
	g.actions = Union(acts...)
	return g, nil
}

// checkIndex answers one requested (index pattern, privilege) pair for one role, as
// IndicesPermission.checkResourcePrivileges does: the privilege's actions must be a subset of the
// union of the actions of every group whose names cover the requested pattern.
func checkIndex(groups []indexGroup, pattern string, allowRestricted bool, priv indexPrivilege) (bool, error) {
	req, err := Pattern(pattern)
	if err != nil {
		return false, err
	}
	concreteRestricted := !strings.Contains(pattern, "*") && !strings.HasPrefix(pattern, "/") && IsRestricted(pattern)
	if !allowRestricted && !concreteRestricted {
		req = Minus(req, restricted)
	}
	if req.IsEmpty() || priv.failure {
		return false, nil
	}
	var held []Set
	covered := false
	for _, g := range groups {
		if Subset(req, g.indices) {
			covered = true
			held = append(held, g.actions)
		}
	}
	return covered && Subset(priv.actions, Union(held...)), nil
}
