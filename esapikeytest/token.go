package esapikeytest

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// tokenLifetime is xpack.security.authc.token.timeout's default.
const tokenLifetime = 20 * time.Minute

const actionCreateToken = "cluster:admin/xpack/security/token/create"

// expiredTokenChallenge is TokenService's WWW-Authenticate value for an expired token.
const expiredTokenChallenge = `Bearer realm="security", error="invalid_token", error_description="The access token expired"`

// accessToken is an OAuth2 access token of TokenService: it authenticates as its user until it expires.
// A password grant also gets a refresh token, which the same client may use once for a new pair.
type accessToken struct {
	user    *user
	expires time.Time
}

// refreshToken is the refresh token of a password grant: it belongs to the client that asked for it.
type refreshToken struct {
	user      *user
	client    string // username and realm of the caller that created the pair
	refreshed bool
}

const actionRefreshToken = "cluster:admin/xpack/security/token/refresh"

// tokenFields are the fields of POST /_security/oauth2/token (RestGetTokenAction's "token_request" parser).
var tokenFields = []string{"grant_type", "username", "password", "kerberos_ticket", "scope", "refresh_token"}

// newTokenString returns an opaque token in base64, as Elasticsearch's access tokens are.
func newTokenString() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return base64.StdEncoding.EncodeToString(b)
}

// checkToken authenticates a Bearer token.
func (s *Server) checkToken(cred string) (*user, *esError) {
	t := s.st.token(cred)
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

// issueToken stores a new access token for u.
func (s *Server) issueToken(u *user) (string, time.Time) {
	tok := newTokenString()
	exp := s.now().Add(tokenLifetime)
	s.st.addToken(tok, &accessToken{user: u, expires: exp})
	return tok, exp
}

// tokenRequest is a parsed token request; set tells an absent field from an empty one.
type tokenRequest struct {
	fields map[string]string
}

func (r tokenRequest) has(k string) bool { _, ok := r.fields[k]; return ok }

// createToken serves POST /_security/oauth2/token for the password, client_credentials and
// refresh_token grants. Failures of validation answer the OAuth2 error body of RestGetTokenAction.
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
	action := actionCreateToken
	if req.fields["grant_type"] == "refresh_token" {
		action = actionRefreshToken
	}
	if err := s.authorize(c.sub, authz.Request{Action: action}); err != nil {
		return 0, nil, err
	}
	u, withRefresh := c.sub.user, false
	switch req.fields["grant_type"] {
	case "password":
		u = s.checkPassword(req.fields["username"], req.fields["password"])
		if u == nil {
			return 0, nil, unauthenticated("unable to authenticate user [%s] for action [%s]", req.fields["username"], actionCreateToken)
		}
		withRefresh = true
	case "refresh_token":
		var reason string
		if u, reason = s.st.useRefreshToken(req.fields["refresh_token"], clientOf(c.sub)); u == nil {
			return invalidGrant(reason)
		}
		withRefresh = true
	}
	tok, _ := s.issueToken(u)
	body := ordered{{"access_token", tok}, {"type", "Bearer"}, {"expires_in", int(tokenLifetime / time.Second)}}
	if withRefresh {
		body = append(body, kv{"refresh_token", s.issueRefreshToken(u, c.sub)})
	}
	if req.has("scope") {
		body = append(body, kv{"scope", req.fields["scope"]})
	}
	sub := &subject{authUser: u, user: u}
	return http.StatusOK, append(body, kv{"authentication", s.authenticationInfo(sub)}), nil
}

// invalidGrant is TokenService's invalid_grant failure as RestGetTokenAction renders it.
func invalidGrant(desc string) (int, any, *esError) {
	return http.StatusBadRequest, ordered{{"error", "invalid_grant"}, {"error_description", desc}}, nil
}

// clientOf names the caller that may refresh a token pair.
func clientOf(sub *subject) string {
	u := sub.user
	if sub.key != nil && sub.runAs == "" {
		return "api_key:" + sub.key.id
	}
	return u.realm.name + "/" + u.username
}

// issueRefreshToken stores a refresh token for u, usable once by the caller sub.
func (s *Server) issueRefreshToken(u *user, sub *subject) string {
	tok := newTokenString()
	s.st.addRefreshToken(tok, &refreshToken{user: u, client: clientOf(sub)})
	return tok
}

func parseTokenRequest(c *call) (tokenRequest, *esError) {
	const parser = "token_request"
	req := tokenRequest{fields: map[string]string{}}
	d, err := c.doc()
	if err != nil {
		return req, err
	}
	if d.Root.Kind != jsontree.Object {
		return req, notAnObject(d, parser)
	}
	for key, v := range d.Root.Fields() {
		if !slices.Contains(tokenFields, key) {
			return req, badRequest("x_content_parse_exception", "%s [%s] unknown field [%s]", d.Loc(v), parser, key)
		}
		if v.Kind != jsontree.String {
			return req, badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.Loc(v), parser, key, v.Kind.Token())
		}
		req.fields[key] = v.Str
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
	case "refresh_token":
		for _, f := range []string{"username", "password", "kerberos_ticket"} {
			if req.has(f) {
				msgs = append(msgs, f+" is not supported with the refresh_token grant_type")
			}
		}
		if !req.has("refresh_token") {
			msgs = append(msgs, "refresh_token is missing")
		}
	case "_kerberos":
		// Elasticsearch serves it with a Kerberos realm, which this server does not have.
		return http.StatusBadRequest, ordered{{"error", "unsupported_grant_type"},
			{"error_description", "esapikeytest has no Kerberos realm: grant_type [_kerberos] is not served"}}
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
