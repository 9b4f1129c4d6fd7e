package esapikey_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/esapikey/esapikey"
)

// Fuzz targets. Seeds live in testdata/fuzz/<target>; run one for longer
// with: go test -run '^$' -fuzz '^FuzzIDPath$' -fuzztime 5m .

// captured is what a capturing transport saw of one request: the request
// line's URI as net/http writes it, and the body.
type captured struct {
	uri  string
	body []byte
}

type captureTransport func(*http.Request) (*http.Response, error)

func (f captureTransport) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// capture returns a client whose transport records each request and
// answers it with status and body.
func capture(t testing.TB, node string, status int, answer []byte) (*esapikey.Client, *[]captured) {
	var seen []captured
	rt := captureTransport(func(r *http.Request) (*http.Response, error) {
		var b []byte
		if r.Body != nil {
			b, _ = io.ReadAll(r.Body)
			r.Body.Close()
		}
		seen = append(seen, captured{uri: r.URL.RequestURI(), body: b})
		return &http.Response{
			StatusCode: status,
			Header:     http.Header{"Content-Type": {"application/json"}, "X-Elastic-Product": {"Elasticsearch"}},
			Body:       io.NopCloser(bytes.NewReader(answer)),
			Request:    r,
		}, nil
	})
	c, err := esapikey.NewClient(esapikey.Config{Addresses: []string{node}, Transport: rt, DisableRetry: true})
	if err != nil {
		t.Fatal(err)
	}
	return c, &seen
}

// FuzzIDPath: any id is either refused before sending or arrives as exactly
// one path segment that unescapes to the id, also behind a path prefix.
func FuzzIDPath(f *testing.F) {
	for _, id := range []string{testID, "", ".", "..", "a/b", "../_bulk_update", "?x=1#y", "%2F", "a%zz", "ünï/cödé", "\x00\xff", " ", "a;b", "_bulk_update"} {
		f.Add(id)
	}
	f.Fuzz(func(t *testing.T, id string) {
		for _, prefix := range []string{"", "/es", "/a%20b/es"} {
			c, seen := capture(t, "http://es.invalid:9200"+prefix, 200, []byte(`{"updated":true}`))
			routes := []struct {
				route string
				call  func() error
			}{
				{"/_security/api_key/", func() error {
					_, err := c.UpdateAPIKey(context.Background(), esapikey.UpdateAPIKeyRequest{ID: id})
					return err
				}},
				{"/_security/cross_cluster/api_key/", func() error {
					_, err := c.UpdateCrossClusterAPIKey(context.Background(), esapikey.UpdateCrossClusterAPIKeyRequest{ID: id, Metadata: esapikey.Metadata{}})
					return err
				}},
			}
			for _, r := range routes {
				*seen = nil
				err := r.call()
				if errors.Is(err, esapikey.ErrInvalidRequest) {
					if len(*seen) != 0 {
						t.Fatalf("id %q refused, but sent", id)
					}
					continue
				}
				if err != nil {
					t.Fatalf("id %q: %v", id, err)
				}
				if len(*seen) != 1 {
					t.Fatalf("id %q: %d requests", id, len(*seen))
				}
				uri := (*seen)[0].uri
				want := prefix + r.route
				if !strings.HasPrefix(uri, want) {
					t.Fatalf("id %q: sent %q, want it under %q", id, uri, want)
				}
				seg := uri[len(want):]
				if seg == "" || strings.ContainsAny(seg, "/?#") {
					t.Fatalf("id %q: sent %q: not one path segment", id, uri)
				}
				if got, err := url.PathUnescape(seg); err != nil || got != id {
					t.Fatalf("id %q: segment %q unescapes to %q (%v)", id, seg, got, err)
				}
			}
		}
	})
}

