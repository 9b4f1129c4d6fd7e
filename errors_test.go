package esapikey_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

const (
	uri             = "/_security/api_key/" + testID
	wwwAuthenticate = `{"WWW-Authenticate":["Basic realm=\"security\", charset=\"UTF-8\"","Bearer realm=\"security\"","ApiKey"]}`
	unauthenticated = `missing authentication credentials for REST request [` + uri + `]`
	forbidden       = `action [cluster:admin/xpack/security/api_key/update] is unauthorized for user [reader] with effective roles [viewer], this action is granted by the cluster privileges [manage_own_api_key,manage_api_key,manage_security,all]`
	parseFailure    = `Failed to build [update_api_key_request_payload] after last required field arrived`
)

// realm401 are the WWW-Authenticate headers Elasticsearch sends with a 401.
var realm401 = []string{`Basic realm="security", charset="UTF-8"`, `Bearer realm="security"`, `ApiKey`}

func cause(typ, reason string) esapikey.ErrorCause {
	return esapikey.ErrorCause{Type: typ, Reason: reason}
}

// simpleError is an Elasticsearch error body whose one root cause is the
// error itself, as most security errors are.
func simpleError(status, typ, reason string) string {
	c := `{"type":"` + typ + `","reason":"` + reason + `"}`
	return `{"error":{"root_cause":[` + c + `],` + c[1:len(c)-1] + `},"status":` + status + `}`
}

