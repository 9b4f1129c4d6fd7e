package esapikey

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// RequestOption changes one call: its headers, or the user it runs as.
type RequestOption func(*callOptions)

type callOptions struct {
	header http.Header
}

// WithRunAs runs the call as another user (header es-security-runas-user).
// The caller needs the run_as privilege for that user; the key updated is
// then one owned by that user.
func WithRunAs(username string) RequestOption {
	return WithHeader("es-security-runas-user", username)
}

// WithOpaqueID sets X-Opaque-Id, which Elasticsearch writes into its task
// list, slow logs and deprecation logs, to trace a call back to its caller.
func WithOpaqueID(id string) RequestOption {
	return WithHeader("X-Opaque-Id", id)
}

// WithHeader adds a header to the call.
func WithHeader(key, value string) RequestOption {
	return func(o *callOptions) {
		if o.header == nil {
			o.header = make(http.Header)
		}
		o.header.Add(key, value)
	}
}

// Bodies are read up to maxBody; an error body longer than that is still
// reported, from its start. Past it, up to maxDrain more bytes are read so
// that the connection can be reused.
const (
	maxBody         = 4 << 20
	maxDrain        = 256 << 10
	bodyExcerptSize = 1024
)

// call is one request to an endpoint: all an endpoint method describes.
type call struct {
	name   string // the endpoint, as spans and errors name it: "security.update_api_key"
	method string
	path   string // the path, up to the id when there is one
	id     string // appended as exactly one escaped path segment
	query  string // the encoded query string, if any
	body   any    // encoded as JSON; nil sends no body
}

// do sends r and decodes a 2xx answer into out; any other answer becomes an
// *Error.
func (c *Client) do(ctx context.Context, r call, out json.Unmarshaler, opts []RequestOption) (err error) {
	if c.inst != nil {
		ctx = c.inst.Start(ctx, r.name)
		defer c.inst.Close(ctx)
		defer func() {
			if err != nil {
				c.inst.RecordError(ctx, err)
			}
		}()
		if r.id != "" {
			c.inst.RecordPathPart(ctx, "id", r.id)
		}
	}
	req, err := c.newRequest(ctx, r, opts)
	if err != nil {
		return err
	}
	if c.inst != nil {
		c.inst.BeforeRequest(req, r.name)
	}
	res, err := c.transport.Perform(req)
	if c.inst != nil {
		c.inst.AfterRequest(req, "elasticsearch", r.name)
	}
	if err != nil {
		return fmt.Errorf("esapikey: %s: %w", r.name, err)
	}
	buf := readBuffers.Get().(*[]byte)
	defer putReadBuffer(buf)
	body, err := readBody(res, (*buf)[:0])
	*buf = body
	if err != nil {
		return fmt.Errorf("esapikey: %s: reading the %d response: %w", r.name, res.StatusCode, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return newError(res, body)
	}
	if len(body) > maxBody {
		return &DecodeError{StatusCode: res.StatusCode, Body: excerpt(body), Err: fmt.Errorf("body larger than %d bytes", maxBody)}
	}
	if err := out.UnmarshalJSON(body); err != nil {
		return &DecodeError{StatusCode: res.StatusCode, Body: excerpt(body), Err: err}
	}
	return nil
}

// jsonHeader holds the values of Accept and Content-Type; each request gets
// its own copy, so that nothing shares a header slice between requests.
var jsonHeader = [2]string{"application/json", "application/json"}

// send runs r and decodes its 2xx answer into a new T: all an endpoint
// method does after validating its request.
func send[T any, PT interface {
	*T
	json.Unmarshaler
}](ctx context.Context, c *Client, r call, opts []RequestOption) (*T, error) {
	res := PT(new(T))
	if err := c.do(ctx, r, res, opts); err != nil {
		return nil, err
	}
	return res, nil
}

func (c *Client) newRequest(ctx context.Context, r call, opts []RequestOption) (*http.Request, error) {
	var body []byte
	if r.body != nil {
		b, err := marshalBody(r.body)
		if err != nil {
			return nil, fmt.Errorf("esapikey: %s: encoding the request: %w", r.name, err)
		}
		body = b
	}
	// The URL is set below, field by field; parsing one is wasted work.
	req, err := http.NewRequestWithContext(ctx, r.method, "", nil)
	if err != nil {
		return nil, fmt.Errorf("esapikey: %s: %w", r.name, err)
	}
	req.URL.Path = r.path + r.id
	if esc := escapeSegment(r.id); esc != r.id {
		req.URL.RawPath = r.path + esc
	}
	req.URL.RawQuery = r.query
	if body == nil {
		values := new([2]string)
		*values = jsonHeader
		req.Header["Accept"] = values[0:1:1]
	} else {
		// One allocation for the body and the two header values.
		rb := &requestBody{b: body, header: jsonHeader}
		rb.Reset(body)
		req.Header["Accept"] = rb.header[0:1:1]
		req.Header["Content-Type"] = rb.header[1:2:2]
		req.Body = rb
		req.GetBody = rb.reopen
		req.ContentLength = int64(len(body))
	}
	if len(opts) > 0 {
		var o callOptions
		for _, opt := range opts {
			opt(&o)
		}
		for k, v := range o.header {
			req.Header[k] = v
		}
	}
	return req, nil
}

// requestBody is a request body that can be read again from the start, for
// a retry or a logger.
type requestBody struct {
	bytes.Reader
	b      []byte
	header [2]string
}

func (*requestBody) Close() error { return nil }

func (rb *requestBody) reopen() (io.ReadCloser, error) {
	n := &requestBody{b: rb.b}
	n.Reset(rb.b)
	return n, nil
}

// Response bodies are read into pooled buffers: nothing decoded from one
// keeps a reference to it (strings and json.RawMessage are copies).
var readBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

func putReadBuffer(b *[]byte) {
	if cap(*b) <= maxPooled {
		*b = (*b)[:0]
		readBuffers.Put(b)
	}
}

// readBody appends to buf at most maxBody+1 bytes of the body (one more
// tells that the body was longer). A body not read to its end is then
// drained of up to maxDrain more bytes, so the connection can be reused.
func readBody(res *http.Response, buf []byte) ([]byte, error) {
	defer res.Body.Close()
	// Room for a body of the announced length, and for the EOF after it;
	// the announcement is trusted up to maxPooled.
	if n := res.ContentLength; n > 0 {
		buf = slices.Grow(buf, int(min(n, maxPooled))+1)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := cap(buf) - len(buf)
		if over := len(buf) + room - (maxBody + 1); over > 0 {
			room -= over
		}
		n, err := res.Body.Read(buf[len(buf) : len(buf)+room])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return buf, err
		case len(buf) > maxBody:
			_, _ = io.CopyN(io.Discard, res.Body, maxDrain)
			return buf, nil
		}
	}
}

