package esapikeytest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Elasticsearch's limits on a _query/api_key request, each met with hostile input: the answer comes
// at once with Elasticsearch's error (or, where Elasticsearch sets no limit, with the result), and the
// server answers the next request. The HTTP client's timeout (seconds) only detects a hang.

// limitsTarget is a target with one key, of which the tests query the name.
func limitsTarget(t *testing.T) (*target, string) {
	tg := newTarget(t)
	name := tg.prefix + "-limits"
	tg.key(tg.admin, `{"name":"`+name+`","metadata":{"env":"prod"}}`)
	return tg, name
}

// stillAnswers asserts that the server serves an ordinary query after a hostile one.
func (tg *target) stillAnswers(name string) {
	tg.t.Helper()
	r := tg.query(tg.admin, `{"query":{"term":{"name":"`+name+`"}}}`)
	assert.Equal(tg.t, []string{name}, r.names())
}

func repeatJoin(n int, item func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = item(i)
	}
	return strings.Join(parts, ",")
}

// AbstractQueryBuilder.parseTopLevelQuery counts each query object against
// indices.query.bool.max_nested_depth (SearchModule.INDICES_MAX_NESTED_DEPTH_SETTING, 30).
func TestQueryLimitNestedDepth_AbstractQueryBuilder(t *testing.T) {
	tg, name := limitsTarget(t)
	deep := func(levels int) string {
		return `{"query":` + strings.Repeat(`{"bool":{"must":`, levels) + `{"term":{"name":"` + name + `"}}` + strings.Repeat(`}}`, levels) + `}`
	}
	assert.Equal(t, []string{name}, tg.query(tg.admin, deep(29)).names(), "30 queries deep")
	for _, levels := range []int{30, 400} {
		r := tg.call(tg.admin, "POST", queryPath, deep(levels))
		r.isError(t, 400, "x_content_parse_exception", "[1:10] [query_api_key_request_payload] failed to parse field [query]")
		r.innermost(t, "illegal_argument_exception",
			"The nested depth of the query exceeds the maximum nested depth for queries set in [indices.query.bool.max_nested_depth]")
		tg.stillAnswers(name)
	}
	// Past 1000 levels of JSON the body is refused for its depth before the query is read (Jackson's
	// StreamReadConstraints); Elasticsearch, reading the query as it parses, meets the query's limit first.
	r := tg.call(tg.admin, "POST", queryPath, deep(100_000))
	r.isError(t, 400, "x_content_parse_exception", "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)")
	tg.stillAnswers(name)
}

// TermsQueryBuilder.doToQuery checks index.max_terms_count (IndexSettings.MAX_TERMS_COUNT_SETTING,
// 65536), which the API-key query's terms query keeps (ApiKeyBoolQueryBuilder only renames its field).
func TestQueryLimitTermsCount_TermsQueryBuilder(t *testing.T) {
	tg, name := limitsTarget(t)
	values := func(n int) string {
		return repeatJoin(n, func(i int) string {
			if i == n-1 {
				return `"` + name + `"`
			}
			return fmt.Sprintf(`"v%d"`, i)
		})
	}
	assert.Equal(t, []string{name}, tg.query(tg.admin, `{"query":{"terms":{"name":[`+values(65536)+`]}}}`).names())
	msg := "The number of terms [1000000] used in the Terms Query request has exceeded the allowed maximum of [65536]. " +
		"This maximum can be set by changing the [index.max_terms_count] index level setting."
	r := tg.call(tg.admin, "POST", queryPath, `{"query":{"terms":{"name":[`+values(1_000_000)+`]}}}`)
	r.isError(t, 400, "search_phase_execution_exception", "all shards failed")
	r.rootCause(t, "query_shard_exception", "failed to create query: "+msg)
	r.innermost(t, "illegal_argument_exception", msg)
	tg.stillAnswers(name)
}

