package esapikey

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
)

// Version is the version of this library, sent in the User-Agent header.
const Version = "0.1.0"

// defaultIdleConnsPerHost lets as many connections as a busy service has
// concurrent calls stay open for reuse.
const defaultIdleConnsPerHost = 64

// Client calls the API-key update endpoints. It is safe for concurrent use;
// create one and share it.
type Client struct {
	transport elastictransport.Interface
	inst      elastictransport.Instrumentation
	owned     *ownedTransport // what NewClient built, for Close; nil otherwise
}

// ownedTransport is a transport NewClient built, which Close releases.
type ownedTransport struct {
	once sync.Once
	err  error
	tp   *elastictransport.Client
	http *http.Transport // nil when the caller gave Config.Transport
}

// Format prints the client without the transport behind it, which holds
// the credentials.
func (c Client) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "esapikey.Client{transport:%T}", c.transport)
}

// NewClient builds a Client over a new elastic-transport-go transport. The
// config is checked first; an error names the field at fault. Close the
// client when done with it, to release its connections.
func NewClient(cfg Config) (*Client, error) {
	opts, own, err := cfg.transportOptions()
	if err != nil {
		return nil, err
	}
	tp, err := elastictransport.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("esapikey: config: %w", err)
	}
	c := NewWithTransport(tp)
	c.owned = &ownedTransport{tp: tp, http: own}
	return c, nil
}

// Close releases what NewClient built: the transport is closed, so later
// calls fail with an error matching elastictransport.ErrClosed, and its idle
// connections are closed. Call it once the calls have returned; a
// connection still in use stays open until its idle timeout. Closing again
// returns the first Close's result.
//
// A client of NewWithTransport does not own its transport: Close does
// nothing and returns nil, and the caller closes the transport.
func (c *Client) Close(ctx context.Context) error {
	o := c.owned
	if o == nil {
		return nil
	}
	o.once.Do(func() {
		o.err = o.tp.Close(ctx)
		if o.http != nil {
			o.http.CloseIdleConnections()
		}
	})
	return o.err
}

// NewWithTransport builds a Client over an existing transport, such as an
// *elasticsearch.Client or *elasticsearch.TypedClient of go-elasticsearch,
// whose addresses, credentials and retries it then shares. Instrumentation is
// taken from a transport that offers it.
//
// When the transport's node URLs carry a path prefix, install
// PathInterceptor in it, so an id containing "/" stays one path segment.
func NewWithTransport(tp elastictransport.Interface) *Client {
	c := &Client{transport: tp}
	if in, ok := tp.(elastictransport.Instrumented); ok {
		c.inst = in.InstrumentationEnabled()
	}
	return c
}

// PathInterceptor keeps escaped path segments escaped behind a node URL with
// a path prefix. elastic-transport-go prepends the prefix to the decoded
// path, which loses the escaping of an id such as "a/b"; the interceptor
// restores it. NewClient installs it; install it in a transport given to
// NewWithTransport (go-elasticsearch: Config.Interceptors) when its node URLs
// have a path.
//
// It sends a copy of the request with the escaped path: the transport
// reuses the request for a retry on another node, resetting only its
// decoded path, so a request changed in place would keep the first node's
// prefix in its escaped path and lose the escaping on the second.
func PathInterceptor(next elastictransport.RoundTripFunc) elastictransport.RoundTripFunc {
	return func(req *http.Request) (*http.Response, error) {
		u := req.URL
		if u.RawPath != "" && u.EscapedPath() != u.RawPath {
			// RawPath still holds the escaped request path, without the prefix.
			if suffix, err := url.PathUnescape(u.RawPath); err == nil && strings.HasSuffix(u.Path, suffix) {
				prefix := &url.URL{Path: u.Path[:len(u.Path)-len(suffix)]}
				sent, su := *req, *u
				su.RawPath = prefix.EscapedPath() + u.RawPath
				sent.URL = &su
				return next(&sent)
			}
		}
		return next(req)
	}
}
