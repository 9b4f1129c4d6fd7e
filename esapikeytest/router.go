package esapikeytest

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// call is one request being served.
type call struct {
	w     http.ResponseWriter
	r     *http.Request
	uri   string // path and query as received, as Elasticsearch quotes it in messages
	param string // the {id} or {name} path segment, unescaped
	query url.Values
	body  []byte
	sub   *subject
}

type handlerFunc func(s *Server, c *call) (status int, body any, err *esError)

type route struct {
	method  string
	pattern string // segments separated by '/', "{}" matches any one segment
	handle  handlerFunc
	params  []string // query parameters the route accepts beside the common ones
}

// routes lists explicit paths before parameterised ones, as Elasticsearch's path trie prefers them.
var routes = []route{
	{"GET", "", (*Server).root, nil},
	{"HEAD", "", (*Server).root, nil},
	{"GET", "_security/_authenticate", (*Server).authenticateRoute, nil},
	{"GET", "_security/user", (*Server).getUsers, nil},
	{"GET", "_security/role", (*Server).getRoles, nil},
	{"POST", "_security/api_key", (*Server).createKey, refresh},
	{"PUT", "_security/api_key", (*Server).createKey, refresh},
	{"GET", "_security/api_key", (*Server).getKeys, []string{"id", "name", "username", "realm_name", "owner",
		"with_limited_by", "active_only", "with_profile_uid"}},
	{"DELETE", "_security/api_key", (*Server).invalidateKeys, nil},
	{"GET", "_security/_query/api_key", (*Server).queryKeys, queryParams},
	{"POST", "_security/_query/api_key", (*Server).queryKeys, queryParams},
	{"POST", "_security/api_key/_bulk_update", (*Server).bulkUpdate, nil},
	{"POST", "_security/cross_cluster/api_key", (*Server).createCCKey, nil},
	{"GET", "_security/user/{}", (*Server).getUsers, nil},
	{"PUT", "_security/user/{}", (*Server).putUser, refresh},
	{"POST", "_security/user/{}", (*Server).putUser, refresh},
	{"DELETE", "_security/user/{}", (*Server).deleteUser, refresh},
	{"GET", "_security/role/{}", (*Server).getRoles, nil},
	{"PUT", "_security/role/{}", (*Server).putRole, refresh},
	{"POST", "_security/role/{}", (*Server).putRole, refresh},
	{"DELETE", "_security/role/{}", (*Server).deleteRole, refresh},
	{"PUT", "_security/api_key/{}", (*Server).updateKey, nil},
	{"PUT", "_security/cross_cluster/api_key/{}", (*Server).updateCCKey, nil},
}

var refresh = []string{"refresh"}

// queryParams are the parameters of RestQueryApiKeyAction.
var queryParams = []string{"with_limited_by", "with_profile_uid", "typed_keys"}

// commonParams are accepted by every route.
var commonParams = []string{"pretty", "human", "error_trace", "filter_path"}

// methodOrder is the order of Elasticsearch's RestRequest.Method, used to list allowed methods.
var methodOrder = []string{"GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT"}

// segments splits the escaped path and unescapes each segment on its own, so %2F stays inside an id.
// Empty segments are dropped: PUT /_security/api_key/ is the create route.
func segments(r *http.Request) []string {
	var out []string
	for _, seg := range strings.Split(r.URL.EscapedPath(), "/") {
		if seg == "" {
			continue
		}
		if u, err := url.PathUnescape(seg); err == nil {
			seg = u
		}
		out = append(out, seg)
	}
	return out
}

