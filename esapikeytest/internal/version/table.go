package version

// rel is a release, for the table.
func rel(major, minor, patch int) Version { return Version{major, minor, patch} }

// unknownField is ObjectParser's refusal of a field its parser does not declare; its "did you mean"
// suggestions come from the fields the release's parser does declare.
const unknownField = `400 x_content_parse_exception "[L:C] [<parser>] unknown field [<field>]"`

// unrecognizedParam is BaseRestHandler's refusal of a URL parameter the release's handler does not
// consume, with its "-> did you mean" suggestions from the parameters it does.
const unrecognizedParam = `400 illegal_argument_exception "request [<path>] contains unrecognized parameter: [<param>]"`

// unexpectedRoleField is RoleDescriptor.parse's refusal of a field it does not read, under the body
// parser's "[L:C] [<parser>] failed to parse field [role_descriptors]" (400 x_content_parse_exception)
// for an API key, alone (400 parse_exception) for PUT /_security/role/<name>.
const unexpectedRoleField = `parse_exception "failed to parse role [<name>]. unexpected field [<field>]"`

// table is the record: every row, grouped by feature, a feature's rows oldest first and disjoint.
// The answer fields, the query API, the rules and the messages are in table_answers.go.
var table = append(append([]Row{
	{Feature: RouteUpdate, Kind: Route, Since: rel(8, 4, 0),
		What:     "PUT /_security/api_key/{id}",
		Evidence: "specification update_api_key since=8.4.0; rest-api-spec of 8.4.0; release notes 8.4.0 #88186"},
	{Feature: RouteBulkUpdate, Kind: Route, Since: rel(8, 5, 0),
		What: "POST /_security/api_key/_bulk_update",
		Otherwise: `405 "Incorrect HTTP method for uri [/_security/api_key/_bulk_update] and method [POST], allowed: [PUT]": ` +
			`the path is taken by PUT /_security/api_key/{ids} (RestController, PathTrie)`,
		Evidence: "specification bulk_update_api_keys since=8.5.0; rest-api-spec first in 8.5.0; release notes 8.5.0 #88856"},
	{Feature: RouteCrossCluster, Kind: Route, Since: rel(8, 10, 0),
		What:      "POST /_security/cross_cluster/api_key and PUT /_security/cross_cluster/api_key/{id} (beta until 8.14)",
		Otherwise: `400 "no handler found for uri [<uri>] and method [<method>]" (no route has the path)`,
		Evidence: "rest-api-spec: experimental in 8.9.0, behind a feature flag in release builds (#96415), beta 8.10.0 to 8.15.0; " +
			"PRs #96085, #98839, #99473"},

	{Feature: UpdateExpiration, Kind: Field, Since: rel(8, 13, 0),
		What: "expiration in PUT /_security/api_key/{id} (parser update_api_key_request_payload), " +
			"POST /_security/api_key/_bulk_update (bulk_update_api_key_request) and " +
			"PUT /_security/cross_cluster/api_key/{id} (update_cross_cluster_api_key_request_payload)",
		Otherwise: unknownField + ", field expiration",
		Evidence: "TransportVersions.UPDATE_API_KEY_EXPIRATION_TIME_ADDED 8_568_00_0, between 8.12.1 and 8.13.0; release notes 8.13.0 #103453; " +
			"the 8.x RestUpdateApiKeyAction parser declares role_descriptors and metadata only. " +
			"Clients of 8.12 already send it (specification PR #2383)"},
	{Feature: CertificateIdentity, Kind: Field, Since: rel(9, 3, 0),
		What: "certificate_identity in POST /_security/cross_cluster/api_key (parser cross_cluster_api_key_request) and " +
			"PUT /_security/cross_cluster/api_key/{id} (update_cross_cluster_api_key_request_payload); not in bulk updates",
		Otherwise: unknownField + ", field certificate_identity",
		Evidence:  "release notes 9.3.0 #134604, #136299; specification 9.3 (spec PR #5446, not backported)"},
	{Feature: GrantClientAuthentication, Kind: Field, Since: rel(8, 12, 0),
		What:      "client_authentication {scheme: SharedSecret, value} in POST|PUT /_security/api_key/grant, for a JWT access_token",
		Otherwise: unknownField + ", parser grant_api_key_request, field client_authentication",
		Evidence:  "release notes 8.12.0 #101904; TransportVersions.GRANT_API_KEY_CLIENT_AUTHENTICATION_ADDED 8_545_00_0"},
	{Feature: InvalidateSingularID, Kind: Field, Since: rel(8, 4, 0), Until: rel(9, 0, 0),
		What: `id in the body of DELETE /_security/api_key, only when the request is sent with compatible-with=7 ` +
			`(parser invalidate_api_key_v7, which refuses id beside ids: "Must use either [id] or [ids], not both at the same time")`,
		Otherwise: unknownField + ", parser invalidate_api_key, field id: every release without compatible-with=7, and 9.x always",
		Evidence:  "RestInvalidateApiKeyAction.getObjectParser (8.x: RestApiVersion.V_7 only); 9.0 breaking change #118103 removed V_7"},

	{Feature: GetWithLimitedBy, Kind: Param, Since: rel(8, 5, 0),
		What: "GET /_security/api_key?with_limited_by", Otherwise: unrecognizedParam,
		Evidence: "specification get_api_key since=8.5.0; rest-api-spec first in 8.5.0; release notes 8.5.0 #89273"},
	{Feature: GetActiveOnly, Kind: Param, Since: rel(8, 10, 0),
		What: "GET /_security/api_key?active_only (an id of an inactive key then answers 404)", Otherwise: unrecognizedParam,
		Evidence: "PR #98259 (August 2023, 8.10); specification since=8.10.0 (spec PR #2371); the rest-api-spec lists it from 8.12.0 only (#103644)"},
	{Feature: GetWithProfileUID, Kind: Param, Since: rel(8, 14, 0),
		What: "GET /_security/api_key?with_profile_uid", Otherwise: unrecognizedParam,
		Evidence: "specification since=8.14.0; rest-api-spec first in 8.14.0; PR #106531"},
	{Feature: QueryWithLimitedBy, Kind: Param, Since: rel(8, 5, 0),
		What: "GET|POST /_security/_query/api_key?with_limited_by", Otherwise: unrecognizedParam,
		Evidence: "specification query_api_keys since=8.5.0; rest-api-spec 8.5.0"},
	{Feature: QueryWithProfileUID, Kind: Param, Since: rel(8, 14, 0),
		What: "GET|POST /_security/_query/api_key?with_profile_uid", Otherwise: unrecognizedParam,
		Evidence: "specification since=8.14.0; rest-api-spec 8.14.0; PR #106531"},
	{Feature: QueryTypedKeys, Kind: Param, Since: rel(8, 13, 2),
		What: "GET|POST /_security/_query/api_key?typed_keys", Otherwise: unrecognizedParam,
		Evidence: "release notes 8.13.2 #106873 (backport #107110); the specification and rest-api-spec say 8.14.0"},

	{Feature: RoleRestriction, Kind: RoleField, Since: rel(8, 9, 0),
		What:      "restriction {workflows: [search_application_query]} in an API key's role descriptors (never in roles)",
		Otherwise: unexpectedRoleField + ", field restriction",
		Evidence: "PRs #96215, #96744, #96304; docs #97027 backported to 8.9 as #97145. Unconfirmed: that the update and bulk " +
			"parsers of 8.9 to 8.x read it as create does; chosen: they do, as ApiKeyService's restriction checks apply to updates"},
	{Feature: RoleRemoteIndices, Kind: RoleField, Since: rel(8, 10, 0),
		What:      "remote_indices in role descriptors (beta with remote cluster security until 8.14)",
		Otherwise: unexpectedRoleField + ", field remote_indices",
		Evidence: "RoleDescriptor (8.6 to 8.9 copies) parses it only when TcpTransport.isUntrustedRemoteClusterEnabled(), off in release builds; " +
			"RemoteClusterPortSettings TRANSPORT_VERSION_ADVANCED_REMOTE_CLUSTER_SECURITY = 8.10; the specification's since=8.14.0 is the GA release"},
	{Feature: RoleRemoteCluster, Kind: RoleField, Since: rel(8, 15, 0),
		What:      "remote_cluster [{privileges: [monitor_enrich], clusters}] in role descriptors",
		Otherwise: unexpectedRoleField + ", field remote_cluster",
		Evidence:  "TransportVersions.ROLE_REMOTE_CLUSTER_PRIVS 8_649_00_0; RemoteClusterPermissions; PR #107493; specification since=8.15.0"},
	{Feature: RemoteClusterMonitorStats, Kind: RoleField, Since: rel(8, 17, 0),
		What: "monitor_stats among the privileges of remote_cluster",
		Otherwise: `parse_exception "failed to parse remote_cluster for role [<name>]. [monitor_enrich] are the only values allowed ` +
			`for [privileges] within [remote_cluster]. Found [<privileges>]"`,
		Evidence: "RemoteClusterPermissions.ROLE_MONITOR_STATS = V_8_17_0; specification since=8.17.0"},
	{Feature: GlobalRoleManage, Kind: RoleField, Since: rel(8, 16, 0),
		What:      "global.role.manage.indices (the manage_roles configurable privilege)",
		Otherwise: `400 x_content_parse_exception "[L:C] failed to parse privilege. expected one of [application,profile] but found [role] instead"`,
		Evidence: "TransportVersions.ADD_MANAGE_ROLES_PRIVILEGE 8_731_00_0; ConfigurableClusterPrivileges.parse/expectFieldName " +
			"(9.x: [application,profile,role]) and writeArray (V_8_16_0)"},
	{Feature: RoleDescription, Kind: RoleField, Since: rel(8, 15, 0),
		What:      "description in PUT /_security/role/{name}",
		Otherwise: unexpectedRoleField + ", field description",
		Evidence:  "TransportVersions.SECURITY_ROLE_DESCRIPTION 8_654_00_0; PR #107088"},
	{Feature: APIKeyRoleDescription, Kind: RoleField,
		What:      "description in an API key's role descriptors: no release accepts it",
		Otherwise: unexpectedRoleField + ", field description",
		Evidence: "PR #107088 (\"API key's role descriptors do not support description field\"); ApiKeyService's parser is " +
			"parserBuilder().allowRestriction(true) without allowDescription. The specification lists it (wrongly)"},
	{Feature: FailureStorePrivileges, Kind: RoleField, Since: rel(8, 19, 0), Until: rel(9, 0, 0),
		What: "the index privileges read_failure_store and manage_failure_store (8.19 line)",
		Otherwise: `400 action_request_validation_exception "Validation Failed: 1: unknown index privilege [<name>]. a privilege must be ` +
			`either one of the predefined fixed indices privileges [<the release's list>] or a pattern over one of the available index actions;"`,
		Evidence: "issue #128132 (8.19 lists them); release notes 9.1.0 #126973. Unconfirmed for 9.0; chosen: 9.0 lacks them, as the failure " +
			"store privileges are of 9.1 and were backported to 8.19, released after 9.0"},
	{Feature: FailureStorePrivileges, Kind: RoleField, Since: rel(9, 1, 0),
		What:     "the index privileges read_failure_store and manage_failure_store",
		Evidence: "release notes 9.1.0 #126973; IndexPrivilege of 9.x"},
}, answerRows...), laterRows...)
