package esapikeytest

import (
	"encoding/json"
	"strings"
)

// roleDesc is a parsed role descriptor: the parts authorization needs, and its canonical rendering,
// which is also what equality compares (Elasticsearch compares descriptors field by field).
type roleDesc struct {
	name       string
	cluster    []string
	runAs      []string
	restricted bool
	privileged bool // grants anything at all
	body       json.RawMessage
}

func (r roleDesc) equal(o roleDesc) bool { return r.name == o.name && string(r.body) == string(o.body) }

// roleContext says where a descriptor comes from: roles accept description, API keys accept restriction.
type roleContext struct{ forAPIKey bool }

// roleParser parses one descriptor; its errors are Elasticsearch parse exceptions (parse_exception).
type roleParser struct {
	ctx  roleContext
	name string
	rd   roleDesc
}

func parseErr(format string, args ...any) *esError {
	return badRequest("parse_exception", format, args...)
}

// parseRoleDescriptor parses a role descriptor object like RoleDescriptor.parse.
func parseRoleDescriptor(name string, n *node, ctx roleContext) (roleDesc, *esError) {
	p := &roleParser{ctx: ctx, name: name, rd: roleDesc{name: name}}
	if n.kind != kObject {
		return roleDesc{}, parseErr("failed to parse role [%s]. expected an object but found [%s] instead", name, n.kind.token())
	}
	fields := map[string]any{}
	for i, key := range n.keys {
		v, err := p.field(key, n.vals[i])
		if err != nil {
			return roleDesc{}, err
		}
		fields[key] = v
	}
	p.render(fields)
	return p.rd, nil
}

func (p *roleParser) field(key string, v *node) (any, *esError) {
	switch key {
	case "cluster", "run_as":
		list, err := p.stringArray(key, v)
		if key == "cluster" {
			p.rd.cluster = list
		} else {
			p.rd.runAs = list
		}
		p.rd.privileged = p.rd.privileged || len(list) > 0
		return list, err
	case "indices", "index":
		return p.objects("indices", v, p.indexEntry(false))
	case "remote_indices":
		return p.objects("remote indices", v, p.indexEntry(true))
	case "applications":
		return p.objects("application", v, p.applicationEntry)
	case "remote_cluster":
		return p.objects("remote_cluster", v, p.remoteClusterEntry)
	case "global", "metadata", "transient_metadata":
		if v.kind != kObject {
			return nil, parseErr("failed to parse role [%s]. expected field [%s] to be of type object, but found [%s] instead", p.name, key, v.kind.token())
		}
		p.rd.privileged = p.rd.privileged || (key == "global" && len(v.keys) > 0)
		return toAny(v), nil
	case "restriction":
		if p.ctx.forAPIKey {
			return p.restriction(v)
		}
	case "description":
		if !p.ctx.forAPIKey {
			if v.kind != kString {
				return nil, parseErr("failed to parse role [%s]. expected field [description] value to be a string, but found [%s] instead", p.name, v.kind.token())
			}
			return v.s, nil
		}
	}
	return nil, parseErr("failed to parse role [%s]. unexpected field [%s]", p.name, key)
}

// stringArray reads a string array like XContentUtils.readStringArray (null is allowed and means empty).
func (p *roleParser) stringArray(key string, v *node) ([]string, *esError) {
	wrap := func(format string, args ...any) *esError {
		return parseErr("failed to parse role [%s]", p.name).causedBy(parseErr(format, args...))
	}
	switch v.kind {
	case kNull:
		return []string{}, nil
	case kArray:
	default:
		return nil, wrap("could not parse [%s] field. expected a string array but found [%s] value instead", key, v.kind.token())
	}
	list := make([]string, 0, len(v.vals))
	for _, e := range v.vals {
		if e.kind != kString {
			return nil, wrap("could not parse [%s] field. expected a string array but one of the value in the array is [%s]", key, e.kind.token())
		}
		list = append(list, e.s)
	}
	return list, nil
}

// objects reads an array of objects, each parsed by entry.
func (p *roleParser) objects(what string, v *node, entry func(*node) (ordered, *esError)) (any, *esError) {
	if v.kind != kArray {
		return nil, parseErr("failed to parse %s privileges for role [%s]. expected field value to be an array, but found [%s] instead", what, p.name, v.kind.token())
	}
	list := make([]ordered, 0, len(v.vals))
	for _, e := range v.vals {
		if e.kind != kObject {
			return nil, parseErr("failed to parse %s privileges for role [%s]. expected an array of objects, but found an element of type [%s]", what, p.name, e.kind.token())
		}
		o, err := entry(e)
		if err != nil {
			return nil, err
		}
		list = append(list, o)
	}
	p.rd.privileged = p.rd.privileged || len(list) > 0
	return list, nil
}

