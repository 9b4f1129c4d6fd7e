package esapikeytest_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/esapikey/esapikey/esapikeytest"
)

// BenchmarkQueryAPIKeys10000 measures one _query/api_key over 10,000 keys, over HTTP.
func BenchmarkQueryAPIKeys10000(b *testing.B) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	for i := range 10000 {
		body := fmt.Sprintf(`{"name":"key-%05d","metadata":{"team":"team-%d","tags":["t%d","all"],"level":%d}}`, i, i%100, i%7, i%10)
		if _, err := srv.CreateAPIKey("elastic", body); err != nil {
			b.Fatal(err)
		}
	}
	// One query first, so every case measures the steady state: metadata is indexed once per change.
	post := func(b *testing.B, body string) {
		benchSend(b, srv, "POST", "/_security/_query/api_key", elasticAuth, body, http.StatusOK)
	}
	post(b, `{"query":{"exists":{"field":"metadata"}}}`)
	for _, bm := range []struct{ name, body string }{
		{"term_metadata", `{"query":{"term":{"metadata.team":"team-7"}}}`},
		{"bool_range_wildcard", `{"query":{"bool":{"filter":[{"range":{"creation":{"gte":"now-1h"}}},{"wildcard":{"name":"key-1*"}}],"must_not":{"term":{"metadata.level":"3"}}}}}`},
		{"sort_size", `{"sort":[{"name":{"order":"desc"}}],"size":100}`},
		{"composite_aggs", `{"size":0,"aggs":{"teams":{"composite":{"size":100,"sources":[{"team":{"terms":{"field":"metadata.team"}}}]}}}}`},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				post(b, bm.body)
			}
		})
	}
}
