// Package esapikeytest provides an in-memory Elasticsearch security API for tests, in the spirit of
// net/http/httptest: users, roles and API keys served over the REST routes of a real cluster, with
// Elasticsearch's parse errors, validation messages, statuses and headers.
//
// A test gets a server and a key of its superuser in three lines:
//
//	srv := esapikeytest.NewServer() // superuser elastic/changeme
//	defer srv.Close()
//	key, err := srv.CreateAPIKey("elastic", `{"name":"my-api-key"}`)
//
// Any HTTP client can then call srv.URL with basic authentication, "Authorization: ApiKey <encoded>"
// or "Authorization: Bearer <access token>", and set up more over REST:
//
//   - users and roles: GET /_security/user[/{name}], PUT|POST and DELETE /_security/user/{name}, and the
//     same for /_security/role;
//   - API keys: POST|PUT /_security/api_key (create), GET and DELETE /_security/api_key,
//     PUT /_security/api_key/{id}, POST /_security/api_key/_bulk_update, POST /_security/cross_cluster/api_key,
//     PUT /_security/cross_cluster/api_key/{id}, POST|PUT /_security/api_key/grant (grant a key for another
//     user by password or access token, run_as), POST /_security/api_key/{ids}/_clear_cache, and
//     GET|POST /_security/_query/api_key;
//   - POST /_security/oauth2/token (password, refresh_token and client_credentials grants; access tokens
//     last 20 minutes) and GET /_security/_authenticate;
//   - privileges: GET|POST /_security/user[/{name}]/_has_privileges, GET /_security/user/_privileges,
//     PUT|POST|GET|DELETE /_security/privilege;
//   - GET /_cluster/health[/{index}] and GET /.
//
// Routes are found as Elasticsearch's path trie finds them: a literal segment wins over {id} or {name},
// so POST /_security/api_key/grant is never an update of key "grant". A path Elasticsearch serves and this
// server does not (such as PUT /_security/user/_password) answers Elasticsearch's 400 "no handler found
// for uri [..] and method [..]"; a known path with another method answers 405 "Incorrect HTTP method
// for uri [..] and method [..], allowed: [..]".
//
// GET /_cluster/health reports one green node whose only index is its security index (one shard):
// every wait_for_* is met at once, and a wait that cannot be (wait_for_nodes=2, a missing index) gets
// the timed-out answer (408) at once instead of after the timeout.
//
// A body is read as Elasticsearch's JSON parser (Jackson, as XContent configures it) reads it: comments
// allowed, a key given twice, invalid UTF-8 and trailing content refused, and within Jackson's
// StreamReadConstraints: at most 1000 levels of nested objects and arrays and numbers of at most 1000
// digits; one more is a 400 x_content_parse_exception with Jackson's message ("Document nesting depth
// (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)").
// Strings and names have no limit of their own, as Elasticsearch lifts them; a body over
// http.max_content_length (100mb) is a 413 with no body. A route that requires a body answers a body of
// white space or comments only, which holds no value, as it answers none ("request body is required");
// Elasticsearch hands such a body to the route's parser, whose wording differs (a known difference). Parsing takes memory in proportion to the
// body and no stack per level of nesting: the parsed tree keeps at most about 20 bytes per byte of body
// (an array of one-digit numbers, the costliest shape), and creating a key with 20 MB of such metadata
// peaks under 0.6 GB of process memory. The whole body is parsed before it is read as a request,
// so a body past the nesting limit is refused for its depth even where Elasticsearch, reading as it
// parses, would first meet another error (a query nested past indices.query.bool.max_nested_depth).
//
// Requests are parsed from raw JSON the way Elasticsearch parses them: strict field names and types,
// null refused where Elasticsearch refuses it (it reads null as an absent list for a role's cluster,
// run_as and privileges, and null clears certificate_identity), unknown fields refused. As on a real cluster, a body must be sent with a JSON
// Content-Type (406 otherwise) and unknown query parameters are refused (400). Elasticsearch also
// reads YAML, CBOR and SMILE bodies; this server reads JSON only and refuses those with a 406 whose
// message says so. Accept and Content-Type may ask for compatible-with=9 or 8, as a 9.x node serves
// them (both headers alike when there is a body; any other version is a 400 media_type_header_exception),
// and answers carry the negotiated Content-Type, such as application/vnd.elasticsearch+json;compatible-with=9.
// Checks run in Elasticsearch's order: authentication (401), parsing (400),
// validation (400), authorization (403), then the checks of the endpoint.
//
// GET and POST /_security/_query/api_key search keys as Elasticsearch does: the query DSL it allows there
// (bool, term, terms, match, prefix, wildcard, range, exists, ids, simple_query_string, match_all) over
// the key fields (name, type, username, realm_name, creation, expiration, invalidated, invalidation) and
// metadata.* as a flattened field; sort with _sort values, from/size, search_after, with_limited_by, and
// the aggregations it allows (terms, composite, filter, filters, range, date_range, missing, cardinality,
// value_count, with typed_keys). A caller with only manage_own_api_key sees its own keys, an API key
// only itself. There are no user profiles, so with_profile_uid adds no profile_uid. A query that finds
// no key has no aggregations in its answer, as in Elasticsearch.
//
// The query's limits are Elasticsearch's, each answered with its status and error: 30 nested queries
// (indices.query.bool.max_nested_depth, every query object counted as current releases count them;
// releases before a change of late 2022 counted bool queries only, against 20), 65,536 values in a terms
// query (index.max_terms_count), 4,096 clauses in one boolean query and leaf queries in the whole query
// (IndexSearcher.maxClauseCount; a node computes it from its heap and search threads, never under 1,024,
// and 4,096 is that of a node with 1 GiB of heap and 10 processors), 65,536 aggregation buckets
// (search.max_buckets), 10,000 for from+size (index.max_result_window) and two edits of fuzziness.
// Elasticsearch sets no limit on ids or on the text of simple_query_string: a million ids or 100,000
// nested parentheses are read in time proportional to the request.
//
// Known differences of the query: without a sort, Elasticsearch orders keys by relevance (the user's
// query scores, ApiKeyBoolQueryBuilder), which this server does not compute: keys come in creation
// order, so a test should sort, or not depend on the order of should, match or simple_query_string
// hits. Lucene refuses a fuzzy term longer than about 220 characters as too complex for its automaton
// (FuzzyTermsEnum, a 500 "Term too complex"); this server compares such a term within its edits.
// Elasticsearch limits how deeply aggregations nest only in releases after 9.3.0
// (search.aggs.max_nested_depth, 50, a 400); this server has no such limit, and a chain of bucket
// aggregations deeper than the body's nesting limit is refused for its depth. As in Elasticsearch, fuzzy and wildcard queries on a path under metadata (a keyed
// flattened field) are refused, and run on metadata itself.
//
// Keys are owned by a username in a realm: native users live in default_native (AddUser),
// the superuser in reserved, and AddUserInRealm puts the same username in another realm.
// A key's limited-by snapshot is its owner's roles at creation or last update. Time is the
// server's clock: SetNow and Advance move it, so a test can expire a key without sleeping.
//
// Privileges are evaluated as Elasticsearch evaluates them (ClusterPrivilegeResolver, IndexPrivilege,
// IndicesPermission, ApplicationPermission, LimitedRole): a user holds the union of its roles, a key its
// role descriptors (or its owner's snapshot when it has none) limited by the snapshot of its creation or
// last update, a cross-cluster key its cross_cluster descriptor. The same evaluation authorizes every
// route, answers GET|POST /_security/user/_has_privileges and GET /_security/user/_privileges, and backs
// a one-line assertion for tests:
//
//	ok, err := srv.APIKeyCan(key.ID, "write", esapikeytest.Index("logs-2025.01"))
//	ok, err = srv.UserCan("alice", "manage_own_api_key", esapikeytest.Cluster())
//	ok, err = srv.APIKeyCan(key.ID, "read", esapikeytest.Application("myapp", "doc/1"))
//
// Application privileges are stored with PUT /_security/privilege and read with GET and DELETE
// /_security/privilege/{app}/{names}; a role's global.application.manage grants those APIs for the
// applications it lists.
//
// Names and resources are patterns as Elasticsearch's Automatons reads them: '*' and '?' wildcards
// with '\' escapes, or a Lucene regular expression between slashes (RegExp.ALL with the deprecated
// complement: classes such as [a-z] and [^a-y], \d, \s, \w and their negations, repetitions {n,m},
// intervals <1-5>, '~' complement, '&' intersection, '@' any string, quoted strings). Restricted
// indices are the system indices, aliases and system data streams of Elasticsearch 9.3's default
// distribution (.security*, .tasks*, .kibana_*, .fleet-*, .async-search*, .watches*, .ml-*, …): a
// name pattern reaches them only with allow_restricted_indices. Patterns are determinised under
// Lucene's limits, so one too complex to determinise (such as "*a" followed by 16 '?') answers as
// Elasticsearch does: 500 too_complex_to_determinize_exception when asked in _has_privileges, and,
// when a role's index names hold it, 500 security_exception "The set of patterns [...] is too
// complex to evaluate" on every request of its users and keys. Known differences: a regular
// expression whose automaton would exceed about a million states or four million transitions, such
// as /((a{1000}){1000})/, which Elasticsearch builds in memory, is refused with 400
// illegal_argument_exception; and the system indices are those of the default distribution, where a
// real cluster restricts those of the plugins it has installed.
//
// The server imitates Elasticsearch 9.3.0 (Version, also reported by GET /) unless WithVersion names
// another release, from 8.4.0 to 9.3.x: the fields it accepts, the messages it answers with and the
// defaults it renders are that release's, as read in Elasticsearch's source. Pin a test to the release
// production runs, so that it fails here where it would fail there:
//
//	srv := esapikeytest.NewServer(esapikeytest.WithVersion("8.12.2"))
//
// (cmd/esapikeytest takes -version 8.12.2.) Where the API-key surface differs between releases, the
// server answers as the pinned one does: a route it does not serve answers "no handler found" or 405;
// a URL parameter its handler does not read is an "unrecognized parameter"; a body field it does not
// know (expiration in an update before 8.13, certificate_identity before 9.3, aggs in a query before
// 8.13) gets its parse error naming the field, and so does a role-descriptor field or value
// (restriction before 8.9, remote_indices before 8.10, remote_cluster before 8.15, monitor_stats
// before 8.17, global.role before 8.16, a role's description before 8.15); a query type or field it
// does not translate (match, simple_query_string and type before 8.13) gets its refusal; answer
// fields it does not render (type before 8.10, realm_type before 8.14) are absent; and the rules that
// changed follow it (a zero expiration on create before 8.13, monitor_enrich for cross-cluster search
// keys from 8.15, invalidating cross-cluster keys with manage_api_key before 8.14, the compatible-with
// versions it answers to). The internal package version holds these rows with their evidence; where
// the evidence leaves a row open, it says which reading was chosen. Metadata numbers are read as Elasticsearch's JSON
// parser reads them: 1.00 is the double 1.0, so it equals 1.0 and renders as 1.0, and large integers stay
// whole; Server.APIKey returns them as json.Number, with the text GET /_security/api_key shows.
//
// A Server is safe for concurrent use, and requests run concurrently: the store is locked only for
// the moment a request reads or writes it, never while a request parses, evaluates privileges, searches
// or writes its answer, so reads and privilege checks do not wait behind a slow request. Each key's
// change is atomic; a bulk update applies its keys one by one, as Elasticsearch does, so a concurrent
// reader may see part of it done. Roles compiled for evaluation are cached in a bounded cache. Input
// that Elasticsearch refuses for its size or depth is refused with Elasticsearch's status and error,
// and should a request still fail inside the server, it answers 500 with an esapikeytest_exception that
// says so (and logs the stack), releases everything it held, and the server goes on answering: one bad
// request never stops a test suite.
//
// The conformance tests of this package run the same scenarios against this server, at each of the
// releases 8.4, 8.12, 8.13, 8.14, 8.15, 8.17, 9.0 and 9.3 that has what a scenario needs, and, when
// ELASTICSEARCH_URL is set, against a real cluster, at the release it reports.
package esapikeytest