// newError turns a non-2xx answer into an *Error, keeping whatever it says.
func newError(res *http.Response, body []byte) *Error {
	e := &Error{StatusCode: res.StatusCode, Header: res.Header}
	var env struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil && len(env.Error) > 0 {
		if env.Error[0] == '"' && json.Unmarshal(env.Error, &e.Reason) == nil {
			return e
		}
		var v struct {
			Type      string               `json:"type"`
			Reason    string               `json:"reason"`
			RootCause []ErrorCause         `json:"root_cause"`
			CausedBy  *ErrorCause          `json:"caused_by"`
			Header    map[string]oneOrMany `json:"header"`
		}
		if json.Unmarshal(env.Error, &v) == nil && v.Type != "" {
			e.Type, e.Reason, e.RootCause, e.CausedBy = v.Type, v.Reason, v.RootCause, v.CausedBy
			for k, vs := range v.Header {
				if e.Header == nil {
					e.Header = make(http.Header)
				}
				if len(e.Header.Values(k)) == 0 {
					for _, val := range vs {
						e.Header.Add(k, val)
					}
				}
			}
			return e
		}
	}
	e.Body = excerpt(body)
	return e
}

// excerpt keeps the start of a body for an error: at most bodyExcerptSize
// bytes of valid UTF-8, never a character cut in half.
func excerpt(body []byte) string {
	if len(body) <= bodyExcerptSize && utf8.Valid(body) {
		return string(body)
	}
	var b strings.Builder
	for len(body) > 0 {
		r, size := utf8.DecodeRune(body)
		if b.Len()+utf8.RuneLen(r) > bodyExcerptSize {
			break
		}
		b.WriteRune(r) // an invalid byte decodes as, and is written as, U+FFFD
		body = body[size:]
	}
	return b.String()
}

// escapeSegment percent-encodes every byte of s but the unreserved ones
// (RFC 3986: letters, digits, "-", ".", "_", "~"), so that s stays exactly
// one path segment through any proxy and decodes back to itself.
func escapeSegment(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hexDigits = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; unreserved(c) {
			b = append(b, c)
		} else {
			b = append(b, '%', hexDigits[c>>4], hexDigits[c&15])
		}
	}
	return string(b)
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}
