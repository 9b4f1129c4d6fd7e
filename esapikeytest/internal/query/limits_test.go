package query

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// result parses and runs body over docs and returns the answer or the error, whichever comes.
func result(t *testing.T, body string, docs []*Doc) (*Result, *Error) {
	t.Helper()
	req, err := ParseRequest([]byte(body))
	if err != nil {
		return nil, err
	}
	require.Empty(t, req.Validate())
	return req.Run(docs, now, false)
}

// refused asserts Elasticsearch's error for body: the type and reason of the error and of its cause.
func refused(t *testing.T, body string, docs []*Doc, want, cause *Error) {
	t.Helper()
	_, err := result(t, body, docs)
	require.NotNil(t, err, "%.200s", body)
	assert.Equal(t, want.Type, err.Type, "%.200s", body)
	assert.Equal(t, want.Reason, err.Reason, "%.200s", body)
	assert.Equal(t, want.Search, err.Search, "%.200s", body)
	assert.Equal(t, 400, err.Status, "%.200s", body)
	if cause != nil {
		require.NotNil(t, err.Cause, "%.200s", body)
		assert.Equal(t, cause.Type, err.Cause.Type, "%.200s", body)
		assert.Equal(t, cause.Reason, err.Cause.Reason, "%.200s", body)
	}
}

// finishes fails the test when fn has not returned within a generous time: it detects a hang (work
// that grows with a product or a power of the input), not slowness.
func finishes(t *testing.T, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		t.Fatal("did not finish: the work grows faster than the input")
	}
}

func nestedBool(levels int, leaf string) string {
	return strings.Repeat(`{"bool":{"must":`, levels) + leaf + strings.Repeat(`}}`, levels)
}

var queryParseFailed = &Error{Type: "x_content_parse_exception", Reason: "[1:10] [query_api_key_request_payload] failed to parse field [query]"}

// AbstractQueryBuilder.parseTopLevelQuery counts every query object, leaves included, against
// indices.query.bool.max_nested_depth (30).
func TestNestedDepth_AbstractQueryBuilderParseTopLevelQuery(t *testing.T) {
	res, err := result(t, `{"query":`+nestedBool(29, `{"term":{"name":"alpha"}}`)+`}`, fixture())
	require.Nil(t, err, "%v", err)
	assert.Equal(t, []string{"id0"}, ids(res), "30 queries deep")
	depth := illegalArgument("The nested depth of the query exceeds the maximum nested depth for queries set in [indices.query.bool.max_nested_depth]")
	refused(t, `{"query":`+nestedBool(30, `{"term":{"name":"alpha"}}`)+`}`, fixture(), queryParseFailed, depth)
	refused(t, `{"query":`+nestedBool(30, `{"match_all":{}}`)+`}`, fixture(), queryParseFailed, depth)
	refused(t, `{"query":`+nestedBool(400, `{"match_all":{}}`)+`}`, fixture(), queryParseFailed, depth)
	// A filter aggregation's query is parsed on its own, with its own count.
	_, err = result(t, `{"aggs":{"f":{"filter":`+nestedBool(29, `{"match_all":{}}`)+`}},"query":`+nestedBool(29, `{"match_all":{}}`)+`}`, fixture())
	assert.Nil(t, err, "%v", err)
}

func shoulds(n int, clause func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = clause(i)
	}
	return `{"bool":{"should":[` + strings.Join(parts, ",") + `]}}`
}

// BooleanQuery.Builder.add refuses a clause past maxClauseCount in one boolean query, and
// IndexSearcher.rewrite counts the leaves of the whole query.
func TestMaxClauseCount_IndexSearcherMaxClauseCount(t *testing.T) {
	term := func(i int) string { return fmt.Sprintf(`{"term":{"name":"n%d"}}`, i) }
	res, err := result(t, `{"query":`+shoulds(maxClauseCount, term)+`}`, fixture())
	require.Nil(t, err, "%v", err)
	assert.Equal(t, 0, res.Total)

	tooMany := &Error{Type: "query_shard_exception", Search: true, Reason: "failed to create query: maxClauseCount is set to 4096"}
	refused(t, `{"query":`+shoulds(maxClauseCount+1, term)+`}`, fixture(), tooMany, &Error{Type: "too_many_clauses", Reason: "maxClauseCount is set to 4096"})

	// Two boolean queries within the limit, whose leaves together are past it.
	half := shoulds(maxClauseCount/2+1, term)
	nested := &Error{Type: "illegal_argument_exception", Search: true, Reason: "Query rewrite failed: too many clauses"}
	refused(t, `{"query":{"bool":{"should":[`+half+`,`+half+`]}}}`, fixture(), nested,
		&Error{Type: "too_many_nested_clauses", Reason: "Query contains too many nested clauses; maxClauseCount is set to 4096"})

	// simple_query_string: every term of a level is a clause of one BooleanQuery.
	words := make([]string, maxClauseCount+1)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	sqs := func(text string) string {
		return `{"query":{"simple_query_string":{"query":` + jsonQuote(text) + `,"fields":["name"]}}}`
	}
	refused(t, sqs(strings.Join(words, " ")), fixture(), tooMany, nil)
	res, err = result(t, sqs(strings.Join(words[:maxClauseCount-1], " ")+" alpha"), fixture())
	require.Nil(t, err, "%v", err)
	assert.Equal(t, []string{"id0"}, ids(res))
}

