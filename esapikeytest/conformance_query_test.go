package esapikeytest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

const queryPath = "/_security/_query/api_key"

// query runs a _query/api_key body as c and returns the 200 answer.
func (tg *target) query(c cred, body string) *reply {
	tg.t.Helper()
	return tg.call(c, "POST", queryPath, body).ok(tg.t)
}

// tick makes the next key's creation time later than the last one's, so sorts by creation are total.
func (tg *target) tick() {
	if tg.real() {
		time.Sleep(5 * time.Millisecond)
	} else {
		tg.srv.Advance(time.Millisecond)
	}
}

// names lists the names of the keys of an answer, in order.
func (r *reply) names() []string {
	keys, _ := r.obj["api_keys"].([]any)
	out := []string{}
	for _, k := range keys {
		out = append(out, k.(map[string]any)["name"].(string))
	}
	return out
}

// ours is a query that keeps to the keys of this run, so the admin's queries see the same on a real cluster.
func (tg *target) ours(clause string) string {
	scope := `{"prefix":{"name":"` + tg.prefix + `"}}`
	if clause == "" {
		return `{"bool":{"filter":[` + scope + `]}}`
	}
	return `{"bool":{"filter":[` + scope + `],"must":[` + clause + `]}}`
}

// The scenario of Elasticsearch's api_key/20_query.yml: who sees what, sort, from/size, search_after.
func TestConformanceQueryYAML(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		manager := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		userRole := tg.role(`{"cluster":["manage_own_api_key"]}`)
		user1, user2 := tg.user(userRole), tg.user(userRole)
		p := tg.prefix
		managerKey, _ := tg.key(manager, `{"name":"`+p+`-manager-api-key","expiration":"10d","metadata":{"letter":"a","number":42}}`)
		tg.tick()
		user1Key, _ := tg.key(user1, `{"name":"`+p+`-user1-api-key","expiration":"1d","metadata":{"letter":"a","number":1}}`)
		tg.tick()
		user2Key, _ := tg.key(user2, `{"name":"`+p+`-user2-api-key","expiration":"1d","metadata":{"letter":"b","number":42}}`)

		r := tg.query(manager, `{"query":`+tg.ours("")+`}`)
		assert.Equal(t, float64(3), r.obj["total"])
		assert.Equal(t, float64(3), r.obj["count"])
		assert.ElementsMatch(t, []string{p + "-manager-api-key", p + "-user1-api-key", p + "-user2-api-key"}, r.names())
		assert.Nil(t, r.at("api_keys.0._sort"), "no _sort without a sort")

		// A user with manage_own_api_key sees only its own keys, with or without a body, over GET or POST.
		for _, body := range []string{noBody, `{}`, `{"query":{"match_all":{}}}`} {
			for _, method := range []string{"GET", "POST"} {
				r = tg.call(user1, method, queryPath, body).ok(t)
				assert.Equal(t, float64(1), r.obj["total"], body)
				assert.Equal(t, user1Key, r.at("api_keys.0.id"), body)
			}
		}
		r = tg.query(user2, `{"query":{"wildcard":{"name":"`+p+`-user*"}}}`)
		assert.Equal(t, float64(1), r.obj["total"])
		assert.Equal(t, user2Key, r.at("api_keys.0.id"))

		r = tg.query(manager, `{"query":{"wildcard":{"name":"`+p+`-user*"}},"sort":[{"creation":{"order":"desc"}}],"from":1,"size":1}`)
		assert.Equal(t, float64(2), r.obj["total"])
		assert.Equal(t, float64(1), r.obj["count"])
		assert.Equal(t, user1Key, r.at("api_keys.0.id"))
		assert.Equal(t, []any{r.at("api_keys.0.creation")}, r.at("api_keys.0._sort"))

		// Pages by expiration then username, each next page after the last _sort values.
		page := func(after string) *reply {
			body := `{"query":{"wildcard":{"name":"` + p + `*key"}},"sort":["expiration","username"],"size":1` + after + `}`
			r := tg.query(manager, body)
			assert.Equal(t, float64(3), r.obj["total"])
			return r
		}
		var ids []string
		after := ""
		for range 3 {
			r = page(after)
			assert.Equal(t, float64(1), r.obj["count"])
			ids = append(ids, r.at("api_keys.0.id").(string))
			assert.Equal(t, []any{r.at("api_keys.0.expiration"), r.at("api_keys.0.username")}, r.at("api_keys.0._sort"))
			after = `,"search_after":` + jsonString(r.at("api_keys.0._sort"))
		}
		assert.Equal(t, []string{user1Key, user2Key, managerKey}, ids)
		r = page(after)
		assert.Equal(t, float64(0), r.obj["count"])
		assert.Equal(t, []string{}, r.names())
	})
}

