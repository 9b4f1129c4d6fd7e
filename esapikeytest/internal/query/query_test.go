package query

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// now is the request time of these tests: 2024-03-15T10:30:00Z.
var now = time.Date(2024, 3, 15, 10, 30, 0, 0, time.UTC).UnixMilli()

func ms(s string) int64 {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t.UnixMilli()
}

func md(s string) Flat {
	var m map[string]any
	dec := json.NewDecoder(stringsReader(s))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		panic(err)
	}
	return Flatten(m)
}

// fixture is five keys of two owners, in index order.
func fixture() []*Doc {
	docs := []*Doc{
		{ID: "id0", Name: "alpha", Type: "rest", Username: "ann", Realm: "default_native", Creation: ms("2024-03-01T00:00:00Z"),
			Expiration: ms("2024-04-01T00:00:00Z"), HasExpiration: true, Metadata: md(`{"env":"prod","tags":["a","b"],"level":3}`)},
		{ID: "id1", Name: "beta", Type: "rest", Username: "ann", Realm: "default_native", Creation: ms("2024-03-10T00:00:00Z"),
			Metadata: md(`{"env":"dev","tags":["b"],"nested":{"ok":true}}`)},
		{ID: "id2", Name: "gamma", Type: "cross_cluster", Username: "bob", Realm: "default_file", Creation: ms("2024-03-15T08:00:00Z"),
			Expiration: ms("2024-03-16T00:00:00Z"), HasExpiration: true, Metadata: md(`{"env":"prod"}`)},
		{ID: "id3", Name: "Delta", Type: "rest", Username: "bob", Realm: "default_file", Creation: ms("2024-03-15T09:00:00Z"),
			Invalidated: true, Invalidation: ms("2024-03-15T09:30:00Z"), HasInvalidation: true, Metadata: md(`{}`)},
		{ID: "id4", Name: "alpha-2", Type: "rest", Username: "ann", Realm: "default_native", Creation: ms("2024-03-15T10:00:00Z"),
			Metadata: md(`{"tags":[],"level":12}`)},
	}
	for i, d := range docs {
		d.Seq = i
	}
	return docs
}

func run(t *testing.T, body string) *Result {
	t.Helper()
	req, err := ParseRequest([]byte(body))
	require.Nil(t, err, "%v", err)
	require.Empty(t, req.Validate())
	res, err := req.Run(fixture(), now, false)
	require.Nil(t, err, "%v", err)
	return res
}

func ids(res *Result) []string {
	out := []string{}
	for _, h := range res.Hits {
		out = append(out, h.Doc.ID)
	}
	return out
}

