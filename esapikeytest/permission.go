package esapikeytest

import (
	"encoding/json"
	"strings"
	"sync"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
)

// roleCache holds compiled roles by the canonical bodies of the descriptors they come from, which is
// what makes two descriptors equal. It is bounded by entries and by the bytes of its keys, and is
// dropped whole when full: compiling again is cheap next to a request.
type roleCache struct {
	mu    sync.Mutex
	m     map[string]*authz.Role
	bytes int
}

// The bounds of the role cache.
const (
	maxCachedRoles     = 4096
	maxCachedRoleBytes = 32 << 20
)

func (c *roleCache) get(key string) *authz.Role {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[key]
}

func (c *roleCache) put(key string, r *authz.Role) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedRoles || c.bytes+len(key) > maxCachedRoleBytes {
		c.m, c.bytes = map[string]*authz.Role{}, 0
	}
	c.m[key] = r
	c.bytes += len(key)
}

// roleOf compiles role descriptors into the permission model of internal/authz, through the cache.
// Compiling runs outside every lock.
func (s *Server) roleOf(rds []roleDesc) (*authz.Role, *esError) {
	var key strings.Builder
	for _, rd := range rds {
		key.Write(rd.body)
		key.WriteByte(0)
	}
	if r := s.roles.get(key.String()); r != nil {
		return r, nil
	}
	bodies := make([]json.RawMessage, len(rds))
	for i, rd := range rds {
		bodies[i] = rd.body
	}
	r, err := authz.Compile(bodies...)
	if err != nil {
		return nil, authzError(err)
	}
	s.roles.put(key.String(), r)
	return r, nil
}

// keyPermission is what an API key may do (Subject.buildRoleReferencesForApiKey): a cross-cluster key
// holds its cross_cluster descriptor; a REST key without descriptors holds its limited-by snapshot,
// and one with descriptors holds them limited by the snapshot (LimitedRole).
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

// userPermission is the union of a user's roles; roles that do not exist grant nothing.
func (s *Server) userPermission(u *user) (authz.Permission, *esError) {
	found, _ := s.st.rolesOf(u)
	r, err := s.roleOf(found)
	return authz.Of(r), err
}

// permissionOf is the effective permission of a request's subject: the API key's, or, when the request
// runs as someone or a user authenticated, that user's roles.
func (s *Server) permissionOf(sub *subject) (authz.Permission, *esError) {
	if sub.key != nil && sub.runAs == "" {
		return s.keyPermission(sub.key)
	}
	return s.userPermission(sub.user)
}

// authenticatingPermission is the permission of who authenticated, before any run-as.
func (s *Server) authenticatingPermission(sub *subject) (authz.Permission, *esError) {
	if sub.key != nil {
		return s.keyPermission(sub.key)
	}
	return s.userPermission(sub.authUser)
}

// storedAppPrivileges returns the application privileges stored with PUT /_security/privilege for the
// applications name matches (store.appPrivilegeActions).
func (s *Server) storedAppPrivileges(name string) map[string]map[string][]string {
	return s.st.appPrivilegeActions(name)
}
