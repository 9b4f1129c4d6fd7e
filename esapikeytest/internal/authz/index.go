package authz

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
func ResolveIndex(name string) (indexPrivilege, error) { return ResolveIndexExcept(name, nil) }

// ResolveIndexExcept is ResolveIndex of a release that lacks the predefined privileges lacking
// names (nil for none): they are unknown to it, and its message does not list them.
func ResolveIndexExcept(name string, lacking func(string) bool) (indexPrivilege, error) {
	lower := strings.ToLower(name)
	if indexActionSet.Matches(lower) {
		return indexPrivilege{name: lower, actions: leafSet(glob(lower + "*"))}, nil
	}
	table, names := indexTable()
	if p, ok := table[lower]; ok && (lacking == nil || !lacking(lower)) {
		return p, nil
	}
	if lacking != nil {
		names = slices.DeleteFunc(slices.Clone(names), lacking)
	}
	return indexPrivilege{}, &Error{"unknown index privilege [" + lower + "]. a privilege must be either one of the predefined fixed indices privileges [" +
		strings.Join(names, ",") + "] or a pattern over one of the available index actions"}
}

// restricted is the automaton of restricted (system) index names (RestrictedIndices): security's own
// indices and aliases, and the async-search results. Other products' system indices are not modelled.
var restricted = mustPatterns(".security", ".security-tokens", ".security-profile",
	`/\.security-[0-9]+.*/`, `/\.security-tokens-[0-9]+.*/`, `/\.security-profile-[0-9]+.*/`, ".async-search*")

// indexGroup is one indices entry of a role (IndicesPermission.Group): the names it covers, minus the
// restricted indices unless allow_restricted_indices, and the union of its privileges' actions.
type indexGroup struct {
	names           []string
	privileges      []string
	allowRestricted bool
	indices         Set
	actions         Set
}

func newIndexGroup(names, privileges []string, allowRestricted bool) (indexGroup, error) {
	g := indexGroup{names: names, privileges: privileges, allowRestricted: allowRestricted}
	set, err := Patterns(names)
	if err != nil {
		return g, err
	}
	if !allowRestricted && slices.ContainsFunc(names, mayBeRestricted) {
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

// mayBeRestricted reports whether a name pattern can match a restricted index: every restricted name
// starts with '.', so a pattern that starts with another plain character cannot.
func mayBeRestricted(pattern string) bool {
	return pattern == "" || strings.ContainsRune(".*?/\\", rune(pattern[0]))
}

// isConcrete reports whether a pattern names exactly one index.
func isConcrete(pattern string) bool {
	return !strings.ContainsAny(pattern, "*?\\") && !strings.HasPrefix(pattern, "/")
}

// checkIndex answers one requested (index pattern, privilege) pair for one role, as
// IndicesPermission.checkResourcePrivileges does: the privilege's actions must be a subset of the
// union of the actions of every group whose names cover the requested pattern. A concrete name is
// covered when a group matches it, which spares building its automaton.
func (r *Role) checkIndex(pattern string, allowRestricted bool, priv indexPrivilege) (bool, error) {
	if priv.failure {
		return false, nil
	}
	var covers func(int) bool
	if isConcrete(pattern) {
		covers = func(i int) bool { return r.indices[i].indices.Matches(pattern) }
	} else {
		c := requested(pattern, allowRestricted)
		if c.err != nil || c.empty {
			return false, c.err
		}
		req := c.set
		covers = func(i int) bool {
			k := "covers|" + strconv.FormatBool(allowRestricted) + "|" + strconv.Itoa(i) + "|" + pattern
			if v, ok := r.memo.Load(k); ok {
				return v.(bool)
			}
			ok := Subset(req, r.indices[i].indices)
			r.memo.Store(k, ok)
			return ok
		}
	}
	var key strings.Builder
	key.WriteString(priv.name)
	var held []Set
	for i, g := range r.indices {
		if covers(i) {
			held = append(held, g.actions)
			key.WriteString("|" + strconv.Itoa(i))
		}
	}
	if len(held) == 0 {
		return false, nil
	}
	if v, ok := r.memo.Load(key.String()); ok {
		return v.(bool), nil
	}
	ok := Subset(priv.actions, Union(held...))
	r.memo.Store(key.String(), ok)
	return ok, nil
}

// requestedSet is a requested index pattern compiled once: its names, minus the restricted indices
// unless asked for, and whether nothing is left.
type requestedSet struct {
	set   Set
	empty bool
	err   error
}

var (
	requestedCache sync.Map
	requestedCount atomic.Int64
)

// maxRequested bounds the cache of compiled request patterns; it is emptied when full.
const maxRequested = 10000

func requested(pattern string, allowRestricted bool) requestedSet {
	k := strconv.FormatBool(allowRestricted) + "|" + pattern
	if v, ok := requestedCache.Load(k); ok {
		return v.(requestedSet)
	}
	var c requestedSet
	c.set, c.err = Pattern(pattern)
	if c.err == nil {
		if !allowRestricted && mayBeRestricted(pattern) {
			c.set = Minus(c.set, restricted)
		}
		c.empty = c.set.IsEmpty()
	}
	if requestedCount.Add(1) > maxRequested {
		requestedCache.Clear()
		requestedCount.Store(0)
	}
	requestedCache.Store(k, c)
	return c
}
