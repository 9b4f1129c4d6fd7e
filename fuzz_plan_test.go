package esapikey_test

import (
	"encoding/json"
	"testing"

	"github.com/esapikey/esapikey"
)

// Whatever key a server describes, planning never panics, and the key sent
// back as read plans no change (the property a provisioning tool relies on
// to converge).
func FuzzPlanUpdate_keySentBackAsRead(f *testing.F) {
	f.Add([]byte(restKeyJSON))
	f.Add([]byte(`{"id":"k","metadata":{"a":1.0,"b":[1,2.50,-0.0,1e400]},"role_descriptors":{"r":{"index":[{"names":"x","privileges":["read"],"query":{"a":"<&>"}}]}}}`))
	f.Add([]byte(`{"id":"k","role_descriptors":{"r":{"global":{"application":{"manage":{"applications":["b","a","a"]}}},"restriction":{}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var k esapikey.APIKey
		if json.Unmarshal(data, &k) != nil {
			return
		}
		p := esapikey.PlanUpdate(&k, esapikey.UpdateAPIKeyRequest{ID: k.ID, RoleDescriptors: k.RoleDescriptors, Metadata: k.Metadata})
		if !p.NoChange() {
			t.Fatalf("a key sent back as read plans a change:\n%s", p)
		}
		_ = esapikey.PlanUpdate(&k, esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{}, Metadata: esapikey.Metadata{}}).String()
		_ = esapikey.MergeMetadata(k.Metadata, k.Metadata)
	})
}