// The error rows of the behaviour file, as Elasticsearch answers them.
func TestError_elasticsearchAnswers(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		header    []string
		body      string
		typ       string
		reason    string
		rootCause []esapikey.ErrorCause
		causedBy  *esapikey.ErrorCause
		sentinel  error
		msg       string // Error()
	}{
		{name: "no credentials", status: 401, header: []string{"WWW-Authenticate", realm401[0], "WWW-Authenticate", realm401[1], "WWW-Authenticate", realm401[2]},
			body: `{"error":{"root_cause":[{"type":"security_exception","reason":"` + unauthenticated + `","header":` + wwwAuthenticate + `}],"type":"security_exception","reason":"` + unauthenticated + `","header":` + wwwAuthenticate + `},"status":401}`,
			typ:  "security_exception", reason: unauthenticated, rootCause: []esapikey.ErrorCause{cause("security_exception", unauthenticated)},
			sentinel: esapikey.ErrUnauthorized, msg: "esapikey: 401 security_exception: " + unauthenticated},
		{name: "no credentials, header only in the body", status: 401,
			body: `{"error":{"root_cause":[{"type":"security_exception","reason":"` + unauthenticated + `"}],"type":"security_exception","reason":"` + unauthenticated + `","header":` + wwwAuthenticate + `},"status":401}`,
			typ:  "security_exception", reason: unauthenticated, rootCause: []esapikey.ErrorCause{cause("security_exception", unauthenticated)},
			sentinel: esapikey.ErrUnauthorized, msg: "esapikey: 401 security_exception: " + unauthenticated},
		{name: "wrong password", status: 401, header: []string{"WWW-Authenticate", realm401[0], "WWW-Authenticate", realm401[1], "WWW-Authenticate", realm401[2]},
			body: simpleError("401", "security_exception", "unable to authenticate user [elastic] for REST request ["+uri+"]"),
			typ:  "security_exception", reason: "unable to authenticate user [elastic] for REST request [" + uri + "]",
			rootCause: []esapikey.ErrorCause{cause("security_exception", "unable to authenticate user [elastic] for REST request ["+uri+"]")},
			sentinel:  esapikey.ErrUnauthorized, msg: "esapikey: 401 security_exception: unable to authenticate user [elastic] for REST request [" + uri + "]"},
		{name: "missing privilege", status: 403, body: simpleError("403", "security_exception", forbidden),
			typ: "security_exception", reason: forbidden, rootCause: []esapikey.ErrorCause{cause("security_exception", forbidden)},
			sentinel: esapikey.ErrForbidden, msg: "esapikey: 403 security_exception: " + forbidden},
		{name: "API key caller", status: 400,
			body: simpleError("400", "illegal_argument_exception", "authentication via API key not supported: only the owner user can update an API key"),
			typ:  "illegal_argument_exception", reason: "authentication via API key not supported: only the owner user can update an API key",
			rootCause: []esapikey.ErrorCause{cause("illegal_argument_exception", "authentication via API key not supported: only the owner user can update an API key")},
			sentinel:  esapikey.ErrAPIKeyCredentials, msg: "esapikey: 400 illegal_argument_exception: authentication via API key not supported: only the owner user can update an API key"},
		{name: "not found", status: 404, body: notFound,
			typ: "resource_not_found_exception", reason: "no API key owned by requesting user found for ID [" + testID + "]",
			rootCause: []esapikey.ErrorCause{cause("resource_not_found_exception", "no API key owned by requesting user found for ID ["+testID+"]")},
			sentinel:  esapikey.ErrNotFound, msg: "esapikey: 404 resource_not_found_exception: no API key owned by requesting user found for ID [" + testID + "]"},
		{name: "invalidated", status: 400, body: simpleError("400", "illegal_argument_exception", "cannot update invalidated API key ["+testID+"]"),
			typ: "illegal_argument_exception", reason: "cannot update invalidated API key [" + testID + "]",
			rootCause: []esapikey.ErrorCause{cause("illegal_argument_exception", "cannot update invalidated API key ["+testID+"]")},
			sentinel:  esapikey.ErrInvalidated, msg: "esapikey: 400 illegal_argument_exception: cannot update invalidated API key [" + testID + "]"},
		{name: "expired", status: 400, body: simpleError("400", "illegal_argument_exception", "cannot update expired API key ["+testID+"]"),
			typ: "illegal_argument_exception", reason: "cannot update expired API key [" + testID + "]",
			rootCause: []esapikey.ErrorCause{cause("illegal_argument_exception", "cannot update expired API key ["+testID+"]")},
			sentinel:  esapikey.ErrExpired, msg: "esapikey: 400 illegal_argument_exception: cannot update expired API key [" + testID + "]"},
		{name: "cross-cluster key", status: 400, body: simpleError("400", "illegal_argument_exception", "cannot update API key of type [cross_cluster] while expected type is [rest]"),
			typ: "illegal_argument_exception", reason: "cannot update API key of type [cross_cluster] while expected type is [rest]",
			rootCause: []esapikey.ErrorCause{cause("illegal_argument_exception", "cannot update API key of type [cross_cluster] while expected type is [rest]")},
			sentinel:  esapikey.ErrWrongKeyType, msg: "esapikey: 400 illegal_argument_exception: cannot update API key of type [cross_cluster] while expected type is [rest]"},
		{name: "reserved metadata key", status: 400, body: simpleError("400", "action_request_validation_exception", "Validation Failed: 1: API key metadata keys may not start with [_];"),
			typ: "action_request_validation_exception", reason: "Validation Failed: 1: API key metadata keys may not start with [_];",
			rootCause: []esapikey.ErrorCause{cause("action_request_validation_exception", "Validation Failed: 1: API key metadata keys may not start with [_];")},
			msg:       "esapikey: 400 action_request_validation_exception: Validation Failed: 1: API key metadata keys may not start with [_];"},
		{name: "expiration not in the future", status: 400, body: simpleError("400", "action_request_validation_exception", "Validation Failed: 1: API key expiration must be in the future;"),
			typ: "action_request_validation_exception", reason: "Validation Failed: 1: API key expiration must be in the future;",
			rootCause: []esapikey.ErrorCause{cause("action_request_validation_exception", "Validation Failed: 1: API key expiration must be in the future;")},
			msg:       "esapikey: 400 action_request_validation_exception: Validation Failed: 1: API key expiration must be in the future;"},
		{name: "unparsable expiration", status: 400,
			body: `{"error":{"root_cause":[{"type":"x_content_parse_exception","reason":"` + parseFailure + `"}],"type":"x_content_parse_exception","reason":"` + parseFailure + `","caused_by":{"type":"illegal_argument_exception","reason":"failed to parse setting [expiration] with value [5] as a time value: unit is missing or unrecognized"}},"status":400}`,
			typ:  "x_content_parse_exception", reason: parseFailure, rootCause: []esapikey.ErrorCause{cause("x_content_parse_exception", parseFailure)},
			causedBy: &esapikey.ErrorCause{Type: "illegal_argument_exception", Reason: "failed to parse setting [expiration] with value [5] as a time value: unit is missing or unrecognized"},
			msg:      "esapikey: 400 x_content_parse_exception: " + parseFailure + " (caused by illegal_argument_exception: failed to parse setting [expiration] with value [5] as a time value: unit is missing or unrecognized)"},
		{name: "unknown field in a role", status: 400,
			body: `{"error":{"root_cause":[{"type":"parse_exception","reason":"failed to parse role [role-a]. unexpected field [description]"}],"type":"x_content_parse_exception","reason":"[1:60] [update_api_key_request_payload] failed to parse field [role_descriptors]","caused_by":{"type":"parse_exception","reason":"failed to parse role [role-a]. unexpected field [description]","caused_by":{"type":"illegal_argument_exception","reason":"unexpected field"}}},"status":400}`,
			typ:  "x_content_parse_exception", reason: "[1:60] [update_api_key_request_payload] failed to parse field [role_descriptors]",
			rootCause: []esapikey.ErrorCause{cause("parse_exception", "failed to parse role [role-a]. unexpected field [description]")},
			causedBy: &esapikey.ErrorCause{Type: "parse_exception", Reason: "failed to parse role [role-a]. unexpected field [description]",
				CausedBy: &esapikey.ErrorCause{Type: "illegal_argument_exception", Reason: "unexpected field"}},
			msg: "esapikey: 400 x_content_parse_exception: [1:60] [update_api_key_request_payload] failed to parse field [role_descriptors] (caused by parse_exception: failed to parse role [role-a]. unexpected field [description])"},
		{name: "two restricted roles", status: 400, body: simpleError("400", "illegal_argument_exception", "more than one role descriptor with restriction is not supported"),
			typ: "illegal_argument_exception", reason: "more than one role descriptor with restriction is not supported",
			rootCause: []esapikey.ErrorCause{cause("illegal_argument_exception", "more than one role descriptor with restriction is not supported")},
			msg:       "esapikey: 400 illegal_argument_exception: more than one role descriptor with restriction is not supported"},
		{name: "wrong method", status: 405, body: `{"error":"Incorrect HTTP method for uri [` + uri + `] and method [GET], allowed: [PUT]","status":405}`,
			reason: "Incorrect HTTP method for uri [" + uri + "] and method [GET], allowed: [PUT]",
			msg:    "esapikey: 405 Method Not Allowed: Incorrect HTTP method for uri [" + uri + "] and method [GET], allowed: [PUT]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			answer(mux, tt.status, tt.body, tt.header...)

			res, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})

			assert.Nil(t, res)
			e := assertError(t, err, tt.status)
			assert.Equal(t, tt.typ, e.Type)
			assert.Equal(t, tt.reason, e.Reason)
			assert.Equal(t, tt.rootCause, e.RootCause)
			assert.Equal(t, tt.causedBy, e.CausedBy)
			assert.Empty(t, e.ID)
			assert.Empty(t, e.Body, "an Elasticsearch error is not an excerpt")
			assert.Equal(t, tt.msg, err.Error())
			assert.Equal(t, "Elasticsearch", e.Header.Get("X-Elastic-Product"))
			if tt.status == http.StatusUnauthorized {
				assert.Equal(t, realm401, e.Header.Values("WWW-Authenticate"))
			}
			assertSentinel(t, err, tt.sentinel)
		})
	}
}