func TestQueries(t *testing.T) {
	cases := []struct {
		query string
		want  []string
	}{
		{`{"match_all":{}}`, []string{"id0", "id1", "id2", "id3", "id4"}},
		// boost and _name are read by every query (AbstractQueryBuilder) and change no match.
		{`{"bool":{"boost":2,"_name":"b","filter":{"ids":{"values":["id1","id3"],"boost":1.5,"_name":"i"}}}}`, []string{"id1", "id3"}},
		{`{"exists":{"field":"metadata.tags","_name":"e","boost":"2"}}`, []string{"id0", "id1"}},
		{`{"term":{"name":"alpha"}}`, []string{"id0"}},
		{`{"term":{"name":{"value":"delta","case_insensitive":true}}}`, []string{"id3"}},
		{`{"term":{"name":"delta"}}`, []string{}},
		{`{"terms":{"username":["bob","nobody"]}}`, []string{"id2", "id3"}},
		{`{"prefix":{"name":"alpha"}}`, []string{"id0", "id4"}},
		{`{"prefix":{"name":{"value":"DEL","case_insensitive":true}}}`, []string{"id3"}},
		{`{"wildcard":{"name":"?eta"}}`, []string{"id1"}},
		{`{"wildcard":{"name":{"wildcard":"*a*-*"}}}`, []string{"id4"}},
		{`{"match":{"type":"cross_cluster"}}`, []string{"id2"}},
		{`{"match":{"name":{"query":"alpah","fuzziness":"AUTO"}}}`, []string{"id0"}},
		{`{"match":{"name":{"query":"ALPHA beta","analyzer":"standard"}}}`, []string{"id0", "id1"}},
		{`{"match":{"metadata":"dev"}}`, []string{"id1"}},
		{`{"term":{"metadata.level":3}}`, []string{"id0"}},
		{`{"term":{"metadata.nested.ok":true}}`, []string{"id1"}},
		{`{"exists":{"field":"metadata.tags"}}`, []string{"id0", "id1"}},
		{`{"exists":{"field":"metadata.nested"}}`, []string{}},
		{`{"exists":{"field":"metadata"}}`, []string{"id0", "id1", "id2", "id4"}},
		{`{"exists":{"field":"invalidation"}}`, []string{"id3"}},
		{`{"ids":{"values":["id4","id0","x"]}}`, []string{"id0", "id4"}},
		{`{"term":{"invalidated":true}}`, []string{"id3"}},
		{`{"term":{"invalidated":"false"}}`, []string{"id0", "id1", "id2", "id4"}},
		{`{"range":{"creation":{"gte":"now-1d/d"}}}`, []string{"id2", "id3", "id4"}},
		{`{"range":{"creation":{"gt":"now/d"}}}`, []string{}},
		{`{"range":{"creation":{"lte":"now-5d/d"}}}`, []string{"id0", "id1"}},
		{`{"range":{"creation":{"gte":"2024-03-10","lt":"2024-03-15T09:00:00Z","format":"strict_date_optional_time"}}}`, []string{"id1", "id2"}},
		{`{"range":{"creation":{"gte":1710489600000}}}`, []string{"id2", "id3", "id4"}},
		{`{"range":{"expiration":{"lt":"now+1d"}}}`, []string{"id2"}},
		{`{"range":{"name":{"gt":"alpha","lt":"gamma"}}}`, []string{"id1", "id4"}},
		{`{"term":{"creation":"2024-03-10T00:00:00.000Z||/d"}}`, nil}, // epoch_millis cannot read it: see TestQueryErrors
		{`{"term":{"creation":"1710028800000||/d"}}`, []string{"id1"}},
		{`{"term":{"creation":1709251200000}}`, []string{"id0"}},
		{`{"bool":{"should":[{"term":{"name":"alpha"}},{"term":{"name":"beta"}}]}}`, []string{"id0", "id1"}},
		{`{"bool":{"must":{"term":{"username":"ann"}},"should":[{"term":{"name":"zzz"}}]}}`, []string{"id0", "id1", "id4"}},
		{`{"bool":{"must":{"term":{"username":"ann"}},"should":[{"term":{"name":"zzz"}}],"minimum_should_match":1}}`, []string{}},
		{`{"bool":{"should":[{"term":{"username":"ann"}},{"prefix":{"name":"alpha"}},{"term":{"metadata.env":"prod"}}],"minimum_should_match":"66%"}}`, []string{"id0", "id1", "id2", "id4"}}, // 66% of 3 rounds down to 1
		{`{"bool":{"should":[{"term":{"username":"ann"}},{"prefix":{"name":"alpha"}},{"term":{"metadata.env":"prod"}}],"minimum_should_match":"67%"}}`, []string{"id0", "id4"}},
		{`{"bool":{"should":[{"term":{"username":"ann"}},{"prefix":{"name":"alpha"}},{"term":{"metadata.env":"prod"}}],"minimum_should_match":-1}}`, []string{"id0", "id4"}},
		{`{"bool":{"must_not":[{"term":{"username":"ann"}}],"filter":[{"exists":{"field":"expiration"}}]}}`, []string{"id2"}},
		{`{"bool":{"must_not":{"exists":{"field":"expiration"}}}}`, []string{"id1", "id3", "id4"}},
		{`{"simple_query_string":{"query":"alpha gamma"}}`, []string{"id0", "id2"}},
		{`{"simple_query_string":{"query":"alpha*","fields":["name"]}}`, []string{"id0", "id4"}},
		{`{"simple_query_string":{"query":"ann -beta","fields":["username","name"],"default_operator":"and"}}`, []string{"id0", "id4"}},
		{`{"simple_query_string":{"query":"\"cross_cluster\"","fields":["ty*"]}}`, []string{"id2"}},
		{`{"simple_query_string":{"query":"prod","fields":["metadata"]}}`, []string{"id0", "id2"}},
		// A pattern cannot name metadata subfields (FlattenedFieldNameTranslator), so this matches nothing.
		{`{"simple_query_string":{"query":"prod","fields":["metadata.*"]}}`, []string{}},
		{`{"simple_query_string":{"query":"prod","fields":["meta*"]}}`, []string{"id0", "id2"}},
		{`{"simple_query_string":{"query":"alpha","fields":["nope"]}}`, []string{}},
		// SimpleQueryParser: with OR, "-" adds "anything but", so this is beta OR NOT ann.
		{`{"simple_query_string":{"query":"beta -ann"}}`, []string{"id1", "id2", "id3"}},
		{`{"simple_query_string":{"query":"alpha beta + ann","fields":["name","username"]}}`, []string{"id0", "id1"}},
		{`{"simple_query_string":{"query":"(gamma | beta) +bob","fields":["name","username"]}}`, []string{"id2"}},
		{`{"simple_query_string":{"query":"alpah~1","fields":["name"]}}`, []string{"id0"}},
		{`{"simple_query_string":{"query":"default_fil~4"}}`, []string{"id2", "id3"}},
		{`{"simple_query_string":{"query":"+true +bet*","fields":["name","metadata"],"default_operator":"AND"}}`, []string{"id1"}},
	}
	for _, c := range cases {
		if c.want == nil {
			continue
		}
		res := run(t, `{"query":`+c.query+`}`)
		assert.Equal(t, c.want, ids(res), c.query)
		assert.Equal(t, len(c.want), res.Total, c.query)
	}
}

