package authz

import (
	"slices"
	"strings"
)

// Description is a role's privileges listed by kind, as GET /_security/user/_privileges shows them
// (RBACEngine.buildUserPrivilegesResponseObject, GetUserPrivilegesResponse).
type Description struct {
	Cluster       []string
	Global        []GlobalPrivilege
	Indices       []IndexEntry
	Applications  []AppEntry
	RunAs         []string
	RemoteIndices []IndexEntry
	RemoteCluster []RemoteClusterEntry
}

// IndexEntry is one indices entry of a description: names and privileges sorted, the field security
// groups (nil when they restrict no field) and queries (nil without document level security).
// Clusters are those of a remote_indices entry.
type IndexEntry struct {
	Names, Privileges []string
	FieldSecurity     []FieldSecurity
	Queries           []string
	AllowRestricted   bool
	Clusters          []string
}

// AppEntry is one applications entry of a description.
type AppEntry struct {
	Application           string
	Privileges, Resources []string
}

// Describe is the role as GET /_security/user/_privileges shows it, its application privileges
// resolved against the stored ones. Cluster privileges are the resolved, lower-cased names; each
// indices entry is the union of the role's entries over one set of names; applications list, for
// each application privilege, the resources of every entry whose privilege implies it.
func (r *Role) Describe(stored AppPrivileges) (Description, error) {
	d := Description{Cluster: sortedUnique(r.cluster.names), Global: r.global, RemoteCluster: r.remoteCl}
	var err error
	if d.Indices, err = describeIndices(r.collated); err != nil {
		return d, err
	}
	if d.RemoteIndices, err = describeIndices(r.remote); err != nil {
		return d, err
	}
	entries, err := appPermission(r.apps, stored)
	if err != nil {
		return d, err
	}
	for _, e := range entries {
		res := resourcePatterns(entries, e.priv)
		a := AppEntry{Application: e.priv.app, Privileges: e.priv.names, Resources: res}
		if len(res) > 0 && !slices.ContainsFunc(d.Applications, func(o AppEntry) bool { return o.equal(a) }) {
			d.Applications = append(d.Applications, a)
		}
	}
	slices.SortFunc(d.Applications, func(x, y AppEntry) int {
		if c := strings.Compare(x.Application, y.Application); c != 0 {
			return c
		}
		return slices.Compare(x.Privileges, y.Privileges)
	})
	if r.runAs != nil && !isEmpty(r.runAs) {
		d.RunAs = hashSet(r.runAsList)
	}
	return d, nil
}

func (a AppEntry) equal(o AppEntry) bool {
	return a.Application == o.Application && slices.Equal(a.Privileges, o.Privileges) && slices.Equal(a.Resources, o.Resources)
}

func describeIndices(list []collated) ([]IndexEntry, error) {
	var out []IndexEntry
	for _, c := range list {
		e := IndexEntry{Names: sortedUnique(c.names), Privileges: sortedUnique(lower(c.privileges)),
			AllowRestricted: c.allowRestricted, Clusters: c.clusters}
		fls, err := c.hasFieldLevelSecurity()
		if err != nil {
			return nil, err
		}
		if fls && slices.ContainsFunc(c.fls, func(f FieldSecurity) bool { return len(f.Grant) > 0 || len(f.Except) > 0 }) {
			e.FieldSecurity = slices.Clone(c.fls)
			slices.SortFunc(e.FieldSecurity, func(x, y FieldSecurity) int {
				if c := compareNullable(x.Grant, y.Grant); c != 0 {
					return c
				}
				return compareNullable(x.Except, y.Except)
			})
		}
		if !c.noQuery {
			e.Queries = c.queries
		}
		if !slices.ContainsFunc(out, e.equal) {
			out = append(out, e)
		}
	}
	return out, nil
}

// compareNullable is Arrays.compare of string arrays: null first, then element by element.
func compareNullable(x, y []string) int {
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return -1
	case y == nil:
		return 1
	}
	return slices.Compare(x, y)
}

func (e IndexEntry) equal(o IndexEntry) bool {
	return slices.Equal(e.Names, o.Names) && slices.Equal(e.Privileges, o.Privileges) &&
		slices.EqualFunc(e.FieldSecurity, o.FieldSecurity, FieldSecurity.equal) && slices.Equal(e.Queries, o.Queries) &&
		e.AllowRestricted == o.AllowRestricted && slices.Equal(e.Clusters, o.Clusters)
}
