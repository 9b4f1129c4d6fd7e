package authz

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// selector is the index components a privilege reaches (IndexComponentSelectorPredicate): the data,
// the failure store, or both. all reaches every component and is kept apart, as
// IndexPrivilege.resolveBySelectorAccess gives it a partition of its own.
type selector uint8

const (
	selData selector = 1 << iota
	selFailures
	selAll          = selData | selFailures | 4
	selDataFailures = selData | selFailures
)

// indexDefs are the predefined index privileges of Elasticsearch 9.x (IndexPrivilege): action
// patterns, from the transport actions' NAME constants, and the components they reach.
var indexDefs = map[string]struct {
	actions []string
	sel     selector
}{
	"none":                               {nil, selData},
	"all":                                {[]string{"indices:*", "internal:transport/proxy/indices:*"}, selAll},
	"read":                               {[]string{"indices:data/read/*", "indices:admin/resolve/index", "indices:admin/resolve/cluster"}, selData},
	"read_cross_cluster":                 {[]string{"internal:transport/proxy/indices:data/read/*", "indices:admin/shards/search_shards", "indices:admin/search/search_shards", "indices:admin/resolve/cluster", "indices:data/read/esql", "indices:data/read/esql/compute"}, selData},
	"create":                             {[]string{"indices:data/write/index*", "indices:data/write/bulk*", "indices:data/write/simulate/bulk*"}, selData},
	"create_doc":                         {[]string{"indices:data/write/index", "indices:data/write/index[*", "indices:data/write/index:op_type/create", "indices:data/write/bulk*", "indices:data/write/simulate/bulk*"}, selData},
	"index":                              {[]string{"indices:data/write/index*", "indices:data/write/bulk*", "indices:data/write/update*", "indices:data/write/simulate/bulk*"}, selData},
	"delete":                             {[]string{"indices:data/write/delete*", "indices:data/write/bulk*"}, selData},
	"write":                              {[]string{"indices:data/write/*", "indices:admin/mapping/auto_put"}, selData},
	"monitor":                            {[]string{"indices:monitor/*"}, selData},
	"manage":                             {manageActions, selDataFailures},
	"create_index":                       {[]string{"indices:admin/create", "indices:admin/auto_create", "indices:admin/data_stream/create"}, selData},
	"delete_index":                       {[]string{"indices:admin/delete", "indices:admin/data_stream/delete"}, selData},
	"view_index_metadata":                {viewIndexMetadata, selData},
	"maintenance":                        {[]string{"indices:admin/refresh*", "indices:admin/flush*", "indices:admin/synced_flush", "indices:admin/forcemerge*"}, selData},
	"auto_configure":                     {[]string{"indices:admin/mapping/auto_put", "indices:admin/auto_create"}, selData},
	"manage_follow_index":                {[]string{"indices:admin/xpack/ccr/put_follow", "indices:admin/xpack/ccr/unfollow", "indices:admin/close*", "indices:admin/data_stream/promote", "indices:admin/rollover"}, selData},
	"manage_leader_index":                {[]string{"indices:admin/xpack/ccr/forget_follower*"}, selData},
	"manage_ilm":                         {[]string{"indices:admin/ilm/*"}, selData},
	"manage_data_stream_lifecycle":       {[]string{"indices:admin/data_stream/lifecycle/*"}, selDataFailures},
	"cross_cluster_replication":          {[]string{"indices:data/read/xpack/ccr/shard_changes*", "indices:monitor/stats*", "indices:admin/seq_no/add_retention_lease*", "indices:admin/seq_no/remove_retention_lease*", "indices:admin/seq_no/renew_retention_lease*"}, selData},
	"cross_cluster_replication_internal": {[]string{"indices:internal/admin/ccr/restore/session/clear*", "indices:internal/admin/ccr/restore/file_chunk/get*", "indices:internal/admin/ccr/restore/session/put*", "internal:transport/proxy/indices:internal/admin/ccr/restore/session/clear*", "internal:transport/proxy/indices:internal/admin/ccr/restore/file_chunk/get*"}, selData},
	"read_failure_store":                 {[]string{"indices:data/read/*", "indices:admin/resolve/index"}, selFailures},
	"manage_failure_store":               {manageActions, selFailures},
}

var manageActions = []string{"indices:monitor/*", "indices:admin/*", "indices:data/read/field_caps*", "indices:data/read/xpack/rollup/get/index/caps*"}

var viewIndexMetadata = []string{
	"indices:admin/aliases/get", "indices:admin/get", "indices:admin/mappings/fields/get*", "indices:admin/mappings/get",
	"indices:admin/shards/search_shards", "indices:admin/search/search_shards", "indices:admin/validate/query*",
	"indices:monitor/settings/get", "indices:admin/ilm/explain", "indices:admin/data_stream/lifecycle/get",
	"indices:admin/data_stream/lifecycle/explain", "indices:admin/data_stream/get", "indices:admin/resolve/index",
	"indices:admin/resolve/cluster", "indices:data/read/field_caps*", "indices:data/read/xpack/rollup/get/index/caps*",
	"indices:monitor/transform/checkpoint*", "indices:monitor/get/metering/stats", "indices:admin/get/metering/stats",
}

// indexPrivilege is a resolved index privilege, or the union of several of one selector partition:
// its lower-cased names (Privilege.name), actions and the components it reaches.
type indexPrivilege struct {
	names   []string
	actions *automaton
	sel     selector
}

