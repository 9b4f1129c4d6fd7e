package esapikey

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
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

// Bodies are read up to maxBody, or a 2xx answer up to the larger cap its
// call allows (call.maxAnswer); an error body longer than that is still
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
	// maxAnswer caps a 2xx body that may be larger than maxBody (a bulk
	// answer: one entry per id; a key read: what updates wrote into it),
	// so that it is read whole; 0 means maxBody.
	maxAnswer int
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
		return &TransportError{Op: r.name, Err: err}
	}
	ok := res.StatusCode >= 200 && res.StatusCode <= 299
	limit := maxBody
	if ok {
		limit = max(limit, r.maxAnswer)
	}
	body, err := readBody(res, limit)
	if err != nil {
		return &TransportError{Op: r.name, Err: fmt.Errorf("reading the %d response: %w", res.StatusCode, err)}
	}
	if !ok {
		return newError(res, body, sentSecrets(req, res))
	}
	if len(body) > limit {
		return newDecodeError(req, res, body, fmt.Errorf("body larger than %d bytes", limit))
	}
	if err := out.UnmarshalJSON(body); err != nil {
		return newDecodeError(req, res, body, err)
	}
	return nil
}

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
	var body io.Reader
	if r.body != nil {
		b, err := encodeBody(r.body)
		if err != nil {
			return nil, err
		}
		// A *bytes.Reader gives the request its length and a GetBody, so
		// that every retry sends the identical body.
		body = bytes.NewReader(b)
	}
	// The URL is set below, field by field; parsing one is wasted work.
	req, err := http.NewRequestWithContext(ctx, r.method, "", body)
	if err != nil {
		return nil, fmt.Errorf("esapikey: %s: %w", r.name, err)
	}
	req.URL.Path = r.path + r.id
	if esc := escapeSegment(r.id); esc != r.id {
		req.URL.RawPath = r.path + esc
	}
	req.URL.RawQuery = r.query
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
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

// readBody reads at most limit+1 bytes of the body (one more tells that
// the body was longer). A body not read to its end is then drained of up to
// maxDrain more bytes, so that the connection can be reused.
func readBody(res *http.Response, limit int) ([]byte, error) {
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, int64(limit)+1))
	if err == nil && len(body) > limit {
		_, _ = io.CopyN(io.Discard, res.Body, maxDrain)
	}
	return body, err
}

// newError turns a non-2xx answer into an *Error, keeping whatever it says
// but the credentials of the request, which an answer may echo.
func newError(res *http.Response, body []byte, sec secrets) *Error {
	e := &Error{StatusCode: res.StatusCode, Header: res.Header}
	defer sec.error(e)
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
	e.Body = excerpt(sec.body(body))
	return e
}

// newDecodeError is a 2xx answer that cannot be read, with an excerpt of
// its body without the credentials of the request.
func newDecodeError(req *http.Request, res *http.Response, body []byte, err error) *DecodeError {
	return &DecodeError{StatusCode: res.StatusCode, Body: excerpt(sentSecrets(req, res).body(body)), Err: err}
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
