package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// dryRunTransport is the HTTP transport of --dry-run: it prints each request
// as it would go on the wire and answers as Elasticsearch does to a request
// that changed nothing. The request has passed through the library and
// elastic-transport-go like a real one: validation, URL, escaping, headers.
//
// Credentials are masked where they are, in the headers that carry them and
// in the URL's user information; the body is printed exactly, even where
// its text happens to equal a secret.
type dryRunTransport struct {
	w     io.Writer
	count int
}

// maskedHeaders carry credentials; their values are never printed.
var maskedHeaders = map[string]bool{
	"Authorization":              true,
	"Proxy-Authorization":        true,
	"Cookie":                     true,
	"Es-Secondary-Authorization": true,
}

func (t *dryRunTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	var b strings.Builder
	if t.count > 0 {
		b.WriteString("\n")
	}
	t.count++
	fmt.Fprintf(&b, "%s %s\n", req.Method, maskURL(req.URL))
	names := make([]string, 0, len(req.Header))
	for k := range req.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		for _, v := range req.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, maskHeader(k, v))
		}
	}
	if len(body) > 0 {
		fmt.Fprintf(&b, "\n%s\n", body)
	}
	if _, err := io.WriteString(t.w, b.String()); err != nil {
		return nil, err
	}

	answer := `{"updated":false}`
	if strings.HasSuffix(req.URL.Path, "/_bulk_update") {
		answer = `{"updated":[],"noops":[]}`
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}, "X-Elastic-Product": {"Elasticsearch"}},
		Body:          io.NopCloser(strings.NewReader(answer)),
		ContentLength: int64(len(answer)),
		Request:       req,
	}, nil
}

// maskURL prints u with the password of its user information masked.
func maskURL(u *url.URL) string {
	if u.User == nil {
		return u.String()
	}
	if _, has := u.User.Password(); !has {
		return u.String()
	}
	m := *u
	m.User = nil
	prefix := u.Scheme + "://"
	return prefix + url.User(u.User.Username()).String() + ":****@" + strings.TrimPrefix(m.String(), prefix)
}

// maskHeader keeps the scheme of an Authorization header ("Basic ****") and
// masks the rest.
func maskHeader(name, value string) string {
	if !maskedHeaders[name] {
		return value
	}
	if scheme, _, ok := strings.Cut(value, " "); ok && strings.EqualFold(name, "Authorization") {
		return scheme + " ****"
	}
	return "****"
}
