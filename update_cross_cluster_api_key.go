package esapikey

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// UpdateCrossClusterAPIKeyRequest updates a cross-cluster API key, the kind
// a remote cluster uses to search or replicate this cluster's indices.
type UpdateCrossClusterAPIKeyRequest struct {
	// ID of the key; required.
	ID string `json:"-"`
	// Access replaces what the key may reach; nil leaves it unchanged.
	Access *CrossClusterAccess `json:"access,omitempty"`
	// Metadata replaces the key's metadata; nil leaves it, non-nil empty clears it.
	Metadata Metadata `json:"metadata,omitzero"`
	// Expiration sets the key to expire this long from now; "" leaves it.
	// Needs Elasticsearch 8.13 or later. Elasticsearch refuses it alone: set
	// Access, Metadata or CertificateIdentity with it.
	Expiration Duration `json:"expiration,omitzero"`
	// CertificateIdentity leaves, sets or clears the distinguished name the
	// remote cluster's certificate must present. Needs Elasticsearch 9.3 or
	// later to set or clear.
	CertificateIdentity CertificateIdentity `json:"certificate_identity,omitzero"`
}

// CrossClusterAccess says which indices a cross-cluster key reaches, for
// search and for cross-cluster replication. At least one entry is required;
// the new access replaces the old.
type CrossClusterAccess struct {
	Search      []CrossClusterIndices `json:"search,omitempty"`
	Replication []CrossClusterIndices `json:"replication,omitempty"`

	unknown members
}

// CrossClusterIndices names indices a cross-cluster key reaches.
// Elasticsearch refuses document or field level security (a Query, or a
// FieldSecurity other than a grant of "*") in replication entries, and, in
// Elasticsearch 8.14 and later, in search entries when the access has
// replication entries too (8.10 to 8.13 accept those); this package refuses
// both before sending, whatever the release. AllowRestrictedIndices is
// accepted in both.
type CrossClusterIndices struct {
	// Names are index names or patterns; required.
	Names                  []string       `json:"names"`
	FieldSecurity          *FieldSecurity `json:"field_security,omitempty"`
	Query                  *Query         `json:"query,omitempty"`
	AllowRestrictedIndices bool           `json:"allow_restricted_indices,omitempty"`

	unknown members
}

