// Package authz evaluates Elasticsearch privileges: it builds the permission of a set of role
// descriptors and answers cluster, index, application and run-as questions the way Elasticsearch's
// RBAC engine does (ClusterPrivilegeResolver, IndexPrivilege, IndicesPermission, ApplicationPermission,
// LimitedRole, Automatons). Every name list is compiled to an automaton, and "is granted" means the
// language of what is asked is a subset of the language of what is held.
package authz

import (
	"encoding/json"
	"slices"
	"sort"
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

// descriptor is the part of a role descriptor that grants something.
type descriptor struct {
	Cluster []string `json:"cluster"`
	Indices []struct {
		Names           strs            `json:"names"`
		Privileges      []string        `json:"privileges"`
		AllowRestricted bool            `json:"allow_restricted_indices"`
		FieldSecurity   json.RawMessage `json:"field_security"`
		Query           json.RawMessage `json:"query"`
	} `json:"indices"`
	Applications []struct {
		Application string   `json:"application"`
		Privileges  []string `json:"privileges"`
		Resources   []string `json:"resources"`
	} `json:"applications"`
	RunAs  []string        `json:"run_as"`
	Global json.RawMessage `json:"global"`
}

// Role is the permission of a set of role descriptors, combined like a user's several roles:
// cluster privileges, index groups, application entries and run-as patterns are all unioned.
type Role struct {
	cluster   clusterPerm
	indices   []indexGroup
	apps      []appEntry
	runAs     Set
	runAsList []string
	global    []json.RawMessage
	entries   []IndexEntry
	// memo remembers whether the actions of a privilege are covered by a set of this role's index
	// groups (key: privilege name and group numbers); a role never changes once compiled.
	memo sync.Map
}

// IndexEntry is one indices entry of a role, as GET /_security/user/_privileges shows it.
type IndexEntry struct {
	Names, Privileges []string
	FieldSecurity     json.RawMessage // nil when absent
	Query             json.RawMessage // nil when absent
	AllowRestricted   bool
}

// Compile builds the role of role descriptors given as JSON objects, as esapikeytest stores them.
func Compile(bodies ...json.RawMessage) (*Role, error) {
	r := &Role{}
	var clusterNames []string
	var runAs []Set
	for _, b := range bodies {
		var d descriptor
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, err
		}
		clusterNames = append(clusterNames, d.Cluster...)
		for _, ip := range d.Indices {
			g, err := newIndexGroup(ip.Names, ip.Privileges, ip.AllowRestricted)
			if err != nil {
				return nil, err
			}
			r.indices = mergeGroup(r.indices, g)
			r.entries = append(r.entries, IndexEntry{Names: ip.Names, Privileges: ip.Privileges,
				FieldSecurity: present(ip.FieldSecurity), Query: present(ip.Query), AllowRestricted: ip.AllowRestricted})
		}
		for _, ap := range d.Applications {
			e, err := newAppEntry(ap.Application, ap.Privileges, ap.Resources)
			if err != nil {
				return nil, err
			}
			r.apps = append(r.apps, e)
		}
		if len(d.RunAs) > 0 {
			s, err := Patterns(d.RunAs)
			if err != nil {
				return nil, err
			}
			runAs = append(runAs, s)
			r.runAsList = append(r.runAsList, d.RunAs...)
		}
		if g := present(d.Global); g != nil && string(g) != "{}" {
			r.global = append(r.global, g)
		}
	}
	var err error
	if r.cluster, err = newClusterPerm(clusterNames); err != nil {
		return nil, err
	}
	r.runAs = Union(runAs...)
	return r, nil
}

func present(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return raw
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
	return p.all(func(r *Role) bool { return r.runAs.Matches(user) })
}

// ClusterGranted answers a cluster privilege name or action pattern like SimpleRole.grants.
func (p Permission) ClusterGranted(name string) (bool, error) {
	q, err := ResolveCluster(name)
	if err != nil {
		return false, err
	}
	return p.all(func(r *Role) bool {
		k := "cluster|" + q.name
		if v, ok := r.memo.Load(k); ok {
			return v.(bool)
		}
		ok := r.cluster.grants(q)
		r.memo.Store(k, ok)
		return ok
	}), nil
}

