package esapikeytest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

const actionGrantKey = "cluster:admin/xpack/security/api_key/grant"

// sharedSecretScheme is JwtRealmSettings.HEADER_SHARED_SECRET_AUTHENTICATION_SCHEME, the only
// client_authentication scheme a grant accepts.
const sharedSecretScheme = "SharedSecret"

// grantRequest is the body of POST|PUT /_security/api_key/grant (RestGrantApiKeyAction's
// "grant_api_key_request" parser). Credentials stay in this struct only for the call.
type grantRequest struct {
	grantType, username, password, accessToken, runAs string
	has                                               map[string]bool
	clientScheme                                      string
	apiKey                                            *payload
}

// grantKey serves POST|PUT /_security/api_key/grant: the caller, who needs grant_api_key (or
// manage_api_key, manage_security, all), creates a key for the user whose password or access token
// is in the body, optionally run as another user (TransportGrantAction).
func (s *Server) grantKey(c *call) (int, any, *esError) {
	if err := c.requireBody(); err != nil {
		return 0, nil, err
	}
	g, err := parseGrant(c, s.version)
	if err != nil {
		return 0, nil, err
	}
	if msgs := g.validate(s.version); len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	if err := s.authorize(c.sub, authz.Request{Action: actionGrantKey}); err != nil {
		return 0, nil, err
	}
	if g.grantType == "access_token" && g.has["client_authentication"] {
		// Only JWTs take client authentication, and this server issues none.
		return 0, nil, badRequest("security_exception", "[client_authentication] not supported with the supplied access_token type")
	}
	owner, err := s.grantSubject(g)
	if err != nil {
		return 0, nil, err
	}
	if err := checkRestrictions(g.apiKey.roles); err != nil {
		return 0, nil, err
	}
	limitedBy, _ := s.st.rolesOf(owner)
	return http.StatusOK, createdBody(s.newKey(owner, "rest", g.apiKey, limitedBy)), nil
}

// grantSubject authenticates the grant's credentials and resolves run_as: the user the key is for.
// A failed authentication (401) is answered as a 403 whose cause is the 401, as RestGrantApiKeyAction does.
func (s *Server) grantSubject(g *grantRequest) (*user, *esError) {
	var u *user
	if g.grantType == "password" {
		if u = s.checkPassword(g.username, g.password); u == nil {
			return nil, grantAuthFailed(unauthenticated("unable to authenticate user [%s] for action [%s]", g.username, actionGrantKey))
		}
	} else {
		var err *esError
		if u, err = s.checkToken(g.accessToken); err != nil {
			return nil, grantAuthFailed(err)
		}
	}
	if !g.has["run_as"] {
		return u, nil
	}
	sub := &subject{authUser: u, user: &user{username: g.runAs}, runAs: g.runAs}
	if target := s.st.lookup(g.runAs); target != nil {
		sub.user, sub.lookedUp = target, true
	}
	if err := s.authorize(sub, authz.Request{Action: actionAuthenticate}); err != nil {
		return nil, err
	}
	return sub.user, nil
}

func grantAuthFailed(cause *esError) *esError {
	return newError(http.StatusForbidden, "security_exception", "Failed to authenticate api key grant").causedBy(cause)
}

