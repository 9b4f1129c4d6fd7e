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
// http.max_content_length (100mb) is a 413 with no body. Parsing takes memory in proportion to the
// body and no stack per level of nesting.
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
// only itself. Without a sort, keys come in creation order. There are no user profiles, so
// with_profile_uid adds no profile_uid.
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
// /_security/privilege/{app}/{names}.
//
// The server imitates Elasticsearch 9.3.0 (Version, also reported by GET /): the fields it accepts
// (certificate_identity on cross-cluster keys is 9.3+), the messages it answers with and the defaults it
// renders, such as monitor_enrich in the role descriptor of a cross-cluster key that may search, are
// that release's, as read in Elasticsearch's source. Metadata numbers are read as Elasticsearch's JSON
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
// The conformance tests of this package run the same scenarios against this server and, when
// ELASTICSEARCH_URL is set, against a real cluster (9.3 or later).
package esapikeytest
