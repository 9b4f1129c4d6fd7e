package esapikeytest

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"
)

// tokenLifetime is xpack.security.authc.token.timeout's default.
const tokenLifetime = 20 * time.Minute

const actionCreateToken = "cluster:admin/xpack/security/token/create"

// expiredTokenChallenge is TokenService's WWW-Authenticate value for an expired token.
const expiredTokenChallenge = `Bearer realm="security", error="invalid_token", error_description="The access token expired"`

// accessToken is an OAuth2 access token of TokenService: it authenticates as its user until it expires.
type accessToken struct {
	user    *user
	expires time.Time
}

// tokenFields are the fields of POST /_security/oauth2/token (RestGetTokenAction's "token_request" parser).
var tokenFields = []string{"grant_type", "username", "password", "kerberos_ticket", "scope", "refresh_token"}

// newTokenString returns an opaque token in base64, as Elasticsearch's access tokens are.
func newTokenString() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// checkToken authenticates a Bearer token. Callers hold mu.
func (s *Server) checkToken(cred string) (*user, *esError) {
	t := s.st.tokens[cred]
	switch {
	case t == nil:
		return nil, unauthenticated("unable to authenticate with provided credentials and anonymous access is not allowed for this request")
	case !s.now().Before(t.expires):
		e := newError(http.StatusUnauthorized, "security_exception", "token expired")
		e.header = map[string][]string{"WWW-Authenticate": {expiredTokenChallenge}}
		return nil, e
	}
	return t.user, nil
}

// issueToken stores a new access token for u. Callers hold mu.
func (s *Server) issueToken(u *user) (string, time.Time) {
	if s.st.tokens == nil {
		s.st.tokens = map[string]*accessToken{}
	}
	tok := newTokenString()
	exp := s.now().Add(tokenLifetime)
	s.st.tokens[tok] = &accessToken{user: u, expires: exp}
	return tok, exp
}

// tokenRequest is a parsed token request; set tells an absent field from an empty one.
type tokenRequest struct {
	fields map[string]string
}

func (r tokenRequest) has(k string) bool { _, ok := r.fields[k]; return ok }

// createToken serves POST /_security/oauth2/token for the password and client_credentials grants.
// Failures of validation answer the OAuth2 error body of RestGetTokenAction.
func (s *Server) createToken(c *call) (int, any, *esError) {
	if err := c.requireBody(); err != nil {
		return 0, nil, err
	}
	req, err := parseTokenRequest(c)
	if err != nil {
		return 0, nil, err
	}
	if status, body := validateTokenRequest(req); body != nil {
		return status, body, nil
	}
	if err := s.authorize(c.sub, request{action: actionCreateToken}); err != nil {
		return 0, nil, err
	}
	u := c.sub.user
	if req.fields["grant_type"] == "password" {
		u = s.checkPassword(req.fields["username"], req.fields["password"])
		if u == nil {
			return 0, nil, unauthenticated("unable to authenticate user [%s] for action [%s]", req.fields["username"], actionCreateToken)
		}
	}
	tok, _ := s.issueToken(u)
	body := ordered{{"access_token", tok}, {"type", "Bearer"}, {"expires_in", int(tokenLifetime / time.Second)}}
	if req.has("scope") {
		body = append(body, kv{"scope", req.fields["scope"]})
	}
	sub := &subject{authUser: u, user: u}
	return http.StatusOK, append(body, kv{"authentication", s.authenticationInfo(sub)}), nil
}

func parseTokenRequest(c *call) (tokenRequest, *esError) {
	const parser = "token_request"
	req := tokenRequest{fields: map[string]string{}}
	d, err := c.doc()
	if err != nil {
		return req, err
	}
	if d.root.kind != kObject {
		return req, badRequest("x_content_parse_exception", "%s [%s] Expected START_OBJECT but was: %s", d.loc(d.root), parser, d.root.kind.token())
	}
	for i, key := range d.root.keys {
		v := d.root.vals[i]
		if !slices.Contains(tokenFields, key) {
			return req, badRequest("x_content_parse_exception", "%s [%s] unknown field [%s]", d.loc(v), parser, key)
		}
		if v.kind != kString {
			return req, badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.loc(v), parser, key, v.kind.token())
		}
		req.fields[key] = v.s
	}
	return req, nil
}

// validateTokenRequest applies CreateTokenRequest.validate to the grants served here and renders a
// failure as RestGetTokenAction does: {"error":"invalid_request"|"unsupported_grant_type","error_description":..}.
func validateTokenRequest(req tokenRequest) (int, any) {
	var msgs []string
	switch req.fields["grant_type"] {
	case "password":
		if req.fields["username"] == "" {
			msgs = append(msgs, "username is missing")
		}
		if req.fields["password"] == "" {
			msgs = append(msgs, "password is missing")
		}
		for _, f := range []string{"refresh_token", "kerberos_ticket"} {
			if req.has(f) {
				msgs = append(msgs, f+" is not supported with the password grant_type")
			}
		}
	case "client_credentials":
		for _, f := range []string{"username", "password", "refresh_token", "kerberos_ticket"} {
			if req.has(f) {
				msgs = append(msgs, f+" is not supported with the client_credentials grant_type")
			}
		}
	case "refresh_token", "_kerberos":
		// Elasticsearch serves these; this server issues no refresh tokens and has no Kerberos realm.
		return http.StatusBadRequest, ordered{{"error", "unsupported_grant_type"},
			{"error_description", "esapikeytest serves only the password and client_credentials grants, not [" + req.fields["grant_type"] + "]"}}
	default:
		msgs = append(msgs, "grant_type only supports the values: [password, _kerberos, refresh_token, client_credentials]")
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	// RestGetTokenAction calls any failure that names grant_type an unsupported grant type.
	code := "invalid_request"
	if slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, "grant_type") }) {
		code = "unsupported_grant_type"
	}
	return http.StatusBadRequest, ordered{{"error", code}, {"error_description", validationFailed(msgs).reason}}
}
