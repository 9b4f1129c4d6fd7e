package esapikeytest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// Version is the Elasticsearch release a server imitates and reports at GET / unless WithVersion
// names another: its routes, fields (certificate_identity is 9.3+) and messages are those of this
// release.
const Version = "9.3.0"

// Server is an in-memory Elasticsearch security API: users, roles and API keys over the REST routes
// of a real cluster. It is safe for concurrent use.
type Server struct {
	// URL is the base URL of the server, e.g. http://127.0.0.1:41234, without a trailing slash.
	// It is empty for a server made by NewUnstartedServer.
	URL string

	version version.Version

	st    *store
	roles roleCache // compiled permissions by the descriptors they come from
	// nodeID is the id of the server's one node, a base64 UUID like Elasticsearch's.
	nodeID string

	clockMu sync.Mutex
	clock   func() time.Time
	offset  time.Duration

	handler http.Handler
	hs      *http.Server
	ln      net.Listener
	done    chan struct{}
}

// Option configures a Server.
type Option func(*config)

type config struct {
	superuser, password string
	clock               func() time.Time
	version             string
}

// WithSuperuser replaces the built-in superuser elastic/changeme (realm reserved) by another name and password.
func WithSuperuser(name, password string) Option {
	return func(c *config) { c.superuser, c.password = name, password }
}

// WithClock makes the server read the time from clock instead of time.Now. Expiry and the creation
// and expiration times of keys follow it; SetNow and Advance still apply on top of it.
func WithClock(clock func() time.Time) Option {
	return func(c *config) { c.clock = clock }
}

// WithVersion makes the server imitate Elasticsearch release v, such as "8.13.0" or "9.1.2": any
// release from 8.4.0 to 9.3.x. GET / and Server.Version report it. NewServer and NewUnstartedServer
// panic, naming the supported releases, when v is malformed or outside them.
func WithVersion(v string) Option {
	return func(c *config) { c.version = v }
}

// NewServer starts a server on a random port of 127.0.0.1. The caller must Close it.
// Like httptest.NewServer, it panics if it cannot listen.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("esapikeytest: failed to listen on a port: %v", err))
	}
	s.Serve(ln)
	return s
}

// NewUnstartedServer returns a server that does not listen: serve its Handler yourself, or call Serve.
// Like NewServer, it panics for a release WithVersion names that it does not imitate.
func NewUnstartedServer(opts ...Option) *Server {
	c := config{superuser: "elastic", password: "changeme", clock: time.Now, version: Version}
	for _, o := range opts {
		o(&c)
	}
	v, err := version.Check(c.version)
	if err != nil {
		panic(fmt.Sprintf("esapikeytest: WithVersion(%q): %v", c.version, err))
	}
	s := &Server{version: v, st: newStore(), clock: c.clock, nodeID: randomID(22)}
	s.st.putUser(&user{username: c.superuser, password: c.password, realm: reservedRealm,
		roles: []string{"superuser"}, metadata: map[string]any{"_reserved": true}, enabled: true})
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s
}

// Serve serves the API on ln in the background and sets URL; Close stops it.
func (s *Server) Serve(ln net.Listener) {
	s.ln = ln
	s.URL = "http://" + ln.Addr().String()
	s.hs = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		_ = s.hs.Serve(ln)
	}()
}

// Version returns the Elasticsearch release the server imitates, as GET / reports it: "9.3.0".
func (s *Server) Version() string { return s.version.String() }

// Handler returns the HTTP handler of the API, to serve it in-process (e.g. with httptest).
func (s *Server) Handler() http.Handler { return s.handler }

// Close stops the server and waits for it. Keys and users are kept, so a test can still inspect them.
func (s *Server) Close() {
	if s.hs == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.hs.Shutdown(ctx); err != nil {
		_ = s.hs.Close()
	}
	<-s.done
	s.hs = nil
}

// Now returns the server's current time.
func (s *Server) Now() time.Time { return s.now() }

// SetNow sets the server's clock to t; it stands still until the next SetNow, unless Advance moves it.
func (s *Server) SetNow(t time.Time) {
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	s.clock, s.offset = func() time.Time { return t }, 0
}

// Advance moves the server's clock forward by d, e.g. past the expiration of a key.
func (s *Server) Advance(d time.Duration) {
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	s.offset += d
}

// now is the server time at millisecond precision, as Elasticsearch stores it.
func (s *Server) now() time.Time {
	s.clockMu.Lock()
	defer s.clockMu.Unlock()
	return s.clock().Add(s.offset).Truncate(time.Millisecond)
}