// What a proxy or load balancer in front of the cluster answers.
func TestError_proxyAnswers(t *testing.T) {
	const nginx = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"
	const envoy = "upstream connect error or disconnect/reset before headers. reset reason: connection failure"
	tests := []struct {
		name     string
		status   int
		body     string
		reason   string
		excerpt  string
		msg      string
		sentinel error
	}{
		{"HTML 502", 502, nginx, "", nginx,
			"esapikey: 502 Bad Gateway: <html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> <hr><center>nginx/1.25.3</center> </body> </html>", nil},
		{"empty 500", 500, "", "", "", "esapikey: 500 Internal Server Error: (empty body)", nil},
		{"empty 504", 504, "", "", "", "esapikey: 504 Gateway Timeout: (empty body)", nil},
		{"plain-text 503", 503, envoy, "", envoy, "esapikey: 503 Service Unavailable: " + envoy, nil},
		{"error as a string", 429, `{"error":"too many requests"}`, "too many requests", "", "esapikey: 429 Too Many Requests: too many requests", nil},
		{"other JSON", 403, `{"message":"The security token included in the request is invalid."}`, "",
			`{"message":"The security token included in the request is invalid."}`,
			`esapikey: 403 Forbidden: {"message":"The security token included in the request is invalid."}`, esapikey.ErrForbidden},
		{"error object without type", 500, `{"error":{"reason":"boom"}}`, "", `{"error":{"reason":"boom"}}`,
			`esapikey: 500 Internal Server Error: {"error":{"reason":"boom"}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			answer(mux, tt.status, tt.body)

			_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})

			e := assertError(t, err, tt.status)
			assert.Empty(t, e.Type)
			assert.Equal(t, tt.reason, e.Reason)
			assert.Equal(t, tt.excerpt, e.Body)
			assert.Equal(t, tt.msg, err.Error())
			assertSentinel(t, err, tt.sentinel)
		})
	}
}

func TestError_hugeBodyIsCapped(t *testing.T) {
	for name, body := range map[string]string{
		"ASCII":            strings.Repeat("<p>oops</p>\n", 100_000),
		"larger than 4MiB": strings.Repeat("x", 5<<20),
		"multi-byte":       strings.Repeat("é", 3000),
	} {
		t.Run(name, func(t *testing.T) {
			client, mux := setup(t)
			answer(mux, http.StatusBadGateway, body)
			_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
			e := assertError(t, err, http.StatusBadGateway)
			assert.LessOrEqual(t, len(e.Body), 1024)
			assert.Greater(t, len(e.Body), 1000)
			assert.True(t, strings.HasPrefix(body, e.Body), "the excerpt is the start of the body")
			assert.True(t, utf8.ValidString(e.Body))
			assert.Less(t, len(err.Error()), 300)
		})
	}
	t.Run("cut inside a character", func(t *testing.T) {
		client, mux := setup(t)
		answer(mux, http.StatusBadGateway, strings.Repeat("€", 1000)) // 3 bytes each; 1024 = 341×3 + 1
		_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
		e := assertError(t, err, http.StatusBadGateway)
		assert.LessOrEqual(t, len(e.Body), 1024)
	})
}

// A 2xx answer that is not what the endpoint returns: the change may have
// been applied, and the caller must know that the answer was unreadable.
func TestDecodeError(t *testing.T) {
	for _, body := range []string{
		`{}`, `{"updated":null}`, `{"updated":"true"}`, `{"updated":1}`, `<html>OK</html>`, ``, `{"updated":tru`,
	} {
		t.Run(body, func(t *testing.T) {
			client, mux := setup(t)
			answer(mux, http.StatusOK, body)

			res, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})

			assert.Nil(t, res)
			var de *esapikey.DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, http.StatusOK, de.StatusCode)
			assert.Equal(t, body, de.Body)
			assert.Error(t, de.Err)
			assert.True(t, strings.HasPrefix(err.Error(), "esapikey: 200 response: "), err.Error())
			var e *esapikey.Error
			assert.False(t, errors.As(err, &e))
			assertSentinel(t, err, nil)
		})
	}
}

func TestUpdateAPIKey_unknownFieldsIgnored(t *testing.T) {
	client, mux := setup(t)
	answer(mux, http.StatusOK, `{"updated":true,"id":"`+testID+`","extra":{"a":[1,null]}}`)
	res, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
	require.NoError(t, err)
	assert.True(t, res.Updated)
}

// Error answers are read to the end, so the connection serves the next call.
func TestError_connectionReused(t *testing.T) {
	answers := []struct {
		status int
		body   string
	}{
		{404, notFound},
		{502, strings.Repeat("<p>maintenance</p>", 50_000)},
		{200, `{"updated":true}`},
		{503, strings.Repeat("x", 4<<20+100<<10)}, // past the 4 MiB read, within the drain
		{401, simpleError("401", "security_exception", unauthenticated)},
		{200, `{"updated":false}`},
	}
	var conns, calls atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := answers[calls.Add(1)-1]
		new(recorder).reply(a.status, a.body)(w, r)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	client := newClient(t, esapikey.Config{Addresses: []string{srv.URL}, DisableRetry: true})

	for _, a := range answers {
		_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID, Metadata: esapikey.Metadata{"a": 1}})
		if a.status != http.StatusOK {
			assertError(t, err, a.status)
		} else {
			require.NoError(t, err)
		}
	}
	assert.EqualValues(t, len(answers), calls.Load())
	assert.EqualValues(t, 1, conns.Load(), "connections opened")
}

func TestClient_contextDeadline(t *testing.T) {
	for _, ep := range endpoints {
		t.Run(ep.span, func(t *testing.T) {
			client, mux := setup(t)
			done := make(chan struct{})
			t.Cleanup(func() { close(done) }) // before the server closes
			mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body) // else a client going away goes unnoticed
				select {
				case <-r.Context().Done():
				case <-done:
				}
			})
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
			defer cancel()

			err := ep.call(ctx, client)

			assert.ErrorIs(t, err, context.DeadlineExceeded)
			var e *esapikey.Error
			assert.False(t, errors.As(err, &e))
			assert.True(t, strings.HasPrefix(err.Error(), "esapikey: "+ep.span+": "), err.Error())
		})
	}
}

// A connection cut before the answer is a transport error, wrapped; with
// retries on, the request is sent again with the same body.
func TestClient_connectionCut(t *testing.T) {
	for _, retry := range []bool{false, true} {
		t.Run(fmt.Sprint("retry ", retry), func(t *testing.T) {
			rec := new(recorder)
			ok := rec.reply(http.StatusOK, `{"updated":true}`)
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if len(rec.calls()) > 0 {
					ok(w, r)
					return
				}
				rec.record(r)
				if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
					_ = conn.Close()
				}
			}))
			client := newClient(t, esapikey.Config{Addresses: []string{srv.URL}, DisableRetry: !retry})

			res, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID, Expiration: "7d"})

			reqs := rec.calls()
			for _, r := range reqs {
				assertJSONRequest(t, r, http.MethodPut, updatePath, `{"expiration":"7d"}`)
			}
			if retry {
				require.NoError(t, err)
				assert.True(t, res.Updated)
				assert.Len(t, reqs, 2)
				return
			}
			require.Error(t, err)
			assert.Len(t, reqs, 1)
			assert.True(t, strings.HasPrefix(err.Error(), "esapikey: security.update_api_key: "), err.Error())
			var e *esapikey.Error
			var de *esapikey.DecodeError
			assert.False(t, errors.As(err, &e))
			assert.False(t, errors.As(err, &de))
			assertSentinel(t, err, nil)
			assert.NotErrorIs(t, err, esapikey.ErrInvalidRequest)
		})
	}
}

// Error reads as one line whatever is known.
func TestError_message(t *testing.T) {
	tests := []struct {
		err  esapikey.Error
		want string
	}{
		{esapikey.Error{StatusCode: 404, Type: "resource_not_found_exception", Reason: "gone"}, "esapikey: 404 resource_not_found_exception: gone"},
		{esapikey.Error{StatusCode: 400, Reason: "bad"}, "esapikey: 400 Bad Request: bad"},
		{esapikey.Error{StatusCode: 599, Body: "a\n  b"}, "esapikey: 599: a b"},
		{esapikey.Error{StatusCode: 502}, "esapikey: 502 Bad Gateway: (empty body)"},
		{esapikey.Error{ID: "k1", Type: "t"}, "esapikey: api key [k1]: t"},
		{esapikey.Error{ID: "k1", Reason: "r"}, "esapikey: api key [k1]: r"},
		{esapikey.Error{ID: "k1"}, "esapikey: api key [k1]: (empty body)"},
		{esapikey.Error{}, "esapikey: api key []: (empty body)"}, // StatusCode 0: a bulk failure
		{esapikey.Error{StatusCode: 400, Type: "t", Reason: "r", CausedBy: &esapikey.ErrorCause{Type: "c", CausedBy: &esapikey.ErrorCause{Type: "d"}}}, "esapikey: 400 t: r (caused by c)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.err.Error())
	}
}

// A redirect is not followed, so that credentials go nowhere else; its
// error says where it points, with a password in the address masked.
func TestError_redirectShowsTheLocation(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, status, "", "Location", "https://user:hunter2@es.example.com:9243/_security/api_key/"+testID)

			_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})

			e := assertError(t, err, status)
			assert.Equal(t, fmt.Sprintf("esapikey: %d %s: (empty body) (redirect to https://user:****@es.example.com:9243/_security/api_key/%s, not followed)",
				status, http.StatusText(status), testID), err.Error())
			assert.NotContains(t, err.Error(), "hunter2")
			assert.Equal(t, "https://user:hunter2@es.example.com:9243/_security/api_key/"+testID, e.Header.Get("Location"), "the header as it came")
			assert.Len(t, rec.calls(), 1, "not followed")
		})
	}
}
