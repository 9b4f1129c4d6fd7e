package esapikeytest_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

// metadataArrayBody is a create body of about size bytes whose metadata holds one array of the
// given element, repeated: the shape that costs a parser the most per byte of body.
func metadataArrayBody(size int, elem string) []byte {
	var b bytes.Buffer
	b.Grow(size + 64)
	b.WriteString(`{"name":"big","metadata":{"a":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(elem)
	}
	b.WriteString("]}}")
	return b.Bytes()
}

// serveAlloc serves one request in process and returns its status and the bytes it allocated.
func serveAlloc(srv *esapikeytest.Server, method, path string, body []byte) (int, uint64) {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.SetBasicAuth("elastic", "changeme")
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	srv.Handler().ServeHTTP(rec, req)
	runtime.ReadMemStats(&after)
	return rec.Code, after.TotalAlloc - before.TotalAlloc
}

// A large metadata body costs memory in proportion to its size, with a small factor: creating and then
// listing a key whose metadata is a 20 MB array allocates (in all, garbage included) less than
// allocPerByte bytes per byte of body. The worst shape, an array of one-digit numbers, allocates
// about 27; the bound catches a parse tree that grows again (80-byte nodes allocated 66, the
// encoding/json-based parser about 200).
func TestLargeMetadataAllocatesInProportion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 20 MB bodies")
	}
	const size, allocPerByte = 20 << 20, 40
	srv := esapikeytest.NewServer()
	defer srv.Close()
	for _, elem := range []string{"1", `"ab"`, `{"k":1}`} {
		body := metadataArrayBody(size, elem)
		status, alloc := serveAlloc(srv, "POST", "/_security/api_key", body)
		require.Equal(t, http.StatusOK, status, elem)
		perByte := float64(alloc) / float64(len(body))
		t.Logf("create, metadata array of %s: %.1f bytes allocated per byte of body", elem, perByte)
		assert.Less(t, perByte, float64(allocPerByte), elem)
	}
	status, alloc := serveAlloc(srv, "GET", "/_security/api_key", nil)
	require.Equal(t, http.StatusOK, status)
	t.Logf("listing the three keys: %d bytes allocated", alloc)
	assert.Less(t, alloc, uint64(3*8*size), "listing")
}

// hostile posts body to every route that reads one and requires a prompt 4xx; the server answers the
// next request.
func hostile(t *testing.T, srv *esapikeytest.Server, key string, body string) {
	t.Helper()
	for _, rt := range bodyRoutes(key) {
		res, _ := send(t, srv, rt.method, rt.path, "application/json", body)
		assert.True(t, res.StatusCode >= 400 && res.StatusCode < 500, "%s %s: %s", rt.method, rt.path, res.Status)
	}
	_, err := srv.CreateAPIKey("elastic", `{"name":"after"}`)
	require.NoError(t, err)
}

// 5,000,000 bytes of open arrays, or of nested objects, get a prompt 4xx on every route that reads a
// body, and the server goes on answering: the parser keeps no goroutine stack per level and stops at
// Jackson's depth limit.
func TestDeeplyNestedBodiesAnswer4xx(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	key, err := srv.CreateAPIKey("elastic", `{"name":"k"}`)
	require.NoError(t, err)
	hostile(t, srv, key.ID, strings.Repeat("[", 5_000_000))
	hostile(t, srv, key.ID, strings.Repeat(`{"a":`, 1_000_000))
}

// Metadata as deep as StreamReadConstraints allows (the body's 1000 levels) is stored and listed by
// both listings; a level more, or 10,001, is refused at input with Jackson's message
// (JsonXContentParser.handleParserException: an x_content_parse_exception without location).
func TestDeepMetadata(t *testing.T) {
	tg := newTarget(t)
	nested := func(levels int) string {
		return `{"name":"deep","metadata":{"a":` + strings.Repeat("[", levels) + strings.Repeat("]", levels) + `}}`
	}
	tg.call(tg.admin, "POST", "/_security/api_key", nested(998)).ok(t)
	for _, r := range []*reply{
		tg.call(tg.admin, "GET", "/_security/api_key?name=deep", noBody),
		tg.call(tg.admin, "POST", "/_security/_query/api_key", `{"query":{"term":{"name":"deep"}}}`),
	} {
		r.ok(t)
		assert.True(t, strings.Contains(string(r.raw), `"metadata":{"a":`+strings.Repeat("[", 998)+strings.Repeat("]", 998)+"}"),
			"the listing holds the metadata")
	}
	for _, levels := range []int{999, 9_999} {
		tg.call(tg.admin, "POST", "/_security/api_key", nested(levels)).isError(t, http.StatusBadRequest, "x_content_parse_exception",
			"Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)")
	}
	tg.call(tg.admin, "PUT", "/_security/api_key/x", `{"metadata":{"n":`+strings.Repeat("1", 1001)+`}}`).isError(t,
		http.StatusBadRequest, "x_content_parse_exception",
		"Number value length (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNumberLength()`)")
}
