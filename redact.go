package esapikey

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// credentialHeaders carry credentials: an answer that echoes one of their
// values (a proxy printing the request it refused) must not bring it into
// an error.
var credentialHeaders = []string{"Authorization", "Proxy-Authorization", "Es-Secondary-Authorization"}

// mask is what a credential is replaced with.
const mask = "****"

// minDecoded is the shortest password or key secret decoded from a header
// that is masked on its own: shorter ones are too likely to match innocent
// text, and Elasticsearch's own passwords are at least 6 characters.
const minDecoded = 4

// secrets are the credentials a request was sent with, in every form an
// answer may echo them, longest first so that a value is masked whole
// before any part of it.
type secrets []string

// sentSecrets collects the credentials of the request as the transport sent
// it: the transport sets them on the request it is given, and an
// http.RoundTripper may have sent a copy, which the response points to.
func sentSecrets(req *http.Request, res *http.Response) secrets {
	var s secrets
	add := func(r *http.Request) {
		if r == nil {
			return
		}
		for _, name := range credentialHeaders {
			for _, v := range r.Header.Values(name) {
				// The scheme stays readable: "Basic ****".
				scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
				if !ok {
					s = s.add(v, true)
					continue
				}
				cred = strings.TrimSpace(cred)
				s = s.add(cred, true)
				if strings.EqualFold(scheme, "Basic") || strings.EqualFold(scheme, "ApiKey") {
					s = s.addDecoded(cred)
				}
			}
		}
		if r.URL != nil && r.URL.User != nil {
			if p, ok := r.URL.User.Password(); ok {
				s = s.add(p, false)
				s = s.add(r.URL.User.String(), true)
			}
		}
	}
	add(req)
	if res != nil && res.Request != req {
		add(res.Request)
	}
	slices.SortFunc(s, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	return slices.Compact(s)
}

// addDecoded adds what Basic or ApiKey credentials decode to, "user:password"
// or "id:api_key", and the password or api_key alone.
func (s secrets) addDecoded(cred string) secrets {
	b, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(cred); err != nil {
			return s
		}
	}
	s = s.add(string(b), false)
	if _, secret, ok := bytes.Cut(b, []byte{':'}); ok {
		s = s.add(string(secret), false)
	}
	return s
}

// add adds v as it is and as a JSON string writes it (with "/" escaped as
// well, as some encoders do). A decoded value shorter than minDecoded is
// left out.
func (s secrets) add(v string, whole bool) secrets {
	if v == "" || !whole && len(v) < minDecoded {
		return s
	}
	s = append(s, v)
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) == nil {
		if q := strings.TrimSuffix(b.String(), "\n"); len(q) > 2 {
			s = append(s, q[1:len(q)-1])
		}
	}
	if strings.Contains(v, "/") {
		s = append(s, strings.ReplaceAll(v, "/", `\/`))
	}
	return s
}

// text masks every secret in t.
func (s secrets) text(t string) string {
	for _, v := range s {
		if strings.Contains(t, v) {
			t = strings.ReplaceAll(t, v, mask)
		}
	}
	return t
}

// body masks every secret in a body, before an excerpt of it is kept.
func (s secrets) body(b []byte) []byte {
	for _, v := range s {
		if bytes.Contains(b, []byte(v)) {
			b = bytes.ReplaceAll(b, []byte(v), []byte(mask))
		}
	}
	return b
}

// cause masks the reasons of c and of its causes.
func (s secrets) cause(c *ErrorCause) {
	for ; c != nil; c = c.CausedBy {
		c.Type, c.Reason = s.text(c.Type), s.text(c.Reason)
	}
}

// header masks the values of h.
func (s secrets) header(h http.Header) {
	for _, vs := range h {
		for i, v := range vs {
			vs[i] = s.text(v)
		}
	}
}

// error masks every text of e that came from the answer.
func (s secrets) error(e *Error) {
	if len(s) == 0 {
		return
	}
	e.Type, e.Reason = s.text(e.Type), s.text(e.Reason)
	for i := range e.RootCause {
		s.cause(&e.RootCause[i])
	}
	s.cause(e.CausedBy)
	s.header(e.Header)
}
