package bench

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/esapikeytest"
)

// bulkIDs is how many keys BenchmarkBulk updates per op.
const bulkIDs = 10_000

// BenchmarkBulk updates the metadata of 10,000 keys of an esapikeytest
// server, with one bulk call and with 10,000 single calls. One op is the
// whole batch; ids/s is the rate at which keys are updated.
func BenchmarkBulk(b *testing.B) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	ids := make([]string, bulkIDs)
	for i := range ids {
		k, err := srv.CreateAPIKey("elastic", `{"name":"bench-`+strconv.Itoa(i)+`"}`)
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = k.ID
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = goroutines
	c := must(esapikey.NewClient(esapikey.Config{Addresses: []string{srv.URL}, Username: "elastic", Password: "changeme", Transport: t}))
	ctx := context.Background()
	// Each op sets another value, so every key is really updated.
	round := 0
	md := func() esapikey.Metadata { round++; return esapikey.Metadata{"round": round} }

	b.Run("one-bulk-call", func(b *testing.B) {
		b.ReportAllocs()
		start := time.Now()
		for i := 0; i < b.N; i++ {
			res, err := c.BulkUpdateAPIKeys(ctx, esapikey.BulkUpdateAPIKeysRequest{IDs: ids, Metadata: md()})
			if err == nil {
				err = res.Err()
			}
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Updated) != bulkIDs {
				b.Fatalf("%d updated, want %d", len(res.Updated), bulkIDs)
			}
		}
		b.ReportMetric(float64(b.N*bulkIDs)/time.Since(start).Seconds(), "ids/s")
	})
	b.Run("single-calls", func(b *testing.B) {
		b.ReportAllocs()
		start := time.Now()
		for i := 0; i < b.N; i++ {
			m := md()
			for _, id := range ids {
				res, err := c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: id, Metadata: m})
				if err != nil {
					b.Fatal(err)
				}
				if !res.Updated {
					b.Fatalf("%s not updated", id)
				}
			}
		}
		b.ReportMetric(float64(b.N*bulkIDs)/time.Since(start).Seconds(), "ids/s")
	})
}
