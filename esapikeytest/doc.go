// Package esapikeytest provides an in-memory Elasticsearch security API for tests, in the spirit of
// net/http/httptest: users, roles and API keys served over the REST routes of a real cluster, with
// Elasticsearch's parse errors, validation messages, statuses and headers.
//
// A test gets a server, a user and a key in three lines:
//
//	srv := esapikeytest.NewServer() // superuser elastic/changeme
//	defer srv.Close()
//	key, err := srv.CreateAPIKey("elastic", `{"name":"my-api-key"}`)
//
// Any HTTP client can then call srv.URL with basic authentication or "Authorization: ApiKey <encoded>",
// and set up more over REST: PUT /_security/user/{name}, PUT /_security/role/{name},
// POST /_security/api_key, PUT /_security/api_key/{id}, POST /_security/api_key/_bulk_update,
// POST and PUT /_security/cross_cluster/api_key, GET and DELETE /_security/api_key,
// GET /_security/_authenticate and GET /.
//
// Requests are parsed from raw JSON the way Elasticsearch parses them: strict field names and types,
// null refused, unknown fields refused. As on a real cluster, a body must be sent with
// Content-Type: application/json (406 otherwise) and unknown query parameters are refused (400). Checks run in Elasticsearch's order: authentication (401),
// parsing (400), validation (400), authorization (403), then the checks of the endpoint.
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
// The conformance tests of this package run the same scenarios against this server and, when
// ELASTICSEARCH_URL is set, against a real cluster.
package esapikeytest
