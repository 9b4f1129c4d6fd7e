package esapikeytest

import (
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
)

// checkClusterPrivilege returns the validation message for an unknown cluster privilege, or "".
func checkClusterPrivilege(p string) string {
	if _, err := authz.ResolveCluster(p); err != nil {
		return err.Error()
	}
	return ""
}

// checkIndexPrivilege returns the validation message for an unknown index privilege, or "".
func checkIndexPrivilege(p string) string {
	if _, err := authz.ResolveIndex(p); err != nil {
		return err.Error()
	}
	return ""
}

// Transport action names, as they appear in 403 messages.
const (
	actionMain          = "cluster:monitor/main"
	actionAuthenticate  = "cluster:admin/xpack/security/user/authenticate"
	actionCreateKey     = authz.ActionCreateAPIKey
	actionGetKey        = authz.ActionGetAPIKey
	actionInvalidateKey = authz.ActionInvalidateAPIKey
	actionUpdateKey     = authz.ActionUpdateAPIKey
	actionBulkUpdateKey = authz.ActionBulkUpdateAPIKey
	actionCreateCCKey   = "cluster:admin/xpack/security/cross_cluster/api_key/create"
	actionUpdateCCKey   = "cluster:admin/xpack/security/cross_cluster/api_key/update"
	actionPutUser       = "cluster:admin/xpack/security/user/put"
	actionGetUsers      = "cluster:admin/xpack/security/user/get"
	actionDeleteUser    = "cluster:admin/xpack/security/user/delete"
	actionPutRole       = "cluster:admin/xpack/security/role/put"
	actionGetRoles      = "cluster:admin/xpack/security/role/get"
	actionDeleteRole    = "cluster:admin/xpack/security/role/delete"
)

// request describes what an authorization check is about, for the conditional manage_own_api_key privilege.
type request struct {
	action string
	// ownedOnly is true when a get or invalidate is limited to the caller's own keys (owner=true, or the
	// caller's username and realm, or the id of the API key that authenticated the request).
	ownedOnly bool
}

// matchesPattern reports whether name matches an Elasticsearch wildcard pattern (only * is special).
func matchesPattern(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == name
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	for i, part := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(name, part)
		}
		j := strings.Index(name, part)
		if j < 0 {
			return false
		}
		name = name[j+len(part):]
	}
	return true
}
