package esapikeytest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// The entries of a role descriptor: indices (and remote_indices, and the indices of a cross-cluster
// access), applications, remote_cluster, restriction and global, each parsed as RoleDescriptor's
// hand-written parser (or, for applications, its ObjectParser) does.

// stringArray reads a string array like XContentUtils.readStringArray; with allowNull, null gives nil.
func (p *roleParser) stringArray(key string, v *jsontree.Node, allowNull bool) ([]string, *esError) {
	wrap := func(format string, args ...any) *esError {
		return parseErr("failed to parse role [%s]", p.name).causedBy(parseErr(format, args...))
	}
	switch v.Kind {
	case jsontree.Null:
		if allowNull {
			return nil, nil
		}
		return nil, wrap("could not parse [%s] field. expected a string array but found null value instead", key)
	case jsontree.Array:
	default:
		return nil, wrap("could not parse [%s] field. expected a string array but found [%s] value instead", key, v.Kind.Token())
	}
	list := make([]string, 0, len(v.Vals()))
	for _, e := range v.Vals() {
		if e.Kind != jsontree.String {
			return nil, wrap("could not parse [%s] field. expected a string array but one of the value in the array is [%s]", key, e.Kind.Token())
		}
		list = append(list, e.Str)
	}
	return list, nil
}

// objects reads an array of objects, each parsed by entry.
func (p *roleParser) objects(what, key string, v *jsontree.Node, entry func(*jsontree.Node) (ordered, *esError)) ([]ordered, *esError) {
	if v.Kind != jsontree.Array {
		return nil, parseErr("failed to parse %s for role [%s]. expected field [%s] value to be an array, but found [%s] instead", what, p.name, key, v.Kind.Token())
	}
	list := make([]ordered, 0, len(v.Vals()))
	for _, e := range v.Vals() {
		if e.Kind != jsontree.Object {
			return nil, parseErr("failed to parse %s for role [%s]. expected field [%s] value to be an array of objects, but found an array element of type [%s]", what, p.name, key, e.Kind.Token())
		}
		o, err := entry(e)
		if err != nil {
			return nil, err
		}
		list = append(list, o)
	}
	return list, nil
}

// indexMode says which index entry is parsed: a role's indices, its remote_indices, or the search or
// replication entries of a cross-cluster access, whose privileges are predefined.
type indexMode uint8

const (
	plainIndices indexMode = iota
	remoteIndices
	predefinedIndices
)

// indexEntry parses one entry like RoleDescriptor.parseIndexWithOptionalRemoteClusters (and
// parseIndexWithPredefinedPrivileges). The entry renders as IndicesPrivileges.toXContent does; a
// predefined entry has no privileges of its own.
func (p *roleParser) indexEntry(mode indexMode) func(*jsontree.Node) (ordered, *esError) {
	return func(n *jsontree.Node) (ordered, *esError) {
		f, err := p.indexFields(n, mode)
		if err != nil {
			return nil, err
		}
		return f.entry(mode), nil
	}
}

