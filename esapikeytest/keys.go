package esapikeytest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"

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

// keyFilter selects keys for get and invalidate.
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

func (f keyFilter) validate() []string {
	if f.owner && (f.username != "" || f.realm != "") {
		return []string{"username or realm name must not be specified when the current user is the owner of the API key"}
	}
	return nil
}

// selectKeys returns the keys matching the filter, in creation order.
func (s *Server) selectKeys(f keyFilter, sub *subject) []*apiKey {
	var own *owner
	if f.owner {
		o := ownerOf(sub.user)
		own = &o
	}
	var sel []*apiKey
	for _, k := range s.st.candidates(f, own) {
		switch {
		case f.name != "" && !nameMatches(f.name, k.name),
			f.username != "" && f.username != k.owner,
			f.realm != "" && f.realm != k.realm.name,
			f.owner && sub.key != nil && sub.runAs == "" && k.id != sub.key.id,
			f.owner && (sub.key == nil || sub.runAs != "") && !k.ownedBy(sub.user):
			continue
		}
		sel = append(sel, k)
	}
	return sel
}

// getKeys serves GET /_security/api_key.
func (s *Server) getKeys(c *call) (int, any, *esError) {
	f := keyFilter{name: c.query.Get("name"), username: c.query.Get("username"), realm: c.query.Get("realm_name"), owner: c.flag("owner")}
	if id := c.query.Get("id"); id != "" {
		f.ids = []string{id}
	}
	if msgs := f.validate(); len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	withLimitedBy := c.flag("with_limited_by")
	owned := f.ownedOnly(c.sub) && !(withLimitedBy && c.sub.key != nil)
	if err := s.authorize(c.sub, authz.Request{Action: authz.ActionGetAPIKey, OwnKeys: owned}); err != nil {
		return 0, nil, err
	}
	now := s.now()
	list := []ordered{}
	for _, k := range s.selectKeys(f, c.sub) {
		if c.flag("active_only") && (k.invalidated || k.expired(now)) {
			continue
		}
		list = append(list, keyInfo(s.version, k, withLimitedBy))
	}
	return http.StatusOK, ordered{{"api_keys", list}}, nil
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

// invalidateKeys serves DELETE /_security/api_key.
func (s *Server) invalidateKeys(c *call) (int, any, *esError) {
	if len(strings.TrimSpace(string(c.body))) == 0 {
		return 0, nil, badRequest("parse_exception", "request body or source parameter is required")
	}
	f, err := parseInvalidate(c)
	if err != nil {
		return 0, nil, err
	}
	if err := s.authorize(c.sub, authz.Request{Action: authz.ActionInvalidateAPIKey, OwnKeys: f.ownedOnly(c.sub)}); err != nil {
		return 0, nil, err
	}
	invalidated, previously := []string{}, []string{}
	selected := s.selectKeys(f, c.sub)
	ids := make([]string, len(selected))
	for i, k := range selected {
		ids[i] = k.id
	}
	now := s.now()
	s.st.change(ids, func(id string, k *apiKey) (*apiKey, *esError) {
		if k.invalidated {
			previously = append(previously, id)
			return nil, nil
		}
		invalidated = append(invalidated, id)
		return k.invalidatedAt(now), nil
	})
	return http.StatusOK, ordered{{"invalidated_api_keys", invalidated},
		{"previously_invalidated_api_keys", previously}, {"error_count", 0}}, nil
}

// invalidatedAt is the next version of the key, invalidated at now.
func (k *apiKey) invalidatedAt(now time.Time) *apiKey {
	n := k.next()
	n.invalidated, n.invalidation = true, now
	return n
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
