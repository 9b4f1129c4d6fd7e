package esapikeytest_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// Each test of this file sends the same request to a release on either side of one row of the
// release table (internal/version) and checks the two answers the row describes. The releases are
// written out, and checked against the table, so that a row moved in the table fails here.

// around starts a server at the last release without f and one at the first release with it.
func around(t *testing.T, f version.Feature, without, with string) (before, after *esapikeytest.Server) {
	t.Helper()
	require.False(t, version.MustCheck(without).Has(f), "%s has %s", without, f)
	require.True(t, version.MustCheck(with).Has(f), "%s lacks %s", with, f)
	return serverAt(t, without), serverAt(t, with)
}

func serverAt(t *testing.T, v string) *esapikeytest.Server {
	t.Helper()
	srv := esapikeytest.NewServer(esapikeytest.WithVersion(v))
	t.Cleanup(srv.Close)
	return srv
}

// exchange is one request and its answer.
type exchange struct {
	status int
	header http.Header
	body   string
	obj    map[string]any
}

// do sends a request as the superuser (or with the Authorization header given) and decodes a JSON
// object answer.
func do(t *testing.T, srv *esapikeytest.Server, method, path, body string, auth ...string) exchange {
	t.Helper()
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	res, raw := send(t, srv, method, path, ct, body, auth...)
	e := exchange{status: res.StatusCode, header: res.Header, body: raw}
	if strings.HasPrefix(raw, "{") {
		require.NoError(t, json.Unmarshal([]byte(raw), &e.obj), raw)
	}
	return e
}

// esError asserts an Elasticsearch error answer: status, type and reason of the error and its root cause.
func (e exchange) esError(t *testing.T, status int, typ, reason string) {
	t.Helper()
	require.Equal(t, status, e.status, e.body)
	assert.Equal(t, typ, at(e.obj, "error.type"), e.body)
	got, _ := at(e.obj, "error.reason").(string)
	assert.True(t, sameReason(reason, got), "reason\nwant: %s\n got: %s", reason, got)
	assert.Equal(t, float64(status), e.obj["status"], e.body)
}

// unknownAt is the reason of ObjectParser's refusal of field in body: the location is that of the
// field's name (compared loosely, as everywhere in these tests).
func unknownAt(body, parser, field string) string {
	return sprintf("[1:%d] [%s] unknown field [%s]", strings.Index(body, `"`+field+`"`)+1, parser, field)
}

func (e exchange) ok(t *testing.T) exchange {
	t.Helper()
	require.Equal(t, http.StatusOK, e.status, e.body)
	return e
}

