package esapikey

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// UpdateAPIKeyRequest updates one API key. Every field but ID is optional;
// a request with none of them refreshes the snapshot of the owner's
// permissions the key is limited by, which every update does.
type UpdateAPIKeyRequest struct {
	// ID of the key; required. Sent as exactly one path segment, whatever it
	// contains.
	ID string `json:"-"`
	// RoleDescriptors replace the key's roles. nil leaves them unchanged; a
	// non-nil empty map removes them, so that the key inherits its owner's
	// full permissions.
	RoleDescriptors map[string]RoleDescriptor `json:"role_descriptors,omitzero"`
	// Metadata replaces the key's metadata. nil leaves it unchanged; a
	// non-nil empty map clears it.
	Metadata Metadata `json:"metadata,omitzero"`
	// Expiration sets the key to expire this long from now ("30d"); "" leaves
	// it unchanged. Needs Elasticsearch 8.13 or later. An expiration can be
	// changed but not removed.
	Expiration Duration `json:"expiration,omitzero"`
}

func (r *UpdateAPIKeyRequest) validate() error {
	if err := validateID("id", r.ID); err != nil {
		return err
	}
	if err := validateRoleDescriptors(r.RoleDescriptors); err != nil {
		return err
	}
	if err := validateMetadata("metadata", r.Metadata); err != nil {
		return err
	}
	return r.Expiration.validate("expiration")
}

// body is what is sent: nothing when no field is set.
func (r *UpdateAPIKeyRequest) body() any {
	if r.RoleDescriptors == nil && r.Metadata == nil && r.Expiration == "" {
		return nil
	}
	return r
}

// UpdateAPIKeyResponse is the answer to UpdateAPIKey.
type UpdateAPIKeyResponse struct {
	// Updated is false when the call changed nothing: the same values were
	// sent and the owner's permissions had not changed since the last update.
	Updated bool `json:"updated"`
}

// UnmarshalJSON requires a boolean "updated": a body without it is an
// error, never a silent false.
func (r *UpdateAPIKeyResponse) UnmarshalJSON(b []byte) error {
	var v struct {
		Updated *bool `json:"updated"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.Updated == nil {
		return errors.New(`no boolean "updated" field`)
	}
	r.Updated = *v.Updated
	return nil
}

// UpdateAPIKey updates the role descriptors, metadata or expiration of an
// API key: PUT /_security/api_key/{id}.
//
// The caller must be the key's owner, authenticated with the owner's own
// credentials, or run as the owner (WithRunAs); it needs the
// manage_own_api_key cluster privilege or higher. An API key may update
// keys only when it runs as their owner: with its own identity it gets
// ErrAPIKeyCredentials.
//
// A request Elasticsearch would refuse for its form is refused before
// anything is sent, with a *ValidationError. Any non-2xx answer is an
// *Error; match it with errors.Is against ErrNotFound, ErrExpired,
// ErrInvalidated, ErrUnauthorized, ErrForbidden, ErrAPIKeyCredentials or
// ErrWrongKeyType (the id is a cross-cluster key's: use
// UpdateCrossClusterAPIKey).
//
// See https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-security-update-api-key
func (c *Client) UpdateAPIKey(ctx context.Context, req UpdateAPIKeyRequest, opts ...RequestOption) (*UpdateAPIKeyResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return send[UpdateAPIKeyResponse](ctx, c, call{
		name:   "security.update_api_key",
		method: http.MethodPut,
		path:   "/_security/api_key/",
		id:     req.ID,
		body:   req.body(),
	}, opts)
}