// FuzzDuration: a Duration that parses gives back a time.Duration that
// DurationOf writes and parses again to the same value; DurationOf of any
// positive time.Duration round-trips exactly.
func FuzzDuration(f *testing.F) {
	for _, s := range []string{"30d", "90m", "1M", "1.5h", "-2d", "0s", "9223372036854775807nanos", "106751d", "106752d", "5", "1MS", "2D", " 1d", "1e3s", ""} {
		f.Add(s, int64(0))
	}
	f.Add("", int64(90*time.Minute))
	f.Add("", int64(-1))
	f.Add("", int64(1<<63-1))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		if d, err := esapikey.Duration(s).TimeDuration(); err == nil {
			if d <= 0 {
				t.Fatalf("%q parses to %v", s, d)
			}
			back, err := esapikey.DurationOf(d).TimeDuration()
			if err != nil || back != d {
				t.Fatalf("%q: %v written %q parses to %v (%v)", s, d, esapikey.DurationOf(d), back, err)
			}
		}
		d := time.Duration(n)
		w := esapikey.DurationOf(d)
		back, err := w.TimeDuration()
		switch {
		case d > 0 && (err != nil || back != d):
			t.Fatalf("DurationOf(%d) = %q parses to %v (%v)", n, w, back, err)
		case d <= 0 && err == nil:
			t.Fatalf("DurationOf(%d) = %q, which should be refused", n, w)
		case w == "":
			t.Fatalf("DurationOf(%d) is empty, which is omitted", n)
		}
	})
}

// FuzzDecodeResponse: whatever the answer, the call returns a result or a
// typed error that keeps the status, and never panics; a 2xx answer decodes
// as the response type's own UnmarshalJSON decodes it.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, `{"updated":true}`}, {200, `{"updated":false}`}, {200, ` {"updated":true} `}, {200, `{"updated":1}`},
		{200, `{"updated":["a"],"noops":[],"errors":{"count":1,"details":{"b":{"type":"x","reason":"y"}}}}`},
		{200, `{"updated":tr`}, {200, ``}, {200, `null`}, {201, `{"updated":true,"x":{}}`},
		{404, notFound}, {401, `{"error":{"type":"security_exception","reason":"r","header":{"WWW-Authenticate":["Basic","Bearer"]}},"status":401}`},
		{405, `{"error":"Incorrect HTTP method","status":405}`}, {502, `<html>bad gateway</html>`}, {500, ``},
		{400, `{"error":{"type":"a","caused_by":{"type":"b","caused_by":{"type":"c"}}}}`}, {503, "\xff\xfe"},
	} {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 200 || status > 599 {
			status = 200 + (status%400+400)%400
		}
		c, _ := capture(t, "http://es.invalid:9200", status, body)
		ctx := context.Background()
		res, err := c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: testID})
		checkAnswer(t, status, body, err)
		if err == nil {
			var want esapikey.UpdateAPIKeyResponse
			if werr := json.Unmarshal(body, &want); werr != nil || want != *res {
				t.Fatalf("%s decoded as %+v, UnmarshalJSON gives %+v (%v)", body, *res, want, werr)
			}
		}
		cc, err := c.UpdateCrossClusterAPIKey(ctx, esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Metadata: esapikey.Metadata{}})
		checkAnswer(t, status, body, err)
		if err == nil {
			var want esapikey.UpdateCrossClusterAPIKeyResponse
			if werr := json.Unmarshal(body, &want); werr != nil || want != *cc {
				t.Fatalf("%s decoded as %+v, UnmarshalJSON gives %+v (%v)", body, *cc, want, werr)
			}
		}
		bulk, err := c.BulkUpdateAPIKeys(ctx, esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"a"}})
		checkAnswer(t, status, body, err)
		if err == nil {
			_ = bulk.Err()
			_ = errors.Is(bulk.Err(), esapikey.ErrNotFound)
		}
	})
}

func checkAnswer(t *testing.T, status int, body []byte, err error) {
	t.Helper()
	if err == nil {
		if status > 299 {
			t.Fatalf("%d %q: no error", status, body)
		}
		return
	}
	_ = err.Error()
	var e *esapikey.Error
	var de *esapikey.DecodeError
	switch {
	case errors.As(err, &e):
		if e.StatusCode != status || status < 300 {
			t.Fatalf("%d %q: *Error with status %d", status, body, e.StatusCode)
		}
		if len(e.Body) > 1024 || !utf8.ValidString(e.Body) {
			t.Fatalf("%d: excerpt of %d bytes, valid UTF-8: %t", status, len(e.Body), utf8.ValidString(e.Body))
		}
		for _, s := range []error{esapikey.ErrNotFound, esapikey.ErrUnauthorized, esapikey.ErrExpired} {
			_ = errors.Is(err, s)
		}
	case errors.As(err, &de):
		if de.StatusCode != status || status > 299 {
			t.Fatalf("%d %q: *DecodeError with status %d", status, body, de.StatusCode)
		}
		if len(de.Body) > 1024 || !utf8.ValidString(de.Body) {
			t.Fatalf("%d: excerpt of %d bytes", status, len(de.Body))
		}
	default:
		t.Fatalf("%d %q: untyped error %T: %v", status, body, err, err)
	}
}

