package bench

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/esapikey/esapikey"
)

// goroutines share one Client in BenchmarkConcurrent.
const goroutines = 64

// countingServer answers the documented update and counts the TCP
// connections it accepts.
func countingServer() (*httptest.Server, *atomic.Int64) {
	var conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(esHandler))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	return srv, &conns
}

// BenchmarkConcurrent shares one Client between 64 goroutines over
// loopback, with NewClient's default transport (at most 2 idle connections
// per host, as http.DefaultTransport) and with one that keeps 64. It
// reports the connections the server accepted and the calls per second.
func BenchmarkConcurrent(b *testing.B) {
	for _, tc := range []struct {
		name string
		rt   func() http.RoundTripper
	}{
		{"default-transport", func() http.RoundTripper { return nil }},
		{"idle-conns-64", func() http.RoundTripper {
			t := http.DefaultTransport.(*http.Transport).Clone()
			t.MaxIdleConnsPerHost = goroutines
			return t
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			srv, conns := countingServer()
			defer srv.Close()
			c := must(esapikey.NewClient(esapikey.Config{Addresses: []string{srv.URL}, Username: user, Password: passwd, Transport: tc.rt()}))
			req := esapikey.UpdateAPIKeyRequest{ID: keyID, RoleDescriptors: esapikeyRoles, Metadata: metadata}
			b.SetParallelism((goroutines + 1) / 2) // 64 goroutines on 2 cores
			b.ReportAllocs()
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					if _, err := c.UpdateAPIKey(ctx, req); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "calls/s")
			b.ReportMetric(float64(conns.Load()), "conns")
		})
	}
}
