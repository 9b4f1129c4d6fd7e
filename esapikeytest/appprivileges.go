package esapikeytest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// appPrivilege is a stored application privilege (ApplicationPrivilegeDescriptor).
type appPrivilege struct {
	application, name string
	actions           []string
	metadata          map[string]any
}

func (p *appPrivilege) render() ordered {
	md := p.metadata
	if md == nil {
		md = map[string]any{}
	}
	return ordered{{"application", p.application}, {"name", p.name}, {"actions", p.actions}, {"metadata", md}}
}

// putPrivileges serves PUT|POST /_security/privilege (RestPutPrivilegesAction, PutPrivilegesRequest):
// parsing, validation of every privilege with all messages collected, authorization, then the write.
// A privilege is replaced whole.
func (s *Server) putPrivileges(c *call) (int, any, *esError) {
	if err := c.requireBody(); err != nil {
		return 0, nil, err
	}
	d, err := c.doc()
	if err != nil {
		return 0, nil, err
	}
	privs, err := parseAppPrivileges(d)
	if err != nil {
		return 0, nil, err
	}
	if msgs := validateAppPrivileges(privs); len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	// PutPrivilegesRequest.getApplicationNames, which global.application.manage checks.
	var apps []string
	for _, p := range privs {
		if !slices.Contains(apps, p.application) {
			apps = append(apps, p.application)
		}
	}
	if err := s.authorize(c.sub, authz.Request{Action: authz.ActionPutPrivileges, Applications: apps}); err != nil {
		return 0, nil, err
	}
	created := s.st.putAppPrivileges(privs)
	out := ordered{}
	for j, p := range privs { // an application's privileges come together, as the body has them
		if len(out) == 0 || out[len(out)-1].k != p.application {
			out = append(out, kv{p.application, ordered{}})
		}
		last := &out[len(out)-1]
		last.v = append(last.v.(ordered), kv{p.name, ordered{{"created", created[j]}}})
	}
	return http.StatusOK, out, nil
}

// parseAppPrivileges reads {"<app>":{"<name>":{"actions":[..],"metadata":{..}}}} like PutPrivilegesRequestBuilder.
func parseAppPrivileges(d *jsontree.Doc) ([]*appPrivilege, *esError) {
	if d.Root.Kind != jsontree.Object {
		return nil, parseErr("expected object but found %s instead", d.Root.Kind.Token())
	}
	var out []*appPrivilege
	for app, v := range d.Root.Fields() {
		if v.Kind != jsontree.Object {
			return nil, parseErr("expected the value for %s to be an object, but found %s instead", app, v.Kind.Token())
		}
		for name, val := range v.Fields() {
			p, err := parseAppPrivilege(d, app, name, val)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

func parseAppPrivilege(d *jsontree.Doc, app, name string, n *jsontree.Node) (*appPrivilege, *esError) {
	const parser = "application_privilege"
	if n.Kind != jsontree.Object {
		return nil, parseErr("expected the value for %s to be an object, but found %s instead", name, n.Kind.Token())
	}
	p := &appPrivilege{application: app, name: name}
	for key, v := range n.Fields() {
		switch key {
		case "actions":
			list, err := stringOrArray(d, parser, key, v)
			if err != nil {
				return nil, err
			}
			p.actions = list
		case "metadata":
			if v.Kind != jsontree.Object {
				return nil, badRequest("x_content_parse_exception", "%s [%s] metadata doesn't support values of type: %s", d.Loc(v), parser, v.Kind.Token())
			}
			p.metadata = toAny(v).(map[string]any)
		case "application", "name":
			if v.Kind != jsontree.String {
				return nil, badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.Loc(v), parser, key, v.Kind.Token())
			}
			want := map[string]string{"application": app, "name": name}[key]
			if v.Str != want {
				return nil, illegalArgument("privilege %s [%s] in source does not match the provided %s [%s]", key, v.Str, key, want)
			}
		case "type":
			return nil, illegalArgument("Field type cannot be specified here")
		default:
			return nil, badRequest("x_content_parse_exception", "%s [%s] unknown field [%s]", d.Loc(v), parser, key)
		}
	}
	if p.actions == nil {
		p.actions = []string{}
	}
	return p, nil
}

// validateAppPrivileges collects PutPrivilegesRequest.validate's messages.
func validateAppPrivileges(privs []*appPrivilege) []string {
	if len(privs) == 0 {
		return []string{"At least one application privilege must be provided"}
	}
	var msgs []string
	for _, p := range privs {
		if m := authz.ValidateApplicationName(p.application, false); m != "" {
			msgs = append(msgs, m)
		}
		if m := authz.ValidatePrivilegeName(p.name); m != "" {
			msgs = append(msgs, m)
		}
		if len(p.actions) == 0 {
			msgs = append(msgs, "Application privileges must have at least one action")
		}
		for _, a := range p.actions {
			if m := authz.ValidateActionName(a); m != "" {
				msgs = append(msgs, m)
			}
		}
		for k := range p.metadata {
			if strings.HasPrefix(k, "_") {
				msgs = append(msgs, "metadata keys may not start with [_] (in privilege "+p.application+" "+p.name+")")
				break
			}
		}
	}
	return msgs
}

// privilegePath returns the application and names of /_security/privilege[/{app}[/{names}]].
func privilegePath(c *call) (app string, names []string) {
	if len(c.params) > 0 {
		app = c.params[0]
	}
	if len(c.params) > 1 {
		names = strings.Split(c.params[1], ",")
	}
	return app, names
}

// getPrivileges serves GET /_security/privilege[/{app}[/{names}]] (RestGetPrivilegesAction):
// 404 with {} only when names were asked and none exists.
func (s *Server) getPrivileges(c *call) (int, any, *esError) {
	app, names := privilegePath(c)
	if err := s.authorize(c.sub, authz.Request{Action: authz.ActionGetPrivileges, Applications: requestApps(app)}); err != nil {
		return 0, nil, err
	}
	out := ordered{}
	for _, p := range s.st.appPrivilegeList(app, names) {
		if len(out) == 0 || out[len(out)-1].k != p.application {
			out = append(out, kv{p.application, ordered{}})
		}
		last := &out[len(out)-1]
		last.v = append(last.v.(ordered), kv{p.name, p.render()})
	}
	if len(out) == 0 && len(names) > 0 {
		return http.StatusNotFound, ordered{}, nil
	}
	return http.StatusOK, out, nil
}

// deletePrivileges serves DELETE /_security/privilege/{app}/{names} (RestDeletePrivilegesAction):
// found per requested name; 404 when none was found.
func (s *Server) deletePrivileges(c *call) (int, any, *esError) {
	app, names := privilegePath(c)
	if err := s.authorize(c.sub, authz.Request{Action: authz.ActionDeletePrivileges, Applications: requestApps(app)}); err != nil {
		return 0, nil, err
	}
	found := ordered{}
	deleted := false
	for i, ok := range s.st.deleteAppPrivileges(app, names) {
		deleted = deleted || ok
		found = append(found, kv{names[i], ordered{{"found", ok}}})
	}
	status := http.StatusOK
	if !deleted {
		status = http.StatusNotFound
	}
	return status, ordered{{app, found}}, nil
}

// requestApps is the application names of a get or delete privileges request
// (GetPrivilegesRequest.getApplicationNames): none when no application was named, which
// global.application.manage grants only with "*".
func requestApps(app string) []string {
	if app == "" {
		return nil
	}
	return []string{app}
}