func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TermsQueryBuilder.doToQuery: index.max_terms_count (65536), checked when the shard builds the query.
func TestMaxTermsCount_TermsQueryBuilder(t *testing.T) {
	values := func(n int) string {
		v := make([]string, n)
		for i := range v {
			v[i] = fmt.Sprintf(`"v%d"`, i)
		}
		v[n-1] = `"beta"`
		return strings.Join(v, ",")
	}
	res, err := result(t, `{"query":{"terms":{"name":[`+values(maxTermsCount)+`]}}}`, fixture())
	require.Nil(t, err, "%v", err)
	assert.Equal(t, []string{"id1"}, ids(res))
	msg := "The number of terms [65537] used in the Terms Query request has exceeded the allowed maximum of [65536]. " +
		"This maximum can be set by changing the [index.max_terms_count] index level setting."
	refused(t, `{"query":{"terms":{"name":[`+values(maxTermsCount+1)+`]}}}`, fixture(),
		&Error{Type: "query_shard_exception", Search: true, Reason: "failed to create query: " + msg}, &Error{Type: "illegal_argument_exception", Reason: msg})
	refused(t, `{"query":{"terms":{"username":[`+values(1_000_000)+`]}}}`, fixture(),
		&Error{Type: "query_shard_exception", Search: true, Reason: "failed to create query: " + strings.Replace(msg, "65537", "1000000", 1)}, nil)

	// A date field's terms query is one range per value in one BooleanQuery (MappedFieldType.termsQuery).
	dates := make([]string, maxClauseCount+1)
	for i := range dates {
		dates[i] = fmt.Sprint(ms("2024-03-01T00:00:00Z") + int64(i))
	}
	refused(t, `{"query":{"terms":{"creation":[`+strings.Join(dates, ",")+`]}}}`, fixture(),
		&Error{Type: "query_shard_exception", Search: true, Reason: "failed to create query: maxClauseCount is set to 4096"}, nil)
	res, err = result(t, `{"query":{"terms":{"creation":[1,`+fmt.Sprint(ms("2024-03-15T08:00:00Z"))+`,"1709251200000||/d"]}}}`, fixture())
	require.Nil(t, err, "%v", err)
	assert.Equal(t, []string{"id0", "id2"}, ids(res), "values and rounded spans")
}

// IdsQueryBuilder has no count limit; a million ids is work in proportion to the request.
func TestManyIds_IdsQueryBuilder(t *testing.T) {
	v := make([]string, 1_000_000)
	for i := range v {
		v[i] = fmt.Sprintf(`"x%d"`, i)
	}
	v[500_000] = `"id3"`
	finishes(t, func() {
		res, err := result(t, `{"query":{"ids":{"values":[`+strings.Join(v, ",")+`]}}}`, fixture())
		require.Nil(t, err, "%v", err)
		assert.Equal(t, []string{"id3"}, ids(res))
	})
}

