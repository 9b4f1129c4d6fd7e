package version

// absent is what a release without an answer field does: it leaves the field out.
const absent = "the field is absent from the answer"

// queryTypeRefused is ApiKeyBoolQueryBuilder's refusal of a query type it does not translate.
const queryTypeRefused = `400 illegal_argument_exception "Query type [<type>] is not supported for API Key query"`

// answerRows are the rows of the answer fields and of the query API key request.
var answerRows = []Row{
	{Feature: AnswerRoleDescriptors, Kind: Answer, Since: rel(8, 5, 0),
		What: "role_descriptors of each key in GET /_security/api_key and the query API", Otherwise: absent,
		Evidence: "release notes 8.5.0 #89166; ApiKey reads role_descriptors from TransportVersion V_8_5_0"},
	{Feature: AnswerLimitedBy, Kind: Answer, Since: rel(8, 5, 0),
		What: "limited_by of each REST key, with with_limited_by=true (never for cross-cluster keys)", Otherwise: absent,
		Evidence: "release notes 8.5.0 #89273; specification since=8.5.0"},
	{Feature: AnswerType, Kind: Answer, Since: rel(8, 10, 0),
		What: `type of each key: "rest" or "cross_cluster"`, Otherwise: absent,
		Evidence: "specification ApiKey.type since=8.10.0"},
	{Feature: AnswerAccess, Kind: Answer, Since: rel(8, 10, 0),
		What: "access of each cross-cluster key", Otherwise: absent + " (no release before has cross-cluster keys)",
		Evidence: "PR #97605; specification since=8.10.0"},
	{Feature: AnswerInvalidation, Kind: Answer, Since: rel(8, 12, 0),
		What: "invalidation (epoch milliseconds) of each invalidated key", Otherwise: absent,
		Evidence: "TransportVersions.GET_API_KEY_INVALIDATION_TIME_ADDED 8_548_00_0; release notes 8.12.0 #102472; " +
			"specification since=8.12.0. The time is stored from 8.7.0 (#91873), so older invalidations have none"},
	{Feature: AnswerRealmType, Kind: Answer, Since: rel(8, 14, 0),
		What: "realm_type of each key", Otherwise: absent,
		Evidence: "PR #105629 (not in the 8.13 notes); specification since=8.14.0"},
	{Feature: AnswerProfileUID, Kind: Answer, Since: rel(8, 14, 0),
		What: "profile_uid of each key, with with_profile_uid=true, when its owner has a profile", Otherwise: absent,
		Evidence: "PR #106531; specification since=8.14.0"},
	{Feature: AnswerCertificateIdentity, Kind: Answer, Since: rel(9, 3, 0),
		What: "certificate_identity of each cross-cluster key that has one", Otherwise: absent,
		Evidence: "specification ApiKey.certificate_identity since=9.3.0; release notes 9.3.0 #134604"},
	{Feature: AuthenticateManagedBy, Kind: Answer, Since: rel(9, 2, 0),
		What: `api_key.managed_by of GET /_security/_authenticate ("elasticsearch"; "cloud" and api_key.internal for cloud keys)`,
		Text: "elasticsearch", Otherwise: absent,
		Evidence: "PR #129227 (June 2025); the specification has it from its 9.2 branch (spec PRs #5270, #5385). " +
			"Unconfirmed whether 9.1 has it; chosen: 9.2.0, the first specification branch that documents it"},
	{Feature: UserPrivilegesRemoteIndices, Kind: Answer, Since: rel(8, 10, 0),
		What: "remote_indices of GET /_security/user/_privileges, when the user's roles hold some", Otherwise: absent,
		Evidence: "Unconfirmed: inferred from RoleRemoteIndices; chosen: 8.10.0, the release whose roles may hold remote indices"},
	{Feature: UserPrivilegesRemoteCluster, Kind: Answer, Since: rel(8, 15, 0),
		What: "remote_cluster of GET /_security/user/_privileges, when the user's roles hold some", Otherwise: absent,
		Evidence: "GetUserPrivilegesResponseTests uses ROLE_REMOTE_CLUSTER_PRIVS (8.15)"},

	{Feature: QueryAggs, Kind: Query, Since: rel(8, 13, 0),
		What: "aggs in the body of the query API key request (terms, range, date_range, missing, cardinality, value_count, " +
			"composite, filter, filters) and aggregations in its answer",
		Otherwise: unknownField + ", parser query_api_key_request_payload, field aggs",
		Evidence:  "release notes 8.13.0 #104895; specification PR #2455 (backport to 8.13)"},
	{Feature: QueryAggregationsAlias, Kind: Query, Since: rel(8, 13, 2),
		What:      "aggregations as the other name of aggs in the query API key request",
		Otherwise: unknownField + ", parser query_api_key_request_payload, field aggregations",
		Evidence:  "release notes 8.13.2 #107054; issue #106839 quotes 8.13.0's refusal"},
	{Feature: QueryMatch, Kind: Query, Since: rel(8, 13, 0),
		What: "the match query in the query API key request", Otherwise: queryTypeRefused,
		Evidence: "release notes 8.13.0 #104594; ApiKeyBoolQueryBuilder.doProcess of 8.12 translates bool, match_all, ids, term, " +
			"exists, terms, prefix, wildcard and range only"},
	{Feature: QuerySimpleQueryString, Kind: Query, Since: rel(8, 13, 0),
		What: "the simple_query_string query in the query API key request", Otherwise: queryTypeRefused,
		Evidence: "release notes 8.13.0 #104132; ApiKeyBoolQueryBuilder.doProcess of 8.12"},
	{Feature: QueryTypeField, Kind: Query, Since: rel(8, 13, 0),
		What:      "type as a field of queries, sorts and aggregations of the query API key request",
		Otherwise: "400 illegal_argument_exception with the release's MsgFieldNotAllowed text for [type]",
		Evidence: "ApiKeyFieldNameTranslators of 8.12 has invalidation and no type; release notes 8.13.0 #104625 (sort); " +
			"PR #103695 (January 2024) for queries"},
	{Feature: QueryInvalidationField, Kind: Query, Since: rel(8, 12, 0),
		What:      "invalidation as a field of queries, sorts and aggregations of the query API key request",
		Otherwise: "400 illegal_argument_exception with the release's MsgFieldNotAllowed text for [invalidation]",
		Evidence:  "issue #92404, PRs #102472 and #102590 (8.12); ApiKeyFieldNameTranslators of 8.12"},
}

