// Package authz evaluates Elasticsearch privileges: it builds the permission of a set of role
// descriptors and answers cluster, index, application and run-as questions the way Elasticsearch's
// RBAC engine does (ClusterPrivilegeResolver, IndexPrivilege, IndicesPermission, ApplicationPermission,
// LimitedRole, Automatons). Every name list is compiled to a Lucene-shaped automaton under
// Elasticsearch's determinisation limits, and "is granted" means the language of what is asked is a
// subset of the language of what is held. A compiled Role never changes and is safe for concurrent
// use; the package's caches are bounded and lock themselves.
package authz

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
)

// strs reads a string or an array of strings, as role descriptors allow for index names.
type strs []string

func (s *strs) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*s = strs{one}
		return nil
	}
	var many []string
	err := json.Unmarshal(b, &many)
	*s = many
	return err
}

// indicesEntry is one indices (or remote_indices) entry of a stored role descriptor.
type indicesEntry struct {
	Names           strs            `json:"names"`
	Privileges      []string        `json:"privileges"`
	AllowRestricted bool            `json:"allow_restricted_indices"`
	FieldSecurity   *FieldSecurity  `json:"field_security"`
	Query           json.RawMessage `json:"query"`
	Clusters        []string        `json:"clusters"`
}

// FieldSecurity is a field_security object: the fields granted and those excepted from them; nil
// when absent.
type FieldSecurity struct {
	Grant  []string `json:"grant"`
	Except []string `json:"except"`
}

// descriptor is the part of a role descriptor that grants something.
type descriptor struct {
	Cluster      []string       `json:"cluster"`
	Indices      []indicesEntry `json:"indices"`
	Applications []struct {
		Application string   `json:"application"`
		Privileges  []string `json:"privileges"`
		Resources   []string `json:"resources"`
	} `json:"applications"`
	RunAs         []string                              `json:"run_as"`
	Global        map[string]map[string]json.RawMessage `json:"global"`
	RemoteIndices []indicesEntry                        `json:"remote_indices"`
	RemoteCluster []RemoteClusterEntry                  `json:"remote_cluster"`
}

// RemoteClusterEntry is one remote_cluster group: cluster privileges on remote clusters.
type RemoteClusterEntry struct {
	Privileges []string `json:"privileges"`
	Clusters   []string `json:"clusters"`
}

// Role is the permission of a set of role descriptors, combined like a user's several roles
// (CompositeRolesStore.buildRoleFromDescriptors).
type Role struct {
	cluster   clusterPerm
	global    []GlobalPrivilege
	collated  []collated
	groups    []*indexGroup
	classes   []*groupClass
	apps      []appGrant
	runAs     *automaton
	runAsList []string
	remote    []collated
	remoteCl  []RemoteClusterEntry
	// unions remembers, by the groups that cover a requested pattern, the union of their privileges'
	// actions per component, so an ordinary role does not redo it on every check. Bounded.
	mu     sync.Mutex
	unions map[string]*automaton
}

// maxUnions bounds Role.unions; the memo is emptied when full.
const maxUnions = 256

// GlobalPrivilege is one configurable cluster privilege of a role's global field: its category
// ("application", "profile", "role"), its name in that category ("manage", "write") and its value.
type GlobalPrivilege struct {
	Category, Name string
	Value          json.RawMessage
}

