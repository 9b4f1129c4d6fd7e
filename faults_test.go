//lint:file-ignore SA1019 the deprecated loggers of elastic-transport-go are still in use, and must not leak secrets either

package esapikey_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/esapikey/esapikey"
)

// Faults: what proxies, networks and broken servers do to a call. Every
// test checks that no goroutine outlives it: its servers are closed and its
// client's idle connections dropped before goleak looks.

// faultDocumented is the documented update, and faultBody its bytes.
var faultDocumented = esapikey.UpdateAPIKeyRequest{
	ID: testID,
	RoleDescriptors: map[string]esapikey.RoleDescriptor{
		"role-a": {Indices: []esapikey.IndicesPrivileges{{Names: []string{"*"}, Privileges: []string{"write"}}}},
	},
	Metadata: esapikey.Metadata{"environment": map[string]any{"level": 2, "trusted": true, "tags": []string{"production"}}},
}

const faultBody = `{"role_descriptors":{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}},"metadata":{"environment":{"level":2,"tags":["production"],"trusted":true}}}`

// noLeaks fails t when goroutines started during the test are still
// running once its cleanups, registered after this call, are done.
func noLeaks(t *testing.T) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
}

// faultServer is a test server that counts the connections it accepted.
type faultServer struct {
	*httptest.Server
	conns atomic.Int64
}

func newFaultServer(t *testing.T, h http.Handler) *faultServer {
	t.Helper()
	s := &faultServer{Server: httptest.NewUnstartedServer(h)}
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// faultClient is a client of addr over its own transport, whose idle
// connections are closed when the test ends.
func faultClient(t *testing.T, addr string, cfg esapikey.Config) *esapikey.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	cfg.Addresses = []string{addr}
	if cfg.Transport == nil {
		cfg.Transport = tr
	}
	c, err := esapikey.NewClient(cfg)
	require.NoError(t, err)
	return c
}

// attempts records what each attempt of a call sent.
type attempts struct {
	mu   sync.Mutex
	seen []received
}

func (a *attempts) add(r *http.Request) int {
	b, _ := io.ReadAll(r.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seen = append(a.seen, received{Method: r.Method, Path: r.URL.EscapedPath(), Header: r.Header.Clone(), Body: string(b)})
	return len(a.seen)
}

func (a *attempts) all() []received {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]received(nil), a.seen...)
}

// proxyAnswers are what a proxy sends when Elasticsearch is away.
var proxyAnswers = []struct {
	status      int
	contentType string
	body        string
}{
	{502, "text/html", "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>"},
	{503, "", ""},
	{504, "text/plain", "upstream request timeout"},
}

func TestFaults_retriedWithIdenticalBody(t *testing.T) {
	noLeaks(t)
	for _, tc := range []struct {
		name, prefix, id string
	}{
		{"plain id", "", testID},
		{"escaped id behind a path prefix", "/es", "a/b ?#%.."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rec attempts
			srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n := rec.add(r); n <= len(proxyAnswers) {
					a := proxyAnswers[n-1]
					if a.contentType != "" {
						w.Header().Set("Content-Type", a.contentType)
					}
					w.WriteHeader(a.status)
					io.WriteString(w, a.body)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				io.WriteString(w, `{"updated":true}`)
			}))
			c := faultClient(t, srv.URL+tc.prefix, esapikey.Config{Username: "elastic", Password: "changeme"})
			req := faultDocumented
			req.ID = tc.id
			res, err := c.UpdateAPIKey(context.Background(), req)
			require.NoError(t, err)
			assert.True(t, res.Updated)

			seen := rec.all()
			require.Len(t, seen, len(proxyAnswers)+1, "three failed attempts, then the one that succeeds")
			for i, r := range seen {
				assert.Equal(t, http.MethodPut, r.Method, "attempt %d", i+1)
				assert.Equal(t, seen[0].Path, r.Path, "attempt %d", i+1)
				assert.Equal(t, faultBody, r.Body, "attempt %d", i+1)
				assert.Equal(t, strconv.Itoa(len(faultBody)), r.Header.Get("Content-Length"), "attempt %d", i+1)
				assert.Equal(t, basicAuth("elastic", "changeme"), r.Header.Get("Authorization"), "attempt %d", i+1)
			}
			assert.Equal(t, tc.prefix+"/_security/api_key/"+strings.NewReplacer("/", "%2F", " ", "%20", "?", "%3F", "#", "%23", "%", "%25").Replace(tc.id), seen[0].Path)
			assert.EqualValues(t, 1, srv.conns.Load(), "every answer had a body read to its end: one connection")
		})
	}
}

