package esapikey

// Well-known privilege names, for RoleDescriptor.Cluster and
// IndicesPrivileges.Privileges. The sets are open: any name Elasticsearch
// knows may be used as a plain string.
const (
	ClusterAll                  = "all"
	ClusterMonitor              = "monitor"
	ClusterManage               = "manage"
	ClusterManageSecurity       = "manage_security"
	ClusterManageAPIKey         = "manage_api_key"
	ClusterManageOwnAPIKey      = "manage_own_api_key"
	ClusterReadSecurity         = "read_security"
	ClusterManageIndexTemplates = "manage_index_templates"
	ClusterManageILM            = "manage_ilm"
	ClusterManagePipeline       = "manage_pipeline"
)

// Well-known index privilege names.
const (
	IndexAll               = "all"
	IndexRead              = "read"
	IndexWrite             = "write"
	IndexIndex             = "index"
	IndexCreate            = "create"
	IndexCreateDoc         = "create_doc"
	IndexDelete            = "delete"
	IndexCreateIndex       = "create_index"
	IndexDeleteIndex       = "delete_index"
	IndexManage            = "manage"
	IndexMonitor           = "monitor"
	IndexViewIndexMetadata = "view_index_metadata"
	IndexAutoConfigure     = "auto_configure"
	IndexMaintenance       = "maintenance"
	IndexReadCrossCluster  = "read_cross_cluster"
)