// UnmarshalJSON accepts "names" as one string, as Elasticsearch does.
func (p *CrossClusterIndices) UnmarshalJSON(b []byte) error {
	type plain CrossClusterIndices
	var v struct {
		plain
		Names oneOrMany `json:"names"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = CrossClusterIndices(v.plain)
	p.Names = v.Names
	return p.unknown.read(b, crossClusterIndicesNames)
}

// CertificateIdentity is the certificate identity of a cross-cluster key:
// the zero value leaves it unchanged, Value sets it, Clear removes it (sent
// as JSON null, the one null this package sends).
type CertificateIdentity struct {
	// Value is a distinguished name pattern such as "CN=remote-cluster,.*".
	Value string
	Clear bool
}

// IsZero reports whether the identity is left unchanged, and so omitted.
func (c CertificateIdentity) IsZero() bool { return c.Value == "" && !c.Clear }

// MarshalJSON writes null to clear, else the value.
func (c CertificateIdentity) MarshalJSON() ([]byte, error) {
	if c.Clear {
		return []byte("null"), nil
	}
	return json.Marshal(c.Value)
}

// The reasons of CrossClusterApiKeyRoleDescriptorBuilder.build and
// UpdateCrossClusterApiKeyRequest.validate in Elasticsearch, which refuses
// the same requests with them. The first is 9.3's, double space included
// (before 9.3: "must update either [access] or [metadata] for
// cross-cluster API keys").
const (
	reasonNothingToUpdate = "must update  [access] or [metadata] or [certificate_identity] for cross-cluster API keys"
	reasonSearchDLS       = "search does not support document or field level security if replication is assigned"
	reasonReplicationDLS  = "replication does not support document or field level security"
)

func (r *UpdateCrossClusterAPIKeyRequest) validate() error {
	if err := validateID("id", r.ID); err != nil {
		return err
	}
	// Elasticsearch refuses an expiration alone: it is not enough to update
	// a cross-cluster key.
	if r.Access == nil && r.Metadata == nil && r.CertificateIdentity.IsZero() {
		return invalid("access", reasonNothingToUpdate)
	}
	if err := r.Access.validate(); err != nil {
		return err
	}
	if r.CertificateIdentity.Clear && r.CertificateIdentity.Value != "" {
		return invalid("certificate_identity", "set Value or Clear, not both")
	}
	if err := validateMetadata("metadata", r.Metadata); err != nil {
		return err
	}
	return r.Expiration.validate("expiration")
}

// validate checks the access in the order Elasticsearch does; nil is fine
// (unchanged).
func (a *CrossClusterAccess) validate() error {
	if a == nil {
		return nil
	}
	if len(a.Search) == 0 && len(a.Replication) == 0 {
		// Elasticsearch: "must specify non-empty access for either [search] or [replication]".
		return invalid("access", "needs at least one search or replication entry")
	}
	for i, p := range a.Search {
		if err := p.validate(); err != nil {
			return at(err, "access.search[%d]", i)
		}
	}
	for i, p := range a.Replication {
		if err := p.validate(); err != nil {
			return at(err, "access.replication[%d]", i)
		}
	}
	if len(a.Replication) > 0 {
		for i, p := range a.Search {
			if p.restrictsDocumentsOrFields() {
				return invalid(fmt.Sprintf("access.search[%d]", i), reasonSearchDLS)
			}
		}
	}
	for i, p := range a.Replication {
		if p.restrictsDocumentsOrFields() {
			return invalid(fmt.Sprintf("access.replication[%d]", i), reasonReplicationDLS)
		}
	}
	return nil
}

func (p *CrossClusterIndices) validate() error {
	if err := required("names", p.Names); err != nil {
		return err
	}
	if p.Query != nil && p.Query.forms() != 1 {
		return invalid("query", "set exactly one of Text, Object and Template")
	}
	return nil
}

// restrictsDocumentsOrFields is Elasticsearch's
// IndicesPrivileges.isUsingDocumentOrFieldLevelSecurity: a query, or field
// security other than a grant of exactly "*".
func (p *CrossClusterIndices) restrictsDocumentsOrFields() bool {
	if p.Query != nil {
		return true
	}
	fs := p.FieldSecurity
	if fs == nil {
		return false
	}
	grantsAll := fs.Grant == nil || len(fs.Grant) == 1 && fs.Grant[0] == "*"
	return len(fs.Except) > 0 || !grantsAll
}

// UpdateCrossClusterAPIKeyResponse is the answer to UpdateCrossClusterAPIKey.
type UpdateCrossClusterAPIKeyResponse struct {
	// Updated is false when the call changed nothing.
	Updated bool `json:"updated"`
}

// UnmarshalJSON requires a boolean "updated".
func (r *UpdateCrossClusterAPIKeyResponse) UnmarshalJSON(b []byte) error {
	return (*UpdateAPIKeyResponse)(r).UnmarshalJSON(b)
}

// UpdateCrossClusterAPIKey updates a cross-cluster API key:
// PUT /_security/cross_cluster/api_key/{id}. Needs Elasticsearch 8.10 or
// later and the manage_security cluster privilege. A REST key's id gives an error matching ErrWrongKeyType.
//
// A request Elasticsearch would refuse for its form (an expiration alone,
// document or field level security in replication entries) is refused
// before anything is sent, with Elasticsearch's reason in the
// *ValidationError.
//
// See https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-security-update-cross-cluster-api-key
func (c *Client) UpdateCrossClusterAPIKey(ctx context.Context, req UpdateCrossClusterAPIKeyRequest, opts ...RequestOption) (*UpdateCrossClusterAPIKeyResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return send[UpdateCrossClusterAPIKeyResponse](ctx, c, call{
		name:   "security.update_cross_cluster_api_key",
		method: http.MethodPut,
		path:   "/_security/cross_cluster/api_key/",
		id:     req.ID,
		body:   &req,
	}, opts)
}