// IdsQueryBuilder has no count limit: a million ids are read and looked up in proportion.
func TestQueryLimitManyIds_IdsQueryBuilder(t *testing.T) {
	tg, name := limitsTarget(t)
	r := tg.query(tg.admin, `{"query":{"ids":{"values":[`+repeatJoin(1_000_000, func(i int) string { return fmt.Sprintf(`"x%d"`, i) })+`]}}}`)
	assert.Equal(t, float64(0), r.obj["total"])
	tg.stillAnswers(name)
}

// BooleanQuery.Builder.add refuses a clause past IndexSearcher.maxClauseCount (4096 here; on a node
// it follows SearchUtils.calculateMaxClauseValue), and SearchExecutionContext.toQuery wraps the error.
func TestQueryLimitClauseCount_IndexSearcherMaxClauseCount(t *testing.T) {
	tg, name := limitsTarget(t)
	should := func(n int) string {
		return `{"query":{"bool":{"should":[` + repeatJoin(n, func(i int) string {
			if i == 0 {
				return `{"term":{"name":"` + name + `"}}`
			}
			return fmt.Sprintf(`{"term":{"name":"n%d"}}`, i)
		}) + `]}}}`
	}
	assert.Equal(t, []string{name}, tg.query(tg.admin, should(4096)).names())
	for _, n := range []int{4097, 1_000_000} {
		r := tg.call(tg.admin, "POST", queryPath, should(n))
		r.isError(t, 400, "search_phase_execution_exception", "all shards failed")
		r.rootCause(t, "query_shard_exception", "failed to create query: maxClauseCount is set to 4096")
		r.innermost(t, "too_many_clauses", "maxClauseCount is set to 4096")
		tg.stillAnswers(name)
	}
}

// SimpleQueryParser reads 100,000 nested parentheses as groups of one term, and a long fuzzy term is
// compared within its edit distance; both answer at once.
func TestQueryLimitSimpleQueryStringHostile_SimpleQueryParser(t *testing.T) {
	tg, name := limitsTarget(t)
	const depth = 100_000
	sqs := func(text string) string {
		return `{"query":{"simple_query_string":{"query":"` + text + `","fields":["name"]}}}`
	}
	assert.Equal(t, []string{name}, tg.query(tg.admin, sqs(strings.Repeat("(", depth)+name+strings.Repeat(")", depth))).names())
	assert.Equal(t, []string{name}, tg.query(tg.admin, sqs(strings.Repeat("(", depth)+name)).names(), "unclosed: the parentheses are ignored")
	long := strings.Repeat("abcdefghij", 5000)
	assert.Equal(t, float64(0), tg.query(tg.admin, sqs(long+"~2")).obj["total"])
	assert.Equal(t, float64(0), tg.query(tg.admin, `{"query":{"match":{"name":{"query":"`+long+`","fuzziness":"AUTO"}}}}`).obj["total"])
	tg.stillAnswers(name)
}

// A chain of 100,000 nested terms aggregations: MultiBucketConsumerService's limit
// (search.max_buckets, 65536; its error is checked in the query package) is not met before the body
// is refused for its depth.
func TestQueryLimitDeepAggregations_StreamReadConstraints(t *testing.T) {
	tg, name := limitsTarget(t)
	chain := func(levels int) string {
		return `{"size":0,"query":{"term":{"name":"` + name + `"}},"aggs":` +
			strings.Repeat(`{"a":{"terms":{"field":"name"},"aggs":`, levels) + `{}` + strings.Repeat(`}}`, levels) + `}`
	}
	r := tg.query(tg.admin, chain(100))
	require.NotNil(t, r.at("aggregations.a.buckets.0.a.buckets.0.doc_count"), string(r.raw))
	// Aggregations nest two JSON levels each, so a chain deep enough to exceed the buckets within
	// 1000 levels of JSON takes a key per bucket; past 1000 levels the body is refused for its depth.
	r = tg.call(tg.admin, "POST", queryPath, chain(100_000))
	r.isError(t, 400, "x_content_parse_exception", "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)")
	tg.stillAnswers(name)
}
