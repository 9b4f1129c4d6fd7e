package esapikeytest_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// The rows of the query API key request, and the rule of invalidating cross-cluster keys, each on
// either side of the release that changed it.

// queried creates a key named k and sends body to the query API.
func queried(t *testing.T, srv *esapikeytest.Server, body string) exchange {
	t.Helper()
	createKey(t, srv, "/_security/api_key", `{"name":"k"}`)
	return do(t, srv, "POST", queryPath, body)
}

func TestGateQueryAggs(t *testing.T) {
	before, after := around(t, version.QueryAggs, "8.12.2", "8.13.0")
	const body = `{"aggs":{"names":{"terms":{"field":"name"}}}}`
	queried(t, before, body).esError(t, 400, "x_content_parse_exception", unknownAt(body, "query_api_key_request_payload", "aggs"))
	e := queried(t, after, body).ok(t)
	assert.Equal(t, "k", at(e.obj, "aggregations.names.buckets.0.key"), e.body)
}

// 8.13.0 and 8.13.1 know aggs only (issue #106839); the other name came with 8.13.2.
func TestGateQueryAggregationsAlias(t *testing.T) {
	before, after := around(t, version.QueryAggregationsAlias, "8.13.1", "8.13.2")
	const body = `{"aggregations":{"names":{"terms":{"field":"name"}}}}`
	queried(t, before, body).esError(t, 400, "x_content_parse_exception", unknownAt(body, "query_api_key_request_payload", "aggregations"))
	e := queried(t, after, body).ok(t)
	assert.Equal(t, "k", at(e.obj, "aggregations.names.buckets.0.key"), e.body)
}

// Before 8.13 the query API parses match and simple_query_string as any query, and refuses them when
// it translates the query (ApiKeyBoolQueryBuilder).
func TestGateQueryMatchAndSimpleQueryString(t *testing.T) {
	for _, c := range []struct {
		f    version.Feature
		typ  string
		body string
	}{
		{version.QueryMatch, "match", `{"query":{"bool":{"must":[{"match":{"name":"k"}}]}}}`},
		{version.QuerySimpleQueryString, "simple_query_string", `{"query":{"simple_query_string":{"query":"k","fields":["name"]}}}`},
	} {
		before, after := around(t, c.f, "8.12.2", "8.13.0")
		queried(t, before, c.body).esError(t, 400, "illegal_argument_exception", "Query type ["+c.typ+"] is not supported for API Key query")
		e := queried(t, after, c.body).ok(t)
		assert.Equal(t, float64(1), e.obj["total"], "%s: %s", c.typ, e.body)
	}
	// The parse still comes first: a malformed match is a parse error on either side.
	before := serverAt(t, "8.12.2")
	e := do(t, before, "POST", queryPath, `{"query":{"match":{"name":{"nope":1}}}}`)
	assert.Equal(t, 400, e.status, e.body)
	assert.NotEqual(t, "illegal_argument_exception", at(e.obj, "error.type"), e.body)
}

func TestGateQueryFields(t *testing.T) {
	for _, c := range []struct {
		f               version.Feature
		field           string
		without, with   string
		query, sortBody string
	}{
		{version.QueryTypeField, "type", "8.12.2", "8.13.0", `{"query":{"term":{"type":"rest"}}}`, `{"sort":["type"]}`},
		{version.QueryInvalidationField, "invalidation", "8.11.4", "8.12.0", `{"query":{"bool":{"must_not":[{"exists":{"field":"invalidation"}}]}}}`,
			`{"sort":[{"invalidation":{"order":"desc"}}]}`},
	} {
		for _, body := range []string{c.query, c.sortBody} {
			before, after := around(t, c.f, c.without, c.with)
			queried(t, before, body).esError(t, 400, "illegal_argument_exception", "Field ["+c.field+"] is not allowed for API Key query")
			e := queried(t, after, body).ok(t)
			assert.Equal(t, float64(1), e.obj["count"], "%s: %s", body, e.body)
		}
	}
}

// The refusals of a field, of a field name pattern and of a query type are worded as each release
// words them.
func TestQueryRefusalsFollowTheRelease(t *testing.T) {
	for _, c := range []struct{ release, field, pattern, typ string }{
		{"8.12.2", "Field [nope] is not allowed for API Key query", "Field name pattern not supported",
			"Query type [match_phrase] is not supported for API Key query"},
		{"8.13.0", "Field [nope] is not allowed for API Key query or aggregation",
			"Field name pattern [na*] is not allowed for API Key query or aggregation", "Query type [match_phrase] is not supported for API Key query"},
		{"8.15.0", "Field [nope] is not allowed for querying or aggregation", "Field name pattern [na*] is not allowed for querying or aggregation",
			"Query type [match_phrase] is not currently supported in this context"},
		{"9.3.0", "Field [nope] is not allowed for querying or aggregation", "Field name pattern [na*] is not allowed for querying or aggregation",
			"Query type [match_phrase] is not currently supported in this context"},
	} {
		srv := serverAt(t, c.release)
		do(t, srv, "POST", queryPath, `{"query":{"term":{"nope":"x"}}}`).esError(t, 400, "illegal_argument_exception", c.field)
		do(t, srv, "POST", queryPath, `{"query":{"prefix":{"na*":"x"}}}`).esError(t, 400, "illegal_argument_exception", c.pattern)
		do(t, srv, "POST", queryPath, `{"query":{"match_phrase":{"name":"k"}}}`).esError(t, 400, "illegal_argument_exception", c.typ)
	}
}