func TestFaults_retriesExhausted(t *testing.T) {
	noLeaks(t)
	var rec attempts
	srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "<html><body>503 Service Unavailable</body></html>")
	}))
	c := faultClient(t, srv.URL, esapikey.Config{MaxRetries: 2})
	_, err := c.BulkUpdateAPIKeys(context.Background(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"a", "b"}, Metadata: esapikey.Metadata{}})
	e := assertError(t, err, http.StatusServiceUnavailable)
	assert.Contains(t, e.Body, "503 Service Unavailable")
	seen := rec.all()
	require.Len(t, seen, 3)
	for _, r := range seen {
		assert.Equal(t, `{"ids":["a","b"],"metadata":{}}`, r.Body)
	}
}

// resetAfter answers with the start of a response, then resets the
// connection (RST, not FIN).
func resetAfter(t *testing.T, w http.ResponseWriter, partial string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if !assert.NoError(t, err) {
		return
	}
	buf.WriteString(partial)
	buf.Flush()
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0)
	}
	conn.Close()
}

func TestFaults_connectionReset(t *testing.T) {
	noLeaks(t)
	t.Run("before the answer, then success: retried", func(t *testing.T) {
		var rec attempts
		srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if rec.add(r) == 1 {
				resetAfter(t, w, "")
				return
			}
			io.WriteString(w, `{"updated":true}`)
		}))
		c := faultClient(t, srv.URL, esapikey.Config{})
		res, err := c.UpdateAPIKey(context.Background(), faultDocumented)
		require.NoError(t, err)
		assert.True(t, res.Updated)
		seen := rec.all()
		require.Len(t, seen, 2)
		assert.Equal(t, faultBody, seen[0].Body)
		assert.Equal(t, faultBody, seen[1].Body)
	})
	t.Run("mid-body", func(t *testing.T) {
		srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			resetAfter(t, w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"upd")
		}))
		c := faultClient(t, srv.URL, esapikey.Config{})
		_, err := c.UpdateAPIKey(context.Background(), faultDocumented)
		require.Error(t, err)
		assert.True(t, errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF), "%v", err)
		assert.Contains(t, err.Error(), "reading the 200 response")
	})
	t.Run("mid-body of an error", func(t *testing.T) {
		srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			resetAfter(t, w, "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 300\r\n\r\n{\"error\":{")
		}))
		c := faultClient(t, srv.URL, esapikey.Config{})
		_, err := c.UpdateAPIKey(context.Background(), faultDocumented)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "reading the 404 response")
	})
	t.Run("every attempt", func(t *testing.T) {
		var n atomic.Int64
		srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			resetAfter(t, w, "")
		}))
		c := faultClient(t, srv.URL, esapikey.Config{MaxRetries: 2})
		_, err := c.UpdateAPIKey(context.Background(), faultDocumented)
		require.Error(t, err)
		var e *esapikey.Error
		assert.False(t, errors.As(err, &e), "a network failure is not an answer: %v", err)
		assert.EqualValues(t, 3, n.Load())
	})
}

func TestFaults_serverHangs(t *testing.T) {
	noLeaks(t)
	for _, tc := range []struct {
		name  string
		serve func(w http.ResponseWriter, release <-chan struct{})
	}{
		{"before the headers", func(w http.ResponseWriter, release <-chan struct{}) {
			<-release
		}},
		{"after the headers", func(w http.ResponseWriter, release <-chan struct{}) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "16")
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `{"upd`)
			http.NewResponseController(w).Flush()
			<-release
		}},
		{"in an error body", func(w http.ResponseWriter, release <-chan struct{}) {
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, `<html>`)
			http.NewResponseController(w).Flush()
			<-release
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			release := make(chan struct{})
			srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				tc.serve(w, release)
			}))
			t.Cleanup(func() { close(release) }) // before srv.Close, which waits for the handler
			c := faultClient(t, srv.URL, esapikey.Config{})
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			_, err := c.UpdateAPIKey(ctx, faultDocumented)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
		})
	}
}

// faultAnswer serves one answer for TestFaults_answers.
type faultAnswer struct {
	name        string
	status      int
	contentType string
	body        string
	// check says what the error must be: a *esapikey.Error or a
	// *esapikey.DecodeError with the status, and text its excerpt holds.
	decodeError bool
	excerpt     string
	// reused: the body is read to its end, so the next call reuses the
	// connection.
	reused bool
}

