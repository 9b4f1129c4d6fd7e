package bench

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

func loopbackTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 100
	return t
}

// TestSameCall checks that every client sends the documented body to the
// documented route and understands the answer, so that the benchmarks
// compare the same work.
func TestSameCall(t *testing.T) {
	var want any
	if err := json.Unmarshal([]byte(documented), &want); err != nil {
		t.Fatal(err)
	}
	for _, u := range clients("http://es.invalid:9200", func() http.RoundTripper { return &memTransport{rec: true} }) {
		t.Run(u.name, func(t *testing.T) {
			if err := u.update(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
	seen := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var got any
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: body %v (%v), want %s", r.UserAgent(), got, err, documented)
		}
		if r.Method != http.MethodPut || r.URL.EscapedPath() != "/_security/api_key/"+keyID {
			t.Errorf("%s %s", r.Method, r.URL)
		}
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != passwd {
			t.Errorf("no basic auth")
		}
		seen[r.UserAgent()] = true
		esHandler(w, r)
	}))
	defer srv.Close()
	for _, u := range clients(srv.URL, loopbackTransport) {
		if err := u.update(context.Background()); err != nil {
			t.Errorf("%s: %v", u.name, err)
		}
	}
	if len(seen) < 4 {
		t.Errorf("user agents seen: %v", seen)
	}
}

// BenchmarkUpdate makes the documented update with each client, in process
// (one in-memory RoundTripper: the client's own cost) and over loopback.
func BenchmarkUpdate(b *testing.B) {
	ctx := context.Background()
	run := func(b *testing.B, us []updater) {
		for _, u := range us {
			b.Run(u.name, func(b *testing.B) {
				if err := u.update(ctx); err != nil { // warm up: product check, connection
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if err := u.update(ctx); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
	b.Run("inprocess", func(b *testing.B) {
		rt := &memTransport{}
		run(b, clients("http://es.invalid:9200", func() http.RoundTripper { return rt }))
	})
	b.Run("loopback", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(esHandler))
		defer srv.Close()
		run(b, clients(srv.URL, loopbackTransport))
	})
}
