package esapikeytest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// The scenario of Elasticsearch's api_key/21_query_with_aggs.yml: size 0 and a composite aggregation.
func TestConformanceQueryAggsComposite(t *testing.T) {
	forVersions(t, needs{version.QueryAggs, version.QueryTypedKeys}, func(t *testing.T, tg *target) {
		manager := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		user := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		p := tg.prefix
		tg.key(manager, `{"name":"`+p+`-manager-api-key","expiration":"10d","metadata":{"letter":"a","number":42}}`)
		tg.key(user, `{"name":"`+p+`-user-api-key","metadata":{"letter":"b"}}`)
		tg.key(user, `{"name":"`+p+`-user-api-key-grant","expiration":"100d"}`)

		body := `{"size":0,"query":` + tg.ours("") + `,"aggs":{"my_buckets":{"composite":{"sources":[{"key_name":{"terms":{"field":"name"}}}]}}}}`
		r := tg.query(manager, body)
		assert.Equal(t, float64(3), r.obj["total"])
		assert.Equal(t, float64(0), r.obj["count"])
		assert.Equal(t, []any{}, r.obj["api_keys"])
		assert.Equal(t, decode(t, `{"my_buckets":{"after_key":{"key_name":"`+p+`-user-api-key-grant"},"buckets":[
		  {"key":{"key_name":"`+p+`-manager-api-key"},"doc_count":1},
		  {"key":{"key_name":"`+p+`-user-api-key"},"doc_count":1},
		  {"key":{"key_name":"`+p+`-user-api-key-grant"},"doc_count":1}]}}`), r.obj["aggregations"])

		// The owner filter applies to aggregations too; typed_keys prefixes the type.
		r = tg.call(user, "POST", queryPath+"?typed_keys", `{"size":0,"aggs":{"names":{"composite":{"size":1,"sources":[{"n":{"terms":{"field":"name","order":"desc"}}}]}}}}`).ok(t)
		assert.Equal(t, decode(t, `{"composite#names":{"after_key":{"n":"`+p+`-user-api-key-grant"},"buckets":[{"key":{"n":"`+p+`-user-api-key-grant"},"doc_count":1}]}}`), r.obj["aggregations"])
		r = tg.call(user, "POST", queryPath, `{"size":0,"aggs":{"names":{"composite":{"after":{"n":"`+p+`-user-api-key-grant"},"sources":[{"n":{"terms":{"field":"name","order":"desc"}}}]}}}}`).ok(t)
		assert.Equal(t, p+"-user-api-key", r.at("aggregations.names.buckets.0.key.n"))
		assert.Equal(t, float64(1), r.at("aggregations.names.buckets.0.doc_count"))
	})
}