// The key fields and metadata queries of Elasticsearch's QueryApiKeyIT.testQuery and testExistsQuery.
func TestConformanceQueryDSL(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		admin := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		user := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		p := tg.prefix
		for _, k := range []struct {
			owner     cred
			name, exp string
			md        string
		}{
			{admin, "org/ingest-key-1", "", `{"application":"fleet-agent","tags":["prod","east"],"environment":{"os":"Cat","level":42,"system":false,"hostname":"host-1"}}`},
			{admin, "org/ingest-key-2", "1d", `{"application":"fleet-server","tags":["staging","east"],"environment":{"os":"Dog","level":11,"system":true,"hostname":"host-2"}}`},
			{admin, "org/management-key-1", "", `{"application":"fleet-agent","tags":["prod","west"],"environment":{"os":"Cat","level":11,"system":false,"hostname":"host-3"}}`},
			{admin, "org/alert-key-1", "10d", `{"application":"siem","tags":["prod","north","upper"],"environment":{"os":"Dog","level":3,"system":true,"hostname":"host-4"}}`},
			{user, "ingest-key-1", "", `{"application":"cli","tags":["user","test"],"notes":{"sun":"hot","earth":"blue"}}`},
			{user, "alert-key-2", "10d", `{"application":"web","tags":["app","prod"],"notes":{"shared":false,"weather":"sunny"}}`},
		} {
			exp := ""
			if k.exp != "" {
				exp = `"expiration":"` + k.exp + `",`
			}
			tg.key(k.owner, `{"name":"`+p+`-`+k.name+`",`+exp+`"metadata":`+k.md+`}`)
		}
		cases := []struct {
			clause string
			want   []string
			need   version.Feature // the release must have it for the case to apply, when not 0
		}{
			{`{"wildcard":{"name":"*alert*"}}`, []string{"org/alert-key-1", "alert-key-2"}, 0},
			{`{"bool":{"must":[{"prefix":{"metadata.application":"fleet"}},{"term":{"metadata.environment.os":"Cat"}}]}}`, []string{"org/ingest-key-1", "org/management-key-1"}, 0},
			{`{"terms":{"metadata.tags":["prod","east"]}}`, []string{"org/ingest-key-1", "org/ingest-key-2", "org/management-key-1", "org/alert-key-1", "alert-key-2"}, 0},
			{`{"range":{"creation":{"lt":"now+1m"}}}`, []string{"org/ingest-key-1", "org/ingest-key-2", "org/management-key-1", "org/alert-key-1", "ingest-key-1", "alert-key-2"}, 0},
			{`{"term":{"username":"` + user.user + `"}}`, []string{"ingest-key-1", "alert-key-2"}, 0},
			{`{"term":{"metadata.environment.level":11}}`, []string{"org/ingest-key-2", "org/management-key-1"}, 0},
			{`{"term":{"metadata.environment.system":{"value":true}}}`, []string{"org/ingest-key-2", "org/alert-key-1"}, 0},
			{`{"term":{"metadata.environment.os":{"value":"cat","case_insensitive":true}}}`, []string{"org/ingest-key-1", "org/management-key-1"}, 0},
			{`{"match":{"metadata":"sunny"}}`, []string{"alert-key-2"}, version.QueryMatch},
			{`{"exists":{"field":"expiration"}}`, []string{"org/ingest-key-2", "org/alert-key-1", "alert-key-2"}, 0},
			{`{"exists":{"field":"metadata.notes.sun"}}`, []string{"ingest-key-1"}, 0},
			{`{"range":{"metadata.environment.hostname":{"gt":"host-2","lte":"host-4"}}}`, []string{"org/management-key-1", "org/alert-key-1"}, 0},
			{`{"bool":{"should":[{"term":{"metadata.tags":"north"}},{"term":{"metadata.tags":"west"}},{"term":{"metadata.application":"siem"}}],"minimum_should_match":2}}`, []string{"org/alert-key-1"}, 0},
			{`{"bool":{"must_not":[{"exists":{"field":"expiration"}}]}}`, []string{"org/ingest-key-1", "org/management-key-1", "ingest-key-1"}, 0},
			{`{"simple_query_string":{"query":"fleet-agent siem","fields":["metadata.application"]}}`, []string{"org/ingest-key-1", "org/management-key-1", "org/alert-key-1"}, version.QuerySimpleQueryString},
			{`{"simple_query_string":{"query":"+prod -west","fields":["metadata.tags"],"default_operator":"and"}}`, []string{"org/ingest-key-1", "org/alert-key-1", "alert-key-2"}, version.QuerySimpleQueryString},
			// With the default OR, "-" reads as "or anything without": staging OR NOT prod.
			{`{"simple_query_string":{"query":"staging -prod","fields":["metadata.tags"]}}`, []string{"org/ingest-key-2", "ingest-key-1"}, version.QuerySimpleQueryString},
			{`{"simple_query_string":{"query":"+cat +fleet-agent","fields":["metadata"]}}`, []string{}, version.QuerySimpleQueryString},
			{`{"simple_query_string":{"query":"+Cat +fleet-agent","fields":["meta*"]}}`, []string{"org/ingest-key-1", "org/management-key-1"}, version.QuerySimpleQueryString},
			{`{"simple_query_string":{"query":"fleet-agnet~1","fields":["metadata"]}}`, []string{"org/ingest-key-1", "org/management-key-1"}, version.QuerySimpleQueryString},
			{`{"simple_query_string":{"query":"fleet*","fields":["no_such_field*"]}}`, []string{}, version.QuerySimpleQueryString},
			{`{"term":{"type":"rest"}}`, []string{"org/ingest-key-1", "org/ingest-key-2", "org/management-key-1", "org/alert-key-1", "ingest-key-1", "alert-key-2"}, version.QueryTypeField},
			{`{"term":{"invalidated":false}}`, []string{"org/ingest-key-1", "org/ingest-key-2", "org/management-key-1", "org/alert-key-1", "ingest-key-1", "alert-key-2"}, 0},
		}
		for _, c := range cases {
			if c.need != 0 && !tg.has(c.need) {
				continue
			}
			r := tg.query(admin, `{"query":`+tg.ours(c.clause)+`,"size":20}`)
			want := make([]string, len(c.want))
			for i, n := range c.want {
				want[i] = p + "-" + n
			}
			assert.ElementsMatch(t, want, r.names(), c.clause)
			assert.Equal(t, float64(len(want)), r.obj["total"], c.clause)
		}

		// The user's queries see its keys only.
		r := tg.query(user, `{"query":{"wildcard":{"name":"*alert*"}}}`)
		assert.Equal(t, []string{p + "-alert-key-2"}, r.names())

		// ids, and invalidated keys are found until filtered out.
		all := tg.query(admin, `{"query":`+tg.ours("")+`,"size":20}`)
		id0, id1 := all.at("api_keys.0.id").(string), all.at("api_keys.1.id").(string)
		r = tg.query(admin, `{"query":{"ids":{"values":["`+id0+`","`+id1+`","nope"]}}}`)
		assert.Equal(t, float64(2), r.obj["total"])
		tg.call(admin, "DELETE", "/_security/api_key", `{"ids":["`+id0+`"]}`).ok(t)
		r = tg.query(admin, `{"query":{"bool":{"must":[{"ids":{"values":["`+id0+`"]}},{"term":{"invalidated":true}}]}}}`)
		assert.Equal(t, true, r.at("api_keys.0.invalidated"))
		if tg.has(version.AnswerInvalidation) {
			assert.NotNil(t, r.at("api_keys.0.invalidation"))
		} else {
			assert.Nil(t, r.at("api_keys.0.invalidation"), "before 8.12 the answer has no invalidation")
		}
		r = tg.query(admin, `{"query":{"bool":{"must":[{"ids":{"values":["`+id0+`"]}},{"term":{"invalidated":"false"}}]}}}`)
		assert.Equal(t, float64(0), r.obj["total"])
		if tg.has(version.QueryInvalidationField) {
			r = tg.query(admin, `{"query":{"bool":{"must":[{"ids":{"values":["`+id0+`"]}},{"exists":{"field":"invalidation"}}]}}}`)
			assert.Equal(t, float64(1), r.obj["total"])
		}
	})
}

