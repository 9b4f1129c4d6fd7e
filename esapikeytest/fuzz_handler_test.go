package esapikeytest_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/esapikey/esapikey/esapikeytest"
)

// fuzzRoutes are the served routes, and a few that are not; {key}, {cc} and {user} stand for the
// fixture's key, cross-cluster key and user.
var fuzzRoutes = []struct{ method, path string }{
	{"GET", "/"}, {"GET", "/_security/_authenticate"}, {"GET", "/_cluster/health"}, {"GET", "/_cluster/health/{user}"},
	{"POST", "/_security/api_key"}, {"PUT", "/_security/api_key/{key}"}, {"POST", "/_security/api_key/_bulk_update"},
	{"GET", "/_security/api_key"}, {"DELETE", "/_security/api_key"}, {"POST", "/_security/_query/api_key"},
	{"GET", "/_security/_query/api_key"}, {"POST", "/_security/cross_cluster/api_key"},
	{"PUT", "/_security/cross_cluster/api_key/{cc}"}, {"POST", "/_security/api_key/{key}/_clear_cache"},
	{"POST", "/_security/api_key/grant"}, {"POST", "/_security/oauth2/token"},
	{"POST", "/_security/user/_has_privileges"}, {"GET", "/_security/user/{user}/_has_privileges"},
	{"GET", "/_security/user/_privileges"}, {"PUT", "/_security/privilege"}, {"GET", "/_security/privilege/myapp"},
	{"DELETE", "/_security/privilege/myapp/read"}, {"GET", "/_security/user"}, {"PUT", "/_security/user/{user}"},
	{"DELETE", "/_security/user/{user}"}, {"GET", "/_security/role"}, {"PUT", "/_security/role/fuzzed"},
	{"DELETE", "/_security/role/reader"}, {"PATCH", "/_security/api_key/{key}"}, {"GET", "/_nope/{key}"},
}

// fuzzFixture is a fresh server with a user, a role, keys and an application privilege to act on.
type fuzzFixture struct {
	h          http.Handler
	key, cc    esapikeytest.APIKey
	aliceBasic string
}

func newFuzzFixture(t *testing.T) *fuzzFixture {
	srv := esapikeytest.NewUnstartedServer()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(srv.PutRole("reader", `{"cluster":["manage_own_api_key"],"indices":[{"names":["logs-*"],"privileges":["read"]}],"run_as":["bob"]}`))
	must(srv.AddUser("alice", "alice-password", "reader"))
	must(srv.AddUser("bob", "bob-password", "reader"))
	f := &fuzzFixture{h: srv.Handler(), aliceBasic: "Basic " + base64.StdEncoding.EncodeToString([]byte("alice:alice-password"))}
	var err error
	f.key, err = srv.CreateAPIKey("alice", `{"name":"k","role_descriptors":{"r":{"cluster":["manage_own_api_key"]}},"metadata":{"a":[1,{"b":"c"}]}}`)
	must(err)
	f.cc, err = srv.CreateCrossClusterAPIKey("elastic", `{"name":"cc","access":{"search":[{"names":["logs-*"]}]}}`)
	must(err)
	return f
}

// request builds the fuzzed request, or nil when its parts do not make an HTTP request.
func (f *fuzzFixture) request(route, who uint8, params string, body []byte) *http.Request {
	rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
	path := strings.NewReplacer("{key}", f.key.ID, "{cc}", f.cc.ID, "{user}", "alice").Replace(rt.path)
	if params != "" {
		path += "?" + params
	}
	req, err := http.NewRequest(rt.method, "http://esapikeytest"+path, bytes.NewReader(body))
	if err != nil {
		return nil
	}
	if len(body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	switch who % 8 {
	case 0:
		req.SetBasicAuth("elastic", "changeme")
	case 1:
		req.Header.Set("Authorization", f.aliceBasic)
	case 2:
		req.Header.Set("Authorization", "ApiKey "+f.key.Encoded)
	case 3: // no credentials
	case 4:
		req.SetBasicAuth("alice", "wrong-password")
	case 5:
		req.SetBasicAuth("elastic", "changeme")
		req.Header.Set("es-security-runas-user", "alice")
	case 6:
		req.Header.Set("Authorization", f.aliceBasic)
		req.Header.Set("es-security-runas-user", "bob")
	case 7:
		req.Header.Set("Authorization", "ApiKey "+f.cc.Encoded)
	}
	return req
}

// serve runs a request in-process and returns its answer, or nil if none came within the time a
// hung server is given.
func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(w, req)
	}()
	select {
	case <-done:
		return w
	case <-time.After(10 * time.Second): // far beyond any answer; only a hang gets here
		return nil
	}
}

