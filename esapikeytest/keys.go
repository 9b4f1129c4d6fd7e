package esapikeytest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// randomID returns n URL-safe base64 characters, like Elasticsearch's base64 UUIDs.
func randomID(n int) string {
	b := make([]byte, (n*6+7)/8)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)[:n]
}

// newKey creates and stores a key owned by owner.
func (s *Server) newKey(owner *user, typ string, p *payload, limitedBy []roleDesc) *apiKey {
	now := s.now()
	k := &apiKey{
		id: randomID(20), secret: randomID(22), name: p.name, typ: typ, creation: now,
		owner: owner.username, realm: owner.realm, roles: p.roles, limitedBy: limitedBy,
		details: owner.details(), access: p.access, certIdentity: p.certIdentity, doc: &lazyDoc{},
	}
	if k.roles == nil {
		k.roles = []roleDesc{}
	}
	k.setMetadata("")
	if p.hasMetadata {
		k.setMetadata(p.metadataJSON)
	}
	if p.hasExpiration {
		k.expiration = expiresAt(now, p.expiration)
	}
	s.st.addKey(k)
	return k
}

func createdBody(k *apiKey) ordered {
	o := ordered{{"id", k.id}, {"name", k.name}}
	if !k.expiration.IsZero() {
		o = append(o, kv{"expiration", k.expiration.UnixMilli()})
	}
	return append(o, kv{"api_key", k.secret}, kv{"encoded", encoded(k)})
}

func encoded(k *apiKey) string {
	return base64.StdEncoding.EncodeToString([]byte(k.id + ":" + k.secret))
}

// createKey serves POST|PUT /_security/api_key.
func (s *Server) createKey(c *call) (int, any, *esError) {
	p, err := c.parse(createSpec, s.version, true)
	if err != nil {
		return 0, nil, err
	}
	// Before 8.13 an expiration of 0 or less passes validation and gives a key already expired.
	if msgs := append(p.validateName(), p.validateKeyRequest(s.version)...); len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	if err := s.authorize(c.sub, authz.Request{Action: authz.ActionCreateAPIKey}); err != nil {
		return 0, nil, err
	}
	limitedBy, _ := s.st.rolesOf(c.sub.user)
	if k := c.sub.key; k != nil && c.sub.runAs == "" {
		if len(p.roles) == 0 || slices.ContainsFunc(p.roles, func(rd roleDesc) bool { return rd.privileged }) {
			return 0, nil, illegalArgument("creating derived api keys requires an explicit role descriptor that is empty (has no privileges)")
		}
		// A derived key is limited by what its creating key holds: its descriptors, or its snapshot.
		limitedBy = k.roles
		if len(limitedBy) == 0 {
			limitedBy = k.limitedBy
		}
	}
	if err := checkRestrictions(p.roles); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, createdBody(s.newKey(c.sub.user, "rest", p, limitedBy)), nil
}

// createCCKey serves POST /_security/cross_cluster/api_key.
func (s *Server) createCCKey(c *call) (int, any, *esError) {
	p, err := c.parse(createCCSpec, s.version, true)
	if err != nil {
		return 0, nil, err
	}
	if msgs := append(p.validateName(), p.validateKeyRequest(s.version)...); len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	if err := s.authorize(c.sub, authz.Request{Action: actionCreateCCKey}); err != nil {
		return 0, nil, err
	}
	if c.sub.key != nil {
		return 0, nil, illegalArgument("authentication via API key not supported: An API key cannot be used to create a cross-cluster API key")
	}
	p.roles = []roleDesc{p.access.descriptor(s.version)}
	return http.StatusOK, createdBody(s.newKey(c.sub.user, "cross_cluster", p, nil)), nil
}

// parse reads the body of c with spec as release v declares it; required says whether an empty body
// is an error.
func (c *call) parse(spec payloadSpec, v version.Version, required bool) (*payload, *esError) {
	if required {
		if err := c.requireBody(); err != nil {
			return nil, err
		}
	}
	d, err := c.doc()
	if err != nil {
		return nil, err
	}
	return parsePayload(d, spec, v)
}

// keyFilter selects keys for get and invalidate. Its strings went through hasText, as the requests'
// constructors take them (textOrNull): a blank name, username or realm is none.
type keyFilter struct {
	ids                   []string
	name, username, realm string
	owner                 bool
}

