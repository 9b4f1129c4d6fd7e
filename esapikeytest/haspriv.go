package esapikeytest

import (
	"net/http"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// hasPrivileges serves GET|POST /_security/user/_has_privileges and /_security/user/{user}/_has_privileges
// (RestHasPrivilegesAction, TransportHasPrivilegesAction): parsing and validation, then authorization
// (checking oneself needs no privilege), then the own-account rule, then the answer.
func (s *Server) hasPrivileges(c *call) (int, any, *esError) {
	username := c.sub.user.username
	if c.param != "" {
		username = c.param
	}
	if len(c.body) == 0 {
		return 0, nil, badRequest("parse_exception", "request body or source parameter is required")
	}
	d, err := c.doc()
	if err != nil {
		return 0, nil, err
	}
	q, err := parsePrivilegesToCheck(username+"/has_privileges", d.Root)
	if err != nil {
		return 0, nil, err
	}
	if msgs := q.Validate(); len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	if username != c.sub.user.username {
		if err := s.authorize(c.sub, authz.Request{Action: authz.ActionHasPrivileges}); err != nil {
			return 0, nil, err
		}
		return 0, nil, illegalArgument("users may only check the privileges of their own account")
	}
	if err := s.authorize(c.sub, authz.Request{Action: actionAuthenticate}); err != nil {
		return 0, nil, err // run-as is checked even when checking oneself
	}
	perm, err := s.permissionOf(c.sub)
	if err != nil {
		return 0, nil, err
	}
	res, aerr := perm.HasPrivileges(q, s.storedAppPrivileges)
	if aerr != nil {
		return 0, nil, authzError(aerr)
	}
	return http.StatusOK, hasPrivilegesBody(username, res), nil
}

// hasPrivilegesBody renders HasPrivilegesResponse: all five fields, always.
func hasPrivilegesBody(username string, res authz.Result) ordered {
	answers := func(list []authz.Answer) ordered {
		o := make(ordered, 0, len(list))
		for _, a := range list {
			o = append(o, kv{a.Privilege, a.Granted})
		}
		return o
	}
	resources := func(list []authz.ResourceAnswers) ordered {
		o := make(ordered, 0, len(list))
		for _, r := range list {
			o = append(o, kv{r.Resource, answers(r.Answers)})
		}
		return o
	}
	apps := ordered{}
	for _, a := range res.Application {
		apps = append(apps, kv{a.Application, resources(a.Resources)})
	}
	return ordered{{"username", username}, {"has_all_requested", res.All}, {"cluster", answers(res.Cluster)},
		{"index", resources(res.Index)}, {"application", apps}}
}

// privilegesParser reads a has-privileges body like RoleDescriptor.parsePrivilegesToCheck; desc is
// "<username>/has_privileges", the name its messages quote.
type privilegesParser struct {
	desc     string
	fls, dls bool // an index entry has field_security or query, refused once the body is read
}

func parsePrivilegesToCheck(desc string, n *jsontree.Node) (authz.Privileges, *esError) {
	p := &privilegesParser{desc: desc}
	var q authz.Privileges
	if n.Kind != jsontree.Object {
		return q, parseErr("failed to parse privileges check [%s]. expected an object but found [%s] instead", desc, n.Kind.Token())
	}
	seen := false
	for i, key := range n.Keys {
		v := n.Vals[i]
		var err *esError
		switch key {
		case "cluster":
			q.Cluster, err = p.strings("cluster", v, false)
		case "index":
			err = p.entries(v, "indices", func(e *jsontree.Node) *esError {
				ic, err := p.index(e)
				q.Index = append(q.Index, ic)
				return err
			})
		case "application", "applications":
			err = p.entries(v, "application", func(e *jsontree.Node) *esError {
				ac, err := p.application(e)
				q.Application = append(q.Application, ac)
				return err
			})
		default:
			err = parseErr("failed to parse privileges check [%s]. unexpected field [%s]", desc, key)
		}
		if err != nil {
			return q, err
		}
		seen = true
	}
	switch {
	case !seen:
		return q, parseErr("failed to parse privileges check [%s]. All privilege fields [cluster,index,applications] are missing", desc)
	case p.fls:
		return q, parseErr("Field [field_security] is not supported in a has_privileges request")
	case p.dls:
		return q, parseErr("Field [query] is not supported in a has_privileges request")
	}
	return q, nil
}

// strings reads a string array (a single string too where single is set).
func (p *privilegesParser) strings(key string, v *jsontree.Node, single bool) ([]string, *esError) {
	if single && v.Kind == jsontree.String {
		return []string{v.Str}, nil
	}
	if v.Kind != jsontree.Array {
		return nil, parseErr("failed to parse privileges check [%s]. could not parse [%s] field. expected a string array but found [%s] value instead", p.desc, key, v.Kind.Token())
	}
	out := make([]string, 0, len(v.Vals))
	for _, e := range v.Vals {
		if e.Kind != jsontree.String {
			return nil, parseErr("failed to parse privileges check [%s]. could not parse [%s] field. expected a string array but one of the value in the array is [%s]", p.desc, key, e.Kind.Token())
		}
		out = append(out, e.Str)
	}
	return out, nil
}

func (p *privilegesParser) entries(v *jsontree.Node, what string, each func(*jsontree.Node) *esError) *esError {
	if v.Kind != jsontree.Array {
		return parseErr("failed to parse %s privileges for role [%s]. expected field value to be an array, but found [%s] instead", what, p.desc, v.Kind.Token())
	}
	for _, e := range v.Vals {
		if e.Kind != jsontree.Object {
			return parseErr("failed to parse %s privileges for role [%s]. expected an array of objects, but found an element of type [%s]", what, p.desc, e.Kind.Token())
		}
		if err := each(e); err != nil {
			return err
		}
	}
	return nil
}

func (p *privilegesParser) index(e *jsontree.Node) (authz.IndexCheck, *esError) {
	var ic authz.IndexCheck
	var names, privs []string
	for i, key := range e.Keys {
		v := e.Vals[i]
		var err *esError
		switch key {
		case "names":
			names, err = p.strings(key, v, true)
			if err == nil && len(names) == 0 {
				err = parseErr("failed to parse indices privileges for role [%s]. [names] cannot be an empty array", p.desc)
			}
		case "privileges":
			privs, err = p.strings(key, v, true)
		case "allow_restricted_indices":
			if v.Kind != jsontree.Bool {
				err = parseErr("failed to parse indices privileges for role [%s]. expected field [%s] value to be a boolean, but found [%s] instead", p.desc, key, v.Kind.Token())
			}
			ic.AllowRestricted = v.Bool
		case "field_security":
			p.fls = true
		case "query":
			p.dls = p.dls || v.Kind != jsontree.Null
		default:
			err = parseErr("failed to parse indices privileges for role [%s]. unexpected field [%s]", p.desc, key)
		}
		if err != nil {
			return ic, err
		}
	}
	for _, f := range []struct {
		name string
		ok   bool
	}{{"names", names != nil}, {"privileges", privs != nil}} {
		if !f.ok {
			return ic, parseErr("failed to parse indices privileges for role [%s]. missing required [%s] field", p.desc, f.name)
		}
	}
	ic.Names, ic.Privileges = names, privs
	return ic, nil
}

func (p *privilegesParser) application(e *jsontree.Node) (authz.AppCheck, *esError) {
	var ac authz.AppCheck
	var has [3]bool
	for i, key := range e.Keys {
		v := e.Vals[i]
		var err *esError
		switch key {
		case "application":
			if v.Kind != jsontree.String {
				err = parseErr("failed to parse application privileges for role [%s]. expected field [application] value to be a string, but found [%s] instead", p.desc, v.Kind.Token())
			}
			ac.Application, has[0] = v.Str, true
		case "privileges":
			ac.Privileges, err = p.strings(key, v, false)
			has[1] = true
		case "resources":
			ac.Resources, err = p.strings(key, v, false)
			has[2] = true
		default:
			err = parseErr("failed to parse application privileges for role [%s]. unexpected field [%s]", p.desc, key)
		}
		if err != nil {
			return ac, err
		}
	}
	for i, name := range []string{"application", "privileges", "resources"} {
		if !has[i] {
			return ac, parseErr("failed to parse application privileges for role [%s]. missing required [%s] field", p.desc, name)
		}
	}
	switch {
	case len(ac.Privileges) == 0:
		return ac, illegalArgument("application privileges must define at least one privilege")
	case len(ac.Resources) == 0:
		return ac, illegalArgument("application privileges must refer to at least one resource")
	}
	return ac, nil
}

// userPrivileges serves GET /_security/user/_privileges (RestGetUserPrivilegesAction): what the
// caller holds, by kind. An API key with its own descriptors cannot be described as one role.
func (s *Server) userPrivileges(c *call) (int, any, *esError) {
	if err := s.authorize(c.sub, authz.Request{Action: actionAuthenticate}); err != nil {
		return 0, nil, err
	}
	var rds []roleDesc
	switch k := c.sub.key; {
	case k != nil && c.sub.runAs == "" && len(k.roles) > 0:
		return 0, nil, illegalArgument("Cannot retrieve privileges for API keys with assigned role descriptors. Please use the Get API key information API https://ela.st/es-api-get-api-key")
	case k != nil && c.sub.runAs == "":
		rds = k.limitedBy
	default:
		rds, _ = s.st.rolesOf(c.sub.user)
	}
	r, err := s.roleOf(rds)
	if err != nil {
		return 0, nil, err
	}
	d, derr := r.Describe(s.storedAppPrivileges)
	if derr != nil {
		return 0, nil, authzError(derr)
	}
	return http.StatusOK, userPrivilegesBody(d), nil
}

// userPrivilegesBody renders GetUserPrivilegesResponse as RestGetUserPrivilegesAction writes it: each
// global privilege its own {category: {name: value}} object, and remote_indices and remote_cluster
// only when the role holds them.
func userPrivilegesBody(d authz.Description) ordered {
	global := make([]any, len(d.Global))
	for i, g := range d.Global {
		global[i] = ordered{{g.Category, ordered{{g.Name, g.Value}}}}
	}
	apps := make([]ordered, 0, len(d.Applications))
	for _, a := range d.Applications {
		apps = append(apps, ordered{{"application", a.Application}, {"privileges", a.Privileges}, {"resources", a.Resources}})
	}
	o := ordered{{"cluster", nonNil(d.Cluster)}, {"global", global}, {"indices", indexEntries(d.Indices, false)},
		{"applications", apps}, {"run_as", nonNil(d.RunAs)}}
	if len(d.RemoteIndices) > 0 {
		o = append(o, kv{"remote_indices", indexEntries(d.RemoteIndices, true)})
	}
	if len(d.RemoteCluster) > 0 {
		groups := make([]ordered, 0, len(d.RemoteCluster))
		for _, g := range d.RemoteCluster {
			groups = append(groups, ordered{{"privileges", g.Privileges}, {"clusters", g.Clusters}})
		}
		o = append(o, kv{"remote_cluster", groups})
	}
	return o
}

// indexEntries renders GetUserPrivilegesResponse.Indices: field_security groups grant then except,
// queries as strings, and a remote entry's clusters last.
func indexEntries(list []authz.IndexEntry, remote bool) []ordered {
	out := make([]ordered, 0, len(list))
	for _, e := range list {
		o := ordered{{"names", e.Names}, {"privileges", e.Privileges}}
		if e.FieldSecurity != nil {
			groups := make([]ordered, 0, len(e.FieldSecurity))
			for _, f := range e.FieldSecurity {
				g := ordered{}
				if f.Grant != nil {
					g = append(g, kv{"grant", f.Grant})
				}
				if f.Except != nil {
					g = append(g, kv{"except", f.Except})
				}
				groups = append(groups, g)
			}
			o = append(o, kv{"field_security", groups})
		}
		if len(e.Queries) > 0 {
			o = append(o, kv{"query", e.Queries})
		}
		o = append(o, kv{"allow_restricted_indices", e.AllowRestricted})
		if remote {
			o = append(o, kv{"clusters", e.Clusters})
		}
		out = append(out, o)
	}
	return out
}
