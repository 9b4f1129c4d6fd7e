package esapikeytest

import (
	"errors"
	"fmt"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
)

// Resource is what a privilege is asked about: the cluster, an index, or a resource of an application.
// Make one with Cluster, Index or Application.
type Resource struct {
	kind      byte // 'c', 'i' or 'a'
	name, app string
}

// Cluster is the cluster, for cluster privileges ("monitor", "manage_own_api_key") and cluster actions
// ("cluster:admin/xpack/security/api_key/update").
func Cluster() Resource { return Resource{kind: 'c'} }

// Index is an index name or pattern ("logs-*", "/logs-[0-9]+/"), for index privileges ("read", "write")
// and index actions ("indices:data/read/search"). Restricted indices such as .security-7 are covered
// only when asked by their concrete name, as in _has_privileges without allow_restricted_indices.
func Index(name string) Resource { return Resource{kind: 'i', name: name} }

// Application is a resource (or resource pattern) of an application, for the application's stored
// privilege names ("read") and actions ("data:read/x").
func Application(app, resource string) Resource { return Resource{kind: 'a', app: app, name: resource} }

// String describes the resource for test failure messages.
func (r Resource) String() string {
	switch r.kind {
	case 'c':
		return "cluster"
	case 'i':
		return "index [" + r.name + "]"
	case 'a':
		return "application [" + r.app + "] resource [" + r.name + "]"
	}
	return "no resource"
}

// APIKeyCan reports whether the API key may use privilege on the resource, as
// POST /_security/user/_has_privileges authenticated with the key would answer: the key's role
// descriptors (or, without any, its owner's snapshot) limited by the snapshot taken at its creation
// or last update. An invalidated or expired key can do nothing. An id with no key is an error, and so is
// an unknown privilege name, as in Elasticsearch.
func (s *Server) APIKeyCan(id, privilege string, on Resource) (bool, error) {
	k := s.st.key(id)
	if k == nil {
		return false, fmt.Errorf("esapikeytest: no API key [%s]", id)
	}
	if k.invalidated || k.expired(s.now()) {
		return false, nil
	}
	perm, err := s.keyPermission(k)
	if err != nil {
		return false, helperError(err)
	}
	return s.can(perm, privilege, on)
}

// UserCan reports whether the user may use privilege on the resource: the union of the user's roles,
// as _has_privileges answers for that user. An unknown user or privilege name is an error.
func (s *Server) UserCan(username, privilege string, on Resource) (bool, error) {
	u := s.st.lookup(username)
	if u == nil {
		return false, fmt.Errorf("esapikeytest: no user [%s]", username)
	}
	perm, err := s.userPermission(u)
	if err != nil {
		return false, helperError(err)
	}
	return s.can(perm, privilege, on)
}

// can asks one privilege through the same evaluation as the _has_privileges route.
func (s *Server) can(perm authz.Permission, privilege string, on Resource) (bool, error) {
	var q authz.Privileges
	switch on.kind {
	case 'c':
		q.Cluster = []string{privilege}
	case 'i':
		q.Index = []authz.IndexCheck{{Names: []string{on.name}, Privileges: []string{privilege}}}
	case 'a':
		q.Application = []authz.AppCheck{{Application: on.app, Privileges: []string{privilege}, Resources: []string{on.name}}}
	default:
		return false, errors.New("esapikeytest: no resource: use Cluster, Index or Application")
	}
	if msgs := q.Validate(); len(msgs) > 0 {
		return false, helperError(validationFailed(msgs))
	}
	res, err := perm.HasPrivileges(q, s.storedAppPrivileges)
	if err != nil {
		return false, helperError(illegalArgument("%s", err.Error()))
	}
	return res.All, nil
}