func (f keyFilter) any() bool {
	return len(f.ids) > 0 || f.name != "" || f.username != "" || f.realm != "" || f.owner
}

// ownedOnly reports whether the filter is limited to the caller's own keys (manage_own_api_key suffices).
func (f keyFilter) ownedOnly(sub *subject) bool {
	if k := sub.key; k != nil && sub.runAs == "" {
		return len(f.ids) > 0 && !slices.ContainsFunc(f.ids, func(id string) bool { return id != k.id })
	}
	return f.owner || (f.username == sub.user.username && f.realm == sub.user.realm.name)
}

// validateGet is GetApiKeyRequest.validate.
func (f keyFilter) validateGet() []string {
	var msgs []string
	if (len(f.ids) > 0 || f.name != "") && (f.username != "" || f.realm != "") {
		msgs = append(msgs, "username or realm name must not be specified when the api key id or api key name is specified")
	}
	if f.owner && (f.username != "" || f.realm != "") {
		msgs = append(msgs, "neither username nor realm-name may be specified when retrieving owned API keys")
	}
	if len(f.ids) > 0 && f.name != "" {
		msgs = append(msgs, "only one of [api key id, api key name] can be specified")
	}
	return msgs
}

// validateInvalidate is InvalidateApiKeyRequest.validate.
func (f keyFilter) validateInvalidate() []string {
	var msgs []string
	if !f.any() {
		msgs = append(msgs, "One of [api key id(s), api key name, username, realm name] must be specified if [owner] flag is false")
	}
	if (len(f.ids) > 0 || f.name != "") && (f.username != "" || f.realm != "") {
		msgs = append(msgs, "username or realm name must not be specified when the api key id(s) or api key name are specified")
	}
	if f.owner && (f.username != "" || f.realm != "") {
		msgs = append(msgs, "neither username nor realm-name may be specified when invalidating owned API keys")
	}
	if len(f.ids) > 0 && f.name != "" {
		msgs = append(msgs, "only one of [api key id(s), api key name] can be specified")
	}
	return msgs
}

// ofOwner turns owner=true into the effective user's name and realm, as TransportGetApiKeyAction and
// TransportInvalidateApiKeyAction do (ApiKeyService.getOwnersRealmNames): for an API key that is its
// owner, so the filter selects every key of the owner, not the calling key alone.
func (f keyFilter) ofOwner(sub *subject) keyFilter {
	if f.owner {
		f.username, f.realm = sub.user.username, sub.user.realm.name
	}
	return f
}

// selectKeys returns the keys matching every field of the filter, in creation order
// (ApiKeyService.findApiKeysForUserRealmApiKeyIdAndNameCombination). owner must have been resolved
// by ofOwner.
func (s *Server) selectKeys(f keyFilter) []*apiKey {
	var sel []*apiKey
	for _, k := range s.st.candidates(f) {
		switch {
		case f.name != "" && !nameMatches(f.name, k.name),
			f.username != "" && f.username != k.owner,
			f.realm != "" && f.realm != k.realm.name:
			continue
		}
		sel = append(sel, k)
	}
	return sel
}

// readsItself is RBACEngine.checkSameUserPermissions for a GetApiKeyRequest: an API key may read its
// own information whatever its privileges, but not its limited-by descriptors.
func readsItself(sub *subject, f keyFilter, withLimitedBy bool) bool {
	k := sub.key
	return k != nil && sub.runAs == "" && len(f.ids) == 1 && f.ids[0] == k.id && !withLimitedBy
}