func TestQueryErrors(t *testing.T) {
	cases := []struct{ body, typ, reason, cause string }{
		{`{"query":{"term":{"creator.principal":"x"}}}`, "illegal_argument_exception", "Field [creator.principal] is not allowed for querying or aggregation", ""},
		{`{"query":{"exists":{"field":"meta*"}}}`, "illegal_argument_exception", "Field name pattern [meta*] is not allowed for querying or aggregation", ""},
		{`{"query":{"regexp":{"name":"a.*"}}}`, "illegal_argument_exception", "Query type [regexp] is not currently supported in this context", ""},
		{`{"query":{"bool":{"must":[{"constant_score":{"filter":{}}}]}}}`, "illegal_argument_exception", "Query type [constant_score] is not currently supported in this context", ""},
		{`{"query":{"prefix":{"creation":"17"}}}`, "query_shard_exception", "Can only use prefix queries on keyword, text and wildcard fields - not on [creation_time] which is of type [date]", ""},
		{`{"query":{"range":{"creation":{"gte":"2024-01-01"}}}}`, "parse_exception", "failed to parse date field [2024-01-01] with format [epoch_millis]", ""},
		{`{"query":{"term":{"creation":"2024-03-10T00:00:00.000Z||/d"}}}`, "parse_exception", "failed to parse date field [2024-03-10T00:00:00.000Z||/d] with format [epoch_millis]", ""},
		{`{"query":{"term":{"invalidated":"yes"}}}`, "illegal_argument_exception", "Can't parse boolean value [yes], expected [true] or [false]", ""},
		{`{"query":{"ids":{"value":["a"]}}}`, "x_content_parse_exception", "[1:10] [query_api_key_request_payload] failed to parse field [query]", "[ids] unknown field [value]"},
		{`{"query":{"exists":{"field":"name","fields":[]}}}`, "x_content_parse_exception", "[1:10] [query_api_key_request_payload] failed to parse field [query]", "[exists] query does not support [fields]"},
		{`{"query":{"bool":{"should":[],"nope":1}}}`, "x_content_parse_exception", "[1:10] [query_api_key_request_payload] failed to parse field [query]", "[bool] query does not support [nope]"},
		{`{"query":{"bool":{"boost":{}}}}`, "x_content_parse_exception", "[1:10] [query_api_key_request_payload] failed to parse field [query]", "[boost] must be a number"},
		{`{"query":{"foo":{}}}`, "x_content_parse_exception", "[1:10] [query_api_key_request_payload] failed to parse field [query]", "unknown query [foo]"},
		{`{"query":{}}`, "x_content_parse_exception", "[1:10] [query_api_key_request_payload] failed to parse field [query]", "query malformed, empty clause found"},
		{`{"query":{"term":{"a":1,"b":2}}}`, "x_content_parse_exception", "[1:10] [query_api_key_request_payload] failed to parse field [query]", "[term] query doesn't support multiple fields, found [a] and [b]"},
		{`{"query":{"match_all":{},"ids":{}}}`, "x_content_parse_exception", "[1:10] [query_api_key_request_payload] failed to parse field [query]", "[match_all] malformed query, expected [END_OBJECT] but found [FIELD_NAME]"},
		{"{\n \"size\": \"x\"}", "x_content_parse_exception", "[2:10] [query_api_key_request_payload] failed to parse field [size]", "For input string: \"x\""},
		{`{"query":[]}`, "x_content_parse_exception", "[1:10] [query_api_key_request_payload] query doesn't support values of type: START_ARRAY", ""},
		{`{"sort":[1]}`, "x_content_parse_exception", "[1:9] [query_api_key_request_payload] failed to parse field [sort]", "mal-formatted sort object"},
		{`{"sort":[{"name":{"order":"up"}}]}`, "x_content_parse_exception", "[1:9] [query_api_key_request_payload] failed to parse field [sort]", "Unknown SortOrder [up]"},
		{`{"sort":["_score"]}`, "illegal_argument_exception", "Field [_score] is not allowed for querying or aggregation", ""},
		{`{"search_after":[{}]}`, "x_content_parse_exception", "[1:17] [query_api_key_request_payload] failed to parse field [search_after]", "Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] or [VALUE_NULL] but found [START_OBJECT] inside search_after."},
		{`{"search_after":["a"]}`, "illegal_argument_exception", "Sort must contain at least one field.", ""},
		// SearchSourceBuilder.validate, on the translated search request.
		{`{"from":1,"sort":["name"],"search_after":["a"]}`, "action_request_validation_exception", "Validation Failed: 1: [from] parameter must be set to 0 when [search_after] is used;", ""},
		{`[1]`, "x_content_parse_exception", "[1:1] [query_api_key_request_payload] Expected START_OBJECT but was: START_ARRAY", ""},
		{`{"aggs":{"a[0]":{"terms":{"field":"name"}}}}`, "x_content_parse_exception", "[1:9] [query_api_key_request_payload] failed to parse field [aggs]", "Invalid aggregation name [a[0]]. Aggregation names can contain any character except '[', ']', and '>'"},
		{`{"aggs":{"a":{"terms":{"field":"name"},"missing":{"field":"name"}}}}`, "x_content_parse_exception", "[1:9] [query_api_key_request_payload] failed to parse field [aggs]", "Found two aggregation type definitions in [a]: [terms] and [missing]"},
		{`{"aggs":{"a":{"bogus":{}}}}`, "x_content_parse_exception", "[1:9] [query_api_key_request_payload] failed to parse field [aggs]", "Unknown aggregation type [bogus]"},
		{`{"aggs":{"a":{"terms":{"fields":"name"}}}}`, "x_content_parse_exception", "[1:9] [query_api_key_request_payload] failed to parse field [aggs]", "[terms] unknown field [fields]"},
		{`{"aggs":{"a":{"terms":{"field":"name","include":"a.*"}}}}`, "illegal_argument_exception", "esapikeytest: parameter [include] of aggregation [terms] is not supported", ""},
		{`{"aggs":{"a":{"terms":{}}}}`, "illegal_argument_exception", "Required one of fields [field, script], but none were specified.", ""},
		{`{"aggs":{"a":{"composite":{"sources":[{"s":{"terms":{"script":"x"}}}]}}}}`, "illegal_argument_exception", "Unsupported script value source for [s] of composite agg [a]", ""},
		{`{"aggs":{"a":{"terms":{"field":"name"},"aggs":{"d":{"derivative":{"buckets_path":"_count"}}}}}}`, "illegal_argument_exception", "Unsupported aggregation of type [derivative]", ""},
	}
	for _, c := range cases {
		req, err := ParseRequest([]byte(c.body))
		if err == nil {
			_, err = req.Run(fixture(), now, false)
		}
		require.NotNil(t, err, c.body)
		assert.Equal(t, c.typ, err.Type, c.body)
		assert.Equal(t, c.reason, err.Reason, c.body)
		if c.cause != "" {
			require.NotNil(t, err.Cause, c.body)
			assert.Equal(t, c.cause, err.Cause.Reason, c.body)
		}
	}
}

