package esapikeytest

import (
	"encoding/json"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
)

// roleOf compiles role descriptors into the permission model of internal/authz. Compiled roles are
// cached by their canonical bodies, which is what makes two descriptors equal. Callers hold mu.
func (s *Server) roleOf(rds []roleDesc) (*authz.Role, *esError) {
	var key strings.Builder
	bodies := make([]json.RawMessage, len(rds))
	for i, rd := range rds {
		bodies[i] = rd.body
		key.Write(rd.body)
		key.WriteByte(0)
	}
	if r, ok := s.roleCache[key.String()]; ok {
		return r, nil
	}
	r, err := authz.Compile(bodies...)
	if err != nil {
		return nil, authzError(err)
	}
	if s.roleCache == nil || len(s.roleCache) >= maxCachedRoles {
		s.roleCache = map[string]*authz.Role{}
	}
	s.roleCache[key.String()] = r
	return r, nil
}

// maxCachedRoles bounds the cache of compiled roles; it is dropped whole when full.
const maxCachedRoles = 4096

// keyPermission is what an API key may do (Subject.buildRoleReferencesForApiKey): a cross-cluster key
// holds its cross_cluster descriptor; a REST key without descriptors holds its limited-by snapshot,
// and one with descriptors holds them limited by the snapshot (LimitedRole). Callers hold mu.
func (s *Server) keyPermission(k *apiKey) (authz.Permission, *esError) {
	if k.typ == "cross_cluster" {
		r, err := s.roleOf(k.roles)
		return authz.Of(r), err
	}
	limitedBy, err := s.roleOf(k.limitedBy)
	if err != nil || len(k.roles) == 0 {
		return authz.Of(limitedBy), err
	}
	own, err := s.roleOf(k.roles)
	if err != nil {
		return authz.Permission{}, err
	}
	return authz.Of(own).Limit(limitedBy), nil
}

// userPermission is the union of a user's roles; roles that do not exist grant nothing. Callers hold mu.
func (s *Server) userPermission(u *user) (authz.Permission, *esError) {
	found, _ := s.st.rolesOf(u)
	r, err := s.roleOf(found)
	return authz.Of(r), err
}

// permissionOf is the effective permission of a request's subject: the API key's, or, when the request
// runs as someone or a user authenticated, that user's roles. Callers hold mu.
func (s *Server) permissionOf(sub *subject) (authz.Permission, *esError) {
	if sub.key != nil && sub.runAs == "" {
		return s.keyPermission(sub.key)
	}
	return s.userPermission(sub.user)
}

// authenticatingPermission is the permission of who authenticated, before any run-as. Callers hold mu.
func (s *Server) authenticatingPermission(sub *subject) (authz.Permission, *esError) {
	if sub.key != nil {
		return s.keyPermission(sub.key)
	}
	return s.userPermission(sub.authUser)
}

// storedAppPrivileges returns the application privileges stored with PUT /_security/privilege for the
// applications name matches: the application itself, or with a trailing '*' every application with
// that prefix (NativePrivilegeStore.getPrivileges). Callers hold mu.
func (s *Server) storedAppPrivileges(name string) map[string]map[string][]string {
	out := map[string]map[string][]string{}
	prefix, wildcard := strings.CutSuffix(name, "*")
	for app, privs := range s.st.appPrivileges {
		if app != name && !(wildcard && strings.HasPrefix(app, prefix)) {
			continue
		}
		m := make(map[string][]string, len(privs))
		for n, p := range privs {
			m[n] = p.actions
		}
		out[app] = m
	}
	return out
}
