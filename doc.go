// Package esapikey is a typed client for Elasticsearch's API-key update
// endpoints: update one key, update many in bulk, and update a cross-cluster
// key.
//
//	c, err := esapikey.NewClient(esapikey.Config{
//		Addresses: []string{"https://es.example.com:9200"},
//		Username:  "elastic",
//		Password:  os.Getenv("ELASTIC_PASSWORD"),
//	})
//	if err != nil {
//		return err
//	}
//	defer c.Close(context.Background())
//	res, err := c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{
//		ID: "VuaCfGcBCdbkQm-e5aOx",
//		RoleDescriptors: map[string]esapikey.RoleDescriptor{
//			"role-a": {Indices: []esapikey.IndicesPrivileges{
//				{Names: []string{"*"}, Privileges: []string{esapikey.IndexWrite}},
//			}},
//		},
//		Metadata:   esapikey.Metadata{"environment": map[string]any{"level": 2}},
//		Expiration: esapikey.DurationOf(30 * 24 * time.Hour), // "30d"
//	})
//	if errors.Is(err, esapikey.ErrNotFound) {
//		return fmt.Errorf("the caller owns no such key: %w", err)
//	}
//	if err != nil {
//		return err // res is nil whenever err is not
//	}
//	fmt.Println(res.Updated) // true: a new expiration is always a change
//
// # Omitted and empty
//
// A nil RoleDescriptors or Metadata leaves the key's value unchanged; a
// non-nil empty map is sent as {}: empty role descriptors remove the key's
// own privileges (it then inherits its owner's), empty metadata clears it.
// An empty Expiration leaves the expiration unchanged. A request with
// nothing set sends no body, which refreshes the snapshot of the owner's
// permissions the key is limited by; every update does that.
//
// # Errors
//
// A request Elasticsearch would refuse for its form is refused before
// anything is sent: errors.Is(err, ErrInvalidRequest), and a
// *ValidationError names the field. Every non-2xx answer is an *Error that
// keeps the status, type, reason and causes, or an excerpt of a body that is
// not an Elasticsearch error (a proxy's HTML page). The sentinels ErrNotFound,
// ErrExpired, ErrInvalidated, ErrUnauthorized, ErrForbidden,
// ErrAPIKeyCredentials and ErrWrongKeyType classify it. A 2xx answer that
// cannot be read is a *DecodeError. A call that got no answer to read (no
// connection, a peer that does not speak HTTP, a body cut short, a cancelled
// or expired context) is a *TransportError, which wraps its cause: a
// cancelled or expired context still matches context.Canceled or
// context.DeadlineExceeded.
//
// A bulk update answers 200 even when single ids fail: check
// BulkUpdateAPIKeysResponse.Err.
//
// # Connecting
//
// Config takes node Addresses or an Elastic Cloud CloudID, and basic
// credentials, a bearer Token or an encoded APIKey. An API key cannot update
// keys as itself, but one that runs as a user (WithRunAs) may update that
// user's keys. Close releases the connections of a client NewClient built.
//
// # Read, plan, merge
//
// Elasticsearch replaces metadata, and empty role descriptors give a key its
// owner's full permissions. GetAPIKey reads the key an update with the same
// options would change, PlanUpdate says what a request would change on it
// (compared as Elasticsearch compares, so a key read and sent back plans no
// change), and MergeMetadata applies a JSON merge patch to the metadata read.
// Reading and then updating is not atomic: a change made in between is
// overwritten.
//
// # Testing
//
// Package esapikeytest is an in-memory Elasticsearch security API, like
// net/http/httptest, to test code that uses this package without a cluster.
package esapikey
