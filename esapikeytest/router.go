package esapikeytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
	"github.com/esapikey/esapikey/esapikeytest/internal/pathtrie"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// call is one request being served.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	uri    string   // path and query as received, as Elasticsearch quotes it in messages
	param  string   // the last {id} or {name} path segment, unescaped (the only one of most routes)
	params []string // every {..} path segment, unescaped, in path order
	query  url.Values
	body   []byte
	// parsed and parseErr are the body as doc parses it, once.
	parsed   *jsontree.Doc
	parseErr *esError
	sub      *subject
	wrote    bool   // an answer was sent
	ctype    string // the Content-Type of JSON answers, as negotiated with the request's headers
	// restAPI is the REST API version the request asked for with compatible-with, or 0 for the
	// release's own (RestRequest.getRestApiVersion).
	restAPI int
}

// newCall starts serving r: its answers are JSON until the request's headers negotiate their type.
func newCall(w http.ResponseWriter, r *http.Request) *call {
	c := &call{w: w, r: r, uri: r.URL.RequestURI(), query: r.URL.Query(), ctype: "application/json"}
	if r.RequestURI != "" {
		c.uri = r.RequestURI
	}
	return c
}

// serveHTTP finds the handler as RestController.tryAllHandlers does: the value of each trie mode in
// turn; a path whose methods (over all modes) do not include the request's answers 405 (or the
// OPTIONS answer), and a request no mode serves answers "no handler found".
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	c := newCall(w, r)
	defer c.recoverPanic()
	accept, contentType := parseMediaType(r.Header.Get("Accept")), parseMediaType(r.Header.Get("Content-Type"))
	// A body of unknown length (chunked) counts as one, as streamed content does for RestRequest.hasContent.
	if err := compatibleVersionError(s.version, accept, contentType, r.ContentLength != 0); err != nil {
		// Elasticsearch authenticates before it builds the request, so credentials that fail still get
		// their 401; the 400 is answered whatever the path, without the refused headers.
		if _, authErr := s.authenticate(r, c.uri); authErr != nil {
			err = authErr
		}
		c.writeError(err)
		return
	}
	c.ctype = responseContentType(accept, contentType)
	c.restAPI = requestedVersion(accept)
	results := s.routes.RetrieveAll(r.URL.EscapedPath())
	if !slices.Contains(methodOrder, r.Method) {
		msg := "Unexpected http method: " + r.Method
		if list := validMethods(results); len(list) > 0 {
			w.Header().Set("Allow", strings.Join(list, ","))
			msg += ", allowed: [" + strings.Join(list, ", ") + "]"
		}
		c.write(http.StatusMethodNotAllowed, ordered{{"error", msg}, {"status", http.StatusMethodNotAllowed}})
		return
	}
	for _, res := range results {
		if res.OK && res.Value[r.Method] != nil {
			c.params = res.Params
			if len(c.params) > 0 {
				c.param = c.params[len(c.params)-1]
			}
			s.dispatch(c, res.Value[r.Method])
			return
		}
		list := validMethods(results)
		if slices.Contains(list, r.Method) {
			continue
		}
		if r.Method == http.MethodOptions {
			if len(list) > 0 {
				w.Header().Set("Allow", strings.Join(list, ","))
			}
			c.writeText(http.StatusOK)
			return
		}
		if len(list) > 0 {
			w.Header().Set("Allow", strings.Join(list, ","))
			c.write(http.StatusMethodNotAllowed, ordered{
				{"error", "Incorrect HTTP method for uri [" + c.uri + "] and method [" + r.Method + "], allowed: [" + strings.Join(list, ", ") + "]"},
				{"status", http.StatusMethodNotAllowed},
			})
			return
		}
	}
	c.write(http.StatusBadRequest, ordered{{"error", "no handler found for uri [" + c.uri + "] and method [" + r.Method + "]"}})
}

// recoverPanic answers a request whose handler panicked with a 500 that says so, instead of letting
// the panic end the connection (or, in-process, the test). No lock is held across a handler, and
// the store releases its own with defer, so the server keeps answering.
func (c *call) recoverPanic() {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	log.Printf("esapikeytest: panic serving %s %s: %v\n%s", c.r.Method, c.r.URL.Path, v, debug.Stack())
	if !c.wrote {
		c.writeError(newError(http.StatusInternalServerError, "esapikeytest_exception",
			fmt.Sprintf("esapikeytest failed to serve [%s %s]: %v; this is a bug of esapikeytest, not an answer of Elasticsearch", c.r.Method, c.r.URL.Path, v)))
	}
}

// validMethods is the union of the methods of every mode's value, in RestRequest.Method order.
func validMethods(results []pathtrie.Result[methodHandlers]) []string {
	var list []string
	for _, m := range methodOrder {
		if slices.ContainsFunc(results, func(res pathtrie.Result[methodHandlers]) bool { return res.OK && res.Value[m] != nil }) {
			list = append(list, m)
		}
	}
	return list
}

// writeText sends the empty text/plain answer of an OPTIONS request.
func (c *call) writeText(status int) {
	c.wrote = true
	h := c.w.Header()
	h.Set("X-Elastic-Product", "Elasticsearch")
	h.Set("Content-Type", "text/plain; charset=UTF-8")
	h.Set("Content-Length", "0")
	c.w.WriteHeader(status)
}

