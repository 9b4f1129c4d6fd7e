package esapikeytest

import (
	"net/http"
	"slices"
	"time"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
)

// updateCtx is what every key of one update request is compared with and updated to.
type updateCtx struct {
	owner     *user
	typ       string // the type the route expects: "rest" or "cross_cluster"
	p         *payload
	limitedBy []roleDesc
	details   string
	now       time.Time
	// roles and limitedByRoles are the request's descriptors and the owner's, by name, made once
	// outside the store's lock for the comparisons of every key.
	roles, limitedByRoles roleSet
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
	u := &updateCtx{owner: c.sub.user, typ: typ, p: p, details: c.sub.user.details(), now: s.now()}
	if typ == "rest" {
		u.limitedBy, _ = s.st.rolesOf(c.sub.user)
		u.limitedByRoles = newRoleSet(u.limitedBy)
	}
	if p.hasRoles {
		u.roles = newRoleSet(p.roles)
	}
	return u, nil
}

// updatable returns the error that keeps the key from being updated, checked like ApiKeyService does.
func (u *updateCtx) updatable(id string, k *apiKey) *esError {
	switch {
	case k == nil || !k.ownedBy(u.owner):
		return notFound("no API key owned by requesting user found for ID [%s]", id)
	case k.invalidated:
		return illegalArgument("cannot update invalidated API key [%s]", id)
	case k.expired(u.now):
		return illegalArgument("cannot update expired API key [%s]", id)
	case k.typ != u.typ:
		return illegalArgument("cannot update API key of type [%s] while expected type is [%s]", k.typ, u.typ)
	}
	return nil
}

func (s *Server) updateOne(u *updateCtx, id string) (updated bool, err *esError) {
	errs := s.st.change([]string{id}, func(id string, k *apiKey) (*apiKey, *esError) {
		if err := u.updatable(id, k); err != nil {
			return nil, err
		}
		next := u.apply(k)
		updated = next != nil
		return next, nil
	})
	return updated, errs[0]
}

// updateMany updates each unique id once, atomically, and reports updated and noops in key creation
// order and the failed ids in request order.
func (s *Server) updateMany(u *updateCtx, ids []string) ordered {
	unique := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			unique = append(unique, id)
		}
	}
	type outcome struct {
		seq     int
		id      string
		updated bool
	}
	var done []outcome
	errs := s.st.change(unique, func(id string, k *apiKey) (*apiKey, *esError) {
		if err := u.updatable(id, k); err != nil {
			return nil, err
		}
		next := u.apply(k)
		done = append(done, outcome{k.seq, id, next != nil})
		return next, nil
	})
	slices.SortFunc(done, func(a, b outcome) int { return a.seq - b.seq })
	updated, noops := []string{}, []string{}
	for _, o := range done {
		if o.updated {
			updated = append(updated, o.id)
		} else {
			noops = append(noops, o.id)
		}
	}
	out := ordered{{"updated", updated}, {"noops", noops}}
	details := ordered{}
	for i, err := range errs {
		if err != nil {
			details = append(details, kv{unique[i], ordered{{"type", err.typ}, {"reason", err.reason}}})
		}
	}
	if len(details) > 0 {
		out = append(out, kv{"errors", ordered{{"count", len(details)}, {"details", details}}})
	}
	return out
}

// apply returns the next version of the key, or nil when the request changes nothing.
func (u *updateCtx) apply(k *apiKey) *apiKey {
	if u.noop(k) {
		return nil
	}
	p := u.p
	n := k.next()
	if p.hasRoles {
		n.roles = p.roles
		if p.access != nil {
			n.access = p.access
		}
	}
	if p.hasMetadata {
		n.setMetadata(p.metadataJSON)
	}
	if p.hasExpiration {
		n.expiration = expiresAt(u.now, p.expiration)
	}
	if p.hasCertIdent {
		n.certIdentity = p.certIdentity
	}
	if u.typ == "rest" {
		n.limitedBy = u.limitedBy
	}
	n.details = u.details
	return n
}

// noop is Elasticsearch's no-op decision: nothing requested differs from the key, and neither the
// owner's roles nor the owner's details changed since the key was last written.
func (u *updateCtx) noop(k *apiKey) bool {
	p := u.p
	switch {
	case p.hasExpiration:
		return false
	case p.hasMetadata && (k.metadataJSON == "" || p.metadataJSON != k.metadataJSON):
		return false
	case p.hasRoles && !u.roles.equals(k.roles):
		return false
	case p.hasCertIdent && !equalPtr(p.certIdentity, k.certIdentity):
		return false
	case u.typ == "rest" && !u.limitedByRoles.equals(k.limitedBy):
		return false
	}
	return u.details == k.details
}

func equalPtr(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}
