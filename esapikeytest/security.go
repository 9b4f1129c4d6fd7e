package esapikeytest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// reservedUsers are the built-in users of the reserved realm; their names cannot be used for native users.
var reservedUsers = []string{"elastic", "kibana", "kibana_system", "logstash_system", "beats_system",
	"apm_system", "remote_monitoring_user"}

// root serves GET / with the cluster information.
func (s *Server) root(c *call) (int, any, *esError) {
	if err := s.authorize(c.sub, authz.Request{Action: actionMain}); err != nil {
		return 0, nil, err
	}
	build := version.BuildOf(s.version)
	return http.StatusOK, ordered{
		{"name", "esapikeytest"},
		{"cluster_name", "esapikeytest"},
		{"cluster_uuid", "esapikeytest-cluster-uuid"},
		{"version", ordered{
			{"number", s.version.String()},
			{"build_flavor", "default"},
			{"build_type", "esapikeytest"},
			{"build_hash", "0000000000000000000000000000000000000000"},
			{"build_date", "2026-01-01T00:00:00.000000000Z"},
			{"build_snapshot", false},
			{"lucene_version", build.Lucene},
			{"minimum_wire_compatibility_version", build.MinimumWireCompatibility},
			{"minimum_index_compatibility_version", build.MinimumIndexCompatibility},
		}},
		{"tagline", "You Know, for Search"},
	}, nil
}

// authenticateRoute serves GET /_security/_authenticate.
func (s *Server) authenticateRoute(c *call) (int, any, *esError) {
	if err := s.authorize(c.sub, authz.Request{Action: actionAuthenticate}); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.authenticationInfo(c.sub), nil
}

// authenticationInfo renders who sub is as GET /_security/_authenticate does (Authentication.toXContent).
func (s *Server) authenticationInfo(sub *subject) ordered {
	u := sub.user
	if sub.key != nil && sub.runAs == "" {
		if owner := s.st.user(sub.key.realm, sub.key.owner); owner != nil {
			u = owner
		}
	}
	authRealm, lookupRealm, typ := u.realm, u.realm, "realm"
	if sub.authUser != nil {
		authRealm = sub.authUser.realm
	}
	o := userInfo(u)
	o[1].v = []string{}
	if sub.token {
		typ = "token"
	}
	if sub.key == nil {
		o[1].v = nonNil(u.roles)
	} else {
		authRealm, typ = apiKeyRealm, "api_key"
		if sub.runAs == "" {
			lookupRealm = apiKeyRealm
		}
	}
	o = append(o, ordered{
		{"authentication_realm", ordered{{"name", authRealm.name}, {"type", authRealm.typ}}},
		{"lookup_realm", ordered{{"name", lookupRealm.name}, {"type", lookupRealm.typ}}},
		{"authentication_type", typ},
	}...)
	if sub.key != nil {
		info := ordered{{"id", sub.key.id}, {"name", sub.key.name}}
		// Every key of this server is Elasticsearch's own; cloud keys (managed_by "cloud", with
		// "internal") do not exist here.
		if s.version.Has(version.AuthenticateManagedBy) {
			info = append(info, kv{"managed_by", s.version.Text(version.AuthenticateManagedBy)})
		}
		o = append(o, kv{"api_key", info})
	}
	return o
}

func userInfo(u *user) ordered {
	md := u.metadata
	if md == nil {
		md = map[string]any{}
	}
	return ordered{{"username", u.username}, {"roles", nonNil(u.roles)}, {"full_name", u.fullName},
		{"email", u.email}, {"metadata", md}, {"enabled", u.enabled}}
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}

// putUser serves PUT|POST /_security/user/{name}: native users only.
func (s *Server) putUser(c *call) (int, any, *esError) {
	if err := c.requireBody(); err != nil {
		return 0, nil, err
	}
	d, err := c.doc()
	if err != nil {
		return 0, nil, err
	}
	existing := s.st.user(nativeRealm, c.param)
	u, msgs, err := parseUser(d, c.param, existing)
	if err != nil {
		return 0, nil, err
	}
	if slices.Contains(reservedUsers, c.param) {
		msgs = append([]string{"Username [" + c.param + "] is reserved and may not be used."}, msgs...)
	}
	if len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	if err := s.authorize(c.sub, authz.Request{Action: actionPutUser}); err != nil {
		return 0, nil, err
	}
	if u.password == "" {
		return 0, nil, validationFailed([]string{"password must be specified unless you are updating an existing user"})
	}
	return http.StatusOK, ordered{{"created", s.st.putUser(u)}}, nil
}

// getUsers serves GET /_security/user and GET /_security/user/{names}.
func (s *Server) getUsers(c *call) (int, any, *esError) {
	if err := s.authorize(c.sub, authz.Request{Action: actionGetUsers}); err != nil {
		return 0, nil, err
	}
	out := ordered{}
	names := nameSet(c.param)
	for _, u := range s.st.usersIn(reservedRealm, nativeRealm) {
		if names == nil || names[u.username] {
			out = append(out, kv{u.username, userInfo(u)})
		}
	}
	if len(out) == 0 && c.param != "" {
		return http.StatusNotFound, ordered{}, nil
	}
	return http.StatusOK, out, nil
}