// Fuzziness.parse: an edit count of 0, 1 or 2, AUTO, or AUTO:low,high; anything else is refused while
// the match query is parsed.
func TestFuzzinessParse_Fuzziness(t *testing.T) {
	iae := func(s string) *Error { return &Error{Type: "illegal_argument_exception", Reason: s} }
	pe := func(s string) *Error { return &Error{Type: "parse_exception", Reason: s} }
	for v, cause := range map[string]*Error{
		`3`:          iae("Valid edit distances are [0, 1, 2] but was [3]"),
		`"50000"`:    iae("Valid edit distances are [0, 1, 2] but was [50000]"),
		`-1`:         iae("Valid edit distances are [0, 1, 2] but was [-1]"),
		`"1.5"`:      iae("fuzziness needs to be one of 0.0, 1.0 or 2.0 but was 1.5"),
		`"two"`:      iae("fuzziness cannot be [two]."),
		`"NaN"`:      iae("fuzziness cannot be [NaN]."),
		`""`:         iae("fuzziness cannot be null or empty."),
		`true`:       iae("Can't parse fuzziness on token: [VALUE_BOOLEAN]"),
		`"AUTO:6,3"`: pe("fuzziness wrongly configured [AUTO:6,3]. Must be 0 < lower value <= higher value."),
		`"auto:3"`:   pe("failed to find low and high distance values"),
		`"AUTO:a,6"`: pe(`failed to parse [AUTO:A,6] as a "auto:int,int"`),
		`{}`:         &Error{Type: "parsing_exception", Reason: "[match] unknown token [START_OBJECT] after [fuzziness]"},
	} {
		refused(t, `{"query":{"match":{"name":{"query":"alpha","fuzziness":`+v+`}}}}`, fixture(), queryParseFailed, cause)
	}
	for v, want := range map[string][]string{
		`1`: {"id0", "id4"}, `2.9`: {"id0", "id4"}, `"2.0"`: {"id0", "id4"}, `"0"`: {}, `"AUTO"`: {"id0", "id4"},
		`"AUTO:6,7"`: {}, `"auto:1,5"`: {"id0", "id4"},
	} {
		res, err := result(t, `{"query":{"match":{"name":{"query":"alpah","fuzziness":`+v+`,"fuzzy_transpositions":true}}}}`,
			append(fixture(), &Doc{ID: "id5", Name: "alpha-x", Seq: 5}))
		require.Nil(t, err, "%s: %v", v, err)
		want = append([]string{}, want...)
		if len(want) > 0 {
			want = []string{"id0"} // alpha-2 and alpha-x are three edits away
		}
		assert.Equal(t, want, ids(res), v)
	}
	res, err := result(t, `{"query":{"match":{"name":{"query":"alpah","fuzziness":1,"fuzzy_transpositions":false}}}}`, fixture())
	require.Nil(t, err, "%v", err)
	assert.Equal(t, []string{}, ids(res), "without transpositions a swap is two edits")
}

// A fuzzy term of 50,000 characters is compared within a band of five cells per character: long
// values within two edits match, others are rejected, and the run finishes. (Lucene's FuzzyTermsEnum
// refuses such a term as too complex for its automaton; esapikeytest documents that it compares it.)
func TestFuzzyLongTermBounded(t *testing.T) {
	long := strings.Repeat("abcdefghij", 5000)
	docs := make([]*Doc, 30)
	for i := range docs {
		v := []byte(long)
		v[i*1000] = 'X' // one substitution
		if i%2 == 0 {
			v[i*1000+500] = 'Y'
			v[i*1000+700] = 'Z' // three in all
		}
		docs[i] = &Doc{ID: fmt.Sprint("d", i), Name: "k", Seq: i, Metadata: Flatten(map[string]any{"big": string(v)})}
	}
	for _, body := range []string{
		`{"size":100,"query":{"match":{"metadata":{"query":"` + long + `","fuzziness":"AUTO"}}}}`,
		`{"size":100,"query":{"simple_query_string":{"query":"` + long + `~2","fields":["metadata"]}}}`,
	} {
		finishes(t, func() {
			res, err := result(t, body, docs)
			require.Nil(t, err, "%v", err)
			assert.Equal(t, 15, res.Total, "the keys one edit away")
			for _, h := range res.Hits {
				assert.Equal(t, 1, h.Doc.Seq%2)
			}
		})
	}
	// Against short values a long term costs nothing per value: no edit matrix is allocated.
	req, perr := ParseRequest([]byte(`{"query":{"match":{"name":{"query":"` + long + `","fuzziness":2}}}}`))
	require.Nil(t, perr)
	allocs := func(docs []*Doc) float64 {
		return testing.AllocsPerRun(5, func() { _, _ = req.Run(docs, now, false) })
	}
	var many []*Doc
	for range 100 {
		many = append(many, fixture()...)
	}
	assert.Equal(t, allocs(fixture()), allocs(many), "allocations do not grow with the number of values")
}