// Compile builds the role of role descriptors given as JSON objects, as esapikeytest stores them.
// A pattern Elasticsearch cannot build fails here, as building the role fails there: an invalid one
// with an *Error, one too complex to determinise with a *SecurityError or *TooComplexError.
func Compile(bodies ...json.RawMessage) (r *Role, err error) {
	r = &Role{}
	var clusterNames []string
	var ds []descriptor
	for _, b := range bodies {
		var d descriptor
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, err
		}
		ds = append(ds, d)
		clusterNames = append(clusterNames, d.Cluster...)
		for _, g := range globalPrivileges(d.Global) {
			if !slices.ContainsFunc(r.global, func(o GlobalPrivilege) bool { return o.equal(g) }) {
				r.global = append(r.global, g)
			}
		}
		r.apps = addAppGrants(r.apps, d)
		r.runAsList = append(r.runAsList, d.RunAs...)
		r.remoteCl = append(r.remoteCl, d.RemoteCluster...)
	}
	r.collated = collate(ds, func(d descriptor) []indicesEntry { return d.Indices })
	r.remote = collate(ds, func(d descriptor) []indicesEntry { return d.RemoteIndices })
	if r.cluster, err = newClusterPerm(clusterNames); err != nil {
		return nil, err
	}
	for _, g := range r.global {
		if g.Category == "application" && g.Name == "manage" {
			var v struct{ Applications []string }
			_ = json.Unmarshal(g.Value, &v)
			m, err := newMatcher(v.Applications)
			if err != nil {
				return nil, err
			}
			r.cluster.appManage = append(r.cluster.appManage, m)
		}
	}
	for _, c := range r.collated {
		parts, err := resolveIndexPrivileges(c.privileges)
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			g, err := newIndexGroup(c.names, p, c.allowRestricted)
			if err != nil {
				return nil, err
			}
			r.groups = append(r.groups, g)
		}
	}
	r.classes = groupClasses(r.groups)
	if len(r.runAsList) > 0 {
		if r.runAs, err = compilePatterns(r.runAsList); err != nil {
			return nil, err
		}
	}
	if _, err := appPermission(r.apps, nil); err != nil {
		return nil, err
	}
	return r, nil
}

// globalPrivileges splits a global object into its privileges, as ConfigurableClusterPrivileges
// parses one per category and name.
func globalPrivileges(global map[string]map[string]json.RawMessage) []GlobalPrivilege {
	var out []GlobalPrivilege
	for _, cat := range sortedKeys(global) {
		for _, name := range sortedKeys(global[cat]) {
			out = append(out, GlobalPrivilege{Category: cat, Name: name, Value: global[cat][name]})
		}
	}
	return out
}

func (g GlobalPrivilege) equal(o GlobalPrivilege) bool {
	return g.Category == o.Category && g.Name == o.Name && string(g.Value) == string(o.Value)
}

// addAppGrants keys a descriptor's application entries by application and set of resources, their
// privilege names unioned (CompositeRolesStore.buildRoleFromDescriptors).
func addAppGrants(grants []appGrant, d descriptor) []appGrant {
	for _, a := range d.Applications {
		res := sortedUnique(a.Resources)
		i := slices.IndexFunc(grants, func(g appGrant) bool { return g.app == a.Application && slices.Equal(g.resources, res) })
		if i < 0 {
			grants = append(grants, appGrant{app: a.Application, resources: res})
			i = len(grants) - 1
		}
		grants[i].names = sortedUnique(append(slices.Clip(grants[i].names), a.Privileges...))
	}
	return grants
}

// sortedUnique returns a sorted copy of list without duplicates.
func sortedUnique(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}

// Permission is what an authenticated subject may do: a role, or a role limited by others
// (LimitedRole): every check must pass on each of its roles. A Permission without roles grants nothing.
type Permission struct{ roles []*Role }

// Of is the permission of one role.
func Of(r *Role) Permission { return Permission{roles: []*Role{r}} }

// Limit returns p limited by r: what both allow.
func (p Permission) Limit(r *Role) Permission {
	return Permission{roles: append(slices.Clip(p.roles), r)}
}

// all reports whether every role passes the check, and false without roles.
func (p Permission) all(check func(*Role) bool) bool {
	if len(p.roles) == 0 {
		return false
	}
	for _, r := range p.roles {
		if !check(r) {
			return false
		}
	}
	return true
}

// Check authorizes a cluster action (ClusterPermission.check on each role).
func (p Permission) Check(req Request) bool {
	return p.all(func(r *Role) bool { return r.cluster.check(req) })
}

// RunAs reports whether the permission may run as the named user (RunAsPermission.check).
func (p Permission) RunAs(user string) bool {
	return p.all(func(r *Role) bool { return r.runAs != nil && r.runAs.run(user) })
}

// ClusterGranted answers a cluster privilege name or action pattern like SimpleRole.grants.
func (p Permission) ClusterGranted(name string) (bool, error) {
	q, err := ResolveCluster(name)
	if err != nil {
		return false, err
	}
	return p.all(func(r *Role) bool { return r.cluster.grants(q) }), nil
}

// lower lower-cases names, as privilege names are resolved.
func lower(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ToLower(n)
	}
	return out
}
