package esapikeytest

import "slices"

// ccAccess is the access of a cross-cluster API key: what it may search and replicate.
type ccAccess struct {
	search, replication []ordered
	rendered            ordered // the "access" field of a get answer
}

var (
	searchPrivileges      = []string{"read", "read_cross_cluster", "view_index_metadata"}
	replicationPrivileges = []string{"cross_cluster_replication", "cross_cluster_replication_internal"}
)

// parseAccess parses {"search":[..],"replication":[..]} like CrossClusterApiKeyRoleDescriptorBuilder.
func parseAccess(d *jsonDoc, n *node) (*ccAccess, *esError) {
	a := &ccAccess{}
	for i, key := range n.keys {
		v := n.vals[i]
		if key != "search" && key != "replication" {
			return nil, badRequest("x_content_parse_exception", "%s [%s] unknown field [%s]", d.loc(v), accessParserName, key)
		}
		if v.kind != kArray {
			return nil, badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.loc(v), accessParserName, key, v.kind.token())
		}
		for _, e := range v.vals {
			entry, err := parseAccessEntry(d, key, e)
			if err != nil {
				return nil, err
			}
			if key == "search" {
				a.search = append(a.search, entry)
			} else {
				a.replication = append(a.replication, entry)
			}
		}
	}
	if len(a.search) == 0 && len(a.replication) == 0 {
		return nil, badRequest("x_content_parse_exception", "Failed to build [%s] after last required field arrived", accessParserName).
			causedBy(illegalArgument("must specify non-empty access for either [search] or [replication]"))
	}
	a.rendered = ordered{}
	if len(a.search) > 0 {
		a.rendered = append(a.rendered, kv{"search", a.search})
	}
	if len(a.replication) > 0 {
		a.rendered = append(a.rendered, kv{"replication", a.replication})
	}
	return a, nil
}

func parseAccessEntry(d *jsonDoc, kind string, e *node) (ordered, *esError) {
	parser := "cross_cluster_api_key_request_" + kind
	if e.kind != kObject {
		return nil, badRequest("x_content_parse_exception", "%s [%s] Expected START_OBJECT but was: %s", d.loc(e), parser, e.kind.token())
	}
	allowed := []string{"names"}
	if kind == "search" {
		allowed = append(allowed, "query", "field_security", "allow_restricted_indices")
	}
	out := ordered{}
	var names []string
	for i, key := range e.keys {
		v := e.vals[i]
		if !slices.Contains(allowed, key) {
			return nil, badRequest("x_content_parse_exception", "%s [%s] unknown field [%s]", d.loc(v), parser, key)
		}
		if key == "names" {
			list, err := stringOrArray(d, parser, key, v)
			if err != nil {
				return nil, err
			}
			names = list
			continue
		}
		out = append(out, kv{key, toAny(v)})
	}
	if names == nil {
		return nil, illegalArgument("Required [names]")
	}
	entry := append(ordered{{"names", names}}, out...)
	if kind == "search" && !hasKey(entry, "allow_restricted_indices") {
		entry = append(entry, kv{"allow_restricted_indices", false})
	}
	return entry, nil
}

func hasKey(o ordered, k string) bool {
	for _, f := range o {
		if f.k == k {
			return true
		}
	}
	return false
}

// descriptor is the role descriptor Elasticsearch derives from the access, stored as "cross_cluster".
func (a *ccAccess) descriptor() roleDesc {
	var cluster []string
	indices := []ordered{}
	for _, e := range a.search {
		indices = append(indices, accessIndices(e, searchPrivileges))
	}
	for _, e := range a.replication {
		indices = append(indices, accessIndices(e, replicationPrivileges))
	}
	if len(a.search) > 0 {
		cluster = append(cluster, "cross_cluster_search")
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

func accessIndices(entry ordered, privileges []string) ordered {
	o := ordered{{"names", entry[0].v}, {"privileges", privileges}}
	restricted := any(false)
	for _, f := range entry[1:] {
		if f.k == "allow_restricted_indices" {
			restricted = f.v
			continue
		}
		o = append(o, f)
	}
	return append(o, kv{"allow_restricted_indices", restricted})
}