// indexFields reads the fields of one indices entry and checks them in Elasticsearch's order: each
// field as read, then the required ones, field security, and IndicesPrivileges.Builder.build.
func (p *roleParser) indexFields(n *jsontree.Node, mode indexMode) (*indexFields, *esError) {
	fail := func(format string, args ...any) *esError {
		return parseErr("failed to parse indices privileges for role [%s]. "+format, append([]any{p.name}, args...)...)
	}
	f := &indexFields{}
	for key, v := range n.Fields() {
		var err *esError
		switch {
		case key == "names":
			switch v.Kind {
			case jsontree.String:
				f.names = []string{v.Str}
			case jsontree.Array:
				if f.names, err = p.stringArray(key, v, false); err == nil && len(f.names) == 0 {
					err = fail("[names] cannot be an empty array")
				}
			default:
				err = fail("expected field [names] value to be a string or an array of strings, but found [%s] instead", v.Kind.Token())
			}
		case key == "allow_restricted_indices":
			if v.Kind != jsontree.Bool {
				err = fail("expected field [%s] value to be a boolean, but found [%s] instead", key, v.Kind.Token())
			}
			f.allowRestricted = v.Bool
		case key == "query":
			switch v.Kind {
			case jsontree.Object:
				f.query = string(canonical(toAny(v)))
			case jsontree.String:
				if v.Str != "" {
					f.query = v.Str
				}
			case jsontree.Null:
			default:
				err = fail("expected field [query] value to be null, a string, an array, or an object, but found [%s] instead", v.Kind.Token())
			}
		case key == "field_security":
			f.fls, err = p.fieldSecurity(v, fail)
		case key == "privileges" && mode == predefinedIndices:
			err = fail("field [privileges] must not present")
		case key == "privileges":
			f.privs, err = p.stringArray(key, v, true)
		case key == "fields":
			err = parseErr(`["fields": [...]] format has changed for field permissions in role [%s], use ["field_security": {"grant":[...],"except":[...]}] instead`, p.name)
		case key == "transient_metadata":
			if v.Kind != jsontree.Object {
				err = parseErr("failed to parse transient metadata for role [%s]. expected START_OBJECT but got %s in \"transient_metadata\".", p.name, v.Kind.Token())
			}
		case key == "clusters" && mode == remoteIndices:
			f.clusters, err = p.stringArray(key, v, false)
		default:
			err = fail("unexpected field [%s]", key)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := f.check(p.name, mode, fail); err != nil {
		return nil, err
	}
	return f, nil
}

// fieldSecurity reads field_security strictly, as RoleDescriptor.parseIndexWithOptionalRemoteClusters
// does: an object of grant and except, each a string array that may not be null, nothing else, and
// not empty.
func (p *roleParser) fieldSecurity(v *jsontree.Node, fail func(string, ...any) *esError) (*fieldSecurity, *esError) {
	if v.Kind != jsontree.Object {
		return nil, fail("expected START_OBJECT but got %s in \"field_security\".", v.Kind.Token())
	}
	if len(v.Keys()) == 0 {
		return nil, fail(`"field_security" must not be empty.`)
	}
	fs := &fieldSecurity{}
	for key, val := range v.Fields() {
		var list []string
		var err *esError
		switch key {
		case "grant", "except":
			if list, err = p.stringArray(key, val, true); err == nil && list == nil {
				err = fail("%s must not be null.", key)
			}
		default:
			err = fail(`"field_security" only accepts options grant and except, but got: %s`, key)
		}
		if err != nil {
			return nil, err
		}
		if key == "grant" {
			fs.grant = list
		} else {
			fs.except = list
		}
	}
	return fs, nil
}

// fieldSecurity is a parsed field_security: nil lists are absent ones.
type fieldSecurity struct{ grant, except []string }

// MarshalJSON writes grant, then except, as IndicesPrivileges.toXContent does.
func (fs *fieldSecurity) MarshalJSON() ([]byte, error) {
	o := ordered{}
	if fs.grant != nil {
		o = append(o, kv{"grant", fs.grant})
	}
	if fs.except != nil {
		o = append(o, kv{"except", fs.except})
	}
	return o.MarshalJSON()
}

// restrictsFields is IndicesPrivileges.isUsingFieldLevelSecurity: fields are excepted, or granted
// otherwise than exactly ["*"].
func (fs *fieldSecurity) restrictsFields() bool {
	if fs == nil {
		return false
	}
	return len(fs.except) > 0 || fs.grant != nil && !(len(fs.grant) == 1 && fs.grant[0] == "*")
}

// indexFields are the fields of one indices entry, as IndicesPrivileges' parser collects them.
type indexFields struct {
	names, privs, clusters []string
	fls                    *fieldSecurity
	query                  any
	allowRestricted        bool
}

// check is what follows the fields in RoleDescriptor: the required fields, except without grant, the
// excepted fields among the granted ones (checkIfExceptFieldsIsSubsetOfGrantedFields), at least one
// privilege (IndicesPrivileges.Builder.build), then a remote entry's clusters.
func (f *indexFields) check(role string, mode indexMode, fail func(string, ...any) *esError) *esError {
	switch {
	case f.names == nil:
		return fail("missing required [names] field")
	case f.privs == nil && mode != predefinedIndices:
		return fail("missing required [privileges] field")
	}
	if f.fls != nil {
		if f.fls.except != nil && f.fls.grant == nil {
			return fail("field_security requires grant if except is given")
		}
		msg, err := authz.CheckFieldSecurity(f.fls.grant, f.fls.except)
		if err != nil {
			return authzError(err)
		}
		if msg != "" {
			// ElasticsearchSecurityException from FieldPermissions, re-thrown as a parse exception.
			return parseErr("failed to parse indices privileges for role [%s] - %s", role, msg).causedBy(newError(500, "security_exception", msg))
		}
	}
	switch {
	case len(f.privs) == 0 && mode != predefinedIndices:
		return illegalArgument("indices privileges must define at least one privilege")
	case mode == remoteIndices && f.clusters == nil:
		return parseErr("failed to parse remote indices privileges for role [%s]. missing required [clusters] field", role)
	}
	return nil
}

// entry renders the entry as Elasticsearch stores it.
func (f *indexFields) entry(mode indexMode) ordered {
	o := ordered{{"names", f.names}}
	if mode != predefinedIndices {
		o = append(o, kv{"privileges", f.privs})
	}
	if f.fls != nil {
		o = append(o, kv{"field_security", f.fls})
	}
	if f.query != nil {
		o = append(o, kv{"query", f.query})
	}
	o = append(o, kv{"allow_restricted_indices", f.allowRestricted})
	if mode == remoteIndices {
		o = append(o, kv{"clusters", f.clusters})
	}
	return o
}

// applicationFields are the fields of ApplicationResourcePrivileges.PARSER, an ObjectParser.
var applicationFields = []string{"application", "privileges", "resources"}

// applicationEntry parses one application privilege entry like ApplicationResourcePrivileges.PARSER,
// then checks it like RoleDescriptor.parseApplicationPrivilege and the builder.
func (p *roleParser) applicationEntry(n *jsontree.Node) (ordered, *esError) {
	got := map[string]any{}
	for key, v := range n.Fields() {
		switch key {
		case "application":
			if v.Kind != jsontree.String {
				return nil, badRequest("x_content_parse_exception", "%s [application] application doesn't support values of type: %s", p.d.Loc(v), v.Kind.Token())
			}
			got[key] = v.Str
		case "privileges", "resources":
			list, err := stringOrArray(p.d, "application", key, v)
			if err != nil {
				return nil, err
			}
			got[key] = list
		default:
			return nil, unknownField(p.d, v, "application", key, applicationFields)
		}
	}
	for _, key := range []string{"resources", "privileges"} {
		if got[key] == nil {
			return nil, parseErr("failed to parse application privileges for role [%s]. missing required [%s] field", p.name, key)
		}
	}
	if got["application"] == nil {
		return nil, illegalArgument("application privileges must have an application name")
	}
	o := ordered{}
	for _, key := range applicationFields {
		o = append(o, kv{key, got[key]})
	}
	return o, nil
}

// remoteClusterPrivileges are RemoteClusterPermissions.getSupportedRemoteClusterPermissions of 9.3;
// a release knows those gated for it.
var remoteClusterPrivileges = []string{"monitor_enrich", "monitor_stats"}

// remoteClusterEntry parses one remote_cluster group like RoleDescriptor.parseRemoteCluster.
func (p *roleParser) remoteClusterEntry(n *jsontree.Node) (ordered, *esError) {
	fail := func(format string, args ...any) *esError {
		return parseErr("failed to parse remote_cluster for role [%s]. "+format, append([]any{p.name}, args...)...)
	}
	var privs, clusters []string
	allowed := knownOf(p.ctx.v, remoteClusterPrivilege, remoteClusterPrivileges)
	for key, v := range n.Fields() {
		var err *esError
		switch key {
		case "privileges":
			if privs, err = p.stringArray(key, v, false); err != nil {
				return nil, err
			}
			for _, priv := range privs {
				if !slices.Contains(allowed, strings.TrimSpace(strings.ToLower(priv))) {
					return nil, fail("[%s] are the only values allowed for [privileges] within [remote_cluster]. Found [%s]",
						strings.Join(allowed, ", "), strings.Join(privs, ", "))
				}
			}
		case "clusters":
			if clusters, err = p.stringArray(key, v, false); err != nil {
				return nil, err
			}
		default:
			return nil, fail("unexpected field [%s]", key)
		}
	}
	switch {
	case privs != nil && clusters == nil:
		return nil, fail("[clusters] must be defined when [privileges] are defined ")
	case privs == nil && clusters != nil:
		return nil, fail("[privileges] must be defined when [clusters] are defined ")
	case len(privs) == 0 || len(clusters) == 0:
		// RemoteClusterPermissionGroup's constructor.
		return nil, illegalArgument("remote cluster groups must not be null or empty")
	}
	return ordered{{"privileges", privs}, {"clusters", clusters}}, nil
}

// workflows are WorkflowResolver's names; a restriction names them in any case, with spaces around.
var workflows = []string{"search_application_query"}

// restriction parses a restriction like RoleDescriptor.Restriction.parse. An empty object is no
// restriction at all (nil), as Restriction.isEmpty makes it.
func (p *roleParser) restriction(v *jsontree.Node) (any, *esError) {
	fail := func(format string, args ...any) *esError {
		return parseErr("failed to parse restriction for role [%s]. "+format, append([]any{p.name}, args...)...)
	}
	if v.Kind != jsontree.Object {
		return nil, fail("expected field [restriction] value to be an object, but found an element of type [%s]", v.Kind.Token())
	}
	var list []string
	for key, val := range v.Fields() {
		if key != "workflows" {
			return nil, fail("unexpected field [%s]", key)
		}
		var err *esError
		if list, err = p.stringArray(key, val, false); err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, fail("[workflows] cannot be an empty array")
		}
	}
	if list == nil {
		return nil, nil
	}
	p.rd.restricted = true
	p.rd.workflows = list
	return ordered{{"workflows", list}}, nil
}

// validateWorkflows returns RoleDescriptorRequestValidator's message for unknown workflow names.
func validateWorkflows(names []string) []string {
	var msgs []string
	for _, w := range names {
		if !slices.Contains(workflows, strings.TrimSpace(strings.ToLower(w))) {
			msgs = append(msgs, fmt.Sprintf("Unknown workflow [%s]. A workflow must be one of the predefined workflow names [%s].",
				w, strings.Join(workflows, ",")))
		}
	}
	return msgs
}

// globalCategories are the categories of ConfigurableClusterPrivileges of 9.3; a release knows
// those gated for it.
var globalCategories = []string{"application", "profile", "role"}

// global parses the configurable cluster privileges like ConfigurableClusterPrivileges.parse, as far
// as their category names; what a category holds is kept as sent.
func (p *roleParser) global(v *jsontree.Node) (any, *esError) {
	if v.Kind != jsontree.Object {
		return nil, badRequest("x_content_parse_exception", "%s Failed to parse object: expecting token of type [START_OBJECT] but found [%s]", p.d.Loc(v), v.Kind.Token())
	}
	categories := knownOf(p.ctx.v, globalCategory, globalCategories)
	for key, val := range v.Fields() {
		if !slices.Contains(categories, key) {
			// ConfigurableClusterPrivileges.expectFieldName throws an XContentParseException, with a location.
			return nil, badRequest("x_content_parse_exception", "%s failed to parse privilege. expected one of [%s] but found [%s] instead",
				p.d.Loc(val), strings.Join(categories, ","), key)
		}
		if val.Kind != jsontree.Object {
			return nil, badRequest("x_content_parse_exception", "%s Failed to parse object: expecting token of type [START_OBJECT] but found [%s]", p.d.Loc(val), val.Kind.Token())
		}
	}
	p.rd.privileged = p.rd.privileged || len(v.Keys()) > 0
	return toAny(v), nil
}
