package esapikey

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// APIKey is an API key as GET /_security/api_key describes it. Expired and
// invalidated keys are returned as they are.
type APIKey struct {
	ID   string
	Name string
	// Type is "rest" or "cross_cluster"; empty from Elasticsearch before 8.10,
	// which knew REST keys only.
	Type     string
	Username string
	Realm    string
	// Creation and Expiration are zero when Elasticsearch gives none: a key
	// without an expiration never expires.
	Creation   time.Time
	Expiration time.Time
	// Invalidated keys can no longer be used or updated.
	Invalidated bool
	// Metadata holds numbers as json.Number, so that it can be sent back
	// unchanged.
	Metadata Metadata
	// RoleDescriptors are the key's own roles; empty when the key has its
	// owner's permissions. Elasticsearch 8.4 does not report them (GET
	// /_security/api_key gains role_descriptors in 8.5, ApiKey's
	// TransportVersion V_8_5_0), so there they are always empty and
	// PlanUpdate cannot see what an update of the roles removes.
	RoleDescriptors map[string]RoleDescriptor
	// Access is what a cross-cluster key reaches; nil for REST keys.
	Access *CrossClusterAccess
	// CertificateIdentity is the distinguished name pattern a cross-cluster
	// key's remote cluster must present; empty when none.
	CertificateIdentity string
}

// UnmarshalJSON reads one entry of the "api_keys" list; unknown fields are
// ignored.
func (k *APIKey) UnmarshalJSON(b []byte) error {
	var v struct {
		ID                  *string                   `json:"id"`
		Name                string                    `json:"name"`
		Type                string                    `json:"type"`
		Username            string                    `json:"username"`
		Realm               string                    `json:"realm"`
		Creation            *int64                    `json:"creation"`
		Expiration          *int64                    `json:"expiration"`
		Invalidated         bool                      `json:"invalidated"`
		Metadata            Metadata                  `json:"metadata"`
		RoleDescriptors     map[string]RoleDescriptor `json:"role_descriptors"`
		Access              *CrossClusterAccess       `json:"access"`
		CertificateIdentity string                    `json:"certificate_identity"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.ID == nil {
		return errors.New(`api key without an "id"`)
	}
	*k = APIKey{
		ID: *v.ID, Name: v.Name, Type: v.Type, Username: v.Username, Realm: v.Realm,
		Creation: millis(v.Creation), Expiration: millis(v.Expiration), Invalidated: v.Invalidated,
		Metadata: v.Metadata, RoleDescriptors: v.RoleDescriptors, Access: v.Access,
		CertificateIdentity: v.CertificateIdentity,
	}
	return nil
}

// millis turns epoch milliseconds into a UTC time; nil is the zero time.
func millis(ms *int64) time.Time {
	if ms == nil {
		return time.Time{}
	}
	return time.UnixMilli(*ms).UTC()
}

// getAPIKeyResponse is the answer of GET /_security/api_key.
type getAPIKeyResponse struct {
	APIKeys []APIKey
}

// UnmarshalJSON requires the "api_keys" list: a body without it is an
// error, never a silent "not found".
func (r *getAPIKeyResponse) UnmarshalJSON(b []byte) error {
	var v struct {
		APIKeys *[]APIKey `json:"api_keys"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.APIKeys == nil {
		return errors.New(`no "api_keys" list`)
	}
	r.APIKeys = *v.APIKeys
	return nil
}

// notFoundError is the empty list Elasticsearch answers for an id the caller
// owns no key of.
type notFoundError struct{ id string }

func (e *notFoundError) Error() string {
	return fmt.Sprintf("esapikey: security.get_api_key: no API key owned by the requesting user found for ID [%s]", e.id)
}

// Is makes the error match ErrNotFound, like the 404 of an update.
func (e *notFoundError) Is(target error) bool { return target == ErrNotFound }

// maxKeyAnswer caps a 2xx answer of GetAPIKey, which holds one key: its
// metadata and its roles, each written by a request of at most
// Elasticsearch's http.max_content_length (100 MiB by default), so a key
// any update could write is read whole while a runaway body is still cut.
const maxKeyAnswer = 256 << 20

// GetAPIKey reads the API key with the given id owned by the caller, or by
// the WithRunAs user: GET /_security/api_key?id={id}&owner=true. That is
// exactly the key UpdateAPIKey with the same options would update, so the
// two combine into read-modify-write (see PlanUpdate and MergeMetadata).
//
// The id is checked as for UpdateAPIKey. No such key, or one owned by someone
// else, gives an error matching ErrNotFound (Elasticsearch answers 404 with an
// empty list, RestGetApiKeyAction). Any other non-2xx answer is an *Error.
// Needs the manage_own_api_key cluster privilege or higher.
//
// The answer is read whole up to 256 MiB, more than a key holds when its
// metadata and roles were written within Elasticsearch's default
// http.max_content_length (100 MiB per request); an error answer is read
// up to 4 MiB.
//
// See https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-security-get-api-key
func (c *Client) GetAPIKey(ctx context.Context, id string, opts ...RequestOption) (*APIKey, error) {
	if err := validateID("id", id); err != nil {
		return nil, err
	}
	res, err := send[getAPIKeyResponse](ctx, c, call{
		name:      "security.get_api_key",
		method:    http.MethodGet,
		path:      "/_security/api_key",
		query:     url.Values{"id": {id}, "owner": {"true"}}.Encode(),
		maxAnswer: maxKeyAnswer,
	}, opts)
	var e *Error
	if errors.As(err, &e) && e.StatusCode == http.StatusNotFound && json.Unmarshal([]byte(e.Body), &getAPIKeyResponse{}) == nil {
		return nil, &notFoundError{id: id}
	}
	if err != nil {
		return nil, err
	}
	for i := range res.APIKeys {
		if res.APIKeys[i].ID == id {
			return &res.APIKeys[i], nil
		}
	}
	return nil, &notFoundError{id: id}
}