// SimpleQueryParser finds each group's closing parenthesis; here every closing position is found in
// one pass, so deep nesting is read in linear time, however unbalanced.
func TestSimpleQueryStringDeepParentheses_SimpleQueryParser(t *testing.T) {
	const depth = 1_000_000
	for _, c := range []struct {
		text string
		want []string
	}{
		{strings.Repeat("(", depth) + "alpha" + strings.Repeat(")", depth), []string{"id0"}},
		{strings.Repeat("(", depth) + "beta", []string{"id1"}},                     // never closed: every '(' is ignored
		{"beta" + strings.Repeat(")", depth) + " | gamma", []string{"id1", "id2"}}, // stray ')' are ignored
	} {
		finishes(t, func() {
			res, err := result(t, `{"query":{"simple_query_string":{"query":`+jsonQuote(c.text)+`,"fields":["name"]}}}`, fixture())
			require.Nil(t, err, "%v", err)
			assert.Equal(t, c.want, ids(res), "%.40s", c.text)
		})
	}
	// Every phrase is a clause of one BooleanQuery, as SimpleQueryParser.buildQueryTree adds it.
	refused(t, `{"query":{"simple_query_string":{"query":`+jsonQuote(strings.Repeat(`"(`, depth/4)+"gamma")+`,"fields":["name"]}}}`, fixture(),
		&Error{Type: "query_shard_exception", Search: true, Reason: "failed to create query: maxClauseCount is set to 4096"}, nil)
	// Deep groups of two terms each are leaves past maxClauseCount.
	text := strings.Repeat("(a ", 3000) + strings.Repeat(")", 3000)
	refused(t, `{"query":{"simple_query_string":{"query":`+jsonQuote(text)+`,"fields":["name","username"]}}}`, fixture(),
		&Error{Type: "illegal_argument_exception", Search: true, Reason: "Query rewrite failed: too many clauses"}, nil)
}

// SimpleQueryParser's operators, quotes, escapes and fuzziness, each as Lucene reads them.
func TestSimpleQueryStringSyntax_SimpleQueryParser(t *testing.T) {
	for text, want := range map[string][]string{
		`alpha | + beta`:        {"id0", "id1"}, // '+' after '|' is ignored: still OR
		`+alpha`:                {"id0"},        // an operator before the first clause is ignored
		`- beta`:                {"id1"},        // whitespace ends the negation
		`-beta`:                 {"id0", "id2", "id3", "id4"},
		`--beta`:                {"id1"},
		`alpha~x1`:              {"id0"}, // not a number: no fuzziness
		`alpah~1`:               {"id0"}, // one edit
		`alpah~-1`:              {},      // negative: no fuzziness, no match
		`alph~`:                 {"id0"}, // nothing after '~' is two edits
		`alpha-2`:               {"id4"}, // '-' inside a token is a character
		`alp*`:                  {"id0", "id4"},
		`al\*`:                  {},
		`(beta) (gamma`:         {"id1", "id2"},
		`"beta"`:                {"id1"},
		`"gamma"~2+beta`:        {"id1", "id2"}, // the slop ends at '+', which the phrase then skips: OR
		`"unclosed gamma`:       {"id2"},        // the quote is ignored, the words are terms
		`\"beta\"`:              {},
		`() | beta`:             {"id1"},
		`beta ""  gamma`:        {"id1", "id2"},
		`alpha +(beta | gamma)`: {},
	} {
		res, err := result(t, `{"query":{"simple_query_string":{"query":`+jsonQuote(text)+`,"fields":["name"]}}}`, fixture())
		require.Nil(t, err, "%s: %v", text, err)
		assert.Equal(t, append([]string{}, want...), ids(res), text)
	}
}

// search.max_buckets: the buckets of terms, composite, filters and range aggregations together, with
// MultiBucketConsumerService's error and its max_buckets field.
func TestMaxBuckets_MultiBucketConsumerService(t *testing.T) {
	docs := make([]*Doc, 300)
	values := make([]any, 300)
	for i := range values {
		values[i] = fmt.Sprint("v", i)
	}
	for i := range docs {
		docs[i] = &Doc{ID: fmt.Sprint("d", i), Name: fmt.Sprint("k", i), Seq: i, Metadata: Flatten(map[string]any{"v": values})}
	}
	nested := func(size int) string {
		return fmt.Sprintf(`{"size":0,"aggs":{"n":{"terms":{"field":"name","size":%d},"aggs":{"v":{"terms":{"field":"metadata.v","size":300}}}}}}`, size)
	}
	res, err := result(t, nested(200), docs) // 200 + 200·300 = 60,200 buckets
	require.Nil(t, err, "%v", err)
	require.NotNil(t, res.Aggregations)
	_, err = result(t, nested(218), docs) // 218 + 218·300 = 65,618
	require.NotNil(t, err)
	assert.Equal(t, "too_many_buckets_exception", err.Type)
	assert.True(t, err.Search)
	assert.Equal(t, "Trying to create too many buckets. Must be less than or equal to: [65536] but this number of buckets was exceeded. "+
		"This limit can be set by changing the [search.max_buckets] cluster level setting.", err.Reason)
	assert.Equal(t, []KV{{"max_buckets", 65536}}, err.Fields)
}
