package esapikeytest

import (
	"slices"
	"strings"
)

// clusterPrivileges are the predefined cluster privilege names of Elasticsearch 9.x (ClusterPrivilegeResolver).
var clusterPrivileges = []string{
	"all", "cancel_task", "create_snapshot", "cross_cluster_replication", "cross_cluster_search", "delegate_pki",
	"grant_api_key", "manage", "manage_api_key", "manage_autoscaling", "manage_behavioral_analytics", "manage_ccr",
	"manage_connector", "manage_data_frame_transforms", "manage_data_stream_global_retention", "manage_enrich",
	"manage_ilm", "manage_index_templates", "manage_inference", "manage_ingest_pipelines", "manage_logstash_pipelines",
	"manage_ml", "manage_oidc", "manage_own_api_key", "manage_pipeline", "manage_rollup", "manage_saml",
	"manage_search_application", "manage_search_query_rules", "manage_search_synonyms", "manage_security",
	"manage_service_account", "manage_slm", "manage_token", "manage_transform", "manage_user_profile",
	"manage_watcher", "monitor", "monitor_connector", "monitor_data_frame_transforms",
	"monitor_data_stream_global_retention", "monitor_enrich", "monitor_inference", "monitor_ml", "monitor_rollup",
	"monitor_snapshot", "monitor_stats", "monitor_text_structure", "monitor_transform", "monitor_watcher", "none",
	"post_behavioral_analytics_event", "read_ccr", "read_connector_secrets", "read_fleet_secrets", "read_ilm",
	"read_pipeline", "read_security", "read_slm", "transport_client", "write_connector_secrets", "write_fleet_secrets",
}

// indexPrivileges are the predefined index privilege names of Elasticsearch 9.x (IndexPrivilege).
var indexPrivileges = []string{
	"all", "auto_configure", "create", "create_doc", "create_index", "cross_cluster_replication",
	"cross_cluster_replication_internal", "delete", "delete_index", "index", "maintenance", "manage",
	"manage_data_stream_lifecycle", "manage_failure_store", "manage_follow_index", "manage_ilm",
	"manage_leader_index", "monitor", "none", "read", "read_cross_cluster", "read_failure_store",
	"view_index_metadata", "write",
}

func isClusterAction(p string) bool {
	return strings.HasPrefix(p, "cluster:") || strings.HasPrefix(p, "indices:admin/template/") ||
		strings.HasPrefix(p, "indices:admin/index_template/")
}

// checkClusterPrivilege returns the validation message for an unknown cluster privilege, or "".
func checkClusterPrivilege(p string) string {
	p = strings.ToLower(p)
	if isClusterAction(p) || slices.Contains(clusterPrivileges, p) {
		return ""
	}
	return "unknown cluster privilege [" + p + "]. a privilege must be either one of the predefined cluster privilege names [" +
		strings.Join(clusterPrivileges, ",") + "] or a pattern over one of the available cluster actions"
}

// checkIndexPrivilege returns the validation message for an unknown index privilege, or "".
func checkIndexPrivilege(p string) string {
	p = strings.ToLower(p)
	if strings.HasPrefix(p, "indices:") || slices.Contains(indexPrivileges, p) {
		return ""
	}
	return "unknown index privilege [" + p + "]. a privilege must be either one of the predefined fixed indices privileges [" +
		strings.Join(indexPrivileges, ",") + "] or a pattern over one of the available index actions"
}

// Transport action names, as they appear in 403 messages.
const (
	actionMain            = "cluster:monitor/main"
	actionAuthenticate    = "cluster:admin/xpack/security/user/authenticate"
	actionCreateKey       = "cluster:admin/xpack/security/api_key/create"
	actionGetKey          = "cluster:admin/xpack/security/api_key/get"
	actionInvalidateKey   = "cluster:admin/xpack/security/api_key/invalidate"
	actionUpdateKey       = "cluster:admin/xpack/security/api_key/update"
	actionBulkUpdateKey   = "cluster:admin/xpack/security/api_key/bulk_update"
	actionCreateCCKey     = "cluster:admin/xpack/security/cross_cluster/api_key/create"
	actionUpdateCCKey     = "cluster:admin/xpack/security/cross_cluster/api_key/update"
	actionPutUser         = "cluster:admin/xpack/security/user/put"
	actionGetUsers        = "cluster:admin/xpack/security/user/get"
	actionDeleteUser      = "cluster:admin/xpack/security/user/delete"
	actionPutRole         = "cluster:admin/xpack/security/role/put"
	actionGetRoles        = "cluster:admin/xpack/security/role/get"
	actionDeleteRole      = "cluster:admin/xpack/security/role/delete"
	securityActionsPrefix = "cluster:admin/xpack/security/"
	apiKeyActionsPrefix   = "cluster:admin/xpack/security/api_key/"
)

// grantOrder lists the privileges named in a 403 message, least privileged first.
var grantOrder = []string{"monitor", "manage_own_api_key", "read_security", "grant_api_key", "manage_token", "manage_api_key", "manage_security", "manage", "all"}

// request describes what an authorization check is about, for the conditional manage_own_api_key privilege.
type request struct {
	action string
	// ownedOnly is true when a get or invalidate is limited to the caller's own keys (owner=true, or the
	// caller's username and realm, or the id of the API key that authenticated the request).
	ownedOnly bool
}

// grants reports whether the cluster privilege p allows the request.
func grants(p string, r request) bool {
	a := r.action
	switch p = strings.ToLower(p); p {
	case "all":
		return strings.HasPrefix(a, "cluster:")
	case "manage":
		return strings.HasPrefix(a, "cluster:") && !strings.HasPrefix(a, securityActionsPrefix)
	case "monitor":
		return strings.HasPrefix(a, "cluster:monitor/")
	case "manage_security":
		return strings.HasPrefix(a, securityActionsPrefix)
	case "manage_api_key":
		return strings.HasPrefix(a, apiKeyActionsPrefix)
	case "grant_api_key":
		return a == actionGrantKey
	case "manage_token":
		return strings.HasPrefix(a, "cluster:admin/xpack/security/token/")
	case "read_security":
		return a == actionGetKey || a == actionGetUsers || a == actionGetRoles
	case "manage_own_api_key":
		switch a {
		case actionCreateKey, actionUpdateKey, actionBulkUpdateKey:
			return true
		case actionGetKey, actionInvalidateKey:
			return r.ownedOnly
		}
		return false
	}
	return isClusterAction(p) && matchesPattern(p+"*", a)
}

// grantedBy lists the privileges that would allow the request, for the end of a 403 message.
func grantedBy(r request) string {
	var names []string
	for _, p := range grantOrder {
		if grants(p, request{action: r.action, ownedOnly: true}) {
			names = append(names, p)
		}
	}
	return strings.Join(names, ",")
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
