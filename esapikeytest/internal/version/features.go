package version

// The features of the table, by the part of the server that consults them. Each has its rows, What
// and Evidence in table.go or table_answers.go.
const (
	// Routes.
	RouteUpdate       Feature = iota + 1 // PUT /_security/api_key/{id}
	RouteBulkUpdate                      // POST /_security/api_key/_bulk_update
	RouteCrossCluster                    // POST /_security/cross_cluster/api_key, PUT .../{id}

	// Request body fields.
	UpdateExpiration          // expiration in the three update requests
	CertificateIdentity       // certificate_identity in the cross-cluster create and update requests
	GrantClientAuthentication // client_authentication in a grant (JWT access tokens)
	InvalidateSingularID      // id (not ids) in an invalidation, with REST compatibility 7 only

	// URL parameters.
	GetWithLimitedBy    // GET /_security/api_key?with_limited_by
	GetActiveOnly       // GET /_security/api_key?active_only
	GetWithProfileUID   // GET /_security/api_key?with_profile_uid
	QueryWithLimitedBy  // /_security/_query/api_key?with_limited_by
	QueryWithProfileUID // /_security/_query/api_key?with_profile_uid
	QueryTypedKeys      // /_security/_query/api_key?typed_keys

	// Role descriptors.
	RoleRestriction           // restriction in an API key's role descriptors
	RoleRemoteIndices         // remote_indices
	RoleRemoteCluster         // remote_cluster (with its privilege monitor_enrich)
	RemoteClusterMonitorStats // the remote_cluster privilege monitor_stats
	GlobalRoleManage          // global.role.manage
	RoleDescription           // description in a role (roles API)
	APIKeyRoleDescription     // description in an API key's role descriptors: never
	FailureStorePrivileges    // the index privileges read_failure_store and manage_failure_store

	// Answer fields.
	AnswerRoleDescriptors       // role_descriptors of a key (GET and query)
	AnswerLimitedBy             // limited_by of a key, with with_limited_by=true
	AnswerType                  // type of a key
	AnswerAccess                // access of a cross-cluster key
	AnswerInvalidation          // invalidation of an invalidated key
	AnswerRealmType             // realm_type of a key
	AnswerProfileUID            // profile_uid of a key, with with_profile_uid=true
	AnswerCertificateIdentity   // certificate_identity of a cross-cluster key
	AuthenticateManagedBy       // api_key.managed_by of GET /_security/_authenticate
	UserPrivilegesRemoteIndices // remote_indices of GET /_security/user/_privileges
	UserPrivilegesRemoteCluster // remote_cluster of GET /_security/user/_privileges

	// The query API key request.
	QueryAggs              // aggs, and the aggregations of the answer
	QueryAggregationsAlias // aggregations as the name of aggs
	QueryMatch             // the match query
	QuerySimpleQueryString // the simple_query_string query
	QueryTypeField         // type as a field of queries, sorts and aggregations
	QueryInvalidationField // invalidation as a field of queries, sorts and aggregations

	// Rules.
	CreateRefusesNonPositiveExpiration     // create refuses an expiration of 0 or less
	CCSearchSecurityWithReplicationRefused // cross-cluster search entries: no DLS/FLS beside replication
	CCSearchMonitorEnrich                  // a cross-cluster key's search descriptor has monitor_enrich
	InvalidateCCKeyNeedsManageSecurity     // invalidating a cross-cluster key needs manage_security

	// Messages.
	MsgCompatibleWith         // the compatible-with versions a release accepts
	MsgFieldNotAllowed        // a query names a field it may not
	MsgFieldPatternNotAllowed // a query names a field pattern
	MsgCCNothingToUpdate      // a cross-cluster update changes nothing it may

	numFeatures // not a feature: one past the last
)

var featureNames = [...]string{
	RouteUpdate:                            "RouteUpdate",
	RouteBulkUpdate:                        "RouteBulkUpdate",
	RouteCrossCluster:                      "RouteCrossCluster",
	UpdateExpiration:                       "UpdateExpiration",
	CertificateIdentity:                    "CertificateIdentity",
	GrantClientAuthentication:              "GrantClientAuthentication",
	InvalidateSingularID:                   "InvalidateSingularID",
	GetWithLimitedBy:                       "GetWithLimitedBy",
	GetActiveOnly:                          "GetActiveOnly",
	GetWithProfileUID:                      "GetWithProfileUID",
	QueryWithLimitedBy:                     "QueryWithLimitedBy",
	QueryWithProfileUID:                    "QueryWithProfileUID",
	QueryTypedKeys:                         "QueryTypedKeys",
	RoleRestriction:                        "RoleRestriction",
	RoleRemoteIndices:                      "RoleRemoteIndices",
	RoleRemoteCluster:                      "RoleRemoteCluster",
	RemoteClusterMonitorStats:              "RemoteClusterMonitorStats",
	GlobalRoleManage:                       "GlobalRoleManage",
	RoleDescription:                        "RoleDescription",
	APIKeyRoleDescription:                  "APIKeyRoleDescription",
	FailureStorePrivileges:                 "FailureStorePrivileges",
	AnswerRoleDescriptors:                  "AnswerRoleDescriptors",
	AnswerLimitedBy:                        "AnswerLimitedBy",
	AnswerType:                             "AnswerType",
	AnswerAccess:                           "AnswerAccess",
	AnswerInvalidation:                     "AnswerInvalidation",
	AnswerRealmType:                        "AnswerRealmType",
	AnswerProfileUID:                       "AnswerProfileUID",
	AnswerCertificateIdentity:              "AnswerCertificateIdentity",
	AuthenticateManagedBy:                  "AuthenticateManagedBy",
	UserPrivilegesRemoteIndices:            "UserPrivilegesRemoteIndices",
	UserPrivilegesRemoteCluster:            "UserPrivilegesRemoteCluster",
	QueryAggs:                              "QueryAggs",
	QueryAggregationsAlias:                 "QueryAggregationsAlias",
	QueryMatch:                             "QueryMatch",
	QuerySimpleQueryString:                 "QuerySimpleQueryString",
	QueryTypeField:                         "QueryTypeField",
	QueryInvalidationField:                 "QueryInvalidationField",
	CreateRefusesNonPositiveExpiration:     "CreateRefusesNonPositiveExpiration",
	CCSearchSecurityWithReplicationRefused: "CCSearchSecurityWithReplicationRefused",
	CCSearchMonitorEnrich:                  "CCSearchMonitorEnrich",
	InvalidateCCKeyNeedsManageSecurity:     "InvalidateCCKeyNeedsManageSecurity",
	MsgCompatibleWith:                      "MsgCompatibleWith",
	MsgFieldNotAllowed:                     "MsgFieldNotAllowed",
	MsgFieldPatternNotAllowed:              "MsgFieldPatternNotAllowed",
	MsgCCNothingToUpdate:                   "MsgCCNothingToUpdate",
}

// String returns the feature's name in this package.
func (f Feature) String() string {
	if f > 0 && f < numFeatures && int(f) < len(featureNames) {
		return featureNames[f]
	}
	return "Feature(?)"
}
