package esapikeytest

import (
	"net/http"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
)

// updateCtx is what every key of one update request is compared with and updated to.
type updateCtx struct {
	owner     *user
	typ       string // the type the route expects: "rest" or "cross_cluster"
	p         *payload
	limitedBy []roleDesc
	details   string
}

// updateKey serves PUT /_security/api_key/{id}. The body is optional.
func (s *Server) updateKey(c *call) (int, any, *esError) {
	p, err := c.parse(updateSpec, false)
	if err != nil {
		return 0, nil, err
	}
	if msgs := p.validateKeyRequest(); len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	return s.updateSingle(c, authz.ActionUpdateAPIKey, "rest", p)
}

// updateCCKey serves PUT /_security/cross_cluster/api_key/{id}. The body is required.
func (s *Server) updateCCKey(c *call) (int, any, *esError) {
	p, err := c.parse(updateCCSpec, true)
	if err != nil {
		return 0, nil, err
	}
	// The request's constructor builds the descriptor, after parsing and before validation.
	if p.access != nil {
		if err := p.access.build(); err != nil {
			return 0, nil, err
		}
	}
	msgs := p.validateKeyRequest()
	// Expiration alone is not enough (UpdateCrossClusterApiKeyRequest.validate); the doubled space is
	// Elasticsearch's own, from 9.3.
	if p.access == nil && !p.hasMetadata && !p.hasCertIdent {
		msgs = append(msgs, "must update  [access] or [metadata] or [certificate_identity] for cross-cluster API keys")
	}
	if len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	if p.access != nil {
		p.roles, p.hasRoles = []roleDesc{p.access.descriptor()}, true
	}
	return s.updateSingle(c, actionUpdateCCKey, "cross_cluster", p)
}

// updateSingle runs the checks after validation and updates the key of the
// path, answering {"updated":...}.
func (s *Server) updateSingle(c *call, action, typ string, p *payload) (int, any, *esError) {
	u, err := s.prepareUpdate(c, action, typ, p)
	if err != nil {
		return 0, nil, err
	}
	updated, err := s.updateOne(u, c.param)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ordered{{"updated", updated}}, nil
}

// bulkUpdate serves POST /_security/api_key/_bulk_update.
func (s *Server) bulkUpdate(c *call) (int, any, *esError) {
	p, err := c.parse(bulkSpec, true)
	if err != nil {
		return 0, nil, err
	}
	// BulkUpdateApiKeyRequest.validate adds its own check after the shared ones.
	msgs := p.validateKeyRequest()
	if len(p.ids) == 0 {
		msgs = append(msgs, "Field [ids] cannot be empty")
	}
	if len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	u, err := s.prepareUpdate(c, authz.ActionBulkUpdateAPIKey, "rest", p)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.updateMany(u, p.ids), nil
}

// prepareUpdate runs the checks every update shares, after parsing and validation: authorization,
// the API-key caller, the restriction rules. It snapshots the owner once for all keys.
func (s *Server) prepareUpdate(c *call, action, typ string, p *payload) (*updateCtx, *esError) {
	if err := s.authorize(c.sub, authz.Request{Action: action}); err != nil {
		return nil, err
	}
	// The effective subject counts: an API key that runs as a user updates that user's keys.
	if c.sub.key != nil && c.sub.runAs == "" {
		return nil, illegalArgument("authentication via API key not supported: only the owner user can update an API key")
	}
	if err := checkRestrictions(p.roles); err != nil {
		return nil, err
	}
	u := &updateCtx{owner: c.sub.user, typ: typ, p: p, details: c.sub.user.details()}
	if typ == "rest" {
		u.limitedBy, _ = s.st.rolesOf(c.sub.user)
	}
	return u, nil
}

// updatable returns the error that keeps the key from being updated, checked like ApiKeyService does.
func (s *Server) updatable(u *updateCtx, id string, k *apiKey) *esError {
	switch {
	case k == nil || !k.ownedBy(u.owner):
		return notFound("no API key owned by requesting user found for ID [%s]", id)
	case k.invalidated:
		return illegalArgument("cannot update invalidated API key [%s]", id)
	case k.expired(s.now()):
		return illegalArgument("cannot update expired API key [%s]", id)
	case k.typ != u.typ:
		return illegalArgument("cannot update API key of type [%s] while expected type is [%s]", k.typ, u.typ)
	}
	return nil
}

func (s *Server) updateOne(u *updateCtx, id string) (bool, *esError) {
	k := s.st.keys[id]
	if err := s.updatable(u, id, k); err != nil {
		return false, err
	}
	return s.apply(u, k), nil
}

// updateMany updates each unique id once and reports updated and noops in key creation order.
func (s *Server) updateMany(u *updateCtx, ids []string) ordered {
	var keys []*apiKey
	var failed []string
	details := ordered{}
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		k := s.st.keys[id]
		if err := s.updatable(u, id, k); err != nil {
			failed = append(failed, id)
			details = append(details, kv{id, ordered{{"type", err.typ}, {"reason", err.reason}}})
			continue
		}
		keys = append(keys, k)
	}
	updated, noops := []string{}, []string{}
	for _, k := range inCreationOrder(keys) {
		if s.apply(u, k) {
			updated = append(updated, k.id)
		} else {
			noops = append(noops, k.id)
		}
	}
	out := ordered{{"updated", updated}, {"noops", noops}}
	if len(failed) > 0 {
		out = append(out, kv{"errors", ordered{{"count", len(failed)}, {"details", details}}})
	}
	return out
}

// apply updates the key unless the request changes nothing, and reports whether it did.
func (s *Server) apply(u *updateCtx, k *apiKey) bool {
	if s.noop(u, k) {
		return false
	}
	p := u.p
	if p.hasRoles {
		k.roles = p.roles
		if p.access != nil {
			k.access = p.access
		}
	}
	if p.hasMetadata {
		k.metadata, k.metadataJSON = p.metadata, p.metadataJSON
	}
	if p.hasExpiration {
		k.expiration = expiresAt(s.now(), p.expiration)
	}
	if p.hasCertIdent {
		k.certIdentity = p.certIdentity
	}
	if u.typ == "rest" {
		k.limitedBy = u.limitedBy
	}
	k.details = u.details
	return true
}

// noop is Elasticsearch's no-op decision: nothing requested differs from the key, and neither the
// owner's roles nor the owner's details changed since the key was last written.
func (s *Server) noop(u *updateCtx, k *apiKey) bool {
	p := u.p
	switch {
	case p.hasExpiration:
		return false
	case p.hasMetadata && (k.metadata == nil || p.metadataJSON != k.metadataJSON):
		return false
	case p.hasRoles && !sameRoles(p.roles, k.roles):
		return false
	case p.hasCertIdent && !equalPtr(p.certIdentity, k.certIdentity):
		return false
	case u.typ == "rest" && !sameRoles(u.limitedBy, k.limitedBy):
		return false
	}
	return u.details == k.details
}

func equalPtr(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}
