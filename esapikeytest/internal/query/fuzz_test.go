package query

import (
	"encoding/json"
	"testing"
)

// FuzzRequest feeds bodies through parsing and evaluation: any JSON object is answered or refused
// with an Error, never a panic.
func FuzzRequest(f *testing.F) {
	for _, seed := range []string{
		`{"query":{"simple_query_string":{"query":"(a | \"b c\"~2) +d* -e~ f\\*"}}}`,
		`{"query":{"bool":{"should":[{"wildcard":{"name":"a\\*?*"}},{"range":{"creation":{"gt":"now-1d/d","format":"yyyy"}}}],"minimum_should_match":"-50%"}}}`,
		`{"sort":[{"expiration":{"missing":"_first","order":"desc"}},"_doc"],"search_after":[null,3],"size":2}`,
		`{"aggs":{"c":{"composite":{"after":{"u":null},"sources":[{"u":{"terms":{"field":"metadata.tags","missing_bucket":true}}}]},"aggs":{"f":{"filters":{"filters":[{"match_all":{}}],"other_bucket":true}}}}}}`,
		`{"aggs":{"r":{"date_range":{"field":"expiration","keyed":true,"ranges":[{"from":"now-1M/M","to":"now+1y"},{}]}}}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var v map[string]any
		if json.Unmarshal([]byte(body), &v) != nil {
			return // the server refuses malformed JSON before this part sees it
		}
		req, err := ParseRequest([]byte(body))
		if err != nil {
			return
		}
		res, err := req.Run(fixture(), now, true)
		if err != nil {
			return
		}
		if _, jerr := json.Marshal(res.Aggregations); jerr != nil {
			t.Fatalf("unrenderable aggregations: %v", jerr)
		}
	})
}
