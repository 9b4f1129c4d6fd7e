package esapikeytest_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// target is where the conformance tests run: a fresh esapikeytest server imitating one release, or
// the real cluster at ELASTICSEARCH_URL. Everything is set up over REST with raw net/http, so both
// are driven alike.
type target struct {
	t      *testing.T
	url    string
	admin  cred
	srv    *esapikeytest.Server // nil on a real cluster
	v      version.Version      // the release: the server's, or the one the cluster reports
	prefix string               // makes user and role names unique per run
	client *http.Client
}

// cred is how a request authenticates: basic, an encoded API key, or nothing; optionally run as someone.
type cred struct {
	user, pass string
	apiKey     string
	runAs      string
}

const testPassword = "x-pack-test-password"

// seq numbers the users and roles of a run.
var seq atomic.Int64

// matrix is the releases the in-memory conformance suite runs at: the oldest, the releases where the
// rows its scenarios rely on change, and the newest.
var matrix = []string{"8.4.0", "8.12.0", "8.13.0", "8.14.0", "8.15.0", "8.17.0", "9.0.0", "9.3.0"}

// needs are the features of the release table a scenario relies on: it applies to the releases that
// have them all. Every release has a message (a Wording feature), so a message among the needs means
// the release words it as the newest release does. Expectations that differ between the releases a
// scenario applies to are computed from the table in the scenario.
type needs []version.Feature

// lacking returns the first feature of n that release v does not have, and whether there is one.
func (n needs) lacking(v version.Version) (version.Feature, bool) {
	for _, f := range n {
		if rows := version.Rows(f); rows[0].Kind == version.Wording {
			if v.Text(f) != version.Newest.Text(f) {
				return f, true
			}
		} else if !v.Has(f) {
			return f, true
		}
	}
	return 0, false
}

// forVersions runs a scenario at each release of the matrix that has what it needs, each in a
// subtest named by the release, on a fresh server. With ELASTICSEARCH_URL it runs once, against that
// cluster, if the release the cluster reports has what the scenario needs, and skips saying why if not.
func forVersions(t *testing.T, need needs, run func(t *testing.T, tg *target)) {
	t.Helper()
	if os.Getenv("ELASTICSEARCH_URL") != "" {
		v := realRelease(t)
		if f, ok := need.lacking(v); ok {
			t.Skipf("Elasticsearch %s lacks what the scenario needs: %s", v, describe(f))
		}
		run(t, newTargetAt(t, v))
		return
	}
	ran := false
	for _, s := range matrix {
		v := version.MustCheck(s)
		if _, ok := need.lacking(v); ok {
			continue
		}
		ran = true
		t.Run(s, func(t *testing.T) { run(t, newTargetAt(t, v)) })
	}
	if !ran {
		t.Fatalf("no release of the matrix %v has all of %v", matrix, need)
	}
}

// describe says what a feature is and from which release, for a skipped scenario.
func describe(f version.Feature) string {
	rows := version.Rows(f)
	last := rows[len(rows)-1]
	if last.Kind == version.Wording {
		return sprintf("%s worded as from %s (%q)", f, last.Since, last.Text)
	}
	return sprintf("%s (%s), from %s", f, rows[0].What, rows[0].Since)
}

// newTarget is a target imitating the default release (esapikeytest.Version), or the real cluster.
// Scenarios that have not declared what they need use it; on a real cluster they run whatever its release.
func newTarget(t *testing.T) *target {
	t.Helper()
	if os.Getenv("ELASTICSEARCH_URL") != "" {
		return newTargetAt(t, realRelease(t))
	}
	return newTargetAt(t, version.MustCheck(esapikeytest.Version))
}

// newTargetAt is a fresh server imitating release v, or the real cluster (whose release is v).
func newTargetAt(t *testing.T, v version.Version) *target {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	tg := &target{t: t, v: v, prefix: "esk_" + hex.EncodeToString(b), client: &http.Client{Timeout: 30 * time.Second}}
	if url := os.Getenv("ELASTICSEARCH_URL"); url != "" {
		tg.url = strings.TrimRight(url, "/")
		tg.admin = cred{user: envOr("ELASTICSEARCH_USERNAME", "elastic"), pass: envOr("ELASTICSEARCH_PASSWORD", "changeme")}
		return tg
	}
	tg.srv = esapikeytest.NewServer(esapikeytest.WithVersion(v.String()))
	t.Cleanup(tg.srv.Close)
	tg.url, tg.admin = tg.srv.URL, cred{user: "elastic", pass: "changeme"}
	return tg
}

// has reports whether the target's release has f.
func (tg *target) has(f version.Feature) bool { return tg.v.Has(f) }

// The release of the cluster at ELASTICSEARCH_URL, read once from GET /.
var (
	realOnce    sync.Once
	realVersion version.Version
	realErr     error
)