// The metric and terms aggregations of ApiKeyAggsIT.testAggsForType, and its filter aggregations.
func TestConformanceQueryAggsMetrics(t *testing.T) {
	forVersions(t, needs{version.QueryAggs, version.QueryAggregationsAlias, version.QueryTypedKeys, version.QueryTypeField, version.QueryMatch}, func(t *testing.T, tg *target) {
		admin := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		user := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		p := tg.prefix
		for _, k := range []struct {
			owner cred
			body  string
		}{
			{admin, `{"name":"` + p + `-key1","metadata":{"tags":["prod","est"],"label":"value1","environment":{"system":false,"hostname":"host-1"}}}`},
			{admin, `{"name":"` + p + `-key2","metadata":{"tags":["prod","west"],"label":"value2","environment":{"system":false,"hostname":"host-2"}}}`},
			{admin, `{"name":"` + p + `-key3","expiration":"2d","metadata":{"tags":["prod","south"],"label":"value3","environment":{"system":true,"hostname":"host-2"}}}`},
			{user, `{"name":"` + p + `-key4","metadata":{"tags":["prod","north"],"label":"value4","environment":{"system":true,"hostname":"host-1"}}}`},
			{user, `{"name":"` + p + `-wild","metadata":{"tags":["staging","west"],"label":"value5","environment":{"system":true,"hostname":"host-3"}}}`},
		} {
			tg.key(k.owner, k.body)
		}

		r := tg.call(admin, "POST", queryPath+"?typed_keys=true", `{"size":0,"query":`+tg.ours("")+`,"aggs":{
		  "type_cardinality":{"cardinality":{"field":"type"}},
		  "type_value_count":{"value_count":{"field":"type"}},
		  "missing_expiration":{"missing":{"field":"expiration"}},
		  "tags":{"terms":{"field":"metadata.tags","size":2}},
		  "systems":{"terms":{"field":"metadata.environment.system"}}}}`).ok(t)
		assert.Equal(t, decode(t, `{
		  "cardinality#type_cardinality":{"value":1},
		  "value_count#type_value_count":{"value":5},
		  "missing#missing_expiration":{"doc_count":4},
		  "sterms#tags":{"doc_count_error_upper_bound":0,"sum_other_doc_count":4,"buckets":[{"key":"prod","doc_count":4},{"key":"west","doc_count":2}]},
		  "sterms#systems":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"true","doc_count":3},{"key":"false","doc_count":2}]}
		}`), r.obj["aggregations"])

		r = tg.call(admin, "POST", queryPath, `{"size":0,"query":`+tg.ours("")+`,"aggs":{"by_invalidated":{"terms":{"field":"invalidated"}}}}`).ok(t)
		assert.Equal(t, decode(t, `{"by_invalidated":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":0,"key_as_string":"false","doc_count":5}]}}`), r.obj["aggregations"])

		// Keyed filters are sorted by key; match on the metadata root looks at every leaf.
		r = tg.query(admin, `{"query":`+tg.ours("")+`,"aggs":{"hostnames":{"filters":{"filters":{
		  "host-2":{"match":{"metadata":"host-2"}},"host-1":{"term":{"metadata.environment.hostname":"host-1"}}}}}}}`)
		assert.Equal(t, decode(t, `{"hostnames":{"buckets":{"host-1":{"doc_count":2},"host-2":{"doc_count":2}}}}`), r.obj["aggregations"])

		// The user's keys only, with an other bucket.
		r = tg.query(user, `{"aggregations":{"only_user_keys":{"filters":{"other_bucket_key":"other_user_keys","filters":{
		  "only_key4_match":{"bool":{"should":[{"prefix":{"name":"`+p+`-key"}},{"match":{"metadata.tags":"prod"}}]}}}}}}}`)
		assert.Equal(t, decode(t, `{"only_user_keys":{"buckets":{"only_key4_match":{"doc_count":1},"other_user_keys":{"doc_count":1}}}}`), r.obj["aggregations"])

		// Anonymous filters give a list, the other bucket last.
		r = tg.query(user, `{"aggs":{"all_user_keys":{"filters":{"other_bucket_key":"other_user_keys","filters":[
		  {"match_all":{}},{"exists":{"field":"username"}},{"wildcard":{"name":{"value":"*"}}}]}}}}`)
		assert.Equal(t, decode(t, `{"all_user_keys":{"buckets":[{"doc_count":2},{"doc_count":2},{"doc_count":2},{"doc_count":0}]}}`), r.obj["aggregations"])

		// keyed:false puts named buckets in a list, with their keys; sub-aggregations run per bucket.
		r = tg.call(user, "POST", queryPath+"?typed_keys", `{"aggs":{"level1":{"filters":{"keyed":false,"filters":{
		  "rest-filter":{"term":{"type":"rest"}},"user-filter":{"wildcard":{"username":"`+user.user+`"}}}},
		  "aggs":{"level2":{"filters":{"filters":{"invalidated":{"term":{"invalidated":true}},"not-invalidated":{"term":{"invalidated":false}}}}}}}}}`).ok(t)
		assert.Equal(t, decode(t, `{"filters#level1":{"buckets":[
		  {"key":"rest-filter","doc_count":2,"filters#level2":{"buckets":{"invalidated":{"doc_count":0},"not-invalidated":{"doc_count":2}}}},
		  {"key":"user-filter","doc_count":2,"filters#level2":{"buckets":{"invalidated":{"doc_count":0},"not-invalidated":{"doc_count":2}}}}]}}`), r.obj["aggregations"])

		// A filter aggregation with a composite below it.
		r = tg.query(admin, `{"size":0,"query":`+tg.ours("")+`,"aggs":{"not_expiring":{"filter":{"bool":{"must_not":{"exists":{"field":"expiration"}}}},
		  "aggs":{"by_user":{"composite":{"sources":[{"usernames":{"terms":{"field":"username"}}}]}}}}}}`)
		assert.Equal(t, float64(4), r.at("aggregations.not_expiring.doc_count"))
		assert.Equal(t, float64(2), r.at("aggregations.not_expiring.by_user.buckets.0.doc_count"))
		assert.Equal(t, float64(2), r.at("aggregations.not_expiring.by_user.buckets.1.doc_count"))
	})
}

