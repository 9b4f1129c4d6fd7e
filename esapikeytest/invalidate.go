package esapikeytest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// invalidateKeys serves DELETE /_security/api_key. Like ApiKeyService.invalidateApiKeys, it looks for
// keys not yet invalidated, so invalidating a key twice reports nothing the second time; a key found
// and invalidated by another request before this one changes it is reported as previously invalidated
// (the no-op update of Elasticsearch's bulk request).
func (s *Server) invalidateKeys(c *call) (int, any, *esError) {
	if c.blank() {
		return 0, nil, badRequest("parse_exception", "request body or source parameter is required")
	}
	f, err := parseInvalidate(c, s.version)
	if err != nil {
		return 0, nil, err
	}
	if err := s.authorize(c.sub, authz.Request{Action: authz.ActionInvalidateAPIKey, OwnKeys: f.ownedOnly(c.sub)}); err != nil {
		return 0, nil, err
	}
	crossCluster, err := s.mayInvalidateCrossCluster(c.sub)
	if err != nil {
		return 0, nil, err
	}
	var ids []string
	errs := []ordered{}
	for _, k := range s.selectKeys(f.ofOwner(c.sub)) {
		switch {
		case k.invalidated:
		case k.typ == "cross_cluster" && !crossCluster:
			errs = append(errs, ordered{{"type", "security_exception"}, {"reason", "Cannot invalidate cross-cluster API key [" +
				k.id + "]. This requires [manage_security] cluster privilege or higher"}})
		default:
			ids = append(ids, k.id)
		}
	}
	invalidated, previously := []string{}, []string{}
	now := s.now()
	s.st.change(ids, func(id string, k *apiKey) (*apiKey, *esError) {
		if k.invalidated {
			previously = append(previously, id)
			return nil, nil
		}
		invalidated = append(invalidated, id)
		return k.invalidatedAt(now), nil
	})
	out := ordered{{"invalidated_api_keys", invalidated}, {"previously_invalidated_api_keys", previously}, {"error_count", len(errs)}}
	if len(errs) > 0 {
		out = append(out, kv{"error_details", errs})
	}
	return http.StatusOK, out, nil
}

// mayInvalidateCrossCluster is TransportInvalidateApiKeyAction's has-privileges check: cross-cluster
// keys are invalidated only for a caller that holds manage_security (8.14+); others get an error
// detail per such key instead. Earlier releases invalidate them as any other key.
func (s *Server) mayInvalidateCrossCluster(sub *subject) (bool, *esError) {
	if !s.version.Has(version.InvalidateCCKeyNeedsManageSecurity) {
		return true, nil
	}
	perm, err := s.permissionOf(sub)
	if err != nil {
		return false, err
	}
	ok, _ := perm.ClusterGranted("manage_security") // a predefined name always resolves
	return ok, nil
}

// invalidateFields are the fields of RestInvalidateApiKeyAction's parser, in its order.
var invalidateFields = []string{"realm_name", "username", "name", "owner", "ids"}

// invalidateParser is RestInvalidateApiKeyAction.getObjectParser: a request of REST API version 7,
// which only 8.x serves, is read by a parser that also takes a single "id" (deprecated for "ids").
func invalidateParser(c *call, v version.Version) (name string, fields []string) {
	if c.restAPI == 7 && v.Has(version.InvalidateSingularID) {
		return "invalidate_api_key_v7", append(slices.Clone(invalidateFields), "id")
	}
	return "invalidate_api_key", invalidateFields
}

// parseInvalidate parses and validates the body of DELETE /_security/api_key as
// RestInvalidateApiKeyAction's ConstructingObjectParser does: field by field, then the request's
// constructor, whose refusal of the ids is wrapped as a parse error, then InvalidateApiKeyRequest.validate.
func parseInvalidate(c *call, rel version.Version) (keyFilter, *esError) {
	parser, fields := invalidateParser(c, rel)
	var f keyFilter
	var id *string
	d, err := c.doc()
	if err != nil {
		return f, err
	}
	if d.Root.Kind != jsontree.Object {
		return f, notAnObject(d, parser)
	}
	for key, v := range d.Root.Fields() {
		typeErr := badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.Loc(v), parser, key, v.Kind.Token())
		if !slices.Contains(fields, key) {
			return f, unknownField(d, v, parser, key, fields)
		}
		switch key {
		case "ids":
			list, err := stringOrArray(d, parser, key, v)
			if err != nil {
				return f, err
			}
			f.ids = list
		case "name", "username", "realm_name":
			if v.Kind != jsontree.String {
				return f, typeErr
			}
			*map[string]*string{"name": &f.name, "username": &f.username, "realm_name": &f.realm}[key] = textOrEmpty(v.Str)
		case "owner":
			if v.Kind != jsontree.Bool {
				return f, typeErr
			}
			f.owner = v.Bool
		case "id":
			if v.Kind != jsontree.String {
				return f, typeErr
			}
			id = &v.Str
		}
	}
	if id != nil {
		// The version 7 parser's constructing function, before the request's own.
		if f.ids != nil {
			return f, badRequest("x_content_parse_exception", "Failed to build [%s] after last required field arrived", parser).
				causedBy(illegalArgument("Must use either [id] or [ids], not both at the same time"))
		}
		if hasText(*id) {
			f.ids = []string{*id}
		}
	}
	if msg := checkIDs(f.ids); msg != "" {
		return f, badRequest("x_content_parse_exception", "Failed to build [%s] after last required field arrived", parser).
			causedBy(validationFailed([]string{msg}))
	}
	if msgs := f.validateInvalidate(); len(msgs) > 0 {
		return f, validationFailed(msgs)
	}
	return f, nil
}

// checkIDs is InvalidateApiKeyRequest.validateIds: given ids may be neither none nor blank.
func checkIDs(ids []string) string {
	if ids == nil {
		return ""
	}
	if len(ids) == 0 {
		return "Field [ids] cannot be an empty array"
	}
	var blank []string
	for i, id := range ids {
		if !hasText(id) {
			blank = append(blank, strconv.Itoa(i))
		}
	}
	switch len(blank) {
	case 0:
		return ""
	case 1:
		return "Field [ids] must not contain blank id, but got blank id at index position: [" + blank[0] + "]"
	}
	return "Field [ids] must not contain blank ids, but got blank ids at index positions: [" + strings.Join(blank, ", ") + "]"
}