// keysOf returns the field names of an object of the answer, sorted.
func (e exchange) keysOf(t *testing.T, path string) []string {
	t.Helper()
	m, ok := at(e.obj, path).(map[string]any)
	require.True(t, ok, "%s: %s", path, e.body)
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// createKey creates a key over REST and returns its id and the value of its Authorization header.
func createKey(t *testing.T, srv *esapikeytest.Server, path, body string) (string, string) {
	t.Helper()
	e := do(t, srv, "POST", path, body).ok(t)
	id, _ := e.obj["id"].(string)
	secret, _ := e.obj["api_key"].(string)
	return id, "ApiKey " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

const (
	ccSearch = `{"name":"cc","access":{"search":[{"names":["logs-*"]}]}}`
	ccPath   = "/_security/cross_cluster/api_key"
)

// Bulk update is served from 8.5; before, its path is taken by PUT /_security/api_key/{ids}, whose
// method RestController names in a 405.
func TestGateRouteBulkUpdate(t *testing.T) {
	before, after := around(t, version.RouteBulkUpdate, "8.4.3", "8.5.0")
	const body = `{"ids":["missing"],"metadata":{}}`
	e := do(t, before, "POST", "/_security/api_key/_bulk_update", body)
	require.Equal(t, http.StatusMethodNotAllowed, e.status, e.body)
	assert.JSONEq(t, `{"error":"Incorrect HTTP method for uri [/_security/api_key/_bulk_update] and method [POST], allowed: [PUT]","status":405}`, e.body)
	assert.Equal(t, "PUT", e.header.Get("Allow"))
	// The path is the update route's there: PUT updates a key whose id is "_bulk_update".
	do(t, before, "PUT", "/_security/api_key/_bulk_update", `{}`).esError(t, 404, "resource_not_found_exception",
		"no API key owned by requesting user found for ID [_bulk_update]")

	e = do(t, after, "POST", "/_security/api_key/_bulk_update", body).ok(t)
	assert.Equal(t, float64(1), at(e.obj, "errors.count"), e.body)
}

// The cross-cluster routes are served from 8.10; before, no route has their paths.
func TestGateRouteCrossCluster(t *testing.T) {
	before, after := around(t, version.RouteCrossCluster, "8.9.2", "8.10.0")
	for _, c := range []struct{ method, path, body string }{
		{"POST", ccPath, ccSearch},
		{"PUT", ccPath + "/some-id", `{"metadata":{}}`},
	} {
		e := do(t, before, c.method, c.path, c.body)
		require.Equal(t, http.StatusBadRequest, e.status, e.body)
		assert.JSONEq(t, `{"error":"no handler found for uri [`+c.path+`] and method [`+c.method+`]"}`, e.body)
	}
	id, _ := createKey(t, after, ccPath, ccSearch)
	assert.Equal(t, true, do(t, after, "PUT", ccPath+"/"+id, `{"metadata":{"a":1}}`).ok(t).obj["updated"])

	_, err := before.CreateCrossClusterAPIKey("elastic", ccSearch)
	assert.EqualError(t, err, "esapikeytest: Elasticsearch 8.9.2 has no cross-cluster API keys")
	_, err = after.CreateCrossClusterAPIKey("elastic", ccSearch)
	assert.NoError(t, err)
}

// A URL parameter the release's handler does not read is BaseRestHandler's unrecognized parameter.
func TestGateURLParameters(t *testing.T) {
	for _, c := range []struct {
		f             version.Feature
		without, with string
		method, path  string
		param         string
	}{
		{version.GetWithLimitedBy, "8.4.3", "8.5.0", "GET", "/_security/api_key", "with_limited_by"},
		{version.GetActiveOnly, "8.9.2", "8.10.0", "GET", "/_security/api_key", "active_only"},
		{version.GetWithProfileUID, "8.13.4", "8.14.0", "GET", "/_security/api_key", "with_profile_uid"},
		{version.QueryWithLimitedBy, "8.4.3", "8.5.0", "POST", "/_security/_query/api_key", "with_limited_by"},
		{version.QueryWithProfileUID, "8.13.4", "8.14.0", "POST", "/_security/_query/api_key", "with_profile_uid"},
		{version.QueryTypedKeys, "8.13.1", "8.13.2", "GET", "/_security/_query/api_key", "typed_keys"},
	} {
		t.Run(c.path+"?"+c.param, func(t *testing.T) {
			before, after := around(t, c.f, c.without, c.with)
			url := c.path + "?" + c.param + "=true"
			do(t, before, c.method, url, "").esError(t, 400, illegalArg,
				"request ["+c.path+"] contains unrecognized parameter: ["+c.param+"]")
			do(t, after, c.method, url, "").ok(t)
		})
	}
}

// BaseRestHandler suggests, for each unrecognized parameter, the parameters the release's handler
// reads that are close to it: from 8.5 a misspelt with_limited_by is recognised as such.
func TestGateURLParameterSuggestions(t *testing.T) {
	before, after := around(t, version.GetWithLimitedBy, "8.4.3", "8.5.0")
	const path = "/_security/api_key"
	do(t, before, "GET", path+"?with_limited=true", "").esError(t, 400, illegalArg,
		"request [/_security/api_key] contains unrecognized parameter: [with_limited]")
	do(t, after, "GET", path+"?with_limited=true", "").esError(t, 400, illegalArg,
		"request [/_security/api_key] contains unrecognized parameter: [with_limited] -> did you mean [with_limited_by]?")

	// Several, sorted by name, each with its own suggestions; the common parameters are candidates too.
	// realm is exactly half of realm_name away, which is not close enough (the similarity must exceed 0.5).
	latest := serverAt(t, "9.3.0")
	do(t, latest, "GET", path+"?usernam=a&prety&realm=b", "").esError(t, 400, illegalArg,
		"request [/_security/api_key] contains unrecognized parameters: [prety] -> did you mean [pretty]?, "+
			"[realm], [usernam] -> did you mean [username]?")
	do(t, before, "GET", path+"?active_only=true&with_profile_uid=true", "").esError(t, 400, illegalArg,
		"request [/_security/api_key] contains unrecognized parameters: [active_only], [with_profile_uid]")
	// The {name} segments of a path are parameters its handler reads.
	do(t, latest, "PUT", "/_security/api_key/some-id?idz=1", `{}`).esError(t, 400, illegalArg,
		"request [/_security/api_key/some-id] contains unrecognized parameter: [idz] -> did you mean [ids]?")
	do(t, latest, "PUT", "/_security/api_key/some-id?ids=1", `{}`).esError(t, 404, "resource_not_found_exception",
		"no API key owned by requesting user found for ID [some-id]")
}

// A body field the release's parser does not declare is ObjectParser's unknown field, with
// suggestions from the fields it does declare.
func TestGateBodyFields(t *testing.T) {
	t.Run("expiration on update", func(t *testing.T) {
		before, after := around(t, version.UpdateExpiration, "8.12.2", "8.13.0")
		for _, srv := range []*esapikeytest.Server{before, after} {
			id, _ := createKey(t, srv, "/_security/api_key", `{"name":"k"}`)
			cc, _ := createKey(t, srv, ccPath, ccSearch)
			for _, c := range []struct{ method, path, body, parser string }{
				{"PUT", "/_security/api_key/" + id, `{"expiration":"1d"}`, "update_api_key_request_payload"},
				{"POST", "/_security/api_key/_bulk_update", `{"ids":["` + id + `"],"expiration":"1d"}`, "bulk_update_api_key_request"},
				{"PUT", ccPath + "/" + cc, `{"expiration":"1d","metadata":{}}`, "update_cross_cluster_api_key_request_payload"},
			} {
				e := do(t, srv, c.method, c.path, c.body)
				if srv == before {
					e.esError(t, 400, xParse, unknownAt(c.body, c.parser, "expiration"))
					continue
				}
				e.ok(t)
				assert.NotContains(t, e.body, `"noops":["`+id+`"]`, "an expiration always updates")
			}
		}
		// The suggestions come from the fields of the release.
		id, _ := createKey(t, before, "/_security/api_key", `{"name":"k"}`)
		do(t, before, "PUT", "/_security/api_key/"+id, `{"expiratio":"1d"}`).esError(t, 400, xParse,
			"[1:2] [update_api_key_request_payload] unknown field [expiratio]")
		id, _ = createKey(t, after, "/_security/api_key", `{"name":"k"}`)
		do(t, after, "PUT", "/_security/api_key/"+id, `{"expiratio":"1d"}`).esError(t, 400, xParse,
			"[1:2] [update_api_key_request_payload] unknown field [expiratio] did you mean [expiration]?")
	})
	t.Run("certificate_identity", func(t *testing.T) {
		before, after := around(t, version.CertificateIdentity, "9.2.4", "9.3.0")
		const create = `{"name":"cc","access":{"search":[{"names":["a"]}]},"certificate_identity":"CN=a"}`
		do(t, before, "POST", ccPath, create).esError(t, 400, xParse,
			unknownAt(create, "cross_cluster_api_key_request", "certificate_identity"))
		cc, _ := createKey(t, before, ccPath, ccSearch)
		do(t, before, "PUT", ccPath+"/"+cc, `{"certificate_identity":"CN=a"}`).esError(t, 400, xParse,
			"[1:2] [update_cross_cluster_api_key_request_payload] unknown field [certificate_identity]")

		cc, _ = createKey(t, after, ccPath, create)
		assert.Equal(t, "CN=a", do(t, after, "GET", "/_security/api_key?id="+cc, "").ok(t).obj["api_keys"].([]any)[0].(map[string]any)["certificate_identity"])
		assert.Equal(t, true, do(t, after, "PUT", ccPath+"/"+cc, `{"certificate_identity":"CN=b"}`).ok(t).obj["updated"])
	})
	t.Run("client_authentication in a grant", func(t *testing.T) {
		before, after := around(t, version.GrantClientAuthentication, "8.11.4", "8.12.0")
		const body = `{"grant_type":"password","username":"elastic","password":"changeme","api_key":{"name":"g"},` +
			`"client_authentication":{"scheme":"SharedSecret","value":"v"}}`
		do(t, before, "POST", "/_security/api_key/grant", body).esError(t, 400, xParse,
			unknownAt(body, "grant_api_key_request", "client_authentication"))
		do(t, after, "POST", "/_security/api_key/grant", body).esError(t, 400, validation,
			"Validation Failed: 1: [client_authentication] is not supported for grant_type [password];")
		// The grant's parser suggests from its own fields, as any ObjectParser does.
		do(t, after, "POST", "/_security/api_key/grant", `{"grant_typ":"password"}`).esError(t, 400, xParse,
			"[1:15] [grant_api_key_request] unknown field [grant_typ] did you mean [grant_type]?")
	})
}

// GET /_security/api_key and the query API render a field only from the release that has it.
func TestGateAnswerFields(t *testing.T) {
	for _, c := range []struct {
		f             version.Feature
		without, with string
		field         string
	}{
		{version.AnswerRoleDescriptors, "8.4.3", "8.5.0", "role_descriptors"},
		{version.AnswerType, "8.9.2", "8.10.0", "type"},
		{version.AnswerInvalidation, "8.11.4", "8.12.0", "invalidation"},
		{version.AnswerRealmType, "8.13.4", "8.14.0", "realm_type"},
	} {
		t.Run(c.field, func(t *testing.T) {
			before, after := around(t, c.f, c.without, c.with)
			for _, srv := range []*esapikeytest.Server{before, after} {
				key, err := srv.CreateAPIKey("elastic", `{"name":"k"}`)
				require.NoError(t, err)
				require.NoError(t, srv.InvalidateAPIKey(key.ID))
				got := do(t, srv, "GET", "/_security/api_key?id="+key.ID, "").ok(t).keysOf(t, "api_keys.0")
				queried := do(t, srv, "POST", "/_security/_query/api_key", `{"query":{"ids":{"values":["`+key.ID+`"]}}}`).ok(t).keysOf(t, "api_keys.0")
				assert.Equal(t, got, queried, "the query API renders keys as GET does")
				assert.Equal(t, srv == after, contains(got, c.field), "%s at %s: %v", c.field, srv.Version(), got)
			}
		})
	}

	// What 8.4 renders, all told; and 9.3 beside it.
	old := serverAt(t, "8.4.0")
	key, err := old.CreateAPIKey("elastic", `{"name":"k","role_descriptors":{"r":{"cluster":["monitor"]}}}`)
	require.NoError(t, err)
	assert.Equal(t, []string{"creation", "id", "invalidated", "metadata", "name", "realm", "username"},
		do(t, old, "GET", "/_security/api_key?id="+key.ID, "").ok(t).keysOf(t, "api_keys.0"))
	latest := serverAt(t, "9.3.0")
	key, err = latest.CreateAPIKey("elastic", `{"name":"k","role_descriptors":{"r":{"cluster":["monitor"]}}}`)
	require.NoError(t, err)
	assert.Equal(t, []string{"creation", "id", "invalidated", "limited_by", "metadata", "name", "realm", "realm_type", "role_descriptors", "type", "username"},
		do(t, latest, "GET", "/_security/api_key?with_limited_by=true&id="+key.ID, "").ok(t).keysOf(t, "api_keys.0"))
}

// _authenticate names who manages an API key from 9.2.
func TestGateAuthenticateManagedBy(t *testing.T) {
	before, after := around(t, version.AuthenticateManagedBy, "9.1.7", "9.2.0")
	for _, srv := range []*esapikeytest.Server{before, after} {
		_, auth := createKey(t, srv, "/_security/api_key", `{"name":"who"}`)
		e := do(t, srv, "GET", "/_security/_authenticate", "", auth).ok(t)
		if srv == before {
			assert.Equal(t, decode(t, `{"id":"`+at(e.obj, "api_key.id").(string)+`","name":"who"}`), e.obj["api_key"])
			continue
		}
		assert.Contains(t, e.body, `"api_key":{"id":"`+at(e.obj, "api_key.id").(string)+`","name":"who","managed_by":"elasticsearch"}`)
	}
}

// Before 8.13 an expiration of 0 or less creates a key that is already expired; from 8.13 it is refused.
func TestGateCreateNonPositiveExpiration(t *testing.T) {
	before, after := around(t, version.CreateRefusesNonPositiveExpiration, "8.12.2", "8.13.0")
	for _, exp := range []string{"0", "0d", "-1"} {
		body := `{"name":"k","expiration":"` + exp + `"}`
		do(t, after, "POST", "/_security/api_key", body).esError(t, 400, validation,
			"Validation Failed: 1: API key expiration must be in the future;")
		do(t, after, "POST", "/_security/api_key/grant", `{"grant_type":"password","username":"elastic","password":"changeme","api_key":`+body+`}`).
			esError(t, 400, validation, "Validation Failed: 1: API key expiration must be in the future;")

		id, auth := createKey(t, before, "/_security/api_key", body)
		k := do(t, before, "GET", "/_security/api_key?id="+id, "").ok(t).obj["api_keys"].([]any)[0].(map[string]any)
		assert.Equal(t, k["creation"], k["expiration"], "expires the instant it is created")
		assert.Equal(t, false, k["invalidated"])
		e := do(t, before, "GET", "/_security/_authenticate", "", auth)
		assert.Equal(t, http.StatusUnauthorized, e.status, e.body)
		assert.Equal(t, "API key: api key is expired", at(e.obj, "error.additional_unsuccessful_credentials"), e.body)
	}
}

// From 8.14 cross-cluster search entries may not use DLS or FLS beside replication entries.
func TestGateCCSearchSecurityWithReplication(t *testing.T) {
	before, after := around(t, version.CCSearchSecurityWithReplicationRefused, "8.13.4", "8.14.0")
	const access = `{"search":[{"names":["logs"],"query":{"term":{"a":1}}}],"replication":[{"names":["archive"]}]}`
	const reason = "search does not support document or field level security if replication is assigned"

	id, _ := createKey(t, before, ccPath, `{"name":"cc","access":`+access+`}`)
	k := do(t, before, "GET", "/_security/api_key?id="+id, "").ok(t).obj["api_keys"].([]any)[0].(map[string]any)
	assert.Equal(t, `{"term":{"a":1}}`, at(k, "access.search.0.query"))
	plain, _ := createKey(t, before, ccPath, ccSearch)
	assert.Equal(t, true, do(t, before, "PUT", ccPath+"/"+plain, `{"access":`+access+`}`).ok(t).obj["updated"])

	e := do(t, after, "POST", ccPath, `{"name":"cc","access":`+access+`}`)
	e.esError(t, 400, xParse, "Failed to build [cross_cluster_api_key_request] after last required field arrived")
	assert.Equal(t, reason, at(e.obj, "error.caused_by.reason"), e.body)
	plain, _ = createKey(t, after, ccPath, ccSearch)
	do(t, after, "PUT", ccPath+"/"+plain, `{"access":`+access+`}`).esError(t, 400, illegalArg, reason)
}

// From 8.15 the descriptor of cross-cluster search access also holds monitor_enrich.
func TestGateCCSearchMonitorEnrich(t *testing.T) {
	before, after := around(t, version.CCSearchMonitorEnrich, "8.14.3", "8.15.0")
	for _, srv := range []*esapikeytest.Server{before, after} {
		id, _ := createKey(t, srv, ccPath, `{"name":"cc","access":{"search":[{"names":["logs"]}],"replication":[{"names":["archive"]}]}}`)
		want := `["cross_cluster_search","cross_cluster_replication"]`
		if srv == after {
			want = `["cross_cluster_search","monitor_enrich","cross_cluster_replication"]`
		}
		k := do(t, srv, "GET", "/_security/api_key?id="+id, "").ok(t).obj["api_keys"].([]any)[0].(map[string]any)
		assert.Equal(t, decode(t, want), at(k, "role_descriptors.cross_cluster.cluster"), srv.Version())
	}
}

// The message of a cross-cluster update that changes nothing it may, by release.
func TestGateCCNothingToUpdate(t *testing.T) {
	for v, want := range map[string]string{
		"8.10.0": "must update either [access] or [metadata] for cross-cluster API keys",
		"9.2.4":  "must update either [access] or [metadata] for cross-cluster API keys",
		"9.3.0":  "must update  [access] or [metadata] or [certificate_identity] for cross-cluster API keys",
	} {
		require.Equal(t, want, version.MustCheck(v).Text(version.MsgCCNothingToUpdate))
		srv := serverAt(t, v)
		id, _ := createKey(t, srv, ccPath, ccSearch)
		do(t, srv, "PUT", ccPath+"/"+id, `{}`).esError(t, 400, validation, "Validation Failed: 1: "+want+";")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