// entryStrings reads a string or an array of strings inside an entry of indices, applications, ...
func (p *roleParser) entryStrings(what, key string, v *node, single bool) ([]string, *esError) {
	if single && v.kind == kString {
		return []string{v.s}, nil
	}
	if v.kind == kArray {
		list := make([]string, 0, len(v.vals))
		for _, e := range v.vals {
			if e.kind != kString {
				break
			}
			list = append(list, e.s)
		}
		if len(list) == len(v.vals) {
			return list, nil
		}
	}
	return nil, parseErr("failed to parse %s privileges for role [%s]. expected field [%s] value to be an array of strings, but found [%s] instead", what, p.name, key, v.kind.token())
}

func (p *roleParser) indexEntry(remote bool) func(*node) (ordered, *esError) {
	what := "indices"
	if remote {
		what = "remote indices"
	}
	return func(n *node) (ordered, *esError) {
		var names, privs, clusters []string
		var fls, query any
		allowRestricted := false
		for i, key := range n.keys {
			v := n.vals[i]
			var err *esError
			switch key {
			case "names":
				names, err = p.entryStrings(what, key, v, true)
			case "privileges":
				privs, err = p.entryStrings(what, key, v, false)
			case "clusters":
				if !remote {
					return nil, parseErr("failed to parse %s privileges for role [%s]. unexpected field [%s]", what, p.name, key)
				}
				clusters, err = p.entryStrings(what, key, v, false)
			case "query":
				if v.kind != kString && v.kind != kObject {
					err = parseErr("failed to parse %s privileges for role [%s]. expected field [query] value to be null, a string or an object, but found [%s] instead", what, p.name, v.kind.token())
				} else if v.kind == kString {
					query = v.s
				} else {
					query = string(canonical(toAny(v)))
				}
			case "field_security":
				if v.kind != kObject {
					err = parseErr("failed to parse %s privileges for role [%s]. [field_security] value must be an object, but found [%s] instead", what, p.name, v.kind.token())
				}
				fls = toAny(v)
			case "allow_restricted_indices":
				if v.kind != kBool {
					err = parseErr("failed to parse %s privileges for role [%s]. expected field [%s] value to be a boolean, but found [%s] instead", what, p.name, key, v.kind.token())
				}
				allowRestricted = v.b
			default:
				err = parseErr("failed to parse %s privileges for role [%s]. unexpected field [%s]", what, p.name, key)
			}
			if err != nil {
				return nil, err
			}
		}
		for _, req := range []struct {
			field string
			ok    bool
		}{{"names", names != nil}, {"privileges", privs != nil}, {"clusters", !remote || clusters != nil}} {
			if !req.ok {
				return nil, parseErr("failed to parse %s privileges for role [%s]. missing required [%s] field", what, p.name, req.field)
			}
		}
		o := ordered{{"names", names}, {"privileges", privs}}
		if fls != nil {
			o = append(o, kv{"field_security", fls})
		}
		if query != nil {
			o = append(o, kv{"query", query})
		}
		o = append(o, kv{"allow_restricted_indices", allowRestricted})
		if remote {
			o = append(o, kv{"clusters", clusters})
		}
		return o, nil
	}
}

func (p *roleParser) applicationEntry(n *node) (ordered, *esError) {
	got := map[string]any{}
	for i, key := range n.keys {
		v := n.vals[i]
		switch key {
		case "application":
			if v.kind != kString {
				return nil, parseErr("failed to parse application privileges for role [%s]. expected field [application] value to be a string, but found [%s] instead", p.name, v.kind.token())
			}
			got[key] = v.s
		case "privileges", "resources":
			list, err := p.entryStrings("application", key, v, false)
			if err != nil {
				return nil, err
			}
			got[key] = list
		default:
			return nil, parseErr("failed to parse application privileges for role [%s]. unexpected field [%s]", p.name, key)
		}
	}
	o := ordered{}
	for _, key := range []string{"application", "privileges", "resources"} {
		if got[key] == nil {
			return nil, parseErr("failed to parse application privileges for role [%s]. missing required [%s] field", p.name, key)
		}
		o = append(o, kv{key, got[key]})
	}
	return o, nil
}