// maxBody is Elasticsearch's default http.max_content_length.
const maxBody = 100 << 20

// readBody reads a body of up to maxBody bytes and one more, so that a larger one can be told apart.
// It makes room for the length the request declares at once: a large body read into a growing buffer
// would leave twice its size of copies behind. A declared length is trusted no further than maxBody,
// the most an honest body may bring anyway.
func readBody(r *http.Request) ([]byte, error) {
	size := int64(0)
	if r.ContentLength > 0 {
		size = min(r.ContentLength, maxBody) + 1
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err := buf.ReadFrom(io.LimitReader(r.Body, maxBody+1))
	return buf.Bytes(), err
}

// dispatch checks the content type, authenticates the request and runs the handler. It holds no
// lock: the store takes its own for as long as it reads or writes.
func (s *Server) dispatch(c *call, rt *route) {
	var body []byte
	var err error
	if c.r.Body != nil { // a request made for a client and handed to Handler() may have none
		body, err = readBody(c.r)
	}
	if err != nil {
		c.writeError(badRequest("parse_exception", "failed to read request body: %v", err))
		return
	}
	if len(body) > maxBody {
		c.write(http.StatusRequestEntityTooLarge, nil)
		return
	}
	c.body = body
	if msg := contentTypeError(c.r, body); msg != "" {
		c.write(http.StatusNotAcceptable, ordered{{"error", msg}, {"status", http.StatusNotAcceptable}})
		return
	}
	status, out, esErr := s.serve(c, rt)
	if esErr != nil {
		c.writeError(esErr)
		return
	}
	c.write(status, out)
}

func (s *Server) serve(c *call, rt *route) (int, any, *esError) {
	sub, err := s.authenticate(c.r, c.uri)
	if err != nil {
		return 0, nil, err
	}
	c.sub = sub
	if err := unknownParams(c, rt, s.version); err != nil {
		return 0, nil, err
	}
	return rt.handle(s, c)
}

// unknownParams refuses query parameters the route's handler does not read at the server's release,
// as BaseRestHandler.unrecognized words it: sorted, each with the parameters it may have meant.
func unknownParams(c *call, rt *route, v version.Version) *esError {
	known := rt.paramsAt(v)
	var unknown []string
	for _, name := range sortedKeys(c.query) {
		if !slices.Contains(known, name) {
			unknown = append(unknown, "["+name+"]"+didYouMean(name, known))
		}
	}
	switch len(unknown) {
	case 0:
		return nil
	case 1:
		return illegalArgument("request [%s] contains unrecognized parameter: %s", c.r.URL.Path, unknown[0])
	}
	return illegalArgument("request [%s] contains unrecognized parameters: %s", c.r.URL.Path, strings.Join(unknown, ", "))
}

// didYouMean is BaseRestHandler's suggestion for an unrecognized parameter: the candidates
// SuggestingErrorOnUnknown would suggest for a field, after an arrow.
func didYouMean(name string, candidates []string) string {
	if s := suggest(name, candidates); s != "" {
		return " ->" + s
	}
	return ""
}

func (c *call) writeError(e *esError) {
	for k, vs := range e.header {
		for _, v := range vs {
			c.w.Header().Add(k, v)
		}
	}
	c.write(e.status, e.body())
}

// write sends a JSON answer with the headers every Elasticsearch answer has; ?pretty indents it.
func (c *call) write(status int, body any) {
	c.wrote = true
	h := c.w.Header()
	h.Set("X-Elastic-Product", "Elasticsearch")
	h.Set("Content-Type", c.ctype)
	var out []byte
	if body != nil {
		b, err := marshalNoEscape(body)
		if err != nil {
			status, b = http.StatusInternalServerError, []byte(`{"error":"esapikeytest: cannot render the answer","status":500}`)
		}
		if _, pretty := c.query["pretty"]; pretty {
			var buf bytes.Buffer
			if json.Indent(&buf, b, "", "  ") == nil {
				b = append(buf.Bytes(), '\n')
			}
		}
		out = b
	}
	h.Set("Content-Length", strconv.Itoa(len(out)))
	c.w.WriteHeader(status)
	if c.r.Method != http.MethodHead {
		_, _ = c.w.Write(out)
	}
}

// doc parses the request body, once; a body without a value gives a document with a nil root.
func (c *call) doc() (*jsontree.Doc, *esError) {
	if c.parsed == nil && c.parseErr == nil {
		c.parsed, c.parseErr = parseDoc(c.body)
	}
	return c.parsed, c.parseErr
}

// blank reports whether the body holds no JSON value: it is empty, or white space and comments only.
// A body that does not parse is not blank; its error is the handler's to report.
func (c *call) blank() bool {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return true
	}
	d, err := c.doc()
	return err == nil && d.Root == nil
}

// noBody is BaseRestHandler's refusal of a body the route does not read.
func (c *call) noBody() *esError {
	if len(c.body) == 0 {
		return nil
	}
	return illegalArgument("request [%s %s] does not support having a body", c.r.Method, c.r.URL.Path)
}

// requireBody is the error of routes whose body is required, for a body without a value, which
// every parser after it expects.
func (c *call) requireBody() *esError {
	if c.blank() {
		return badRequest("parse_exception", "request body is required")
	}
	return nil
}

func (c *call) flag(name string) bool {
	v, ok := c.query[name]
	return ok && (len(v) == 0 || v[0] == "" || v[0] == "true")
}