// getKeys serves GET /_security/api_key.
func (s *Server) getKeys(c *call) (int, any, *esError) {
	f := keyFilter{name: textOrEmpty(c.query.Get("name")), username: textOrEmpty(c.query.Get("username")),
		realm: textOrEmpty(c.query.Get("realm_name")), owner: c.flag("owner")}
	if id := textOrEmpty(c.query.Get("id")); id != "" {
		f.ids = []string{id}
	}
	if msgs := f.validateGet(); len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	withLimitedBy := c.flag("with_limited_by")
	if !readsItself(c.sub, f, withLimitedBy) {
		owned := f.ownedOnly(c.sub) && !(withLimitedBy && c.sub.key != nil)
		if err := s.authorize(c.sub, authz.Request{Action: authz.ActionGetAPIKey, OwnKeys: owned}); err != nil {
			return 0, nil, err
		}
	}
	now, activeOnly := s.now(), c.flag("active_only")
	list := []ordered{}
	for _, k := range s.selectKeys(f.ofOwner(c.sub)) {
		if activeOnly && !k.activeAt(now) {
			continue
		}
		list = append(list, keyInfo(s.version, k, withLimitedBy))
	}
	// RestGetApiKeyAction: an id that finds no key is a 404, with the same (empty) answer.
	status := http.StatusOK
	if len(f.ids) > 0 && len(list) == 0 {
		status = http.StatusNotFound
	}
	return status, ordered{{"api_keys", list}}, nil
}

// keyInfo renders a key as GET /_security/api_key and the query API of release v do (ApiKey.toXContent):
// a field the release does not render is left out.
func keyInfo(v version.Version, k *apiKey, withLimitedBy bool) ordered {
	o := ordered{{"id", k.id}, {"name", k.name}}
	if v.Has(version.AnswerType) {
		o = append(o, kv{"type", k.typ})
	}
	o = append(o, kv{"creation", k.creation.UnixMilli()})
	if !k.expiration.IsZero() {
		o = append(o, kv{"expiration", k.expiration.UnixMilli()})
	}
	o = append(o, kv{"invalidated", k.invalidated})
	if k.invalidated && v.Has(version.AnswerInvalidation) {
		o = append(o, kv{"invalidation", k.invalidation.UnixMilli()})
	}
	md := json.RawMessage(k.metadataJSON)
	if k.metadataJSON == "" {
		md = json.RawMessage("{}")
	}
	o = append(o, ordered{{"username", k.owner}, {"realm", k.realm.name}}...)
	if v.Has(version.AnswerRealmType) {
		o = append(o, kv{"realm_type", k.realm.typ})
	}
	o = append(o, kv{"metadata", md})
	if v.Has(version.AnswerRoleDescriptors) {
		o = append(o, kv{"role_descriptors", roleMap(k.roles)})
	}
	if k.access != nil && v.Has(version.AnswerAccess) {
		o = append(o, kv{"access", k.access.rendered()})
	}
	if k.certIdentity != nil && v.Has(version.AnswerCertificateIdentity) {
		o = append(o, kv{"certificate_identity", *k.certIdentity})
	}
	if withLimitedBy && k.typ == "rest" && v.Has(version.AnswerLimitedBy) {
		o = append(o, kv{"limited_by", []any{roleMap(k.limitedBy)}})
	}
	return o
}

// invalidatedAt is the next version of the key, invalidated at now.
func (k *apiKey) invalidatedAt(now time.Time) *apiKey {
	n := k.next()
	n.invalidated, n.invalidation = true, now
	return n
}

// activeAt is the active_only filter of ApiKeyService.findApiKeys: not invalidated, and without an
// expiration or expiring after now, so a key is inactive from its expiration instant on.
func (k *apiKey) activeAt(now time.Time) bool {
	return !k.invalidated && (k.expiration.IsZero() || k.expiration.After(now))
}

// hasText is Elasticsearch's Strings.hasText: s holds a character that is not Java whitespace.
func hasText(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return !javaWhitespace(r) })
}

// javaWhitespace is Character.isWhitespace: Unicode space separators but the no-break ones, line and
// paragraph separators, and the ASCII controls tab to carriage return and 0x1C to 0x1F.
func javaWhitespace(r rune) bool {
	switch {
	case r == '\u00A0' || r == '\u2007' || r == '\u202F':
		return false
	case r >= '\t' && r <= '\r', r >= 0x1C && r <= 0x1F:
		return true
	}
	return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp)
}

// textOrEmpty is the requests' textOrNull: a blank value is no value.
func textOrEmpty(s string) string {
	if hasText(s) {
		return s
	}
	return ""
}

// nameMatches is the name filter of the get and invalidate API-key routes
// (ApiKeyService): "*" matches every name, a trailing "*" makes a prefix, and
// any other "*" is a literal character of a term.
func nameMatches(filter, name string) bool {
	if prefix, ok := strings.CutSuffix(filter, "*"); ok {
		return strings.HasPrefix(name, prefix)
	}
	return filter == name
}
