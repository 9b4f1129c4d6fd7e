package esapikeytest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveRoute runs one request through dispatch with the given route, as serveHTTP would.
func serveRoute(s *Server, rt *route, method, path, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.SetBasicAuth("elastic", "changeme")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	c := newCall(w, req)
	func() {
		defer c.recoverPanic()
		s.dispatch(c, rt)
	}()
	return w
}

// get serves a GET through the real routes and returns the status.
func get(s *Server, path string) int {
	req := httptest.NewRequest("GET", path, nil)
	req.SetBasicAuth("elastic", "changeme")
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, req)
	return w.Code
}

// A handler that panics answers a 500 that says what happened, and leaves the server answering:
// no lock stays held, over REST or in the Go helpers.
func TestPanicInHandlerAnswers500(t *testing.T) {
	s := NewUnstartedServer()
	boom := &route{method: "GET", pattern: "boom", handle: func(s *Server, c *call) (int, any, *esError) {
		s.st.key("anything") // the store's lock was taken and released
		panic("index out of range [3] with length 3")
	}}
	w := serveRoute(s, boom, "GET", "/boom", "")
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.Contains(t, w.Body.String(), `"type":"esapikeytest_exception"`)
	assert.Contains(t, w.Body.String(), "esapikeytest failed to serve [GET /boom]: index out of range [3] with length 3")

	assert.Equal(t, http.StatusOK, get(s, "/_security/api_key"))
	_, err := s.CreateAPIKey("elastic", `{"name":"after"}`)
	require.NoError(t, err)
}

// A request that runs long holds no lock: reads, privilege checks and writes go on meanwhile.
func TestSlowHandlerHoldsNoLock(t *testing.T) {
	s := NewUnstartedServer()
	key, err := s.CreateAPIKey("elastic", `{"name":"k"}`)
	require.NoError(t, err)
	entered, release := make(chan struct{}), make(chan struct{})
	slow := &route{method: "GET", pattern: "slow", handle: func(s *Server, c *call) (int, any, *esError) {
		close(entered)
		<-release
		return http.StatusOK, ordered{}, nil
	}}
	done := make(chan int)
	go func() { done <- serveRoute(s, slow, "GET", "/slow", "").Code }()
	<-entered

	others := make(chan struct{})
	go func() {
		defer close(others)
		assert.Equal(t, http.StatusOK, get(s, "/_security/api_key?id="+key.ID))
		can, err := s.APIKeyCan(key.ID, "manage_own_api_key", Cluster())
		assert.NoError(t, err)
		assert.True(t, can)
		_, err = s.CreateAPIKey("elastic", `{"name":"meanwhile"}`)
		assert.NoError(t, err)
		assert.NoError(t, s.InvalidateAPIKey(key.ID))
	}()
	select {
	case <-others:
	case <-time.After(30 * time.Second): // only to report a deadlock instead of hanging the run
		t.Fatal("requests waited for the slow one")
	}
	close(release)
	assert.Equal(t, http.StatusOK, <-done)
}