// FuzzRoleDescriptorJSON: role descriptors and metadata read from JSON are
// sent as json.Marshal writes them, byte for byte, and what is sent reads
// back to a request that is sent the same again.
func FuzzRoleDescriptorJSON(f *testing.F) {
	for _, s := range []struct{ roles, metadata string }{
		{`{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}}`, `{"environment":{"level":2,"trusted":true,"tags":["production"]}}`},
		{`{}`, `{}`},
		{`{"r":{"cluster":["all"],"index":[{"names":"logs-*","privileges":["read"],"field_security":{"grant":["*"],"except":[]},"query":"{\"match\":{\"a\":\"<b>&\"}}"}]}}`, `{"a":1.5e300,"b":-0,"c":null,"d":[]}`},
		{`{"r":{"indices":[{"names":["a"],"privileges":["read"],"query":{"template":{"source":{"term":{"u":"{{_user.username}}"}},"params":{"x":1}}}}],"run_as":["bob"],"metadata":{"k":"v"},"restriction":{"workflows":["search_application_query"]}}}`, `{"\u2028":"\u0000"}`},
		{`{"r":{"remote_indices":[{"clusters":"c*","names":["i"],"privileges":["read"],"allow_restricted_indices":true}],"remote_cluster":[{"clusters":["c"],"privileges":["monitor_enrich"]}],"global":{"application":{"manage":{"applications":["kibana"]}},"profile":{"write":{"applications":["x"]}}},"applications":[{"application":"app","privileges":["read"],"resources":["*"]}],"transient_metadata":{"enabled":true}}}`, `{"nested":{"_ok":{"deeper":[1,[2,[3]]]}}}`},
		{`{"r":{"indices":[{"names":["a"],"privileges":["read"],"query":{"match_all":{}}}]}}`, `{"\ud800":"\xff"}`},
	} {
		f.Add([]byte(s.roles), []byte(s.metadata))
	}
	f.Fuzz(func(t *testing.T, rolesJSON, mdJSON []byte) {
		var req esapikey.UpdateAPIKeyRequest
		req.ID = testID
		if json.Unmarshal(rolesJSON, &req.RoleDescriptors) != nil || json.Unmarshal(mdJSON, &req.Metadata) != nil {
			return
		}
		want, err := json.Marshal(&req)
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		c, seen := capture(t, "http://es.invalid:9200", 200, []byte(`{"updated":true}`))
		if _, err := c.UpdateAPIKey(context.Background(), req); err != nil {
			if errors.Is(err, esapikey.ErrInvalidRequest) {
				return
			}
			t.Fatal(err)
		}
		var sent []byte
		if len(*seen) == 1 {
			sent = (*seen)[0].body
		}
		if req.RoleDescriptors == nil && req.Metadata == nil {
			if sent != nil {
				t.Fatalf("empty request sent %s", sent)
			}
			return
		}
		if !bytes.Equal(sent, want) {
			t.Fatalf("sent\n%s\njson.Marshal\n%s", sent, want)
		}
		var again esapikey.UpdateAPIKeyRequest
		if err := json.Unmarshal(sent, &again); err != nil {
			t.Fatalf("what was sent does not read back: %v\n%s", err, sent)
		}
		again.ID = testID
		*seen = nil
		if _, err := c.UpdateAPIKey(context.Background(), again); err != nil {
			t.Fatalf("read back, refused: %v", err)
		}
		if len(*seen) != 1 || !bytes.Equal((*seen)[0].body, sent) {
			t.Fatalf("sent\n%s\nread back and sent again\n%v", sent, *seen)
		}
	})
}