// IndexGranted answers whether privilege is held on every index the pattern can name.
func (p Permission) IndexGranted(pattern, privilege string, allowRestricted bool) (bool, error) {
	q, err := ResolveIndex(privilege)
	if err != nil {
		return false, err
	}
	if !isConcrete(pattern) {
		if _, err := Pattern(pattern); err != nil {
			return false, err
		}
	}
	var firstErr error
	ok := p.all(func(r *Role) bool {
		ok, err := r.checkIndex(pattern, allowRestricted, q)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return ok
	})
	return ok && firstErr == nil, firstErr
}

// ApplicationGranted answers whether privilege (a stored privilege name or an action) of application
// app is held on every resource the pattern can name.
func (p Permission) ApplicationGranted(app, privilege, resource string, stored AppPrivileges) (bool, error) {
	if _, err := Pattern(resource); err != nil {
		return false, err
	}
	return p.all(func(r *Role) bool {
		ok, _ := checkApplication(r.apps, app, privilege, resource, stored)
		return ok
	}), nil
}

// Describe is the role as GET /_security/user/_privileges shows it (GetUserPrivilegesResponse).
func (r *Role) Describe() Description {
	d := Description{Global: r.global, RunAs: sortedUnique(r.runAsList), Cluster: sortedUnique(r.cluster.names)}
	for _, e := range r.entries {
		e.Names, e.Privileges = sortedUnique(e.Names), sortedUnique(e.Privileges)
		if !slices.ContainsFunc(d.Indices, func(o IndexEntry) bool { return sameEntry(o, e) }) {
			d.Indices = append(d.Indices, e)
		}
	}
	d.Applications = mergeApps(r.apps)
	return d
}

// Description is a role's privileges listed by kind.
type Description struct {
	Cluster      []string
	Global       []json.RawMessage
	Indices      []IndexEntry
	Applications []AppEntry
	RunAs        []string
}

// AppEntry is one applications entry of a description.
type AppEntry struct {
	Application           string
	Privileges, Resources []string
}

func sameEntry(a, b IndexEntry) bool {
	return slices.Equal(a.Names, b.Names) && slices.Equal(a.Privileges, b.Privileges) &&
		string(a.FieldSecurity) == string(b.FieldSecurity) && string(a.Query) == string(b.Query) &&
		a.AllowRestricted == b.AllowRestricted
}

// mergeApps merges the entries of one application that share their resources (privileges unioned),
// then those that share their privileges (resources unioned), as GetUserPrivilegesResponse shows them.
func mergeApps(apps []appEntry) []AppEntry {
	var out []AppEntry
	merge := func(list []AppEntry, sameRes bool) []AppEntry {
		var res []AppEntry
		for _, e := range list {
			i := slices.IndexFunc(res, func(o AppEntry) bool {
				if o.Application != e.Application {
					return false
				}
				if sameRes {
					return slices.Equal(o.Resources, e.Resources)
				}
				return slices.Equal(o.Privileges, e.Privileges)
			})
			if i < 0 {
				res = append(res, e)
				continue
			}
			if sameRes {
				res[i].Privileges = sortedUnique(append(slices.Clip(res[i].Privileges), e.Privileges...))
			} else {
				res[i].Resources = sortedUnique(append(slices.Clip(res[i].Resources), e.Resources...))
			}
		}
		return res
	}
	for _, a := range apps {
		out = append(out, AppEntry{Application: a.app, Privileges: sortedUnique(a.privileges), Resources: sortedUnique(a.resources)})
	}
	return merge(merge(out, true), false)
}

func sortedUnique(list []string) []string {
	out := append([]string{}, list...)
	sort.Strings(out)
	return slices.Compact(out)
}

// mergeGroup adds a group, merging it with a group of the same privileges: their names are unioned, as
// IndicesPermission.indexGroupAutomatons keys groups by their privileges' automaton, so a requested
// pattern that spans two such groups is covered.
func mergeGroup(groups []indexGroup, g indexGroup) []indexGroup {
	key := privilegeKey(g.privileges)
	for i := range groups {
		if privilegeKey(groups[i].privileges) == key {
			groups[i].indices = Union(groups[i].indices, g.indices)
			return groups
		}
	}
	return append(groups, g)
}

func privilegeKey(privileges []string) string {
	lower := make([]string, len(privileges))
	for i, p := range privileges {
		lower[i] = strings.ToLower(p)
	}
	return strings.Join(sortedUnique(lower), ",")
}
