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
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

// target is where the conformance tests run: a fresh esapikeytest server, or the real cluster at
// ELASTICSEARCH_URL. Everything is set up over REST with raw net/http, so both are driven alike.
type target struct {
	t      *testing.T
	url    string
	admin  cred
	srv    *esapikeytest.Server // nil on a real cluster
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

func newTarget(t *testing.T) *target {
	t.Helper()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	tg := &target{t: t, prefix: "esk_" + hex.EncodeToString(b), client: &http.Client{Timeout: 30 * time.Second}}
	if url := os.Getenv("ELASTICSEARCH_URL"); url != "" {
		tg.url = strings.TrimRight(url, "/")
		tg.admin = cred{user: envOr("ELASTICSEARCH_USERNAME", "elastic"), pass: envOr("ELASTICSEARCH_PASSWORD", "changeme")}
		return tg
	}
	tg.srv = esapikeytest.NewServer()
	t.Cleanup(tg.srv.Close)
	tg.url, tg.admin = tg.srv.URL, cred{user: "elastic", pass: "changeme"}
	return tg
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
	req := tg.request(method, path, body)
	if body != noBody {
		req.Header.Set("Content-Type", "application/json")
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

// get returns the key as GET /_security/api_key shows it to the admin, with its limited-by roles.
func (tg *target) get(id string) map[string]any {
	tg.t.Helper()
	r := tg.call(tg.admin, "GET", "/_security/api_key?with_limited_by=true&id="+id, noBody).ok(tg.t)
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
