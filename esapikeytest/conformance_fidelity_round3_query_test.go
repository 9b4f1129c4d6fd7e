package esapikeytest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Querying API keys as Elasticsearch's source has it, where the query answer, its validation or an
// aggregation option differed. Each test names the class whose behaviour it pins.

func TestConformanceQ15NoMatchNoAggregations_ApiKeyServiceQueryApiKeys(t *testing.T) {
	tg := newTarget(t)
	tg.key(tg.admin, `{"name":"`+tg.prefix+`-q15"}`)
	// ApiKeyService.queryApiKeys answers QueryApiKeysResult.EMPTY when nothing matched, and
	// QueryApiKeyResponse.toXContent writes aggregations only when there are some.
	r := tg.query(tg.admin, `{"query":{"term":{"name":"`+tg.prefix+`-no-such-name"}},"aggs":{"by_name":{"terms":{"field":"name"}}}}`)
	assert.JSONEq(t, `{"total":0,"count":0,"api_keys":[]}`, string(r.raw))
	// With a match, the aggregations are there.
	r = tg.query(tg.admin, `{"query":{"term":{"name":"`+tg.prefix+`-q15"}},"aggs":{"by_name":{"terms":{"field":"name"}}}}`)
	assert.Equal(t, tg.prefix+"-q15", r.at("aggregations.by_name.buckets.0.key"), string(r.raw))
}

func TestConformanceQ16FromWithSearchAfter_SearchSourceBuilderValidate(t *testing.T) {
	tg := newTarget(t)
	// TransportQueryApiKeyAction copies from and search_after into a SearchRequest, whose validate
	// refuses them together before any shard runs.
	tg.call(tg.admin, "POST", queryPath, `{"sort":["name"],"search_after":["a"],"from":1}`).isError(t, 400, validation,
		"Validation Failed: 1: [from] parameter must be set to 0 when [search_after] is used;")
	tg.query(tg.admin, `{"sort":["name"],"search_after":["a"],"from":0}`)
}

func TestConformanceQ17SortBareString_RestQueryApiKeyAction(t *testing.T) {
	tg := newTarget(t)
	// RestQueryApiKeyAction declares sort with declareObjectArray (ObjectParser.ValueType.OBJECT_ARRAY).
	tg.call(tg.admin, "POST", queryPath, `{"sort":"name"}`).isError(t, 400, "x_content_parse_exception",
		"[1:9] [query_api_key_request_payload] sort doesn't support values of type: VALUE_STRING")
	tg.query(tg.admin, `{"sort":["name"]}`)
	tg.query(tg.admin, `{"sort":{"name":{"order":"desc"}}}`)
}

func TestConformanceQ18TermsSizeZero_TermsAggregationBuilder(t *testing.T) {
	tg := newTarget(t)
	tg.key(tg.admin, `{"name":"`+tg.prefix+`-q18"}`)
	// TermsAggregationBuilder.size refuses 0 while the aggregation is parsed.
	r := tg.call(tg.admin, "POST", queryPath, `{"size":0,"aggs":{"by_name":{"terms":{"field":"name","size":0}}}}`)
	r.isError(t, 400, "x_content_parse_exception", "[1:18] [query_api_key_request_payload] failed to parse field [aggs]")
	r.causedBy(t, "x_content_parse_exception", "[1:61] [terms] failed to parse field [size]")
	r.innermost(t, "illegal_argument_exception", "[size] must be greater than 0. Found [0] in [by_name]")
}

func TestConformanceC4TermsMissing_TermsAggregationBuilder(t *testing.T) {
	tg := newTarget(t)
	p := tg.prefix
	tg.key(tg.admin, `{"name":"`+p+`-c4-a","metadata":{"env":"prod"}}`)
	tg.key(tg.admin, `{"name":"`+p+`-c4-b"}`)
	tg.key(tg.admin, `{"name":"`+p+`-c4-c"}`)
	// The terms aggregation's missing option (ValuesSourceAggregationBuilder) counts the keys without a
	// value under the given one.
	r := tg.query(tg.admin, `{"size":0,"query":`+tg.ours("")+`,"aggs":{"envs":{"terms":{"field":"metadata.env","missing":"none"}}}}`)
	assert.Equal(t, decode(t, `{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[
	  {"key":"none","doc_count":2},{"key":"prod","doc_count":1}]}`), r.at("aggregations.envs"), string(r.raw))
}

func TestConformanceKeyedFlattenedFuzzyAndWildcard_KeyedFlattenedFieldType(t *testing.T) {
	tg := newTarget(t)
	p := tg.prefix
	tg.key(tg.admin, `{"name":"`+p+`-kf","metadata":{"app":"fleet-agent"}}`)
	// A path under metadata is a keyed flattened field, which refuses fuzzy and wildcard queries;
	// SearchExecutionContext.toQuery wraps the refusal. The root field metadata takes both.
	for query, body := range map[string]string{
		"fuzzy":    `{"match":{"metadata.app":{"query":"fleet-agnet","fuzziness":1}}}`,
		"wildcard": `{"wildcard":{"metadata.app":"fleet-*"}}`,
	} {
		reason := "[" + query + "] queries are not currently supported on keyed [flattened] fields."
		for _, clause := range []string{body, `{"simple_query_string":{"query":"fleet-agnet~1","fields":["metadata.app"]}}`} {
			if query == "wildcard" && clause != body {
				continue
			}
			r := tg.call(tg.admin, "POST", queryPath, `{"query":`+tg.ours(clause)+`}`)
			r.isError(t, 400, "search_phase_execution_exception", "all shards failed")
			r.rootCause(t, "query_shard_exception", "failed to create query: "+reason)
			r.innermost(t, "unsupported_operation_exception", reason)
		}
	}
	// lenient turns the refusal into a query that matches nothing (MatchQueryParser, and
	// SimpleQueryStringQueryParser.rethrowUnlessLenient).
	r := tg.query(tg.admin, `{"query":`+tg.ours(`{"match":{"metadata.app":{"query":"fleet-agnet","fuzziness":1,"lenient":true}}}`)+`}`)
	assert.Equal(t, float64(0), r.obj["total"])
	r = tg.query(tg.admin, `{"query":`+tg.ours(`{"simple_query_string":{"query":"fleet-agnet~1","fields":["metadata.app"],"lenient":true}}`)+`}`)
	assert.Equal(t, float64(0), r.obj["total"])
	for _, clause := range []string{
		`{"match":{"metadata":{"query":"fleet-agnet","fuzziness":1}}}`,
		`{"wildcard":{"metadata":"fleet-*"}}`,
		`{"simple_query_string":{"query":"fleet-agnet~1","fields":["metadata"]}}`,
	} {
		assert.Equal(t, []string{p + "-kf"}, tg.query(tg.admin, `{"query":`+tg.ours(clause)+`}`).names(), clause)
	}
}