// Sorting as QueryApiKeyIT.testSort and testPagination check it.
func TestConformanceQuerySort(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		var ids []string
		for _, k := range []struct{ name, md string }{{"k2", `{"letter":"a","symbol":"2"}`}, {"k1", `{"letter":"b","symbol":"2"}`}, {"k0", `{"letter":"c","symbol":"1"}`}} {
			id, _ := tg.key(owner, `{"name":"`+k.name+`","metadata":`+k.md+`}`)
			ids = append(ids, id)
			tg.tick()
		}
		idsOf := func(r *reply) []string {
			var out []string
			for i := range 3 {
				out = append(out, r.at(fmt.Sprintf("api_keys.%d.id", i)).(string))
			}
			return out
		}
		r := tg.query(owner, `{"sort":[{"creation":{"order":"desc"}}]}`)
		assert.Equal(t, []string{ids[2], ids[1], ids[0]}, idsOf(r))
		assert.Equal(t, []any{r.at("api_keys.0.creation")}, r.at("api_keys.0._sort"))
		r = tg.query(owner, `{"sort":[{"name":{"order":"asc"}}]}`)
		assert.Equal(t, []string{ids[2], ids[1], ids[0]}, idsOf(r))
		assert.Equal(t, []any{"k0"}, r.at("api_keys.0._sort"))
		r = tg.query(owner, `{"sort":["metadata.letter"]}`)
		assert.Equal(t, ids, idsOf(r))
		r = tg.query(owner, `{"sort":["metadata.symbol","metadata.letter"]}`)
		assert.Equal(t, []string{ids[2], ids[0], ids[1]}, idsOf(r))
		assert.Equal(t, []any{"1", "c"}, r.at("api_keys.0._sort"))
		r = tg.query(owner, `{"sort":["_doc"]}`)
		assert.ElementsMatch(t, ids, idsOf(r))
		assert.NotNil(t, r.at("api_keys.0._sort"))

		// size 0 still counts; from skips.
		r = tg.query(owner, `{"size":0}`)
		assert.Equal(t, float64(3), r.obj["total"])
		assert.Equal(t, float64(0), r.obj["count"])
		assert.Equal(t, []any{}, r.obj["api_keys"])
		r = tg.query(owner, `{"sort":["name"],"from":2,"size":5}`)
		assert.Equal(t, []string{"k2"}, r.names())
	})
}

