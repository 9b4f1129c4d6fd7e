package esapikeytest

import (
	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// ccAccess is the access of a cross-cluster API key: what it may search and replicate. Entries are
// kept as GET /_security/api_key renders them (ApiKey.buildXContentForCrossClusterApiKeyAccess):
// names, field_security, query, allow_restricted_indices, without the predefined privileges.
type ccAccess struct {
	search, replication []ordered
}

var (
	searchPrivileges      = []string{"read", "read_cross_cluster", "view_index_metadata"}
	replicationPrivileges = []string{"cross_cluster_replication", "cross_cluster_replication_internal"}
	accessFields          = []string{"search", "replication"}
)

// parseAccess parses {"search":[..],"replication":[..]} like CrossClusterApiKeyRoleDescriptorBuilder's
// ConstructingObjectParser: each field takes an array of objects or one object, and each entry is
// parsed by RoleDescriptor.parseIndexWithPredefinedPrivileges for the role [cross_cluster].
func parseAccess(d *jsontree.Doc, n *jsontree.Node) (*ccAccess, *esError) {
	a := &ccAccess{}
	rp := &roleParser{d: d, name: "cross_cluster"}
	entry := rp.indexEntry(predefinedIndices)
	for key, v := range n.Fields() {
		if key != "search" && key != "replication" {
			return nil, unknownField(d, v, accessParserName, key, accessFields)
		}
		elems := []*jsontree.Node{v}
		switch v.Kind {
		case jsontree.Array:
			elems = v.Vals()
		case jsontree.Object:
		default:
			return nil, badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.Loc(v), accessParserName, key, v.Kind.Token())
		}
		list := []ordered{}
		for _, e := range elems {
			var o ordered
			var err *esError
			if e.Kind != jsontree.Object {
				err = parseErr("failed to parse indices privileges for role [cross_cluster]. expected field [%s] value to be an array of objects, but found an array element of type [%s]", key, e.Kind.Token())
			} else {
				o, err = entry(e)
			}
			if err != nil {
				return nil, badRequest("x_content_parse_exception", "%s [%s] failed to parse field [%s]", d.Loc(v), accessParserName, key).causedBy(err)
			}
			list = append(list, o)
		}
		if key == "search" {
			a.search = list
		} else {
			a.replication = list
		}
	}
	return a, nil
}

// build is CrossClusterApiKeyRoleDescriptorBuilder.build's checks at release v, which Elasticsearch
// runs when it makes the request, after the whole body parsed: plain illegal-argument errors. Search
// entries with document or field level security beside replication entries are refused from the
// release that made cross-cluster keys generally available (8.14); earlier ones keep them.
func (a *ccAccess) build(v version.Version) *esError {
	switch {
	case len(a.search) == 0 && len(a.replication) == 0:
		return illegalArgument("must specify non-empty access for either [search] or [replication]")
	case anyDLSOrFLS(a.replication):
		return illegalArgument("replication does not support document or field level security")
	case len(a.replication) > 0 && anyDLSOrFLS(a.search) && v.Has(version.CCSearchSecurityWithReplicationRefused):
		return illegalArgument("%s", v.Text(version.CCSearchSecurityWithReplicationRefused))
	}
	return nil
}

// anyDLSOrFLS is IndicesPrivileges.isUsingDocumentOrFieldLevelSecurity over entries: a query, or field
// security that does not grant every field.
func anyDLSOrFLS(entries []ordered) bool {
	for _, e := range entries {
		for _, f := range e {
			switch f.k {
			case "query":
				return true
			case "field_security":
				if f.v.(*fieldSecurity).restrictsFields() {
					return true
				}
			}
		}
	}
	return false
}

// rendered is the "access" field of a get answer.
func (a *ccAccess) rendered() ordered {
	o := ordered{}
	if len(a.search) > 0 {
		o = append(o, kv{"search", a.search})
	}
	if len(a.replication) > 0 {
		o = append(o, kv{"replication", a.replication})
	}
	return o
}

// descriptor is the role descriptor release v derives from the access, stored as "cross_cluster".
// From 8.15, search access also grants monitor_enrich, so that remote enrich policies resolve; a key
// keeps the descriptor it was given until an update with access replaces it.
func (a *ccAccess) descriptor(v version.Version) roleDesc {
	var cluster []string
	indices := []ordered{}
	for _, e := range a.search {
		indices = append(indices, withPrivileges(e, searchPrivileges))
	}
	for _, e := range a.replication {
		indices = append(indices, withPrivileges(e, replicationPrivileges))
	}
	if len(a.search) > 0 {
		cluster = append(cluster, "cross_cluster_search")
		if v.Has(version.CCSearchMonitorEnrich) {
			cluster = append(cluster, "monitor_enrich")
		}
	}
	if len(a.replication) > 0 {
		cluster = append(cluster, "cross_cluster_replication")
	}
	body := ordered{
		{"cluster", cluster},
		{"indices", indices},
		{"applications", []string{}},
		{"run_as", []string{}},
		{"metadata", map[string]any{}},
		{"transient_metadata", map[string]any{"enabled": true}},
	}
	return roleDesc{name: "cross_cluster", cluster: cluster, privileged: true, body: canonical(body)}
}

// withPrivileges puts the predefined privileges after the names, where IndicesPrivileges renders them.
func withPrivileges(entry ordered, privileges []string) ordered {
	o := ordered{entry[0], {"privileges", privileges}}
	return append(o, entry[1:]...)
}