// laterRows are the rows of the rules and the messages.
var laterRows = []Row{
	{Feature: CreateRefusesNonPositiveExpiration, Kind: Rule, Since: rel(8, 13, 0),
		What: "POST|PUT /_security/api_key refuses an expiration of 0 or less",
		Text: "API key expiration must be in the future",
		Otherwise: "200: the key is created already expired (creation time plus the expiration), " +
			"and authenticating with it fails as for any expired key",
		Evidence: "release notes 8.13.0 #103973, whose review adds the check to create as well as update. Unconfirmed: no stored " +
			"copy of CreateApiKeyRequest or AbstractCreateApiKeyRequest shows the check (only BaseUpdateApiKeyRequest.validate " +
			"does); chosen: the release note, which also keeps the default server's answer"},
	{Feature: CCSearchSecurityWithReplicationRefused, Kind: Rule, Since: rel(8, 14, 0),
		What: "a cross-cluster access whose search entries use document or field level security while it has replication entries is refused",
		Text: "search does not support document or field level security if replication is assigned",
		Otherwise: "accepted: the search entries keep their query and field_security beside the replication entries " +
			"(replication entries themselves never accept them)",
		Evidence: "CrossClusterApiKeyRoleDescriptorBuilder javadoc: pre-GA versions (8.13 and before) allowed it, post-GA (8.14+) do not"},
	{Feature: CCSearchMonitorEnrich, Kind: Rule, Since: rel(8, 15, 0),
		What:      `the role descriptor derived from a cross-cluster access with search has cluster ["cross_cluster_search","monitor_enrich"]`,
		Otherwise: `cluster is ["cross_cluster_search"] (a key keeps it until it is updated on 8.15 or later)`,
		Evidence:  "CrossClusterApiKeyRoleDescriptorBuilder (two stored copies); issue #108735"},
	{Feature: InvalidateCCKeyNeedsManageSecurity, Kind: Rule, Since: rel(8, 14, 0),
		What: "DELETE /_security/api_key by a caller without manage_security skips each cross-cluster key it selects, " +
			"with an entry of error_details (HTTP 200, error_count counts them)",
		Text:      `security_exception "Cannot invalidate cross-cluster API key [<id>]. This requires [manage_security] cluster privilege or higher"`,
		Otherwise: "manage_api_key (and manage_own_api_key for one's own keys) invalidates cross-cluster keys like any other",
		Evidence:  "PR #107411; docs #108297 backported to 8.14 as #108316; ApiKeyService.cannotInvalidateCrossClusterApiKeyException"},

	{Feature: MsgCompatibleWith, Kind: Wording, Since: rel(8, 4, 0), Until: rel(9, 0, 0),
		What:     "the compatible-with versions of Accept and Content-Type: 8 and 7",
		Text:     "Accept version must be either version 8 or 7, but found <n>",
		Evidence: "RestCompatibleVersionHelper (400 media_type_header_exception); RestApiVersion of 8.x is V_8 with V_7 compatibility"},
	{Feature: MsgCompatibleWith, Kind: Wording, Since: rel(9, 0, 0),
		What:     "the compatible-with versions of Accept and Content-Type: 9 and 8",
		Text:     "Accept version must be either version 9 or 8, but found <n>",
		Evidence: "RestCompatibleVersionHelper of 9.x; 9.0 breaking change #118103 removed RestApiVersion.V_7"},
	{Feature: MsgFieldNotAllowed, Kind: Wording, Since: rel(8, 4, 0), Until: rel(8, 13, 0),
		What: "a query, sort or aggregation of the query API key request names a field it may not",
		Text: "Field [%s] is not allowed for API Key query",
		Evidence: "ApiKeyFieldNameTranslators.translate of 8.12. Unconfirmed for 8.4 to 8.11; chosen: the same text, as " +
			"the translator is older than 8.4"},
	{Feature: MsgFieldNotAllowed, Kind: Wording, Since: rel(8, 13, 0), Until: rel(8, 15, 0),
		What:     "a query, sort or aggregation of the query API key request names a field it may not",
		Text:     "Field [%s] is not allowed for API Key query or aggregation",
		Evidence: "ApiKeyAggregationsBuilder and ApiKeyBoolQueryBuilder with aggregations (#104895, 8.13.0)"},
	{Feature: MsgFieldNotAllowed, Kind: Wording, Since: rel(8, 15, 0),
		What: "a query, sort or aggregation of the query API key request names a field it may not",
		Text: "Field [%s] is not allowed for querying or aggregation",
		Evidence: "FieldNameTranslators, shared with the query role API. Unconfirmed: when the shared translators came; " +
			"chosen: 8.15.0, the release of the query role API"},
	{Feature: MsgFieldPatternNotAllowed, Kind: Wording, Since: rel(8, 4, 0), Until: rel(8, 13, 0),
		What:     "a field name of the query API key request is a pattern (holds * or ?)",
		Text:     "Field name pattern not supported",
		Evidence: "ApiKeyFieldNameTranslators.translate of 8.12. Unconfirmed for 8.4 to 8.11; chosen: the same text"},
	{Feature: MsgFieldPatternNotAllowed, Kind: Wording, Since: rel(8, 13, 0), Until: rel(8, 15, 0),
		What:     "a field name of the query API key request is a pattern (holds * or ?)",
		Text:     "Field name pattern [%s] is not allowed for API Key query or aggregation",
		Evidence: "ApiKeyFieldNameTranslators of 8.13 (simple_query_string #104132, aggregations #104895)"},
	{Feature: MsgFieldPatternNotAllowed, Kind: Wording, Since: rel(8, 15, 0),
		What:     "a field name of the query API key request is a pattern (holds * or ?)",
		Text:     "Field name pattern [%s] is not allowed for querying or aggregation",
		Evidence: "FieldNameTranslators; same boundary as MsgFieldNotAllowed"},
	{Feature: MsgCCNothingToUpdate, Kind: Wording, Since: rel(8, 10, 0), Until: rel(9, 3, 0),
		What: "PUT /_security/cross_cluster/api_key/{id} with none of the fields that update a cross-cluster key " +
			"(an expiration alone included, from 8.13)",
		Text:      "must update either [access] or [metadata] for cross-cluster API keys",
		Otherwise: "no release before 8.10 serves the route (RouteCrossCluster)",
		Evidence:  "UpdateCrossClusterApiKeyRequest.validate (stored copies before certificate_identity)"},
	{Feature: MsgCCNothingToUpdate, Kind: Wording, Since: rel(9, 3, 0),
		What:     "PUT /_security/cross_cluster/api_key/{id} with none of the fields that update a cross-cluster key",
		Text:     "must update  [access] or [metadata] or [certificate_identity] for cross-cluster API keys",
		Evidence: "UpdateCrossClusterApiKeyRequest.validate of 9.3 (two spaces, as written there)"},
}
