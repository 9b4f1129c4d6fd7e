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
// Any HTTP client can then call srv.URL with basic authentication, "Authorization: ApiKey <encoded>"
// or "Authorization: Bearer <access token>", and set up more over REST: PUT /_security/user/{name},
// PUT /_security/role/{name}, POST /_security/api_key, PUT /_security/api_key/{id},
// POST /_security/api_key/_bulk_update, POST and PUT /_security/cross_cluster/api_key,
// GET and DELETE /_security/api_key, POST|PUT /_security/api_key/grant (grant a key for another user by
// password or access token, run_as), POST /_security/api_key/{ids}/_clear_cache,
// POST /_security/oauth2/token (password, refresh_token and client_credentials grants; access tokens
// last 20 minutes), GET /_security/_authenticate, GET /_cluster/health[/{index}] and GET /.
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
// Requests are parsed from raw JSON the way Elasticsearch parses them: strict field names and types,
// null refused, unknown fields refused. As on a real cluster, a body must be sent with a JSON
// Content-Type (406 otherwise) and unknown query parameters are refused (400). Elasticsearch also
// reads YAML, CBOR and SMILE bodies; this server reads JSON only and refuses those with a 406 whose
// message says so. Checks run in Elasticsearch's order: authentication (401), parsing (400),
// validation (400), authorization (403), then the checks of the endpoint.
//
// Keys are owned by a username in a realm: native users live in default_native (AddUser),
// the superuser in reserved, and AddUserInRealm puts the same username in another realm.
// A key's limited-by snapshot is its owner's roles at creation or last update. Time is the
// server's clock: SetNow and Advance move it, so a test can expire a key without sleeping.
//
// The conformance tests of this package run the same scenarios against this server and, when
// ELASTICSEARCH_URL is set, against a real cluster.
package esapikeytest
