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
	q, err := parsePrivilegesToCheck(d, username+"/has_privileges")
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

// parsePrivilegesToCheck reads a has-privileges body like RoleDescriptor.parsePrivilegesToCheck, with
// the role parser under the name desc ("<username>/has_privileges"): cluster is a string array that
// may be null, index entries are parsed as a role's (parseIndex, so field_security and query are read
// strictly), application entries by ApplicationResourcePrivileges' parser. Field and document level
// security are refused once the body is read.
func parsePrivilegesToCheck(d *jsontree.Doc, desc string) (authz.Privileges, *esError) {
	rp := &roleParser{d: d, name: desc}
	var q authz.Privileges
	n := d.Root
	switch {
	case n == nil: // a blank body: the parser's first token is null
		return q, parseErr("failed to parse privileges check [%s]. expected an object but found [null] instead", desc)
	case n.Kind != jsontree.Object:
		return q, parseErr("failed to parse privileges check [%s]. expected an object but found [%s] instead", desc, n.Kind.Token())
	}
	var fls, dls, seen bool
	for key, v := range n.Fields() {
		var err *esError
		switch key {
		case "cluster":
			q.Cluster, err = rp.stringArray("cluster", v, true)
			seen = seen || q.Cluster != nil
		case "index":
			seen = true
			_, err = rp.objects("indices privileges", key, v, func(e *jsontree.Node) (ordered, *esError) {
				f, err := rp.indexFields(e, plainIndices)
				if err != nil {
					return nil, err
				}
				fls = fls || f.fls.restrictsFields()
				dls = dls || f.query != nil
				q.Index = append(q.Index, authz.IndexCheck{Names: f.names, Privileges: f.privs, AllowRestricted: f.allowRestricted})
				return nil, nil
			})
		case "application", "applications":
			seen = true
			_, err = rp.objects("application privileges", key, v, func(e *jsontree.Node) (ordered, *esError) {
				ac, err := rp.appCheck(e)
				q.Application = append(q.Application, ac)
				return nil, err
			})
		default:
			err = parseErr("failed to parse privileges check [%s]. unexpected field [%s]", desc, key)
		}
		if err != nil {
			return q, err
		}
	}
	switch {
	case !seen:
		return q, parseErr("failed to parse privileges check [%s]. All privilege fields [cluster,index,applications] are missing", desc)
	case fls:
		return q, parseErr("Field [field_security] is not supported in a has_privileges request")
	case dls:
		return q, parseErr("Field [query] is not supported in a has_privileges request")
	}
	return q, nil
}

// appCheck reads one application entry as RoleDescriptor.parseApplicationPrivilege does, then builds
// it (ApplicationResourcePrivileges.Builder.build).
func (p *roleParser) appCheck(e *jsontree.Node) (authz.AppCheck, *esError) {
	o, err := p.applicationEntry(e)
	if err != nil {
		return authz.AppCheck{}, err
	}
	var ac authz.AppCheck
	for _, f := range o {
		switch f.k {
		case "application":
			ac.Application, _ = f.v.(string)
		case "privileges":
			ac.Privileges, _ = f.v.([]string)
		case "resources":
			ac.Resources, _ = f.v.([]string)
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