// deleteUser serves DELETE /_security/user/{name}.
func (s *Server) deleteUser(c *call) (int, any, *esError) {
	if slices.Contains(reservedUsers, c.param) {
		return 0, nil, validationFailed([]string{"user [" + c.param + "] is reserved and cannot be deleted"})
	}
	if err := s.authorize(c.sub, authz.Request{Action: actionDeleteUser}); err != nil {
		return 0, nil, err
	}
	if !s.st.deleteUser(nativeRealm, c.param) {
		return http.StatusNotFound, ordered{{"found", false}}, nil
	}
	return http.StatusOK, ordered{{"found", true}}, nil
}

// putRole serves PUT|POST /_security/role/{name}.
func (s *Server) putRole(c *call) (int, any, *esError) {
	if err := c.requireBody(); err != nil {
		return 0, nil, err
	}
	d, err := c.doc()
	if err != nil {
		return 0, nil, err
	}
	rd, err := parseRoleDescriptor(d, c.param, d.Root, roleContext{v: s.version})
	if err != nil {
		return 0, nil, err
	}
	msgs := validateRole(rd, s.version)
	if c.param == "superuser" {
		msgs = append([]string{"Role [" + c.param + "] is reserved and may not be used."}, msgs...)
	}
	if len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	if err := s.authorize(c.sub, authz.Request{Action: actionPutRole}); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ordered{{"role", ordered{{"created", s.st.putRole(rd)}}}}, nil
}

// getRoles serves GET /_security/role and GET /_security/role/{names}.
func (s *Server) getRoles(c *call) (int, any, *esError) {
	if err := s.authorize(c.sub, authz.Request{Action: actionGetRoles}); err != nil {
		return 0, nil, err
	}
	out := ordered{}
	names := nameSet(c.param)
	for _, rd := range s.st.roleList() {
		if names == nil || names[rd.name] {
			out = append(out, kv{rd.name, rd.body})
		}
	}
	if len(out) == 0 && c.param != "" {
		return http.StatusNotFound, ordered{}, nil
	}
	return http.StatusOK, out, nil
}

// deleteRole serves DELETE /_security/role/{name}.
func (s *Server) deleteRole(c *call) (int, any, *esError) {
	if c.param == "superuser" {
		return 0, nil, validationFailed([]string{"role [superuser] is reserved and cannot be deleted"})
	}
	if err := s.authorize(c.sub, authz.Request{Action: actionDeleteRole}); err != nil {
		return 0, nil, err
	}
	if !s.st.deleteRole(c.param) {
		return http.StatusNotFound, ordered{{"found", false}}, nil
	}
	return http.StatusOK, ordered{{"found", true}}, nil
}

// parseUser parses the body of PUT /_security/user/{name} like PutUserRequestBuilder; an omitted
// password keeps the existing one.
func parseUser(d *jsontree.Doc, name string, existing *user) (*user, []string, *esError) {
	u := &user{username: name, realm: nativeRealm, enabled: true}
	if existing != nil {
		u.password = existing.password
	}
	if d.Root.Kind != jsontree.Object {
		return nil, nil, parseErr("failed to parse add user request. expected an object but found [%s] instead", d.Root.Kind.Token())
	}
	var msgs []string
	var hasRoles bool
	for key, v := range d.Root.Fields() {
		typeErr := parseErr("failed to parse add user request. expected field [%s] to be of a different type, but found [%s] instead", key, v.Kind.Token())
		switch key {
		case "password":
			if v.Kind != jsontree.String {
				return nil, nil, typeErr
			}
			if len(v.Str) < 6 {
				msgs = append(msgs, "passwords must be at least [6] characters long")
			}
			u.password = v.Str
		case "roles":
			roles, err := stringOrArray(d, "put_user", key, v)
			if err != nil || v.Kind == jsontree.Number || v.Kind == jsontree.Bool {
				return nil, nil, typeErr
			}
			u.roles, hasRoles = roles, true
		case "full_name", "email":
			if v.Kind != jsontree.String && v.Kind != jsontree.Null {
				return nil, nil, typeErr
			}
			if v.Kind == jsontree.String {
				s := v.Str
				*map[string]**string{"full_name": &u.fullName, "email": &u.email}[key] = &s
			}
		case "metadata":
			if v.Kind != jsontree.Object {
				return nil, nil, typeErr
			}
			u.metadata = toAny(v).(map[string]any)
			for k := range u.metadata {
				if strings.HasPrefix(k, "_") {
					msgs = append(msgs, "metadata keys may not start with [_]")
					break
				}
			}
		case "enabled":
			if v.Kind != jsontree.Bool {
				return nil, nil, typeErr
			}
			u.enabled = v.Bool
		default:
			return nil, nil, parseErr("failed to parse add user request. unexpected field [%s]", key)
		}
	}
	if !hasRoles {
		msgs = append(msgs, "roles are missing")
	}
	return u, msgs, nil
}

// nameSet is the set of a comma-separated list of names from a path, or nil for none.
func nameSet(list string) map[string]bool {
	if list == "" {
		return nil
	}
	set := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		set[name] = true
	}
	return set
}
