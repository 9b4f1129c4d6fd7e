package esapikeytest_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

// send is a raw request to a fresh server's handler, as the superuser unless auth is given.
func send(t *testing.T, srv *esapikeytest.Server, method, path, contentType, body string, auth ...string) (*http.Response, string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if len(auth) > 0 {
		req.Header.Set("Authorization", auth[0])
	} else {
		req.SetBasicAuth("elastic", "changeme")
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, string(b)
}

// Literal paths Elasticsearch serves and this server does not answer "no handler found" (PathTrie
// finds the literal node, which has no method), never the {name} route beside them.
func TestRoutesReservedLiteralsAnswerNoHandler(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	for _, c := range []struct{ method, path string }{
		{"PUT", "/_security/user/_password"},
		{"POST", "/_security/user/_password"},
		{"POST", "/_security/user/bob/_password"},
		{"GET", "/_security/privilege/_builtin"},
		{"POST", "/_security/role/r1/_clear_cache"},
		{"GET", "/_nope"},
	} {
		res, body := send(t, srv, c.method, c.path, "application/json", `{"password":"a-new-password","roles":[]}`)
		assert.Equal(t, http.StatusBadRequest, res.StatusCode, "%s %s", c.method, c.path)
		assert.JSONEq(t, `{"error":"no handler found for uri [`+c.path+`] and method [`+c.method+`]"}`, body, "%s %s", c.method, c.path)
	}
	_, body := send(t, srv, "GET", "/_security/user", "", "")
	assert.NotContains(t, body, "_password")
}

func TestRoutesOptionsAndUnknownMethods(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	res, body := send(t, srv, "OPTIONS", "/_security/api_key/some-id/_clear_cache", "", "")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "POST", res.Header.Get("Allow"))
	assert.Equal(t, "text/plain; charset=UTF-8", res.Header.Get("Content-Type"))
	assert.Empty(t, body)
	res, _ = send(t, srv, "OPTIONS", "/_nope", "", "")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Empty(t, res.Header.Get("Allow"))

	res, body = send(t, srv, "FOO", "/_security/api_key/some-id/_clear_cache", "", "")
	assert.Equal(t, http.StatusMethodNotAllowed, res.StatusCode)
	assert.JSONEq(t, `{"error":"Unexpected http method: FOO, allowed: [POST]","status":405}`, body)
}

// R8: Elasticsearch reads YAML, CBOR and SMILE bodies; this server says it reads JSON only instead of
// reporting a JSON parse error.
func TestRoutesNonJSONBodiesRefusedClearly(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	key, err := srv.CreateAPIKey("elastic", `{"name":"k"}`)
	require.NoError(t, err)
	// A versioned type needs the same version on Accept (RestCompatibleVersionHelper).
	versioned := func(ct, body string) (*http.Response, string) {
		req, err := http.NewRequest("PUT", srv.URL+"/_security/api_key/"+key.ID, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", ct)
		req.Header.Set("Accept", "application/vnd.elasticsearch+json; compatible-with=9")
		req.SetBasicAuth("elastic", "changeme")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res, string(b)
	}
	for _, ct := range []string{"application/yaml", "application/cbor", "application/smile",
		"application/vnd.elasticsearch+yaml; compatible-with=9"} {
		res, body := send(t, srv, "PUT", "/_security/api_key/"+key.ID, ct, "metadata: {}\n")
		if strings.Contains(ct, "compatible-with") {
			res, body = versioned(ct, "metadata: {}\n")
		}
		assert.Equal(t, http.StatusNotAcceptable, res.StatusCode, ct)
		assert.JSONEq(t, `{"error":"Content-Type header [`+ct+`] is not supported: esapikeytest reads request bodies as JSON only `+
			`(application/json); Elasticsearch also reads YAML, CBOR and SMILE","status":406}`, body, ct)
	}
	res, body := versioned("application/vnd.elasticsearch+json; compatible-with=9", `{"metadata":{}}`)
	assert.Equal(t, http.StatusOK, res.StatusCode, body)
	res, _ = send(t, srv, "PUT", "/_security/api_key/"+key.ID, "application/x-www-form-urlencoded", `{"metadata":{}}`)
	assert.Equal(t, http.StatusNotAcceptable, res.StatusCode)
}

// ClusterHealthResponse's field order and the double active_shards_percent_as_number, byte for byte.
func TestRoutesClusterHealthBody(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	res, body := send(t, srv, "GET", "/_cluster/health?wait_for_status=yellow&timeout=30s", "", "")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, `{"cluster_name":"esapikeytest","status":"green","timed_out":false,"number_of_nodes":1,"number_of_data_nodes":1,`+
		`"active_primary_shards":1,"active_shards":1,"relocating_shards":0,"initializing_shards":0,"unassigned_shards":0,`+
		`"unassigned_primary_shards":0,"delayed_unassigned_shards":0,"number_of_pending_tasks":0,"number_of_in_flight_fetch":0,`+
		`"task_max_waiting_in_queue_millis":0,"active_shards_percent_as_number":100.0}`, body)
	_, body = send(t, srv, "GET", "/_cluster/health/.security-7,nope-*?level=shards", "", "")
	assert.Contains(t, body, `"indices":{".security-7":{"status":"green","number_of_shards":1,"number_of_replicas":0,`)
	assert.Contains(t, body, `"shards":{"0":{"status":"green","primary_active":true,`)
	res, body = send(t, srv, "GET", "/_cluster/health/logs?wait_for_status=green", "", "")
	assert.Equal(t, http.StatusRequestTimeout, res.StatusCode)
	assert.Contains(t, body, `"status":"red","timed_out":true,`)
	assert.Contains(t, body, `"active_primary_shards":0,`)
}

func between(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}