func TestValidate(t *testing.T) {
	req, err := ParseRequest([]byte(`{"from":-3,"size":"-1"}`))
	require.Nil(t, err)
	assert.Equal(t, []string{"[from] parameter cannot be negative but was [-3]", "[size] parameter cannot be negative but was [-1]"}, req.Validate())
	req, err = ParseRequest([]byte(`{"from":"1","size":2.9}`))
	require.Nil(t, err)
	res, err := req.Run(fixture(), now, false)
	require.Nil(t, err)
	assert.Equal(t, []string{"id1", "id2"}, ids(res), "coerced from and size")
	req, err = ParseRequest(nil)
	require.Nil(t, err)
	assert.Empty(t, req.Validate())
	res, err = req.Run(fixture(), now, false)
	require.Nil(t, err)
	assert.Equal(t, 5, res.Total)
	assert.Equal(t, 5, len(res.Hits), "default size 10")
	assert.Nil(t, res.Hits[0].Sort)
}

func TestSort(t *testing.T) {
	cases := []struct {
		sort  string
		want  []string
		sorts []any // _sort of the first hit
	}{
		{`["name"]`, []string{"id3", "id0", "id4", "id1", "id2"}, []any{"Delta"}},
		{`[{"name":{"order":"desc"}}]`, []string{"id2", "id1", "id4", "id0", "id3"}, []any{"gamma"}},
		// Missing numbers sort last both ways, shown as Long.MAX_VALUE ascending and MIN_VALUE descending.
		{`["expiration","_doc"]`, []string{"id2", "id0", "id1", "id3", "id4"}, []any{ms("2024-03-16T00:00:00Z"), int64(2)}},
		{`[{"expiration":{"order":"desc"}}]`, []string{"id0", "id2", "id1", "id3", "id4"}, []any{ms("2024-04-01T00:00:00Z")}},
		{`[{"expiration":{"missing":"_first"}}]`, []string{"id1", "id3", "id4", "id2", "id0"}, []any{int64(math.MinInt64)}},
		// Keywords: missing is null, last by default; multi-valued fields sort by their min (asc) or max (desc).
		{`["metadata.env","_doc"]`, []string{"id1", "id0", "id2", "id3", "id4"}, []any{"dev", int64(1)}},
		{`[{"metadata.tags":{"order":"desc"}},"_doc"]`, []string{"id0", "id1", "id2", "id3", "id4"}, []any{"b", int64(0)}},
		{`[{"metadata.tags":{"missing":"_first"}},"_doc"]`, []string{"id2", "id3", "id4", "id0", "id1"}, []any{nil, int64(2)}},
		{`["invalidated","_doc"]`, []string{"id0", "id1", "id2", "id4", "id3"}, []any{int64(0), int64(0)}},
		{`[{"creation":{"format":"strict_date_optional_time"}}]`, []string{"id0", "id1", "id2", "id3", "id4"}, []any{"2024-03-01T00:00:00.000Z"}},
		{`[{"creation":{"format":"yyyy-MM-dd"}}]`, []string{"id0", "id1", "id2", "id3", "id4"}, []any{"2024-03-01"}},
	}
	for _, c := range cases {
		res := run(t, `{"sort":`+c.sort+`}`)
		assert.Equal(t, c.want, ids(res), c.sort)
		assert.Equal(t, c.sorts, res.Hits[0].Sort, c.sort)
	}
}

