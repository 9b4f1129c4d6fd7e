package esapikeytest

// Transport action names, as they appear in 403 messages.
const (
	actionMain         = "cluster:monitor/main"
	actionAuthenticate = "cluster:admin/xpack/security/user/authenticate"
	actionCreateCCKey  = "cluster:admin/xpack/security/cross_cluster/api_key/create"
	actionUpdateCCKey  = "cluster:admin/xpack/security/cross_cluster/api_key/update"
	actionPutUser      = "cluster:admin/xpack/security/user/put"
	actionGetUsers     = "cluster:admin/xpack/security/user/get"
	actionDeleteUser   = "cluster:admin/xpack/security/user/delete"
	actionPutRole      = "cluster:admin/xpack/security/role/put"
	actionGetRoles     = "cluster:admin/xpack/security/role/get"
	actionDeleteRole   = "cluster:admin/xpack/security/role/delete"
)
