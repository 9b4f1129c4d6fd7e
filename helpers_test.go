package esapikey_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

// testID is the key id of the reference documentation.
const testID = "VuaCfGcBCdbkQm-e5aOx"

// setup returns a client pointed at a test server whose mux the test fills.
// Retries are off, so a handler sees each call exactly once; cfg adjusts
// the config further.
func setup(t *testing.T, cfg ...func(*esapikey.Config)) (*esapikey.Client, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	srv := newServer(t, mux)
	c := esapikey.Config{Addresses: []string{srv.URL}, DisableRetry: true}
	for _, f := range cfg {
		f(&c)
	}
	return newClient(t, c), mux
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func newClient(t *testing.T, cfg esapikey.Config) *esapikey.Client {
	t.Helper()
	c, err := esapikey.NewClient(cfg)
	require.NoError(t, err)
	return c
}

// received is a request as the server saw it.
type received struct {
	Method string
	Path   string // escaped, as sent
	Query  string
	Header http.Header
	Body   string
}

// recorder records the requests a handler receives, so that the test
// goroutine can check them once the call has returned.
type recorder struct {
	mu   sync.Mutex
	reqs []received
}

// reply records each request and answers with status and body, with the
// headers Elasticsearch sends; header holds more, as key-value pairs.
func (rec *recorder) reply(status int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rec.record(r)
		h := w.Header()
		h.Set("X-Elastic-Product", "Elasticsearch")
		if strings.HasPrefix(body, "{") {
			h.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(header); i += 2 {
			h.Add(header[i], header[i+1])
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func (rec *recorder) record(r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.reqs = append(rec.reqs, received{
		Method: r.Method,
		Path:   r.URL.EscapedPath(),
		Query:  r.URL.RawQuery,
		Header: r.Header.Clone(),
		Body:   string(b),
	})
}

func (rec *recorder) calls() []received {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]received(nil), rec.reqs...)
}

// only returns the one request received, failing the test when there was
// not exactly one.
func (rec *recorder) only(t *testing.T) received {
	t.Helper()
	reqs := rec.calls()
	require.Len(t, reqs, 1, "requests received")
	return reqs[0]
}

// answer registers a recorder on every path of mux.
func answer(mux *http.ServeMux, status int, body string, header ...string) *recorder {
	rec := new(recorder)
	mux.Handle("/", rec.reply(status, body, header...))
	return rec
}

// assertJSONRequest checks a request carrying exactly body.
func assertJSONRequest(t *testing.T, r received, method, path, body string) {
	t.Helper()
	assert.Equal(t, method, r.Method)
	assert.Equal(t, path, r.Path)
	assert.Empty(t, r.Query)
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	assert.Equal(t, body, r.Body)
}

// assertBodyless checks a request without a body.
func assertBodyless(t *testing.T, r received, method, path string) {
	t.Helper()
	assert.Equal(t, method, r.Method)
	assert.Equal(t, path, r.Path)
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.NotContains(t, r.Header, "Content-Type")
	assert.Empty(t, r.Body)
}

// assertInvalid checks that err refuses the request field.
func assertInvalid(t *testing.T, err error, field string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, esapikey.ErrInvalidRequest)
	var ve *esapikey.ValidationError
	if assert.ErrorAs(t, err, &ve) {
		assert.Equal(t, field, ve.Field)
		assert.NotEmpty(t, ve.Reason)
		assert.True(t, strings.HasPrefix(err.Error(), "esapikey: invalid request: "+field+": "), err.Error())
	}
	var e *esapikey.Error
	assert.False(t, errors.As(err, &e), "a refused request has no answer")
}

// assertError checks that err is an *Error with status and returns it.
func assertError(t *testing.T, err error, status int) *esapikey.Error {
	t.Helper()
	var e *esapikey.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, status, e.StatusCode)
	assert.NotErrorIs(t, err, esapikey.ErrInvalidRequest)
	return e
}

// sentinels are the errors an *Error may match, at most one at a time.
var sentinels = map[string]error{
	"ErrNotFound":          esapikey.ErrNotFound,
	"ErrExpired":           esapikey.ErrExpired,
	"ErrInvalidated":       esapikey.ErrInvalidated,
	"ErrUnauthorized":      esapikey.ErrUnauthorized,
	"ErrForbidden":         esapikey.ErrForbidden,
	"ErrAPIKeyCredentials": esapikey.ErrAPIKeyCredentials,
	"ErrWrongKeyType":      esapikey.ErrWrongKeyType,
}