// validate is GrantApiKeyRequest.validate at release v: the key request's messages (those of create),
// then the grant's (Grant.validate).
func (g *grantRequest) validate(v version.Version) []string {
	msgs := append(g.apiKey.validateName(), g.apiKey.validateKeyRequest(v)...)
	required := func(field, v string) {
		if v == "" {
			msgs = append(msgs, "["+field+"] is required for grant_type ["+g.grantType+"]")
		}
	}
	unsupported := func(field, v string) {
		if v != "" {
			msgs = append(msgs, "["+field+"] is not supported for grant_type ["+g.grantType+"]")
		}
	}
	switch {
	case !g.has["grant_type"]:
		msgs = append(msgs, "[grant_type] is required")
	case g.grantType == "password":
		required("username", g.username)
		required("password", g.password)
		unsupported("access_token", g.accessToken)
		if g.has["client_authentication"] {
			msgs = append(msgs, "[client_authentication] is not supported for grant_type [password]")
		}
	case g.grantType == "access_token":
		required("access_token", g.accessToken)
		unsupported("username", g.username)
		unsupported("password", g.password)
		if g.has["client_authentication"] && strings.TrimSpace(g.clientScheme) != sharedSecretScheme {
			msgs = append(msgs, "[client_authentication.scheme] must be set to ["+sharedSecretScheme+"]")
		}
	default:
		msgs = append(msgs, "grant_type ["+g.grantType+"] is not supported")
	}
	return msgs
}

// grantSpec is RestGrantApiKeyAction's parser: client_authentication, for JWT access tokens, is
// declared from 8.12.
var grantSpec = payloadSpec{name: "grant_api_key_request",
	fields: append(declared("grant_type", "username", "password", "access_token", "run_as", "api_key"),
		specField{"client_authentication", version.GrantClientAuthentication})}

// parseGrant parses the body of a grant as release v's parser does.
func parseGrant(c *call, ver version.Version) (*grantRequest, *esError) {
	parser := grantSpec.name
	fields := grantSpec.fieldsAt(ver)
	d, err := c.doc()
	if err != nil {
		return nil, err
	}
	if d.Root.Kind != jsontree.Object {
		return nil, notAnObject(d, parser)
	}
	g := &grantRequest{has: map[string]bool{}, apiKey: &payload{}}
	for key, v := range d.Root.Fields() {
		if !slices.Contains(fields, key) {
			return nil, unknownField(d, v, parser, key, fields)
		}
		typeErr := badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.Loc(v), parser, key, v.Kind.Token())
		fieldErr := func(cause *esError) *esError {
			return badRequest("x_content_parse_exception", "%s [%s] failed to parse field [%s]", d.Loc(v), parser, key).causedBy(cause)
		}
		switch key {
		case "grant_type", "username", "password", "access_token", "run_as":
			if v.Kind != jsontree.String {
				return nil, typeErr
			}
			*map[string]*string{"grant_type": &g.grantType, "username": &g.username, "password": &g.password,
				"access_token": &g.accessToken, "run_as": &g.runAs}[key] = v.Str
		case "client_authentication":
			if v.Kind != jsontree.Object {
				return nil, typeErr
			}
			scheme, cerr := parseClientAuthentication(d, v)
			if cerr != nil {
				return nil, fieldErr(cerr)
			}
			g.clientScheme = scheme
		case "api_key":
			if v.Kind != jsontree.Object {
				return nil, typeErr
			}
			p, perr := parsePayload(&jsontree.Doc{Body: d.Body, Root: v}, createSpec, ver)
			if perr != nil {
				return nil, fieldErr(perr)
			}
			g.apiKey = p
		}
		g.has[key] = true
	}
	return g, nil
}

// parseClientAuthentication reads {"scheme":..,"value":..} (SecurityBaseRestHandler's
// "client_authentication" parser); only the scheme matters here.
func parseClientAuthentication(d *jsontree.Doc, v *jsontree.Node) (string, *esError) {
	const parser = "client_authentication"
	var scheme string
	var missing []string
	for key, f := range v.Fields() {
		if key != "scheme" && key != "value" {
			return "", badRequest("x_content_parse_exception", "%s [%s] unknown field [%s]", d.Loc(f), parser, key)
		}
		if f.Kind != jsontree.String {
			return "", badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.Loc(f), parser, key, f.Kind.Token())
		}
		if key == "scheme" {
			scheme = f.Str
		}
	}
	for _, f := range []string{"scheme", "value"} {
		if v.Field(f) == nil {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return "", illegalArgument("Required [%s]", strings.Join(missing, ", "))
	}
	return scheme, nil
}
