package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

// secret is the password of every user and the token of every test; no
// output of any test may contain it, in clear or in a Basic header.
const secret = "Qx7-distinctive-S3CRET-9pw"

var secretForms = []string{
	secret,
	base64.StdEncoding.EncodeToString([]byte("alice:" + secret)),
	base64.StdEncoding.EncodeToString([]byte("elastic:" + secret)),
}

// result is what one run of the command left behind.
type result struct {
	code           int
	stdout, stderr string
}

// json decodes stdout.
func (r result) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &v), "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	return v
}

// runCLI runs the command in-process with stdin and checks that no secret
// leaked into its output.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(stdin), &stdout, &stderr)
	r := result{code: code, stdout: stdout.String(), stderr: stderr.String()}
	assertNoSecret(t, r.stdout, r.stderr)
	return r
}

func assertNoSecret(t *testing.T, outputs ...string) {
	t.Helper()
	for _, out := range outputs {
		for _, s := range secretForms {
			require.NotContains(t, out, s, "a credential leaked")
		}
	}
}

var envVars = []string{
	"ELASTICSEARCH_URL", "ELASTICSEARCH_USERNAME", "ELASTICSEARCH_PASSWORD", "ELASTICSEARCH_TOKEN",
	"ELASTICSEARCH_CA_CERT", "ELASTICSEARCH_CERT_FINGERPRINT",
}

// clearEnv hides the environment of the machine running the tests.
// runWithConfig runs "esapikey update id" against an address nothing answers, with the variables env
// and the flags args, in which TWOLINES (a password file of two lines) and NOTPEM (a CA file that is
// not PEM) stand for files written for the test.
func runWithConfig(t *testing.T, env map[string]string, args []string) result {
	t.Helper()
	clearEnv(t)
	t.Setenv("ELASTICSEARCH_URL", "http://127.0.0.1:1")
	for k, v := range env {
		t.Setenv(k, v)
	}
	cmd := []string{"update", "id"}
	for _, a := range args {
		switch a {
		case "TWOLINES":
			a = writeFile(t, "pw", secret+"\nsecond line\n")
		case "NOTPEM":
			a = writeFile(t, "ca.pem", "not a certificate")
		}
		cmd = append(cmd, a)
	}
	return runCLI(t, "", cmd...)
}

func clearEnv(t *testing.T) {
	for _, v := range envVars {
		t.Setenv(v, "")
	}
}

// recorded is one request as it reached the server.
type recorded struct {
	Method string
	URI    string // as sent: escaped path and query
	Header http.Header
	Body   string
}

// recorder keeps the requests that pass through it.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (rec *recorder) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, recorded{r.Method, r.RequestURI, r.Header.Clone(), string(body)})
		rec.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func (rec *recorder) requests() []recorded {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recorded(nil), rec.reqs...)
}

// cluster is an esapikeytest server behind a recorder, with alice, who may
// manage her own keys, and the superuser elastic, both with password
// secret. The environment points the command at it as alice.
type cluster struct {
	*esapikeytest.Server
	rec *recorder
	url string
}

func newCluster(t *testing.T) *cluster {
	t.Helper()
	clearEnv(t)
	es := esapikeytest.NewUnstartedServer(esapikeytest.WithSuperuser("elastic", secret))
	rec := &recorder{}
	hs := httptest.NewServer(rec.wrap(es.Handler()))
	t.Cleanup(hs.Close)
	require.NoError(t, es.PutRole("owner", `{"cluster":["manage_own_api_key"],"indices":[{"names":["*"],"privileges":["all"]}]}`))
	require.NoError(t, es.AddUser("alice", secret, "owner"))
	t.Setenv("ELASTICSEARCH_URL", hs.URL)
	t.Setenv("ELASTICSEARCH_USERNAME", "alice")
	t.Setenv("ELASTICSEARCH_PASSWORD", secret)
	return &cluster{Server: es, rec: rec, url: hs.URL}
}

// key creates a key of alice's from a Create API key body.
func (c *cluster) key(t *testing.T, body string) string {
	t.Helper()
	k, err := c.CreateAPIKey("alice", body)
	require.NoError(t, err)
	return k.ID
}

func (c *cluster) stored(t *testing.T, id string) esapikeytest.StoredKey {
	t.Helper()
	k, ok := c.APIKey(id)
	require.True(t, ok, "no key %s", id)
	return k
}

// fake is an httptest server answering every request with handler, for the
// answers esapikeytest does not give (5xx, proxies, garbage).
func fake(t *testing.T, handler http.HandlerFunc) *recorder {
	t.Helper()
	clearEnv(t)
	rec := &recorder{}
	hs := httptest.NewServer(rec.wrap(handler))
	t.Cleanup(hs.Close)
	t.Setenv("ELASTICSEARCH_URL", hs.URL)
	t.Setenv("ELASTICSEARCH_USERNAME", "alice")
	t.Setenv("ELASTICSEARCH_PASSWORD", secret)
	return rec
}

// answer is a handler giving one status and body.
func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Elastic-Product", "Elasticsearch")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// writeFile writes a file in the test's directory and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// assertJSON checks that got is the JSON want, whatever its layout.
func assertJSON(t *testing.T, want, got string) {
	t.Helper()
	assert.JSONEq(t, want, got)
}

var lookupEnv = os.LookupEnv

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}