func TestSearchAfter(t *testing.T) {
	// Pages of two by name, each after the last _sort of the page before: strictly after, so ties are skipped.
	var got []string
	after := ""
	for {
		res := run(t, `{"size":2,"sort":["username","name"]`+after+`}`)
		assert.Equal(t, 5, res.Total)
		if len(res.Hits) == 0 {
			break
		}
		got = append(got, ids(res)...)
		b, _ := json.Marshal(res.Hits[len(res.Hits)-1].Sort)
		after = `,"search_after":` + string(b)
	}
	assert.Equal(t, []string{"id0", "id4", "id1", "id3", "id2"}, got)
	res := run(t, `{"sort":["username"],"search_after":["ann"]}`)
	assert.Equal(t, []string{"id2", "id3"}, ids(res))
	res = run(t, `{"sort":["creation"],"search_after":["1710489600000"]}`) // id2's creation
	assert.Equal(t, []string{"id3", "id4"}, ids(res))
	res = run(t, `{"sort":[{"creation":{"order":"desc"}}],"search_after":[1710489600000],"from":0}`)
	assert.Equal(t, []string{"id1", "id0"}, ids(res))
}

func aggs(t *testing.T, body string, typed bool) string {
	t.Helper()
	req, err := ParseRequest([]byte(body))
	require.Nil(t, err, "%v", err)
	res, err := req.Run(fixture(), now, typed)
	require.Nil(t, err, "%v", err)
	b, jerr := json.Marshal(res.Aggregations)
	require.NoError(t, jerr)
	return string(b)
}

