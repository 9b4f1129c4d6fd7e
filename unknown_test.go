package esapikey_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

// A role descriptor of a newer Elasticsearch, with members the client does
// not model at every depth.
const futureRole = `{"cluster":["monitor"],"future_top":{"a":[1,2.50,"x"]},
 "indices":[{"names":["logs-*"],"privileges":["read"],"future_index":true,
   "field_security":{"grant":["*"],"future_fls":1},
   "query":{"template":{"source":"{}","future_template":"t"}}}],
 "remote_indices":[{"clusters":["r"],"names":["a"],"privileges":["read"],"future_remote":[]}],
 "remote_cluster":[{"clusters":["r"],"privileges":["monitor_enrich"],"future_rc":null}],
 "applications":[{"application":"app","privileges":["read"],"resources":["*"],"future_app":{}}],
 "global":{"application":{"manage":{"applications":["kibana"],"future_names":"n"},"future_manage":0},
   "role":{"manage":{"indices":[{"names":["x"],"privileges":["read"],"future_gri":1}],"future_gmr":1},"future_grp":1},
   "future_global":"g"},
 "restriction":{"workflows":["search_application_query"],"future_restriction":1}}`

// A key read from a cluster and sent back loses nothing the client does not
// model: the members go back as they came, and the plan sees no change.
func TestRoleDescriptor_unknownMembersKeptThroughReadModifyWrite(t *testing.T) {
	client, mux := setup(t)
	mux.HandleFunc("GET /_security/api_key", (&recorder{}).reply(http.StatusOK,
		`{"api_keys":[{"id":"`+testID+`","name":"k","role_descriptors":{"role-a":`+futureRole+`}}]}`))
	rec := new(recorder)
	mux.Handle("PUT /_security/api_key/", rec.reply(http.StatusOK, `{"updated":false}`))

	key, err := client.GetAPIKey(t.Context(), testID)
	require.NoError(t, err)
	req := esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: key.RoleDescriptors}
	assert.True(t, esapikey.PlanUpdate(key, req).NoChange(), "%s", esapikey.PlanUpdate(key, req))
	_, err = client.UpdateAPIKey(t.Context(), req)
	require.NoError(t, err)

	assert.JSONEq(t, `{"role_descriptors":{"role-a":`+futureRole+`}}`, rec.only(t).Body)
}

// What differs in a member the client does not model is a change.
func TestPlanUpdate_unknownMembersCompared(t *testing.T) {
	var before, after esapikey.RoleDescriptor
	require.NoError(t, json.Unmarshal([]byte(`{"cluster":["all"],"future":1}`), &before))
	require.NoError(t, json.Unmarshal([]byte(`{"cluster":["all"],"future":2}`), &after))

	plan := esapikey.PlanUpdate(&esapikey.APIKey{RoleDescriptors: map[string]esapikey.RoleDescriptor{"r": before}},
		esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{"r": after}})

	require.Len(t, plan.Roles, 1)
	assert.Equal(t, esapikey.ChangeModified, plan.Roles[0].Kind)
	assert.Contains(t, plan.String(), `"future":2`)
}

// A cross-cluster key's access read from a cluster goes back whole too.
func TestCrossClusterAccess_unknownMembersKept(t *testing.T) {
	const access = `{"search":[{"names":["logs-*"],"future_ccs":true}],"future_access":{"x":1}}`
	var a esapikey.CrossClusterAccess
	require.NoError(t, json.Unmarshal([]byte(access), &a))
	client, mux := setup(t)
	rec := answer(mux, http.StatusOK, `{"updated":false}`)

	_, err := client.UpdateCrossClusterAPIKey(t.Context(), esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Access: &a})

	require.NoError(t, err)
	assert.JSONEq(t, `{"access":`+access+`}`, rec.only(t).Body)
}

// encoding/json gives a member to a field whatever its case; only what no
// field took is kept, so nothing is sent twice.
func TestRoleDescriptor_caseVariantNotKeptTwice(t *testing.T) {
	var rd esapikey.RoleDescriptor
	require.NoError(t, json.Unmarshal([]byte(`{"Cluster":["all"]}`), &rd))
	b, err := json.Marshal(rd)
	require.NoError(t, err)
	assert.JSONEq(t, `{"cluster":["all"]}`, string(b))
}
