package esapikeytest

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
)

// runAsHeader names the user a request runs as.
const runAsHeader = "es-security-runas-user"

// subject is who a request acts for.
type subject struct {
	authUser *user   // the authenticating user (nil for an API key)
	key      *apiKey // the API key that authenticated the request, if any
	user     *user   // the effective user: the run-as user, the authenticating user, or the key's owner
	runAs    string  // the run-as user requested, "" when none
	lookedUp bool    // the run-as user exists
	token    bool    // authenticated with an access token (Bearer)
}

// authenticate reads the Authorization header like Elasticsearch's realm chain, then looks up the
// run-as user (AuthenticatorChain.maybeLookupRunAsUser). As finishAuthentication does, a run-as user
// that exists but is disabled fails authentication, naming the principal of the credentials.
func (s *Server) authenticate(r *http.Request, uri string) (*subject, *esError) {
	scheme, cred, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	var sub *subject
	var principal string
	switch strings.ToLower(scheme) {
	case "basic":
		name, password, ok := decodePair(cred)
		if !ok {
			return nil, unauthenticated("unable to authenticate with provided credentials and anonymous access is not allowed for this request")
		}
		u := s.checkPassword(name, password)
		if u == nil {
			return nil, unauthenticated("unable to authenticate user [%s] for REST request [%s]", name, uri)
		}
		sub, principal = &subject{authUser: u, user: u}, name
	case "apikey":
		k, err := s.checkAPIKey(cred)
		if err != nil {
			return nil, err
		}
		sub, principal = &subject{key: k, user: &user{username: k.owner, realm: k.realm}}, k.id
	case "bearer":
		u, err := s.checkToken(strings.TrimSpace(cred))
		if err != nil {
			return nil, err
		}
		sub, principal = &subject{authUser: u, user: u, token: true}, "_bearer_token" // BearerToken.principal
	default:
		return nil, unauthenticated("missing authentication credentials for REST request [%s]", uri)
	}
	if name := r.Header.Get(runAsHeader); name != "" {
		sub.runAs = name
		if u := s.st.lookup(name); u != nil {
			sub.user, sub.lookedUp = u, true
		} else {
			sub.user = &user{username: name}
		}
		if sub.lookedUp && !sub.user.enabled {
			return nil, unauthenticated("unable to authenticate user [%s] for REST request [%s]", principal, uri)
		}
	}
	return sub, nil
}

func decodePair(cred string) (string, string, bool) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}

// checkPassword returns the first enabled user of that name along the realm chain whose password
// matches, or nil.
func (s *Server) checkPassword(name, password string) *user {
	for _, u := range s.st.enabledUsers(name) {
		if subtle.ConstantTimeCompare([]byte(u.password), []byte(password)) == 1 {
			return u
		}
	}
	return nil
}

func (s *Server) checkAPIKey(cred string) (*apiKey, *esError) {
	fail := func(detail string) *esError {
		e := unauthenticated("unable to authenticate with provided credentials and anonymous access is not allowed for this request")
		e.extra = map[string]string{"additional_unsuccessful_credentials": "API key: " + detail}
		return e
	}
	id, secret, ok := decodePair(cred)
	if !ok {
		return nil, fail("invalid API key credentials")
	}
	// ApiKeyService.validateApiKeyCredentials: the document, then invalidation, then the secret, then
	// the type (a wrong type ends authentication with its own message), then expiration.
	k := s.st.key(id)
	switch {
	case k == nil:
		return nil, fail("unable to find apikey with id " + id)
	case k.invalidated:
		return nil, fail("api key [" + id + "] has been invalidated")
	case subtle.ConstantTimeCompare([]byte(k.secret), []byte(secret)) != 1:
		return nil, fail("invalid credentials for API key [" + id + "]")
	case k.typ != "rest":
		return nil, unauthenticated("authentication expected API key type of [rest], but API key [%s] has type [%s]", id, k.typ)
	case k.expiredForAuth(s.now()):
		return nil, fail("api key is expired")
	}
	return k, nil
}

// authorize checks run-as, then the cluster privilege for the request, like Elasticsearch's RBAC engine.
// The 403 names the privileges that would grant this very request (ClusterPrivilegeResolver.
// findPrivilegesThatGrant), so invalidating someone else's keys does not mention manage_own_api_key.
func (s *Server) authorize(sub *subject, req authz.Request) *esError {
	if sub.runAs != "" {
		perm, err := s.authenticatingPermission(sub)
		if err != nil {
			return err
		}
		if !sub.lookedUp || !perm.RunAs(sub.runAs) {
			return forbidden("action [%s] is unauthorized for %s%s, because %s is unauthorized to run as [%s]",
				req.Action, s.callerText(sub), s.rolesText(sub.authUser), s.callerText(sub), sub.runAs)
		}
	}
	// AuthorizationService resolves the roles before it looks at the action, so a role that cannot be
	// built fails even the requests every user may make (_authenticate, checking one's own privileges).
	perm, err := s.permissionOf(sub)
	if err != nil {
		return err
	}
	if req.Action == actionAuthenticate || perm.Check(req) {
		return nil
	}
	text := s.callerText(sub)
	if sub.runAs != "" {
		text += " run as [" + sub.runAs + "]"
	}
	if sub.key == nil || sub.runAs != "" {
		text += s.rolesText(sub.user)
	}
	msg := "action [" + req.Action + "] is unauthorized for " + text
	if names := authz.FindPrivilegesThatGrant(req); len(names) > 0 {
		msg += ", this action is granted by the cluster privileges [" + strings.Join(names, ",") + "]"
	}
	return forbidden("%s", msg)
}

// callerText describes the authenticating entity as 403 messages do.
func (s *Server) callerText(sub *subject) string {
	if sub.key != nil {
		return "API key id [" + sub.key.id + "] of user [" + sub.key.owner + "]"
	}
	return "user [" + sub.authUser.username + "]"
}

// rolesText is " with effective roles [..]", naming roles that do not exist separately.
func (s *Server) rolesText(u *user) string {
	if u == nil {
		return ""
	}
	found, missing := s.st.rolesOf(u)
	names := make([]string, len(found))
	for i, rd := range found {
		names[i] = rd.name
	}
	text := " with effective roles [" + strings.Join(names, ",") + "]"
	if len(missing) > 0 {
		text += " (assigned roles [" + strings.Join(missing, ",") + "] were not found)"
	}
	return text
}
