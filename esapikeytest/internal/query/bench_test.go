package query

import (
	"encoding/json"
	"fmt"
	"testing"
)

// BenchmarkRun10000 measures the query part alone over 10,000 keys, without HTTP or rendering.
func BenchmarkRun10000(b *testing.B) {
	docs := make([]*Doc, 10000)
	for i := range docs {
		docs[i] = &Doc{ID: fmt.Sprintf("id%05d", i), Name: fmt.Sprintf("key-%05d", i), Type: "rest", Username: "elastic",
			Realm: "reserved", Creation: now - int64(10000-i)*1000, Seq: i,
			Metadata: md(fmt.Sprintf(`{"team":"team-%d","tags":["t%d","all"],"level":%d}`, i%100, i%7, i%10))}
	}
	for _, bm := range []struct{ name, body string }{
		{"term_metadata", `{"query":{"term":{"metadata.team":"team-7"}}}`},
		{"bool_range_wildcard", `{"query":{"bool":{"filter":[{"range":{"creation":{"gte":"now-1h"}}},{"wildcard":{"name":"key-1*"}}],"must_not":{"term":{"metadata.level":"3"}}}}}`},
		{"sort_size", `{"sort":[{"name":{"order":"desc"}}],"size":100}`},
		{"composite_aggs", `{"size":0,"aggs":{"teams":{"composite":{"size":100,"sources":[{"team":{"terms":{"field":"metadata.team"}}}]}}}}`},
	} {
		b.Run(bm.name, func(b *testing.B) {
			for b.Loop() {
				req, err := ParseRequest([]byte(bm.body))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := req.Run(docs, now, false); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScale runs the cases whose cost must grow at most linearly with the number of keys over
// 1,000, 10,000 and 100,000 of them: compare the n= rows with benchstat.
func BenchmarkScale(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		docs := scaleDocs(n)
		for _, bm := range []struct{ name, body string }{
			{"term_name", fmt.Sprintf(`{"query":{"term":{"name":"key-%06d"}}}`, n/2)},
			{"sort_size100", `{"sort":[{"name":{"order":"desc"}}],"size":100}`},
			{"terms_agg", `{"size":0,"aggs":{"teams":{"terms":{"field":"metadata.team"}}}}`},
		} {
			req, err := ParseRequest([]byte(bm.body))
			if err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/n=%d", bm.name, n), func(b *testing.B) {
				for b.Loop() {
					if _, err := req.Run(docs, now, false); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// scaleDocs is n keys of one owner, each with its own name, not in creation order, and one of 100 teams.
func scaleDocs(n int) []*Doc {
	docs := make([]*Doc, n)
	for i := range docs {
		docs[i] = &Doc{ID: fmt.Sprintf("id%06d", i), Name: fmt.Sprintf("key-%06d", i*7919%n), Type: "rest", Username: "elastic",
			Realm: "reserved", Creation: now - int64(n-i)*1000, Seq: i,
			Metadata: Flatten(map[string]any{"team": fmt.Sprintf("team-%d", i%100), "level": json.Number(fmt.Sprint(i % 10))})}
	}
	return docs
}