func match(pattern string, segs []string) (param string, ok bool) {
	var parts []string
	if pattern != "" {
		parts = strings.Split(pattern, "/")
	}
	if len(parts) != len(segs) {
		return "", false
	}
	for i, p := range parts {
		switch {
		case p == "{}":
			param = segs[i]
		case p != segs[i]:
			return "", false
		}
	}
	return param, true
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{w: w, r: r, uri: r.URL.RequestURI(), query: r.URL.Query()}
	if r.RequestURI != "" {
		c.uri = r.RequestURI
	}
	segs := segments(r)
	allowed := map[string]bool{}
	var found *route
	for i := range routes {
		rt := &routes[i]
		param, ok := match(rt.pattern, segs)
		if !ok {
			continue
		}
		allowed[rt.method] = true
		if found == nil && rt.method == r.Method {
			found, c.param = rt, param
		}
	}
	switch {
	case found != nil:
		s.dispatch(c, found)
	case len(allowed) == 0:
		c.write(http.StatusBadRequest, ordered{{"error", "no handler found for uri [" + c.uri + "] and method [" + r.Method + "]"}})
	case r.Method == http.MethodOptions:
		w.Header().Set("Allow", strings.Join(methodList(allowed), ","))
		c.write(http.StatusOK, nil)
	default:
		list := methodList(allowed)
		w.Header().Set("Allow", strings.Join(list, ","))
		c.write(http.StatusMethodNotAllowed, ordered{
			{"error", "Incorrect HTTP method for uri [" + c.uri + "] and method [" + r.Method + "], allowed: [" + strings.Join(list, ", ") + "]"},
			{"status", http.StatusMethodNotAllowed},
		})
	}
}

func methodList(allowed map[string]bool) []string {
	var list []string
	for _, m := range methodOrder {
		if allowed[m] {
			list = append(list, m)
		}
	}
	return list
}

// maxBody is Elasticsearch's default http.max_content_length.
const maxBody = 100 << 20

// dispatch checks the content type, authenticates the request and runs the handler under the store lock.
func (s *Server) dispatch(c *call, rt *route) {
	body, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody+1))
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
	s.mu.Lock()
	status, out, esErr := s.serveLocked(c, rt)
	s.mu.Unlock()
	if esErr != nil {
		c.writeError(esErr)
		return
	}
	c.write(status, out)
}

func (s *Server) serveLocked(c *call, rt *route) (int, any, *esError) {
	sub, err := s.authenticate(c.r, c.uri)
	if err != nil {
		return 0, nil, err
	}
	c.sub = sub
	if err := unknownParams(c, rt); err != nil {
		return 0, nil, err
	}
	return rt.handle(s, c)
}

// unknownParams refuses query parameters the route does not know, as BaseRestHandler does.
func unknownParams(c *call, rt *route) *esError {
	var unknown []string
	for _, name := range sortedKeys(c.query) {
		if !slices.Contains(commonParams, name) && !slices.Contains(rt.params, name) {
			unknown = append(unknown, "["+name+"]")
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

// contentTypeError is the message for a body whose Content-Type Elasticsearch does not read, or "".
func contentTypeError(r *http.Request, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	header := r.Header.Get("Content-Type")
	if header == "" {
		return "Content-Type header is missing"
	}
	mt, _, err := mime.ParseMediaType(header)
	if err == nil && slices.Contains(mediaTypes, strings.ToLower(mt)) {
		return ""
	}
	return "Content-Type header [" + header + "] is not supported"
}

// mediaTypes are the body types Elasticsearch parses.
var mediaTypes = []string{"application/json", "application/x-ndjson", "application/smile", "application/yaml",
	"application/cbor", "application/vnd.elasticsearch+json", "application/vnd.elasticsearch+x-ndjson"}

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
	h := c.w.Header()
	h.Set("X-Elastic-Product", "Elasticsearch")
	h.Set("Content-Type", "application/json")
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

// doc parses the request body; empty bodies give a document with a nil root.
func (c *call) doc() (*jsonDoc, *esError) { return parseDoc(c.body) }

// requireBody is the error of routes whose body is required.
func (c *call) requireBody() *esError {
	if len(bytes.TrimSpace(c.body)) == 0 {
		return badRequest("parse_exception", "request body is required")
	}
	return nil
}

func (c *call) flag(name string) bool {
	v, ok := c.query[name]
	return ok && (len(v) == 0 || v[0] == "" || v[0] == "true")
}