// realRelease returns the release the real cluster reports. A release newer than the table's is
// taken as it is: it has every feature the newest release has (rows without an end hold on).
func realRelease(t *testing.T) version.Version {
	t.Helper()
	realOnce.Do(func() { realVersion, realErr = readRelease() })
	require.NoError(t, realErr)
	return realVersion
}

func readRelease() (version.Version, error) {
	req, err := http.NewRequest("GET", strings.TrimRight(os.Getenv("ELASTICSEARCH_URL"), "/")+"/", nil)
	if err != nil {
		return version.Version{}, err
	}
	req.SetBasicAuth(envOr("ELASTICSEARCH_USERNAME", "elastic"), envOr("ELASTICSEARCH_PASSWORD", "changeme"))
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return version.Version{}, err
	}
	defer res.Body.Close()
	var root struct {
		Version struct {
			Number string `json:"number"`
		} `json:"version"`
	}
	if err := json.NewDecoder(res.Body).Decode(&root); err != nil {
		return version.Version{}, fmt.Errorf("GET / of ELASTICSEARCH_URL: %w", err)
	}
	number, _, _ := strings.Cut(root.Version.Number, "-") // 9.4.0-SNAPSHOT is 9.4.0
	v, err := version.Parse(number)
	if err != nil {
		return version.Version{}, fmt.Errorf("GET / of ELASTICSEARCH_URL: %w", err)
	}
	if v.Before(version.Oldest) {
		return version.Version{}, fmt.Errorf("the cluster at ELASTICSEARCH_URL is Elasticsearch %s; the conformance suite describes %s", v, version.Range)
	}
	return v, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func (tg *target) real() bool { return tg.srv == nil }

// reply is an answer, decoded when it is JSON.
type reply struct {
	status int
	header http.Header
	raw    []byte
	obj    map[string]any
}

// noBody sends a request without a body (as opposed to an empty JSON object).
const noBody = ""

func (tg *target) call(c cred, method, path, body string) *reply {
	tg.t.Helper()
	return tg.callWith(c, method, path, body, nil)
}