func (p *roleParser) remoteClusterEntry(n *node) (ordered, *esError) {
	got := map[string][]string{}
	for i, key := range n.keys {
		if key != "privileges" && key != "clusters" {
			return nil, parseErr("failed to parse remote_cluster for role [%s]. unexpected field [%s]", p.name, key)
		}
		list, err := p.entryStrings("remote_cluster", key, n.vals[i], false)
		if err != nil {
			return nil, err
		}
		got[key] = list
	}
	for _, key := range []string{"privileges", "clusters"} {
		if got[key] == nil {
			return nil, parseErr("failed to parse remote_cluster for role [%s]. missing required [%s] field", p.name, key)
		}
	}
	for _, priv := range got["privileges"] {
		if priv != "monitor_enrich" && priv != "monitor_stats" {
			return nil, parseErr("failed to parse remote_cluster for role [%s]. [monitor_enrich, monitor_stats] are the only values allowed for [privileges] within [remote_cluster]. Found %v", p.name, got["privileges"])
		}
	}
	return ordered{{"privileges", got["privileges"]}, {"clusters", got["clusters"]}}, nil
}

func (p *roleParser) restriction(v *node) (any, *esError) {
	if v.kind != kObject {
		return nil, parseErr("failed to parse restriction for role [%s]. expected an object but found [%s] instead", p.name, v.kind.token())
	}
	var workflows []string
	for i, key := range v.keys {
		if key != "workflows" {
			return nil, parseErr("failed to parse restriction for role [%s]. unexpected field [%s]", p.name, key)
		}
		list, err := p.entryStrings("restriction", key, v.vals[i], false)
		if err != nil {
			return nil, err
		}
		workflows = list
	}
	if len(workflows) == 0 {
		return nil, parseErr("failed to parse restriction for role [%s]. missing required [workflows] field", p.name)
	}
	for _, w := range workflows {
		if w != "search_application_query" {
			return nil, parseErr("failed to parse restriction for role [%s]", p.name).causedBy(
				illegalArgument("Unknown workflow [%s]. A workflow must be one of the predefined workflow names [search_application_query].", w))
		}
	}
	p.rd.restricted = true
	return ordered{{"workflows", workflows}}, nil
}

// render builds the canonical rendering, with the defaults Elasticsearch shows for omitted fields.
func (p *roleParser) render(f map[string]any) {
	or := func(key string, def any) any {
		if v, ok := f[key]; ok && v != nil {
			return v
		}
		return def
	}
	indices := or("indices", or("index", []ordered{}))
	o := ordered{{"cluster", or("cluster", []string{})}}
	if g, ok := f["global"].(map[string]any); ok && len(g) > 0 {
		o = append(o, kv{"global", g})
	}
	o = append(o, ordered{
		{"indices", indices},
		{"applications", or("applications", []ordered{})},
		{"run_as", or("run_as", []string{})},
		{"metadata", or("metadata", map[string]any{})},
		{"transient_metadata", or("transient_metadata", map[string]any{"enabled": true})},
	}...)
	for _, key := range []string{"remote_indices", "remote_cluster"} {
		if l, ok := f[key].([]ordered); ok && len(l) > 0 {
			o = append(o, kv{key, l})
		}
	}
	if r, ok := f["restriction"]; ok {
		o = append(o, kv{"restriction", r})
	}
	if d, ok := f["description"].(string); ok && d != "" {
		o = append(o, kv{"description", d})
	}
	p.rd.body = canonical(o)
}

// validateRole returns the validation messages of a descriptor (RoleDescriptorRequestValidator).
func validateRole(rd roleDesc) []string {
	var msgs []string
	var v struct {
		Cluster       []string         `json:"cluster"`
		Indices       []indexPrivs     `json:"indices"`
		RemoteIndices []indexPrivs     `json:"remote_indices"`
		Metadata      map[string]any   `json:"metadata"`
		Applications  []map[string]any `json:"applications"`
	}
	_ = json.Unmarshal(rd.body, &v)
	for _, c := range v.Cluster {
		if m := checkClusterPrivilege(c); m != "" {
			msgs = append(msgs, m)
		}
	}
	for _, ip := range append(v.Indices, v.RemoteIndices...) {
		for _, priv := range ip.Privileges {
			if m := checkIndexPrivilege(priv); m != "" {
				msgs = append(msgs, m)
			}
		}
	}
	for k := range v.Metadata {
		if strings.HasPrefix(k, "_") {
			msgs = append(msgs, "role descriptor metadata keys may not start with [_]")
			break
		}
	}
	return msgs
}

type indexPrivs struct {
	Names      []string `json:"names"`
	Privileges []string `json:"privileges"`
}