func TestAggregations(t *testing.T) {
	cases := []struct {
		aggs  string
		typed bool
		want  string
	}{
		{`{"u":{"terms":{"field":"username"}}}`, false,
			`{"u":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"ann","doc_count":3},{"key":"bob","doc_count":2}]}}`},
		{`{"t":{"terms":{"field":"metadata.tags","size":1,"order":{"_key":"desc"}}}}`, true,
			`{"sterms#t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":1,"buckets":[{"key":"b","doc_count":2}]}}`},
		{`{"i":{"terms":{"field":"invalidated"}}}`, true,
			`{"lterms#i":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":0,"key_as_string":"false","doc_count":4},{"key":1,"key_as_string":"true","doc_count":1}]}}`},
		{`{"m":{"missing":{"field":"expiration"},"aggs":{"n":{"cardinality":{"field":"username"}}}}}`, true,
			`{"missing#m":{"doc_count":3,"cardinality#n":{"value":2}}}`},
		{`{"c":{"value_count":{"field":"metadata.tags"}},"d":{"cardinality":{"field":"metadata"}}}`, false,
			`{"c":{"value":3},"d":{"value":7}}`},
		{`{"f":{"filter":{"term":{"username":"bob"}},"aggs":{"t":{"terms":{"field":"type"}}}}}`, true,
			`{"filter#f":{"doc_count":2,"sterms#t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"cross_cluster","doc_count":1},{"key":"rest","doc_count":1}]}}}`},
		{`{"f":{"filters":{"other_bucket":true,"filters":{"z":{"term":{"name":"beta"}},"a":{"prefix":{"name":"alpha"}}}}}}`, false,
			`{"f":{"buckets":{"a":{"doc_count":2},"z":{"doc_count":1},"_other_":{"doc_count":2}}}}`},
		{`{"c":{"composite":{"size":3,"sources":[{"u":{"terms":{"field":"username"}}},{"tag":{"terms":{"field":"metadata.tags","missing_bucket":true}}}]}}}`, false,
			`{"c":{"after_key":{"u":"ann","tag":"b"},"buckets":[{"key":{"u":"ann","tag":null},"doc_count":1},{"key":{"u":"ann","tag":"a"},"doc_count":1},{"key":{"u":"ann","tag":"b"},"doc_count":2}]}}`},
		{`{"c":{"composite":{"after":{"u":"ann","tag":"b"},"sources":[{"u":{"terms":{"field":"username"}}},{"tag":{"terms":{"field":"metadata.tags","missing_bucket":true}}}]}}}`, false,
			`{"c":{"after_key":{"u":"bob","tag":null},"buckets":[{"key":{"u":"bob","tag":null},"doc_count":2}]}}`},
		{`{"c":{"composite":{"sources":[{"i":{"terms":{"field":"invalidated","order":"desc"}}}]}}}`, false,
			`{"c":{"after_key":{"i":false},"buckets":[{"key":{"i":true},"doc_count":1},{"key":{"i":false},"doc_count":4}]}}`},
		{`{"r":{"date_range":{"field":"creation","format":"yyyy-MM-dd","ranges":[{"from":"now-1d/d"},{"to":"2024-03-12"}]}}}`, true,
			`{"date_range#r":{"buckets":[{"key":"*-2024-03-12","to":1.7102016E12,"to_as_string":"2024-03-12","doc_count":2},{"key":"2024-03-14-*","from":1.7103744E12,"from_as_string":"2024-03-14","doc_count":3}]}}`},
		{`{"r":{"range":{"field":"creation","keyed":true,"ranges":[{"key":"old","to":1710000000000}]}}}`, false,
			`{"r":{"buckets":{"old":{"to":1.71E12,"to_as_string":"1710000000000","doc_count":1}}}}`},
	}
	for _, c := range cases {
		assert.JSONEq(t, c.want, aggs(t, `{"size":0,"aggs":`+c.aggs+`}`, c.typed), c.aggs)
		// The order of fields is part of the answer, so compare bytes too.
		assert.Equal(t, c.want, aggs(t, `{"size":0,"aggs":`+c.aggs+`}`, c.typed), c.aggs)
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		p, s string
		fold bool
		want bool
	}{
		{"*", "", false, true}, {"*alert*", "my-alert-key", false, true}, {"a?c", "abc", false, true},
		{"a?c", "ac", false, false}, {`a\*`, "a*", false, true}, {`a\*`, "ab", false, false},
		{"A*", "abc", true, true}, {"A*", "abc", false, false}, {"*b*b*", "abab", false, true}, {"*x", "abab", false, false},
		{"é?", "éa", false, true},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, globMatch(c.p, c.s, c.fold), "%q %q", c.p, c.s)
	}
}

