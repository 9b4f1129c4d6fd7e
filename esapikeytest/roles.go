package esapikeytest

import (
	"encoding/json"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// roleDesc is a parsed role descriptor: the parts authorization needs, and its canonical rendering,
// which is also what equality compares (Elasticsearch compares descriptors field by field).
type roleDesc struct {
	name       string
	cluster    []string
	runAs      []string
	restricted bool
	workflows  []string // of the restriction, as sent
	privileged bool     // grants anything at all
	body       json.RawMessage
}

// roleContext says where a descriptor comes from (roles accept description, API keys accept
// restriction) and the release that parses it.
type roleContext struct {
	forAPIKey bool
	v         version.Version
}

// roleParser parses one descriptor; its errors are Elasticsearch parse exceptions (parse_exception).
type roleParser struct {
	d    *jsontree.Doc
	ctx  roleContext
	name string
	rd   roleDesc
}

func parseErr(format string, args ...any) *esError {
	return badRequest("parse_exception", format, args...)
}

// maxRoleName is NativeRealmValidationUtil.MAX_NAME_LENGTH.
const maxRoleName = 1024

// validRoleName is Validation.Roles.validateRoleName: printable Basic Latin only, no whitespace at
// either end, 1 to 1024 characters.
func validRoleName(name string) bool {
	if len(name) < 1 || len(name) > maxRoleName || strings.TrimSpace(name) != name {
		return false
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 0x20 || name[i] > 0x7e {
			return false
		}
	}
	return true
}

// parseRoleDescriptor parses a role descriptor object like RoleDescriptor.Parser.parse, which checks
// the name first and throws a ValidationException for it.
func parseRoleDescriptor(d *jsontree.Doc, name string, n *jsontree.Node, ctx roleContext) (roleDesc, *esError) {
	if !validRoleName(name) {
		return roleDesc{}, newError(400, "validation_exception", "Validation Failed: 1: Role names must be at least 1 and no more than 1024 characters. "+
			"They can contain alphanumeric characters (a-z, A-Z, 0-9), spaces, punctuation, and printable symbols in the Basic Latin (ASCII) block. "+
			"Leading or trailing whitespace is not allowed.;")
	}
	p := &roleParser{d: d, ctx: ctx, name: name, rd: roleDesc{name: name}}
	if n.Kind != jsontree.Object {
		return roleDesc{}, parseErr("failed to parse role [%s]. expected an object but found [%s] instead", name, n.Kind.Token())
	}
	fields := map[string]any{}
	for key, val := range n.Fields() {
		v, err := p.field(key, val)
		if err != nil {
			return roleDesc{}, err
		}
		if v != nil {
			fields[key] = v
		}
	}
	p.render(fields)
	return p.rd, nil
}

// field parses one field of a descriptor. "index" and "application" are aliases; "type" is read and
// dropped; transient_metadata is dropped too, and always renders as {"enabled":true}.
func (p *roleParser) field(key string, v *jsontree.Node) (any, *esError) {
	var list []ordered
	var err *esError
	fields := roleField
	if p.ctx.forAPIKey {
		fields = keyRoleField
	}
	if lacks(p.ctx.v, fields, key) {
		return nil, parseErr("failed to parse role [%s]. unexpected field [%s]", p.name, key)
	}
	switch key {
	case "cluster", "run_as":
		strs, err := p.stringArray(key, v, true)
		if key == "cluster" {
			p.rd.cluster = strs
		} else {
			p.rd.runAs = strs
		}
		p.rd.privileged = p.rd.privileged || len(strs) > 0
		if strs == nil {
			return []string{}, err
		}
		return strs, err
	case "indices", "index":
		list, err = p.objects("indices privileges", key, v, p.indexEntry(plainIndices))
	case "remote_indices":
		list, err = p.objects("remote indices privileges", key, v, p.indexEntry(remoteIndices))
	case "applications", "application":
		list, err = p.objects("application privileges", key, v, p.applicationEntry)
	case "remote_cluster":
		list, err = p.objects("remote_cluster", key, v, p.remoteClusterEntry)
	case "global":
		return p.global(v)
	case "metadata":
		if v.Kind != jsontree.Object {
			return nil, parseErr("expected field [metadata] to be of type object, but found [%s] instead", v.Kind.Token())
		}
		return javaJSON(v), nil
	case "transient_metadata":
		if v.Kind != jsontree.Object {
			return nil, parseErr("failed to parse role [%s]. unexpected field [%s]", p.name, key)
		}
		return nil, nil
	case "type":
		return nil, nil
	case "restriction":
		if p.ctx.forAPIKey {
			return p.restriction(v)
		}
		return nil, parseErr("failed to parse role [%s]. unexpected field [%s]", p.name, key)
	case "description":
		if v.Kind != jsontree.String {
			return nil, parseErr("failed to parse role [%s]. expected field [description] value to be a string, but found [%s] instead", p.name, v.Kind.Token())
		}
		return v.Str, nil
	default:
		return nil, parseErr("failed to parse role [%s]. unexpected field [%s]", p.name, key)
	}
	if err != nil {
		return nil, err
	}
	p.rd.privileged = p.rd.privileged || len(list) > 0
	return list, nil
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
	applications := or("applications", or("application", []ordered{}))
	o := ordered{{"cluster", or("cluster", []string{})}}
	if g, ok := f["global"].(map[string]any); ok && len(g) > 0 {
		o = append(o, kv{"global", g})
	}
	o = append(o, ordered{
		{"indices", indices},
		{"applications", applications},
		{"run_as", or("run_as", []string{})},
		{"metadata", or("metadata", map[string]any{})},
		{"transient_metadata", map[string]any{"enabled": true}},
	}...)
	for _, key := range []string{"remote_indices", "remote_cluster"} {
		if l, ok := f[key].([]ordered); ok && len(l) > 0 {
			o = append(o, kv{key, l})
		}
	}
	if r, ok := f["restriction"]; ok && r != nil {
		o = append(o, kv{"restriction", r})
	}
	if d, ok := f["description"].(string); ok && d != "" {
		o = append(o, kv{"description", d})
	}
	p.rd.body = canonical(o)
}

// validateRole returns the validation messages of a descriptor at release v
// (RoleDescriptorRequestValidator).
func validateRole(rd roleDesc, v version.Version) []string {
	var msgs []string
	var d struct {
		Cluster       []string         `json:"cluster"`
		Indices       []indexPrivs     `json:"indices"`
		RemoteIndices []indexPrivs     `json:"remote_indices"`
		Metadata      map[string]any   `json:"metadata"`
		Applications  []map[string]any `json:"applications"`
	}
	_ = json.Unmarshal(rd.body, &d)
	for _, c := range d.Cluster {
		if _, err := authz.ResolveCluster(c); err != nil {
			msgs = append(msgs, err.Error())
		}
	}
	lacking := func(name string) bool { return lacks(v, indexPrivilege, name) }
	for _, ip := range append(d.Indices, d.RemoteIndices...) {
		for _, priv := range ip.Privileges {
			if _, err := authz.ResolveIndexExcept(priv, lacking); err != nil {
				msgs = append(msgs, err.Error())
			}
		}
		for _, n := range ip.Names {
			if strings.Contains(n, "::") {
				msgs = append(msgs, "selectors [::] are not allowed in the index name expression ["+n+"]")
			}
		}
	}
	for k := range d.Metadata {
		if strings.HasPrefix(k, "_") {
			msgs = append(msgs, "role descriptor metadata keys may not start with [_]")
			break
		}
	}
	return append(msgs, validateWorkflows(rd.workflows)...)
}

type indexPrivs struct {
	Names      []string `json:"names"`
	Privileges []string `json:"privileges"`
}
