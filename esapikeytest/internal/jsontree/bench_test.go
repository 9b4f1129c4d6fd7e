package jsontree

import (
	"bytes"
	"runtime"
	"strconv"
	"testing"
)

// benchBodies are metadata-like bodies of about 1 MB in the shapes that cost the most per input byte.
var benchBodies = []struct {
	name string
	body func(n int) []byte
}{
	{"numbers", func(n int) []byte { return arrayBody(n, func(b *bytes.Buffer, i int) { b.WriteByte('1') }) }},
	{"strings", func(n int) []byte {
		return arrayBody(n, func(b *bytes.Buffer, i int) { b.WriteString(`"ab"`) })
	}},
	{"objects", func(n int) []byte {
		return arrayBody(n, func(b *bytes.Buffer, i int) { b.WriteString(`{"k":` + strconv.Itoa(i%10) + `,"v":{"x":true}}`) })
	}},
}

func arrayBody(size int, elem func(*bytes.Buffer, int)) []byte {
	var b bytes.Buffer
	b.WriteString(`{"name":"k","metadata":{"a":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		elem(&b, i)
	}
	b.WriteString("]}}")
	return b.Bytes()
}

// BenchmarkParse reports, besides B/op, the bytes allocated per byte of body (B/in).
func BenchmarkParse(b *testing.B) {
	for _, bb := range benchBodies {
		body := bb.body(1 << 20)
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for b.Loop() {
				if _, err := Parse(body); err != nil {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(body)), "B/in")
		})
	}
}