func TestDateMath(t *testing.T) {
	p := dateParser{now: now}
	cases := []struct {
		in      string
		roundUp bool
		want    string
	}{
		{"now", false, "2024-03-15T10:30:00Z"},
		{"now-1d", false, "2024-03-14T10:30:00Z"},
		{"now/d", false, "2024-03-15T00:00:00Z"},
		{"now/d", true, "2024-03-15T23:59:59.999Z"},
		{"now+1M/M", false, "2024-04-01T00:00:00Z"},
		{"now-1y/y", false, "2023-01-01T00:00:00Z"},
		{"now/w", false, "2024-03-11T00:00:00Z"},
		{"now+2h-30m", false, "2024-03-15T12:00:00Z"},
		{"1709251200000||+1d", false, "2024-03-02T00:00:00Z"},
		{"1709251200000", false, "2024-03-01T00:00:00Z"},
	}
	for _, c := range cases {
		got, err := p.parse(c.in, c.roundUp)
		require.Nil(t, err, c.in)
		assert.Equal(t, ms(c.want), got, c.in)
	}
	for _, bad := range []string{"now+1x", "now-", "2024-13-01", "abc"} {
		_, err := p.parse(bad, false)
		require.NotNil(t, err, bad)
		assert.Equal(t, "failed to parse date field ["+bad+"] with format [epoch_millis]", err.Reason)
	}
	iso := dateParser{now: now, format: "strict_date_optional_time"}
	got, err := iso.parse("2024-03-01T12:00:00+02:00", false)
	require.Nil(t, err)
	assert.Equal(t, ms("2024-03-01T10:00:00Z"), got)
}

func TestFlatten(t *testing.T) {
	f := md(`{"a":"x","n":42,"f":4.50,"b":false,"z":null,"list":["p",1,{"deep":"q"}],"o":{"k":"v"}}`)
	for path, want := range map[string][]string{"a": {"x"}, "n": {"42"}, "f": {"4.50"}, "b": {"false"},
		"list": {"p", "1"}, "list.deep": {"q"}, "o.k": {"v"}, "z": nil, "o": nil, "": nil, "list.deep.x": nil, "zz": nil} {
		assert.Equal(t, want, f.leaves(path), path)
	}
	assert.Equal(t, []string{"1", "4.50", "42", "false", "p", "q", "v", "x"}, f.all())
	rootless := md(`{"":"r","a":{"":"s"}}`) // a key "" at the root has no path
	assert.Nil(t, rootless.leaves(""))
	assert.Equal(t, []string{"s"}, rootless.leaves("a."))
	assert.Equal(t, []string{"r", "s"}, rootless.all())
	empty := md(`{}`)
	assert.Nil(t, empty.leaves("a"))
	assert.Nil(t, empty.all())
	// The values of a path are its own: appending to them cannot change the next path's.
	list := f.leaves("list")
	_ = append(list, "changed")
	assert.Equal(t, []string{"q"}, f.leaves("list.deep"))
}

func TestMinimumShouldMatch(t *testing.T) {
	for _, c := range []struct {
		spec    string
		clauses int
		want    int
	}{{"2", 3, 2}, {"-1", 3, 2}, {"50%", 3, 1}, {"-50%", 3, 2}, {"-5", 3, 0}, {"100%", 4, 4}} {
		got, err := minimumShouldMatch(c.spec, c.clauses)
		require.Nil(t, err)
		assert.Equal(t, c.want, got, c.spec)
	}
	_, err := minimumShouldMatch("3<90%", 5)
	assert.NotNil(t, err)
}