var (
	indexOnce     sync.Once
	indexResolved map[string]indexPrivilege
	indexNames    []string
	// indexActionSet is IndexPrivilege.ACTION_MATCHER: what is a raw index action rather than a name.
	indexActionSet = mustPatterns("indices:*", "internal:transport/proxy/indices:*")
)

func indexTable() (map[string]indexPrivilege, []string) {
	indexOnce.Do(func() {
		indexResolved = make(map[string]indexPrivilege, len(indexDefs))
		for name, d := range indexDefs {
			indexResolved[name] = indexPrivilege{names: []string{name}, actions: mustPatterns(d.actions...), sel: d.sel}
			indexNames = append(indexNames, name)
		}
		sort.Strings(indexNames)
	})
	return indexResolved, indexNames
}

// ResolveIndex resolves one index privilege name or action pattern like IndexPrivilege.get.
func ResolveIndex(name string) (indexPrivilege, error) { return ResolveIndexExcept(name, nil) }

// ResolveIndexExcept is ResolveIndex of a release that lacks the predefined privileges lacking
// names (nil for none): they are unknown to it, and its message does not list them.
func ResolveIndexExcept(name string, lacking func(string) bool) (indexPrivilege, error) {
	if lacking != nil {
		lower := strings.ToLower(name)
		table, names := indexTable()
		if _, known := table[lower]; (known && lacking(lower)) || (!known && !indexActionSet.run(lower)) {
			return indexPrivilege{}, unknownIndexPrivilege(lower, slices.DeleteFunc(slices.Clone(names), lacking))
		}
	}
	parts, err := resolveIndexPrivileges([]string{name})
	if err != nil {
		return indexPrivilege{}, err
	}
	return parts[0], nil
}

// resolveIndexPrivileges is IndexPrivilege.resolveBySelectorAccess: the names lower-cased, raw
// actions (anything 'all' covers) made into patterns, and the rest split by the components they
// reach, so that a group never unions privileges of different selectors. With 'all' among them there
// is one partition reaching everything.
func resolveIndexPrivileges(names []string) (parts []indexPrivilege, err error) {
	defer catch(&err, strings.Join(names, ","))
	table, all := indexTable()
	var set []string // the names as a set, as Elasticsearch receives them
	for _, n := range names {
		set = appendNew(set, n)
	}
	names = set
	if len(names) == 0 {
		return []indexPrivilege{table["none"]}, nil
	}
	var actions []string
	bySel := map[selector][]indexPrivilege{}
	hasAll := false
	for _, n := range names {
		if strings.ToLower(n) == "all" {
			hasAll = true
		}
	}
	for _, n := range names {
		lower := strings.ToLower(n)
		if indexActionSet.run(lower) {
			actions = appendNew(actions, lower)
			continue
		}
		p, ok := table[lower]
		if !ok {
			return nil, unknownIndexPrivilege(lower, all)
		}
		if len(names) == 1 {
			return []indexPrivilege{p}, nil
		}
		sel := p.sel
		if hasAll {
			sel = selAll
		}
		bySel[sel] = append(bySel[sel], p)
	}
	if len(bySel[selAll]) > 0 {
		return []indexPrivilege{unionPrivileges(bySel[selAll], actions, selAll)}, nil
	}
	if len(bySel[selData]) > 0 || len(actions) > 0 {
		parts = append(parts, unionPrivileges(bySel[selData], actions, selData))
	}
	for _, sel := range []selector{selDataFailures, selFailures} {
		if len(bySel[sel]) > 0 {
			parts = append(parts, unionPrivileges(bySel[sel], nil, sel))
		}
	}
	return parts, nil
}

// unknownIndexPrivilege is IndexPrivilege.resolve's error for a name that is neither a predefined
// privilege of names nor an action pattern.
func unknownIndexPrivilege(lower string, names []string) *Error {
	return &Error{Reason: "unknown index privilege [" + lower + "]. a privilege must be either one of the predefined fixed indices privileges [" +
		strings.Join(names, ",") + "] or a pattern over one of the available index actions"}
}

func unionPrivileges(privs []indexPrivilege, actions []string, sel selector) indexPrivilege {
	var names []string
	var automata []*automaton
	for _, p := range privs {
		for _, n := range p.names {
			names = appendNew(names, n)
		}
		automata = append(automata, p.actions)
	}
	if len(actions) > 0 {
		names = append(names, actions...)
		patterns := make([]string, len(actions))
		for i, a := range actions {
			patterns[i] = a + "*"
		}
		automata = append(automata, mustCompile(patterns))
	}
	return indexPrivilege{names: names, actions: unionAndDeterminize(automata), sel: sel}
}

// mustCompile compiles patterns for a caller inside a catch.
func mustCompile(patterns []string) *automaton {
	a, err := compilePatterns(patterns)
	if err != nil {
		panic(err)
	}
	return a
}

// reaches reports whether a group of this selector counts towards a requested privilege for the
// component c: FailureStoreSecurityRestIT.testHasPrivileges checks a data privilege only against
// groups that reach data and a failure-store privilege only against groups that reach the failure
// store, so manage (both) needs both and read_failure_store never grants read.
func (s selector) reaches(c selector) bool { return s&c != 0 }