// Dates aggregate as epoch milliseconds, the mapping format of the key date fields.
func TestConformanceQueryAggsRanges(t *testing.T) {
	forVersions(t, needs{version.QueryAggs}, func(t *testing.T, tg *target) {
		owner := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		tg.key(owner, `{"name":"short","expiration":"1d"}`)
		tg.key(owner, `{"name":"long","expiration":"30d"}`)
		tg.key(owner, `{"name":"never"}`)
		r := tg.query(owner, `{"size":0,"aggs":{"exp":{"date_range":{"field":"expiration","ranges":[{"key":"soon","to":"now+7d"},{"from":"now+7d"}]}}}}`)
		assert.Equal(t, "soon", r.at("aggregations.exp.buckets.0.key"))
		assert.Equal(t, float64(1), r.at("aggregations.exp.buckets.0.doc_count"))
		assert.Nil(t, r.at("aggregations.exp.buckets.0.from"))
		assert.NotNil(t, r.at("aggregations.exp.buckets.0.to_as_string"))
		assert.Equal(t, float64(1), r.at("aggregations.exp.buckets.1.doc_count"))
		key, _ := r.at("aggregations.exp.buckets.1.key").(string)
		assert.Regexp(t, `^\d+-\*$`, key)

		r = tg.call(owner, "POST", queryPath, `{"aggs":{"r":{"range":{"field":"name","ranges":[{"to":5}]}}}}`)
		r.isError(t, 400, "search_phase_execution_exception", "all shards failed")
		r.rootCause(t, illegalArg, "Field [name] of type [keyword] is not supported for aggregation [range]")
	})
}

func TestConformanceQueryAggsErrors(t *testing.T) {
	forVersions(t, needs{version.QueryAggs, version.QueryAggregationsAlias, version.QueryTypedKeys, version.MsgFieldNotAllowed}, func(t *testing.T, tg *target) {
		admin := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		q := func(body string) *reply { return tg.call(admin, "POST", queryPath+"?typed_keys", body) }

		q(`{"aggregations":{"all_.security_docs":{"global":{},"aggs":{"key_names":{"terms":{"field":"name"}}}}}}`).
			isError(t, 400, illegalArg, "Unsupported API Keys agg [all_.security_docs] of type [global]")
		q(`{"aggs":{"type_cardinality":{"cardinality":{"field":"type"}},"total":{"cumulative_cardinality":{"buckets_path":"type_cardinality"}}}}`).
			isError(t, 400, illegalArg, "Unsupported aggregation of type [cumulative_cardinality]")
		q(`{"aggs":{"avg_creation":{"avg":{"field":"creation"}}}}`).
			isError(t, 400, illegalArg, "Unsupported API Keys agg [avg_creation] of type [avg]")
		q(`{"aggs":{"wrong":{"filters":{"filters":{"w":{"term":{"api_key_invalidated":false}}}}}}}`).
			isError(t, 400, illegalArg, "Field [api_key_invalidated] is not allowed for querying or aggregation")
		q(`{"aggs":{"good":{"filters":{"filters":{"g":{"term":{"invalidated":false}}}},"aggregations":{"wrong":{"filters":{"filters":{"w":{"wildcard":{"creator.realm":"x"}}}}}}}}}`).
			isError(t, 400, illegalArg, "Field [creator.realm] is not allowed for querying or aggregation")
		q(`{"aggs":{"t":{"value_count":{"field":"runtime_key_type"}}}}`).
			isError(t, 400, illegalArg, "Field [runtime_key_type] is not allowed for querying or aggregation")
		q(`{"aggs":{"by_user":{"composite":{"sources":[{"u":{"terms":{"field":"username"}}},{"h":{"histogram":{"field":"creator","interval":5}}}]}}}}`).
			isError(t, 400, illegalArg, "Field [creator] is not allowed for querying or aggregation")
		q(`{"aggs":{"s":{"terms":{"script":{"source":"1"}}}}}`).
			isError(t, 400, illegalArg, "Unsupported script value source for [s] agg")
	})
}