// callWith is call with request headers of its own (Accept, Content-Type), which replace call's.
func (tg *target) callWith(c cred, method, path, body string, header map[string]string) *reply {
	tg.t.Helper()
	req := tg.request(method, path, body)
	if body != noBody {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	switch {
	case c.apiKey != "":
		req.Header.Set("Authorization", "ApiKey "+c.apiKey)
	case c.user != "":
		req.SetBasicAuth(c.user, c.pass)
	}
	if c.runAs != "" {
		req.Header.Set("es-security-runas-user", c.runAs)
	}
	r := tg.send(req)
	assert.Equal(tg.t, "Elasticsearch", r.header.Get("X-Elastic-Product"), "%s %s", method, path)
	return r
}

func (tg *target) request(method, path, body string) *http.Request {
	tg.t.Helper()
	var rd io.Reader
	if body != noBody {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, tg.url+path, rd)
	require.NoError(tg.t, err)
	return req
}

// send performs a request and decodes an answer that is a JSON object.
func (tg *target) send(req *http.Request) *reply {
	tg.t.Helper()
	res, err := tg.client.Do(req)
	require.NoError(tg.t, err)
	defer res.Body.Close()
	r := &reply{status: res.StatusCode, header: res.Header}
	r.raw, err = io.ReadAll(res.Body)
	require.NoError(tg.t, err)
	if len(r.raw) > 0 && r.raw[0] == '{' {
		require.NoError(tg.t, json.Unmarshal(r.raw, &r.obj), string(r.raw))
	}
	return r
}

// at follows a dotted path through the decoded answer; numbers index arrays.
func (r *reply) at(path string) any {
	var v any = r.obj
	for _, part := range strings.Split(path, ".") {
		switch cur := v.(type) {
		case map[string]any:
			v = cur[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i >= len(cur) {
				return nil
			}
			v = cur[i]
		default:
			return nil
		}
	}
	return v
}

// ok asserts a 200 answer and returns it.
func (r *reply) ok(t *testing.T) *reply {
	t.Helper()
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	return r
}

var locPrefix = regexp.MustCompile(`\[\d+:\d+\] `)

// sameReason compares reasons, with any "[L:C] " location prefix matching any other.
func sameReason(want, got string) bool {
	return locPrefix.ReplaceAllString(want, "[L:C] ") == locPrefix.ReplaceAllString(got, "[L:C] ")
}

// isError asserts an Elasticsearch error body: status, type and reason (location prefixes match loosely).
func (r *reply) isError(t *testing.T, status int, typ, reason string) {
	t.Helper()
	require.Equal(t, status, r.status, string(r.raw))
	assert.Equal(t, float64(status), r.obj["status"], string(r.raw))
	assert.Equal(t, typ, r.at("error.type"), string(r.raw))
	got, _ := r.at("error.reason").(string)
	assert.True(t, sameReason(reason, got), "reason\nwant: %s\n got: %s", reason, got)
	assert.NotNil(t, r.at("error.root_cause.0.type"), string(r.raw))
}

// causedBy asserts the first cause of an error.
func (r *reply) causedBy(t *testing.T, typ, reason string) {
	t.Helper()
	assert.Equal(t, typ, r.at("error.caused_by.type"), string(r.raw))
	got, _ := r.at("error.caused_by.reason").(string)
	assert.True(t, sameReason(reason, got), "caused_by reason\nwant: %s\n got: %s", reason, got)
}

// rootCause asserts the first root cause of an error.
func (r *reply) rootCause(t *testing.T, typ, reason string) {
	t.Helper()
	assert.Equal(t, typ, r.at("error.root_cause.0.type"), string(r.raw))
	got, _ := r.at("error.root_cause.0.reason").(string)
	assert.True(t, sameReason(reason, got), "root_cause reason\nwant: %s\n got: %s", reason, got)
}

// role creates a role over REST and deletes it when the test ends.
func (tg *target) role(body string) string {
	tg.t.Helper()
	name := fmt.Sprintf("%s_role_%d", tg.prefix, seq.Add(1))
	tg.putRole(name, body)
	tg.t.Cleanup(func() { tg.call(tg.admin, "DELETE", "/_security/role/"+name, noBody) })
	return name
}

func (tg *target) putRole(name, body string) {
	tg.t.Helper()
	tg.call(tg.admin, "PUT", "/_security/role/"+name, body).ok(tg.t)
}

// user creates a native user with the given roles, and removes it and its keys when the test ends.
func (tg *target) user(roles ...string) cred {
	tg.t.Helper()
	name := fmt.Sprintf("%s_user_%d", tg.prefix, seq.Add(1))
	tg.putUser(name, `{"password":"`+testPassword+`","roles":`+jsonString(roles)+`,"full_name":"API key user"}`)
	tg.t.Cleanup(func() {
		tg.call(tg.admin, "DELETE", "/_security/api_key", `{"username":"`+name+`"}`)
		tg.call(tg.admin, "DELETE", "/_security/user/"+name, noBody)
	})
	return cred{user: name, pass: testPassword}
}

func (tg *target) putUser(name, body string) {
	tg.t.Helper()
	tg.call(tg.admin, "PUT", "/_security/user/"+name, body).ok(tg.t)
}

// owner is a user who may manage its own keys and has every index privilege, as in Elasticsearch's tests.
func (tg *target) owner() cred {
	return tg.user(tg.role(`{"cluster":["manage_own_api_key"],"indices":[{"names":["*"],"privileges":["all"]}]}`))
}

// key creates a key as c and returns its id and the credentials to authenticate with it.
func (tg *target) key(c cred, body string) (string, cred) {
	tg.t.Helper()
	r := tg.call(c, "POST", "/_security/api_key", body).ok(tg.t)
	id, _ := r.obj["id"].(string)
	enc, _ := r.obj["encoded"].(string)
	require.NotEmpty(tg.t, id)
	secret, _ := r.obj["api_key"].(string)
	assert.Equal(tg.t, base64.StdEncoding.EncodeToString([]byte(id+":"+secret)), enc)
	return id, cred{apiKey: enc}
}

// expiredKey returns a key of c that has expired: the in-memory clock advances, a real cluster waits.
func (tg *target) expiredKey(c cred) string {
	tg.t.Helper()
	id, _ := tg.key(c, `{"name":"expiring","expiration":"1s"}`)
	if tg.real() {
		time.Sleep(2100 * time.Millisecond)
	} else {
		tg.srv.Advance(2 * time.Second)
	}
	return id
}

// get returns the key as GET /_security/api_key shows it to the admin, with its limited-by roles
// from the release that renders them.
func (tg *target) get(id string) map[string]any {
	tg.t.Helper()
	path := "/_security/api_key?id=" + id
	if tg.has(version.GetWithLimitedBy) {
		path += "&with_limited_by=true"
	}
	r := tg.call(tg.admin, "GET", path, noBody).ok(tg.t)
	keys, _ := r.obj["api_keys"].([]any)
	require.Len(tg.t, keys, 1, string(r.raw))
	return keys[0].(map[string]any)
}

// update calls PUT /_security/api_key/{id} as c and returns the "updated" flag of a 200 answer.
func (tg *target) update(c cred, id, body string) bool {
	tg.t.Helper()
	r := tg.call(c, "PUT", "/_security/api_key/"+id, body).ok(tg.t)
	updated, ok := r.obj["updated"].(bool)
	require.True(tg.t, ok, string(r.raw))
	return updated
}

func jsonString(v any) string {
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	return strings.TrimSpace(b.String())
}

// decode parses a JSON literal, for comparisons with decoded answers.
func decode(t *testing.T, s string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	return v
}