// Before 8.14, manage_api_key invalidates cross-cluster keys as any other; from 8.14 it takes
// manage_security, and a caller without it gets an error detail per cross-cluster key.
func TestGateInvalidateCrossClusterKeyNeedsManageSecurity(t *testing.T) {
	before, after := around(t, version.InvalidateCCKeyNeedsManageSecurity, "8.13.4", "8.14.0")
	const password = "x-pack-test-password"
	manager := "Basic " + base64.StdEncoding.EncodeToString([]byte("manager:"+password))
	for _, srv := range []*esapikeytest.Server{before, after} {
		do(t, srv, "PUT", "/_security/role/keys", `{"cluster":["manage_api_key"]}`).ok(t)
		do(t, srv, "PUT", "/_security/user/manager", `{"password":"`+password+`","roles":["keys"]}`).ok(t)
	}

	cc, _ := createKey(t, before, ccPath, ccSearch)
	e := do(t, before, "DELETE", "/_security/api_key", `{"ids":["`+cc+`"]}`, manager).ok(t)
	assert.JSONEq(t, `{"invalidated_api_keys":["`+cc+`"],"previously_invalidated_api_keys":[],"error_count":0}`, e.body)

	cc, _ = createKey(t, after, ccPath, ccSearch)
	e = do(t, after, "DELETE", "/_security/api_key", `{"ids":["`+cc+`"]}`, manager).ok(t)
	assert.Equal(t, []any{}, e.obj["invalidated_api_keys"], e.body)
	assert.Equal(t, float64(1), e.obj["error_count"], e.body)
	assert.Equal(t, "Cannot invalidate cross-cluster API key ["+cc+"]. This requires [manage_security] cluster privilege or higher",
		at(e.obj, "error_details.0.reason"), e.body)
}

// v7 sends a request of REST API version 7 (compatible-with=7 in Accept and Content-Type).
func v7(t *testing.T, srv *esapikeytest.Server, method, path, body string) exchange {
	t.Helper()
	const vnd = "application/vnd.elasticsearch+json;compatible-with=7"
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Accept", vnd)
	req.Header.Set("Content-Type", vnd)
	req.SetBasicAuth("elastic", "changeme")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	e := exchange{status: res.StatusCode, header: res.Header, body: string(raw)}
	require.NoError(t, json.Unmarshal(raw, &e.obj), e.body)
	return e
}

// An 8.x release reads a request of REST API version 7 with RestInvalidateApiKeyAction's version 7
// parser, which also takes a single id; 9.0 serves version 7 no more.
func TestGateInvalidateSingularID(t *testing.T) {
	nine, eight := around(t, version.InvalidateSingularID, "9.0.0", "8.19.0")
	for _, srv := range []*esapikeytest.Server{eight, nine} {
		id, _ := createKey(t, srv, "/_security/api_key", `{"name":"k"}`)
		do(t, srv, "DELETE", "/_security/api_key", `{"id":"`+id+`"}`).esError(t, 400, "x_content_parse_exception",
			"[1:2] [invalidate_api_key] unknown field [id] did you mean [ids]?")
	}

	id, _ := createKey(t, eight, "/_security/api_key", `{"name":"k"}`)
	e := v7(t, eight, "DELETE", "/_security/api_key", `{"id":"`+id+`","ids":["`+id+`"]}`)
	e.esError(t, 400, "x_content_parse_exception", "Failed to build [invalidate_api_key_v7] after last required field arrived")
	e.causedBy(t, "illegal_argument_exception", "Must use either [id] or [ids], not both at the same time")
	e = v7(t, eight, "DELETE", "/_security/api_key", `{"id":"`+id+`"}`).ok(t)
	assert.JSONEq(t, `{"invalidated_api_keys":["`+id+`"],"previously_invalidated_api_keys":[],"error_count":0}`, e.body)
	v7(t, eight, "DELETE", "/_security/api_key", `{"nope":1}`).esError(t, 400, "x_content_parse_exception",
		"[1:2] [invalidate_api_key_v7] unknown field [nope]")

	e = v7(t, nine, "DELETE", "/_security/api_key", `{"id":"`+id+`"}`)
	assert.Equal(t, 400, e.status, e.body)
	assert.Equal(t, "media_type_header_exception", at(e.obj, "error.type"), e.body)
}
