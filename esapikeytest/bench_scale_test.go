package esapikeytest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/esapikey/esapikey/esapikeytest"
)

// scaleSizes are the numbers of stored keys the scale benchmarks run at.
var scaleSizes = []int{1_000, 10_000, 100_000}

// scaleFixture is a server holding n keys: elastic owns all but the 100 of alice, so a by-owner
// listing returns the same 100 keys whatever n is, and every key has a unique name and some metadata.
type scaleFixture struct {
	srv   *esapikeytest.Server
	ids   []string // every key, in creation order
	alice esapikeytest.APIKey
	// heapPerKey is the live heap the keys added, divided by their number.
	heapPerKey float64
}

func newScaleFixture(b *testing.B, n int) *scaleFixture {
	b.Helper()
	srv := esapikeytest.NewServer()
	b.Cleanup(srv.Close)
	if err := srv.PutRole("keys", `{"cluster":["manage_own_api_key"],"indices":[{"names":["logs-*"],"privileges":["read"]}]}`); err != nil {
		b.Fatal(err)
	}
	if err := srv.AddUser("alice", "alice-password", "keys"); err != nil {
		b.Fatal(err)
	}
	f := &scaleFixture{srv: srv, ids: make([]string, n)}
	before := liveHeap()
	for i := range n {
		owner := "elastic"
		if i%(n/100) == 0 {
			owner = "alice"
		}
		body := fmt.Sprintf(`{"name":"key-%06d","metadata":{"team":"team-%d","tags":["t%d","all"],"level":%d}}`, i, i%100, i%7, i%10)
		k, err := srv.CreateAPIKey(owner, body)
		if err != nil {
			b.Fatal(err)
		}
		f.ids[i] = k.ID
		if owner == "alice" {
			f.alice = k
		}
	}
	f.heapPerKey = float64(liveHeap()-before) / float64(n)
	return f
}

func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// benchSend sends one request to srv and fails the benchmark unless it answers want.
func benchSend(b *testing.B, srv *esapikeytest.Server, method, path, auth, body string, want int) {
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", auth)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != want {
		b.Fatalf("%s %s: %s", method, path, res.Status)
	}
}

const elasticAuth = "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==" // elastic:changeme

// BenchmarkScale measures each request of the stand-in over HTTP at 1,000, 10,000 and 100,000
// stored keys: requests by id should not grow with the number of keys, searches and listings at most
// linearly. It also reports the live heap per stored key. Run it with -benchtime=2s or more for
// figures; BENCHMARKS.md has the command.
func BenchmarkScale(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			f := newScaleFixture(b, n)
			aliceKey := "ApiKey " + f.alice.Encoded
			aliceBasic := "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:alice-password"))
			bulk, _ := json.Marshal(f.ids[:1000])
			i := 0
			next := func() string { i++; return f.ids[(i*7919)%len(f.ids)] }
			cases := []struct {
				name               string
				method, auth, body string
				path               func() string
				body1              func() string
			}{
				{name: "update", method: "PUT", auth: elasticAuth,
					path: func() string { return "/_security/api_key/" + f.ids[1] }, body1: func() string { i++; return fmt.Sprintf(`{"metadata":{"run":%d}}`, i) }},
				{name: "bulk_update_1000", method: "POST", auth: elasticAuth,
					path: func() string { return "/_security/api_key/_bulk_update" }, body1: func() string {
						i++
						return fmt.Sprintf(`{"ids":%s,"metadata":{"run":%d}}`, bulk, i)
					}},
				{name: "get_by_id", method: "GET", auth: elasticAuth, path: func() string { return "/_security/api_key?id=" + next() }},
				{name: "get_by_owner_100", method: "GET", auth: aliceBasic, path: func() string { return "/_security/api_key?owner=true" }},
				{name: "query_term_name", method: "POST", auth: elasticAuth, path: func() string { return "/_security/_query/api_key" },
					body1: func() string { i++; return fmt.Sprintf(`{"query":{"term":{"name":"key-%06d"}}}`, (i*7919)%n) }},
				{name: "query_sort_size_100", method: "POST", auth: elasticAuth, path: func() string { return "/_security/_query/api_key" },
					body: `{"sort":[{"name":{"order":"desc"}}],"size":100}`},
				{name: "query_terms_agg", method: "POST", auth: elasticAuth, path: func() string { return "/_security/_query/api_key" },
					body: `{"size":0,"aggs":{"teams":{"terms":{"field":"metadata.team","size":10}}}}`},
				{name: "has_privileges_as_key", method: "POST", auth: aliceKey, path: func() string { return "/_security/user/_has_privileges" },
					body: `{"cluster":["manage_own_api_key"],"index":[{"names":["logs-1"],"privileges":["read"]}]}`},
				{name: "authenticate_api_key", method: "GET", auth: aliceKey, path: func() string { return "/_security/_authenticate" }},
				{name: "invalidate_by_name", method: "DELETE", auth: elasticAuth, path: func() string { return "/_security/api_key" },
					body1: func() string { i++; return fmt.Sprintf(`{"name":"key-%06d"}`, 1+(i*7919)%(n-1)) }},
			}
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					for b.Loop() {
						body := c.body
						if c.body1 != nil {
							body = c.body1()
						}
						benchSend(b, f.srv, c.method, c.path(), c.auth, body, http.StatusOK)
					}
				})
			}
			b.Run("heap_per_key", func(b *testing.B) {
				for b.Loop() {
				}
				b.ReportMetric(f.heapPerKey, "B/key")
			})
		})
	}
}

// BenchmarkCreateKeys measures creating keys one by one over HTTP, up to 100,000 stored keys: the
// time per key should stay flat as the store grows.
func BenchmarkCreateKeys(b *testing.B) {
	for _, n := range []int{100_000} {
		b.Run(fmt.Sprintf("keys=%d", n), func(b *testing.B) {
			for b.Loop() {
				srv := esapikeytest.NewServer()
				f := &scaleFixture{srv: srv}
				for i := range n {
					benchSend(b, f.srv, "POST", "/_security/api_key", elasticAuth, fmt.Sprintf(`{"name":"key-%06d","metadata":{"team":"team-%d"}}`, i, i%100), http.StatusOK)
				}
				srv.Close()
			}
		})
	}
}