var faultAnswers = []faultAnswer{
	{name: "HTML error page", status: 502, contentType: "text/html", body: proxyAnswers[0].body, excerpt: "502 Bad Gateway", reused: true},
	{name: "empty 500", status: 500, reused: true},
	{name: "empty 200", status: 200, decodeError: true, reused: true},
	{name: "204 no content", status: 204, decodeError: true, reused: true},
	{name: "truncated JSON", status: 200, contentType: "application/json", body: `{"updated":tr`, decodeError: true, excerpt: `{"updated":tr`, reused: true},
	{name: "truncated error JSON", status: 400, contentType: "application/json", body: `{"error":{"root_cause":[{"type":"x_content_parse_exc`, excerpt: `{"error":{"root_cause"`, reused: true},
	{name: "JSON null", status: 200, contentType: "application/json", body: `null`, decodeError: true, reused: true},
	{name: "updated is a string", status: 200, contentType: "application/json", body: `{"updated":"true"}`, decodeError: true, reused: true},
	{name: "error is a number", status: 500, contentType: "application/json", body: `{"error":42,"status":500}`, excerpt: `{"error":42`, reused: true},
	{name: "error is null", status: 503, contentType: "application/json", body: `{"error":null}`, excerpt: `{"error":null}`, reused: true},
	{name: "HTML with 200", status: 200, contentType: "text/html", body: "<!DOCTYPE html><html><body>Login required</body></html>", decodeError: true, excerpt: "Login required", reused: true},
	{name: "invalid UTF-8", status: 502, contentType: "text/plain", body: "bad \xff\xfe gateway", excerpt: "bad \uFFFD\uFFFD gateway", reused: true},
}

func TestFaults_answers(t *testing.T) {
	noLeaks(t)
	for _, tc := range faultAnswers {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			c := faultClient(t, srv.URL, esapikey.Config{DisableRetry: true})
			for range 2 {
				_, err := c.UpdateAPIKey(context.Background(), faultDocumented)
				checkFaultError(t, err, tc)
				_, err = c.BulkUpdateAPIKeys(context.Background(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"a"}})
				checkFaultError(t, err, tc)
			}
			if tc.reused {
				assert.EqualValues(t, 1, srv.conns.Load(), "connections")
			}
		})
	}
}

func checkFaultError(t *testing.T, err error, tc faultAnswer) {
	t.Helper()
	require.Error(t, err)
	assert.NotEmpty(t, err.Error())
	if tc.decodeError {
		var de *esapikey.DecodeError
		require.ErrorAs(t, err, &de)
		assert.Equal(t, tc.status, de.StatusCode)
		assert.Contains(t, de.Body, tc.excerpt)
		return
	}
	e := assertError(t, err, tc.status)
	assert.Contains(t, e.Body, tc.excerpt)
}

// TestFaults_wrongContentType: the body decides, not the Content-Type a
// proxy may have rewritten.
func TestFaults_wrongContentType(t *testing.T) {
	noLeaks(t)
	srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=ISO-8859-1")
		if r.URL.Path == "/_security/api_key/missing" {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, notFound)
			return
		}
		io.WriteString(w, `{"updated":false}`)
	}))
	c := faultClient(t, srv.URL, esapikey.Config{DisableRetry: true})
	res, err := c.UpdateAPIKey(context.Background(), faultDocumented)
	require.NoError(t, err)
	assert.False(t, res.Updated)
	req := faultDocumented
	req.ID = "missing"
	_, err = c.UpdateAPIKey(context.Background(), req)
	assertSentinel(t, err, esapikey.ErrNotFound)
}

// endless writes n bytes of filler and counts what it wrote.
func endless(n int64, filler byte, written *atomic.Int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		chunk := bytes.Repeat([]byte{filler}, 32<<10)
		chunk[0] = '['
		for sent := int64(0); sent < n; sent += int64(len(chunk)) {
			m, err := w.Write(chunk)
			written.Add(int64(m))
			if err != nil {
				return
			}
			chunk[0] = filler
		}
	}
}

func TestFaults_hugeBodyIsCapped(t *testing.T) {
	noLeaks(t)
	const size = 256 << 20 // far more than the client keeps
	var written atomic.Int64
	srv := newFaultServer(t, endless(size, ' ', &written))
	c := faultClient(t, srv.URL, esapikey.Config{DisableRetry: true})

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := c.UpdateAPIKey(context.Background(), faultDocumented)
	runtime.ReadMemStats(&after)

	var de *esapikey.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, http.StatusOK, de.StatusCode)
	assert.Contains(t, de.Error(), "larger than")
	assert.LessOrEqual(t, len(de.Body), 1024)
	srv.CloseClientConnections() // the handler may still be writing into a full socket
	assert.Less(t, written.Load(), int64(size), "the client stopped reading")
	// Allocation covers the capped body and the buffers of both sides, far
	// below the size of the body.
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "bytes allocated")
}