func TestJavaDouble(t *testing.T) {
	for x, want := range map[float64]string{0: "0.0", 5.5: "5.5", 1234567: "1234567.0", 1.7e12: "1.7E12", 1e12: "1.0E12", -2.5e-4: "-2.5E-4"} {
		assert.Equal(t, want, string(javaDouble(x)), fmt.Sprint(x))
	}
}

func TestFuzzy(t *testing.T) {
	within := func(a, b string, k int) bool { return withinEdits([]rune(a), []rune(b), k, true) }
	assert.True(t, within("alpah", "alpha", 1), "a transposition is one edit")
	assert.False(t, withinEdits([]rune("alpah"), []rune("alpha"), 1, false), "without transpositions it is two")
	assert.True(t, within("kitten", "sitting", 3))
	assert.False(t, within("kitten", "sitting", 2))
	assert.True(t, within("", "ab", 2))
	assert.False(t, within("", "abc", 2))
	assert.True(t, within("ab", "ba", 1))
	assert.False(t, within("abcdef", "badcfe", 2), "three swaps")
	assert.True(t, newFuzzyTerm("alpah", 1, 0, true).match("alpha"))
	assert.False(t, newFuzzyTerm("xlpha", 1, 1, true).match("alpha"), "the prefix must match exactly")
	assert.True(t, newFuzzyTerm("ab", 2, 5, true).match("abcd"), "a prefix longer than the term is the whole term")
	assert.False(t, newFuzzyTerm("ab", 2, 5, true).match("xbcd"))
	assert.True(t, newFuzzyTerm("héllo", 1, 0, true).match("hällo"), "code points, not bytes")
	assert.Equal(t, 0, fuzziness{auto: true, low: 3, high: 6}.distance("ab"), "AUTO allows no edit below three characters")
	assert.Equal(t, 1, fuzziness{auto: true, low: 3, high: 6}.distance("abc"))
	assert.Equal(t, 2, fuzziness{auto: true, low: 3, high: 6}.distance("abcdef"))
}

// withinEdits agrees with the full matrix on every pair of short strings over a small alphabet.
func TestWithinEditsAgreesWithFullMatrix(t *testing.T) {
	var words []string
	var gen func(prefix string, n int)
	gen = func(prefix string, n int) {
		words = append(words, prefix)
		if n == 0 {
			return
		}
		for _, c := range "abc" {
			gen(prefix+string(c), n-1)
		}
	}
	gen("", 4)
	for _, a := range words {
		for _, b := range words {
			d := osaDistance([]rune(a), []rune(b))
			for k := 0; k <= 2; k++ {
				require.Equal(t, d <= k, withinEdits([]rune(a), []rune(b), k, true), "%q %q k=%d (distance %d)", a, b, k, d)
			}
		}
	}
}

// osaDistance is the full-matrix optimal string alignment distance, the reference for withinEdits.
func osaDistance(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func stringsReader(s string) *stringReader { return &stringReader{s: s} }

type stringReader struct{ s string }

func (r *stringReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := copy(p, r.s)
	r.s = r.s[n:]
	return n, nil
}

// Errors of the search itself are marked, so the server reports them as a failed search phase.
func TestSearchErrors(t *testing.T) {
	for body, search := range map[string]bool{
		`{"query":{"prefix":{"creation":"17"}}}`:            true,
		`{"query":{"range":{"creation":{"gte":"x"}}}}`:      true,
		`{"query":{"term":{"invalidated":"yes"}}}`:          true,
		`{"from":9990,"size":11}`:                           true,
		`{"sort":["name"],"search_after":[1,2]}`:            true,
		`{"query":{"term":{"doc_type":"x"}}}`:               false,
		`{"query":{"range":{"creation":{"relation":"x"}}}}`: false,
		`{"aggs":{"g":{"global":{}}}}`:                      false,
	} {
		req, err := ParseRequest([]byte(body))
		require.Nil(t, err, body)
		_, err = req.Run(fixture(), now, false)
		require.NotNil(t, err, body)
		assert.Equal(t, search, err.Search, body)
	}
}
