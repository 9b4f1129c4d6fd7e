package esapikey

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
)

// BulkUpdateAPIKeysRequest applies the same update to many API keys. The
// fields follow UpdateAPIKeyRequest: nil leaves a value unchanged, a non-nil
// empty map sends {}.
type BulkUpdateAPIKeysRequest struct {
	// IDs of the keys; at least one. An id that names no key of the caller,
	// "" included, fails alone, in the answer's Errors.
	IDs             []string                  `json:"ids"`
	RoleDescriptors map[string]RoleDescriptor `json:"role_descriptors,omitzero"`
	Metadata        Metadata                  `json:"metadata,omitzero"`
	// Expiration needs Elasticsearch 8.13 or later.
	Expiration Duration `json:"expiration,omitzero"`
}

func (r *BulkUpdateAPIKeysRequest) validate() error {
	if err := required("ids", r.IDs); err != nil {
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

// BulkUpdateAPIKeysResponse is the answer to BulkUpdateAPIKeys. Its HTTP
// status is 200 even when some ids failed: check Err.
type BulkUpdateAPIKeysResponse struct {
	// Updated lists the ids that changed, in the order the keys were created.
	Updated []string `json:"updated"`
	// Noops lists the ids that were already as requested. Updated and Noops
	// are never nil in a response BulkUpdateAPIKeys returns.
	Noops []string `json:"noops"`
	// Errors is nil when every id succeeded.
	Errors *BulkErrors `json:"errors,omitempty"`

	// missing are the ids asked for that the answer names nowhere.
	missing []string
}

// BulkErrors holds the ids of a bulk update that failed.
type BulkErrors struct {
	// Count is the number of failed ids, as Elasticsearch counts them.
	Count int `json:"count"`
	// Details maps each failed id to why it failed.
	Details map[string]ErrorCause `json:"details"`
}

// Err returns nil when every id succeeded, otherwise one *Error per failed
// id, sorted by id and joined with errors.Join. Each carries its ID and
// matches the sentinels as a single update's error would: errors.Is(err,
// ErrNotFound) is true when any id was not found.
//
// An id BulkUpdateAPIKeys asked for that the answer names nowhere (in none
// of Updated, Noops and Errors) failed too: its *Error has no Type, matches
// no sentinel, and its Reason says it is missing from the answer. Such ids
// are not added to Errors, which holds what Elasticsearch answered. A nil
// response has no failures: Err returns nil.
func (r *BulkUpdateAPIKeysResponse) Err() error {
	if r == nil {
		return nil
	}
	var details map[string]ErrorCause
	if r.Errors != nil {
		details = r.Errors.Details
	}
	if len(details) == 0 && len(r.missing) == 0 {
		return nil
	}
	ids := make([]string, 0, len(details)+len(r.missing))
	for id := range details {
		ids = append(ids, id)
	}
	ids = append(ids, r.missing...)
	sort.Strings(ids)
	errs := make([]error, len(ids))
	for i, id := range ids {
		d, failed := details[id]
		if !failed {
			errs[i] = &Error{ID: id, Reason: reasonMissing}
			continue
		}
		errs[i] = &Error{ID: id, Type: d.Type, Reason: d.Reason, CausedBy: d.CausedBy}
	}
	return errors.Join(errs...)
}

const reasonMissing = "missing from the answer: Elasticsearch reported it neither updated, unchanged nor failed"

// missingIDs returns the ids of the request the answer names nowhere, each
// once, in the order asked.
func missingIDs(asked []string, r *BulkUpdateAPIKeysResponse) []string {
	named := make(map[string]bool, len(r.Updated)+len(r.Noops))
	for _, list := range [][]string{r.Updated, r.Noops} {
		for _, id := range list {
			named[id] = true
		}
	}
	if r.Errors != nil {
		for id := range r.Errors.Details {
			named[id] = true
		}
	}
	var missing []string
	for _, id := range asked {
		if !named[id] {
			named[id] = true
			missing = append(missing, id)
		}
	}
	return missing
}

// UnmarshalJSON requires "updated" and "noops", which Elasticsearch always
// sends, and leaves neither nil.
func (r *BulkUpdateAPIKeysResponse) UnmarshalJSON(b []byte) error {
	type plain BulkUpdateAPIKeysResponse
	var v struct {
		plain
		Updated *[]string `json:"updated"`
		Noops   *[]string `json:"noops"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.Updated == nil || v.Noops == nil {
		return errors.New(`no "updated" or "noops" array`)
	}
	*r = BulkUpdateAPIKeysResponse(v.plain)
	r.Updated, r.Noops = nonNil(*v.Updated), nonNil(*v.Noops)
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// BulkUpdateAPIKeys applies one update to many API keys in one call:
// POST /_security/api_key/_bulk_update. Needs Elasticsearch 8.5 or later.
//
// Failures of single ids do not fail the call: the answer is 200 and err is
// nil. Always check res.Err(), which returns the per-id failures as errors,
// an id the answer leaves out included.
//
// The answer is read whole whatever the number of ids: its size is capped
// at 4 MiB plus 4 KiB and twice the id's length per id, which no
// Elasticsearch answer reaches. An error answer is read up to 4 MiB.
//
// See https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-security-bulk-update-api-keys
func (c *Client) BulkUpdateAPIKeys(ctx context.Context, req BulkUpdateAPIKeysRequest, opts ...RequestOption) (*BulkUpdateAPIKeysResponse, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	res, err := send[BulkUpdateAPIKeysResponse](ctx, c, call{
		name:      "security.bulk_update_api_keys",
		method:    http.MethodPost,
		path:      "/_security/api_key/_bulk_update",
		body:      &req,
		maxAnswer: maxBulkAnswer(req.IDs),
	}, opts)
	if err != nil {
		return nil, err
	}
	res.missing = missingIDs(req.IDs, res)
	return res, nil
}

// perIDAnswer is the room a bulk answer may take for each id beside the id
// itself: far more than Elasticsearch's longest per-id failure, an
// error type and reason with a cause or two.
const perIDAnswer = 4 << 10

// maxBulkAnswer is the cap on a 2xx bulk answer: it names every id once or
// twice (in updated, noops or errors, whose reasons repeat the id) with at
// most perIDAnswer bytes of failure each, so an answer for any number of
// ids is read whole while a runaway body is still cut.
func maxBulkAnswer(ids []string) int {
	n := maxBody
	for _, id := range ids {
		n += 2*len(id) + perIDAnswer
	}
	return n
}