func TestFaults_slowDrip(t *testing.T) {
	noLeaks(t)
	drip := func(body string, gap time.Duration) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			rc := http.NewResponseController(w)
			for i := 0; i < len(body); i++ {
				if _, err := io.WriteString(w, body[i:i+1]); err != nil {
					return
				}
				rc.Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(gap):
				}
			}
		}
	}
	t.Run("within the deadline", func(t *testing.T) {
		srv := newFaultServer(t, drip(`{"updated":true}`, 5*time.Millisecond))
		c := faultClient(t, srv.URL, esapikey.Config{})
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		res, err := c.UpdateAPIKey(ctx, faultDocumented)
		require.NoError(t, err)
		assert.True(t, res.Updated)
	})
	t.Run("past the deadline", func(t *testing.T) {
		srv := newFaultServer(t, drip(`{"updated":true}`+strings.Repeat(" ", 1000), 10*time.Millisecond))
		c := faultClient(t, srv.URL, esapikey.Config{})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		_, err := c.UpdateAPIKey(ctx, faultDocumented)
		require.Error(t, err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

// TestFaults_secretsNotLogged turns on every log the transport has, with
// bodies, and checks that no credential appears in them, nor in errors.
func TestFaults_secretsNotLogged(t *testing.T) {
	noLeaks(t)
	const (
		password = "Pa55-w0rd-never-logged"
		token    = "AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Rva2VuLTE2OTc"
		keyPart  = "k3y-s3cret-never-logged"
	)
	apiKey := base64.StdEncoding.EncodeToString([]byte("key-id:" + keyPart))
	secrets := []string{password, token, base64.StdEncoding.EncodeToString([]byte("elastic:" + password)), apiKey, keyPart}
	srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case strings.Contains(r.URL.Path, "unauthorized"):
			w.Header().Set("WWW-Authenticate", `Basic realm="security"`)
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":{"type":"security_exception","reason":"unable to authenticate user [elastic] for REST request [/_security/api_key/unauthorized]"},"status":401}`)
		case strings.Contains(r.URL.Path, "proxy"):
			w.WriteHeader(http.StatusBadGateway)
		default:
			io.WriteString(w, `{"updated":true}`)
		}
	}))
	var logs bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewTextHandler(lockedWriter{&mu, &logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	lw := lockedWriter{&mu, &logs}

	clients := map[string]*esapikey.Client{
		"Config.Logger, basic auth": faultClient(t, srv.URL, esapikey.Config{Username: "elastic", Password: password, Logger: logger, MaxRetries: 1}),
		"Config.Logger, token":      faultClient(t, srv.URL, esapikey.Config{Token: token, Logger: logger, MaxRetries: 1}),
		"Config.Logger, API key":    faultClient(t, srv.URL, esapikey.Config{APIKey: apiKey, Logger: logger, MaxRetries: 1}),
		"credentials in the URL": faultClient(t, strings.Replace(srv.URL, "://", "://elastic:"+password+"@", 1),
			esapikey.Config{Logger: logger, MaxRetries: 1}),
	}
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	for name, logger := range map[string]elastictransport.Logger{
		"TextLogger":  &elastictransport.TextLogger{Output: lw, EnableRequestBody: true, EnableResponseBody: true},
		"JSONLogger":  &elastictransport.JSONLogger{Output: lw, EnableRequestBody: true, EnableResponseBody: true},
		"CurlLogger":  &elastictransport.CurlLogger{Output: lw, EnableRequestBody: true, EnableResponseBody: true},
		"ColorLogger": &elastictransport.ColorLogger{Output: lw, EnableRequestBody: true, EnableResponseBody: true},
	} {
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		tp, err := elastictransport.New(elastictransport.Config{
			URLs: []*url.URL{u}, Username: "elastic", Password: password, Logger: logger, Transport: tr, MaxRetries: 1,
			Interceptors: []elastictransport.InterceptorFunc{esapikey.PathInterceptor, elastictransport.LoggingInterceptor(true, true)},
		})
		require.NoError(t, err)
		clients[name] = esapikey.NewWithTransport(tp)
		if name == "TextLogger" {
			tp2, err := elastictransport.NewClient(
				elastictransport.WithURLs(u), elastictransport.WithBasicAuth("elastic", password), elastictransport.WithTransport(tr),
				elastictransport.WithLeveledLogger(&elastictransport.SlogLogger{Logger: logger2(lw)}),
				elastictransport.WithInterceptors(esapikey.PathInterceptor, elastictransport.LoggingInterceptor(true, true)),
			)
			require.NoError(t, err)
			clients["LoggingInterceptor with bodies"] = esapikey.NewWithTransport(tp2)
		}
	}

	var errs []error
	for name, c := range clients {
		for _, id := range []string{testID, "unauthorized", "proxy"} {
			req := faultDocumented
			req.ID = id
			_, err := c.UpdateAPIKey(context.Background(), req)
			if id != testID {
				require.Error(t, err, name)
				errs = append(errs, err)
			} else {
				require.NoError(t, err, name)
			}
		}
	}
	// A node that refuses connections.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := "http://elastic:" + password + "@" + ln.Addr().String()
	ln.Close()
	c := faultClient(t, addr, esapikey.Config{Logger: logger, DisableRetry: true})
	_, err = c.UpdateAPIKey(context.Background(), faultDocumented)
	require.Error(t, err)
	errs = append(errs, err)

	mu.Lock()
	out := logs.String()
	mu.Unlock()
	require.Contains(t, out, "/_security/api_key/", "the logs were written")
	for _, s := range secrets {
		assert.NotContains(t, out, s, "logs")
		for _, err := range errs {
			for _, verb := range formatVerbs {
				assert.NotContains(t, fmt.Sprintf(verb, err), s, "error formatted with %s", verb)
			}
		}
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func logger2(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// TestFaults_concurrentClient shares one Client between goroutines that
// each send their own requests, answered with their own results, mixed
// with failures and retries: under -race this checks every shared
// structure, and that no answer reaches the wrong caller.
func TestFaults_concurrentClient(t *testing.T) {
	noLeaks(t)
	const workers, calls = 16, 40
	var mu sync.Mutex
	seen := map[string]int{}
	srv := newFaultServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		// Every fifth request is refused at its first attempt, and retried.
		mu.Lock()
		key := r.URL.Path + string(body)
		seen[key]++
		first := seen[key] == 1 && len(seen)%5 == 0
		mu.Unlock()
		if first {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		switch {
		case r.URL.Path == "/_security/api_key/_bulk_update":
			// {"ids":[...],"metadata":{...}}: the ids are answered as updated.
			ids := body[len(`{"ids":`):bytes.Index(body, []byte(`,"metadata"`))]
			fmt.Fprintf(w, `{"updated":%s,"noops":[]}`, ids)
		case strings.HasSuffix(r.URL.Path, "/missing"):
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, notFound)
		default:
			// The id is "k-<worker>-<call>"; the metadata must say the same.
			id := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
			want := fmt.Sprintf(`{"metadata":{"id":%q}}`, id)
			if string(body) != want {
				w.WriteHeader(http.StatusBadRequest)
				fmt.Fprintf(w, `{"error":"body %s for id %s"}`, body, id)
				return
			}
			fmt.Fprintf(w, `{"updated":%t}`, len(id)%2 == 0)
		}
	}))
	tr := &http.Transport{MaxIdleConnsPerHost: workers}
	c := faultClient(t, srv.URL, esapikey.Config{Transport: tr, MaxRetries: 5})
	t.Cleanup(tr.CloseIdleConnections)

	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for i := range calls {
				id := fmt.Sprintf("k-%d-%d", w, i)
				switch i % 3 {
				case 0:
					res, err := c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: id, Metadata: esapikey.Metadata{"id": id}}, esapikey.WithOpaqueID(id))
					if assert.NoError(t, err) {
						assert.Equal(t, len(id)%2 == 0, res.Updated, id)
					}
				case 1:
					ids := []string{id, id + "-a", id + "-bb"}
					res, err := c.BulkUpdateAPIKeys(ctx, esapikey.BulkUpdateAPIKeysRequest{IDs: ids, Metadata: esapikey.Metadata{"w": w}})
					if assert.NoError(t, err) {
						assert.Equal(t, ids, res.Updated)
					}
				case 2:
					_, err := c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: "missing", Metadata: esapikey.Metadata{"id": id}})
					assert.ErrorIs(t, err, esapikey.ErrNotFound)
				}
			}
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, srv.conns.Load(), int64(2*workers), "connections are reused")
}