// assertSentinel checks that err matches want (nil: none) and no other
// sentinel.
func assertSentinel(t *testing.T, err error, want error) {
	t.Helper()
	for name, s := range sentinels {
		assert.Equal(t, s == want, errors.Is(err, s), "errors.Is(err, %s)", name)
	}
}

// assertNoNull fails when the JSON text body holds a null anywhere.
func assertNoNull(t *testing.T, body string) {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(body), &v), body)
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case nil:
			t.Errorf("null at %s in %s", path, body)
		case map[string]any:
			for k, e := range v {
				walk(path+"."+k, e)
			}
		case []any:
			for _, e := range v {
				walk(path+"[]", e)
			}
		}
	}
	walk("$", v)
}

// spanKey marks the context a fakeInstrumentation span was started in.
type spanKey struct{}

// fakeInstrumentation records the calls of the transport and the client as
// lines such as "Start security.update_api_key". A call whose context does
// not carry the span is recorded with the prefix "(no span) ".
type fakeInstrumentation struct {
	mu     sync.Mutex
	events []string
	errs   []error
}

func (f *fakeInstrumentation) add(ctx context.Context, event string) {
	if ctx.Value(spanKey{}) == nil {
		event = "(no span) " + event
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.events = append(f.events, event)
}

func (f *fakeInstrumentation) recorded() ([]string, []error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.events...), append([]error(nil), f.errs...)
}

func (f *fakeInstrumentation) Start(ctx context.Context, name string) context.Context {
	ctx = context.WithValue(ctx, spanKey{}, name)
	f.add(ctx, "Start "+name)
	return ctx
}

func (f *fakeInstrumentation) Close(ctx context.Context) { f.add(ctx, "Close") }

func (f *fakeInstrumentation) RecordError(ctx context.Context, err error) {
	f.add(ctx, "RecordError")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.errs = append(f.errs, err)
}

func (f *fakeInstrumentation) RecordPathPart(ctx context.Context, part, value string) {
	f.add(ctx, "RecordPathPart "+part+"="+value)
}

func (f *fakeInstrumentation) RecordRequestBody(ctx context.Context, endpoint string, body io.Reader) io.ReadCloser {
	f.add(ctx, "RecordRequestBody "+endpoint)
	return io.NopCloser(body)
}

func (f *fakeInstrumentation) BeforeRequest(req *http.Request, endpoint string) {
	f.add(req.Context(), "BeforeRequest "+endpoint)
}

func (f *fakeInstrumentation) AfterRequest(req *http.Request, system, endpoint string) {
	f.add(req.Context(), "AfterRequest "+system+" "+endpoint)
}

func (f *fakeInstrumentation) AfterResponse(ctx context.Context, res *http.Response) {
	f.add(ctx, "AfterResponse "+strconv.Itoa(res.StatusCode))
}

// endpoints calls each endpoint once, for what all of them share.
var endpoints = []struct {
	span string
	id   string // the path part recorded; "" for none
	ok   string // a 200 answer
	call func(context.Context, *esapikey.Client) error
}{
	{"security.update_api_key", testID, `{"updated":true}`, func(ctx context.Context, c *esapikey.Client) error {
		_, err := c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: testID})
		return err
	}},
	{"security.bulk_update_api_keys", "", `{"updated":[],"noops":[]}`, func(ctx context.Context, c *esapikey.Client) error {
		_, err := c.BulkUpdateAPIKeys(ctx, esapikey.BulkUpdateAPIKeysRequest{IDs: []string{testID}})
		return err
	}},
	{"security.update_cross_cluster_api_key", testID, `{"updated":true}`, func(ctx context.Context, c *esapikey.Client) error {
		_, err := c.UpdateCrossClusterAPIKey(ctx, esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Access: searchLogs})
		return err
	}},
}

const notFound = `{"error":{"root_cause":[{"type":"resource_not_found_exception","reason":"no API key owned by requesting user found for ID [` + testID + `]"}],"type":"resource_not_found_exception","reason":"no API key owned by requesting user found for ID [` + testID + `]"},"status":404}`