// FuzzHandler sends any route, identity, query parameters and body to a fresh server. Every answer
// must come promptly and be the server's (no 5xx: a 500 is how a panic in a handler is answered),
// and the server must answer the next request.
func FuzzHandler(f *testing.F) {
	seeds := []struct {
		route, who uint8
		params     string
		body       string
	}{
		{4, 0, "", `{"name":"n","role_descriptors":{"r":{"indices":[{"names":["/a.*/"],"privileges":["read"]}]}},"metadata":{"x":{"y":[1]}},"expiration":"1d"}`},
		{5, 1, "", `{"metadata":{"a":1},"role_descriptors":{}}`},
		{6, 0, "", `{"ids":["x","y"],"metadata":{}}`},
		{7, 1, "owner=true&with_limited_by=true", ""},
		{8, 0, "", `{"name":"k*"}`},
		{9, 0, "typed_keys=true", `{"query":{"bool":{"must":[{"match":{"name":{"query":"k","fuzziness":"AUTO"}}}],"filter":{"range":{"creation":{"gte":"now-1d"}}}}},"sort":["name"],"aggs":{"t":{"terms":{"field":"metadata.a"}}}}`},
		{9, 2, "", `{"query":{"simple_query_string":{"query":"(k | \"x y\"~2) -z*"}}}`},
		{11, 0, "", `{"name":"c","access":{"replication":[{"names":["a"]}]}}`},
		{12, 0, "", `{"metadata":{"m":1},"certificate_identity":null}`},
		{14, 0, "", `{"grant_type":"password","username":"alice","password":"alice-password","api_key":{"name":"g"}}`},
		{15, 0, "", `{"grant_type":"password","username":"alice","password":"alice-password"}`},
		{16, 2, "", `{"cluster":["monitor"],"index":[{"names":["logs-1","/l.*/"],"privileges":["read"]}],"application":[{"application":"myapp","privileges":["read"],"resources":["*"]}]}`},
		{19, 0, "", `{"myapp":{"read":{"actions":["data:read/*"]}}}`},
		{23, 0, "", `{"password":"secret-password","roles":["reader"],"enabled":false}`},
		{26, 0, "", `{"indices":[{"names":["a*"],"privileges":["read"],"field_security":{"grant":["*"]}}]}`},
		{8, 0, "", "   "},
		{16, 1, "", "   "},
		{9, 0, "", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["},
	}
	for _, s := range seeds {
		f.Add(s.route, s.who, s.params, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, route, who uint8, params string, body []byte) {
		fx := newFuzzFixture(t)
		req := fx.request(route, who, params, body)
		if req == nil {
			return
		}
		w := serve(fx.h, req)
		if w == nil {
			t.Fatalf("%s %s: no answer in 10s", req.Method, req.URL)
		}
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", req.Method, req.URL, body, w.Code, w.Body)
		}
		next, _ := http.NewRequest("GET", "http://esapikeytest/_security/_authenticate", nil)
		next.SetBasicAuth("elastic", "changeme")
		if w := serve(fx.h, next); w == nil || w.Code != http.StatusOK {
			t.Fatalf("the server stopped answering after %s %s", req.Method, req.URL)
		}
	})
}