// Each caller sees what ApiKeyBoolQueryBuilder lets it: an API key with manage_own_api_key only itself.
func TestConformanceQueryAPIKeyCaller(t *testing.T) {
	forVersions(t, needs{version.QueryWithLimitedBy, version.AnswerRoleDescriptors}, func(t *testing.T, tg *target) {
		admin := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		p := tg.prefix
		_, power := tg.key(admin, `{"name":"`+p+`-power-key"}`)
		limitID, limit := tg.key(admin, `{"name":"`+p+`-limit-key","role_descriptors":{"a":{"cluster":["manage_own_api_key"]}}}`)
		tg.key(admin, `{"name":"`+p+`-other-key"}`)

		r := tg.query(power, `{"query":`+tg.ours("")+`}`)
		assert.Equal(t, float64(3), r.obj["total"])
		r = tg.query(limit, noBody)
		assert.Equal(t, []string{p + "-limit-key"}, r.names())
		assert.Equal(t, limitID, r.at("api_keys.0.id"))

		// with_limited_by shows the owner's roles of REST keys; an API key needs more than manage_own_api_key for it.
		r = tg.call(power, "GET", queryPath+"?with_limited_by=true", `{"query":{"ids":{"values":["`+limitID+`"]}}}`).ok(t)
		assert.NotNil(t, r.at("api_keys.0.limited_by.0"))
		assert.Equal(t, decode(t, `["manage_own_api_key"]`), r.at("api_keys.0.role_descriptors.a.cluster"))
		r = tg.call(power, "GET", queryPath+"?with_limited_by=false", `{"query":{"ids":{"values":["`+limitID+`"]}}}`).ok(t)
		assert.Nil(t, r.at("api_keys.0.limited_by"))
		r = tg.call(limit, "GET", queryPath+"?with_limited_by=true", noBody)
		assert.Equal(t, 403, r.status, string(r.raw))
		assert.Equal(t, "security_exception", r.at("error.type"))

		// A cross-cluster key shows its access, and never limited-by roles.
		if !tg.has(version.RouteCrossCluster) || !tg.has(version.QueryTypeField) {
			return
		}
		r = tg.call(tg.admin, "POST", "/_security/cross_cluster/api_key", `{"name":"`+p+`-cc","access":{"search":[{"names":["logs*"]}]}}`).ok(t)
		ccID, _ := r.obj["id"].(string)
		t.Cleanup(func() { tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":["`+ccID+`"]}`) })
		r = tg.call(power, "POST", queryPath+"?with_limited_by=true", `{"query":{"bool":{"filter":[{"ids":{"values":["`+ccID+`"]}},{"term":{"type":"cross_cluster"}}]}}}`).ok(t)
		assert.Equal(t, float64(1), r.obj["total"])
		assert.Equal(t, decode(t, `{"search":[{"names":["logs*"],"allow_restricted_indices":false}]}`), r.at("api_keys.0.access"))
		assert.Nil(t, r.at("api_keys.0.limited_by"))
	})
}

func TestConformanceQueryErrors(t *testing.T) {
	forVersions(t, needs{version.MsgFieldNotAllowed, version.MsgFieldPatternNotAllowed, version.QueryAggs, version.QueryAggregationsAlias}, func(t *testing.T, tg *target) {
		admin := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		q := func(body string) *reply { return tg.call(admin, "POST", queryPath, body) }

		q(`{"query":{"prefix":{"api_key_hash":"{PBKDF2}10000$"}}}`).isError(t, 400, illegalArg, "Field [api_key_hash] is not allowed for querying or aggregation")
		q(`{"query":{"term":{"doc_type":"api_key"}}}`).isError(t, 400, illegalArg, "Field [doc_type] is not allowed for querying or aggregation")
		q(`{"query":{"term":{"id":"x"}}}`).isError(t, 400, illegalArg, "Field [id] is not allowed for querying or aggregation")
		q(`{"query":{"term":{"name*":"x"}}}`).isError(t, 400, illegalArg, "Field name pattern [name*] is not allowed for querying or aggregation")
		for _, field := range []string{"doc_type", "api_key_invalidated", "metadata_flattened.letter"} {
			q(`{"sort":["`+field+`"]}`).isError(t, 400, illegalArg, "Field ["+field+"] is not allowed for querying or aggregation")
		}
		q(`{"query":{"match_phrase":{"name":"x"}}}`).isError(t, 400, illegalArg, "Query type [match_phrase] is not currently supported in this context")
		q(`{"query":{"terms":{"name":{"index":"i","id":"1","path":"p"}}}}`).isError(t, 400, illegalArg, "terms query with terms lookup is not currently supported in this context")
		q(`{"query":{"range":{"creation":{"gte":"now-1d","relation":"within"}}}}`).isError(t, 400, illegalArg, "range query with relation is not currently supported in this context")
		q(`{"sort":[{"name":{"order":"asc","nested":{"path":"x"}}}]}`).isError(t, 400, illegalArg, "nested sorting is not currently supported in this context")

		q(`{"unknown":1}`).isError(t, 400, xParse, "[1:13] [query_api_key_request_payload] unknown field [unknown]")
		q(`{"from":true}`).isError(t, 400, xParse, "[1:10] [query_api_key_request_payload] from doesn't support values of type: VALUE_BOOLEAN")
		r := q(`{"query":{"no_such_query":{}}}`)
		r.isError(t, 400, xParse, "[1:11] [query_api_key_request_payload] failed to parse field [query]")
		r = q(`{"aggs":{"a":{"cardinality":{"field":"type"}}},"aggregations":{"b":{"cardinality":{"field":"type"}}}}`)
		assert.Equal(t, 400, r.status, string(r.raw))
		assert.Equal(t, xParse, r.at("error.type"))
		assert.Contains(t, r.at("error.reason"), "Failed to build [query_api_key_request_payload]")
		r.causedBy(t, illegalArg, "Duplicate 'aggs' or 'aggregations' field")

		q(`{"from":-1,"size":-2}`).isError(t, 400, validation,
			"Validation Failed: 1: [from] parameter cannot be negative but was [-1];2: [size] parameter cannot be negative but was [-2];")

		// Errors of the search itself: Elasticsearch wraps them in a search_phase_execution_exception whose root cause is this.
		r = q(`{"from":9999,"size":2}`)
		r.isError(t, 400, "search_phase_execution_exception", "all shards failed")
		r.rootCause(t, illegalArg, "Result window is too large, from + size must be less than or equal to: [10000] but was [10001]. "+
			"See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.")
		r = q(`{"sort":["name","creation"],"search_after":["a"]}`)
		r.isError(t, 400, "search_phase_execution_exception", "all shards failed")
		assert.Equal(t, "query", r.at("error.phase"))
		assert.Equal(t, illegalArg, r.at("error.caused_by.type"))
		assert.Equal(t, illegalArg, r.at("error.failed_shards.0.reason.type"))
		r.rootCause(t, illegalArg, "search_after has 1 value(s) but sort has 2.")

		// Parsing and validation come before authorization; the query's fields are checked after it.
		weakRole := tg.role(`{"cluster":["monitor"]}`)
		weak := tg.user(weakRole)
		tg.call(weak, "POST", queryPath, `{"size":-1}`).isError(t, 400, validation, "Validation Failed: 1: [size] parameter cannot be negative but was [-1];")
		r = tg.call(weak, "POST", queryPath, `{"query":{"term":{"doc_type":"x"}}}`)
		assert.Equal(t, 403, r.status, string(r.raw))
		assert.Contains(t, r.at("error.reason"), "action [cluster:admin/xpack/security/api_key/query] is unauthorized for user ["+weak.user+"]")

		tg.call(admin, "POST", queryPath+"?unknown_param=1", noBody).
			isError(t, 400, illegalArg, "request [/_security/_query/api_key] contains unrecognized parameter: [unknown_param]")
		tg.call(admin, "PUT", queryPath, noBody).isError405(t, "PUT", "GET, POST")
	})
}

// isError405 asserts Elasticsearch's answer to a method a path does not serve.
func (r *reply) isError405(t *testing.T, method, allowed string) {
	t.Helper()
	require.Equal(t, 405, r.status, string(r.raw))
	assert.Equal(t, "Incorrect HTTP method for uri ["+queryPath+"] and method ["+method+"], allowed: ["+allowed+"]", r.obj["error"])
}

// A query sees each key as it is now: after an update of its metadata and after its invalidation.
func TestConformanceQueryAfterChanges(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		id, _ := tg.key(owner, `{"name":"changing","metadata":{"stage":"one"}}`)
		count := func(clause string) float64 {
			t.Helper()
			r := tg.query(owner, `{"query":`+clause+`}`)
			n, _ := r.obj["total"].(float64)
			return n
		}
		assert.Equal(t, float64(1), count(`{"term":{"metadata.stage":"one"}}`))
		assert.True(t, tg.update(owner, id, `{"metadata":{"stage":"two","extra":true}}`))
		assert.Equal(t, float64(0), count(`{"term":{"metadata.stage":"one"}}`))
		assert.Equal(t, float64(1), count(`{"bool":{"must":[{"term":{"metadata.stage":"two"}},{"term":{"metadata.extra":true}}]}}`))
		tg.call(owner, "DELETE", "/_security/api_key", `{"ids":["`+id+`"],"owner":true}`).ok(t)
		assert.Equal(t, float64(1), count(`{"term":{"invalidated":true}}`))
		if tg.has(version.QueryInvalidationField) {
			assert.Equal(t, float64(1), count(`{"bool":{"filter":[{"term":{"invalidated":true}},{"exists":{"field":"invalidation"}}]}}`))
		}
	})
}
