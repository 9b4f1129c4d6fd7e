package esapikey_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

// decodeRole reads a role descriptor as GetAPIKey does.
func decodeRole(t *testing.T, s string) esapikey.RoleDescriptor {
	t.Helper()
	var rd esapikey.RoleDescriptor
	require.NoError(t, json.Unmarshal([]byte(s), &rd), s)
	return rd
}

func keyWithRoles(roles map[string]esapikey.RoleDescriptor) *esapikey.APIKey {
	return &esapikey.APIKey{ID: testID, RoleDescriptors: roles}
}

// The spellings RoleDescriptor.parse reads as one role: each equals the
// role as GET /_security/api_key renders it, so sending any of them to a
// key that holds the rendered one plans no change.
func TestPlanUpdate_sameRoleSpelledAsElasticsearchReturnsIt(t *testing.T) {
	const rendered = `{"cluster":["monitor"],"indices":[{"names":["logs-*"],"privileges":["read"],"allow_restricted_indices":false}],
		"applications":[],"run_as":[],"metadata":{},"transient_metadata":{"enabled":true}}`
	current := keyWithRoles(map[string]esapikey.RoleDescriptor{"r": decodeRole(t, rendered)})

	spellings := map[string]string{
		"as rendered":                      rendered,
		"names as one string":              `{"cluster":["monitor"],"indices":[{"names":"logs-*","privileges":["read"]}]}`,
		"index for indices":                `{"cluster":["monitor"],"index":[{"names":["logs-*"],"privileges":["read"]}]}`,
		"allow_restricted_indices omitted": `{"cluster":["monitor"],"indices":[{"names":["logs-*"],"privileges":["read"]}]}`,
		"empty lists omitted":              `{"cluster":["monitor"],"indices":[{"names":["logs-*"],"privileges":["read"]}],"run_as":[],"applications":[],"remote_indices":[]}`,
		"other transient_metadata":         `{"cluster":["monitor"],"indices":[{"names":["logs-*"],"privileges":["read"]}],"transient_metadata":{"enabled":false,"a":1}}`,
		"empty role metadata":              `{"cluster":["monitor"],"indices":[{"names":["logs-*"],"privileges":["read"]}],"metadata":{}}`,
		"empty restriction (D4)":           `{"cluster":["monitor"],"indices":[{"names":["logs-*"],"privileges":["read"]}],"restriction":{}}`,
	}
	for name, s := range spellings {
		t.Run(name, func(t *testing.T) {
			p := esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{ID: testID,
				RoleDescriptors: map[string]esapikey.RoleDescriptor{"r": decodeRole(t, s)}})
			assert.True(t, p.NoChange(), "%s", p)
			assert.Equal(t, "no change", p.String())
		})
	}
}

func TestPlanUpdate_rolesCompareInAnyOrder(t *testing.T) {
	a := esapikey.RoleDescriptor{Cluster: []string{"monitor"}}
	b := esapikey.RoleDescriptor{Indices: writeAll("x")}
	current := keyWithRoles(map[string]esapikey.RoleDescriptor{"a": a, "b": b})

	var req esapikey.UpdateAPIKeyRequest
	require.NoError(t, json.Unmarshal([]byte(`{"role_descriptors":{"b":{"indices":[{"names":"x","privileges":["write"]}]},"a":{"cluster":["monitor"]}}}`), &req))
	assert.True(t, esapikey.PlanUpdate(current, req).NoChange())
}

// What Elasticsearch sees as another role, so that it updates the key.
func TestPlanUpdate_roleDifferences(t *testing.T) {
	base := `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a","b"],"privileges":["read"]}]}`
	current := keyWithRoles(map[string]esapikey.RoleDescriptor{"r": decodeRole(t, base)})

	different := map[string]string{
		// RoleDescriptor.equals compares arrays in order.
		"cluster reordered":              `{"cluster":["manage_own_api_key","monitor"],"indices":[{"names":["a","b"],"privileges":["read"]}]}`,
		"names reordered":                `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["b","a"],"privileges":["read"]}]}`,
		"allow_restricted_indices true":  `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a","b"],"privileges":["read"],"allow_restricted_indices":true}]}`,
		"field security grant *":         `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a","b"],"privileges":["read"],"field_security":{"grant":["*"]}}]}`,
		"field security grant nothing":   `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a","b"],"privileges":["read"],"field_security":{"grant":[]}}]}`,
		"a query":                        `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a","b"],"privileges":["read"],"query":{"match_all":{}}}]}`,
		"role metadata":                  `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a","b"],"privileges":["read"]}],"metadata":{"a":1}}`,
		"a restriction":                  `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a","b"],"privileges":["read"]}],"restriction":{"workflows":["search_application_query"]}}`,
		"run_as":                         `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a","b"],"privileges":["read"]}],"run_as":["bob"]}`,
		"another privilege":              `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a","b"],"privileges":["write"]}]}`,
		"indices as two entries":         `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a"],"privileges":["read"]},{"names":["b"],"privileges":["read"]}]}`,
		"global application privileges ": `{"cluster":["monitor","manage_own_api_key"],"indices":[{"names":["a","b"],"privileges":["read"]}],"global":{"application":{"manage":{"applications":["app"]}}}}`,
	}
	for name, s := range different {
		t.Run(name, func(t *testing.T) {
			p := esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{ID: testID,
				RoleDescriptors: map[string]esapikey.RoleDescriptor{"r": decodeRole(t, s)}})
			require.Len(t, p.Roles, 1, "%s", p)
			assert.Equal(t, esapikey.ChangeModified, p.Roles[0].Kind)
			assert.Equal(t, "r", p.Roles[0].Name)
			assert.False(t, p.RemovesPrivileges())
		})
	}
}

// Elasticsearch stores a query object as its compact JSON text and returns
// that text as a string (RoleDescriptor.parseIndexWithOptionalRemoteClusters).
func TestPlanUpdate_queryObjectEqualsItsStoredText(t *testing.T) {
	current := keyWithRoles(map[string]esapikey.RoleDescriptor{"r": decodeRole(t,
		`{"indices":[{"names":["a"],"privileges":["read"],"query":"{\"term\":{\"owner\":\"<me>&co\"}}","allow_restricted_indices":false}]}`)})
	object := esapikey.RoleDescriptor{Indices: []esapikey.IndicesPrivileges{{Names: []string{"a"}, Privileges: []string{"read"},
		Query: &esapikey.Query{Object: map[string]any{"term": map[string]any{"owner": "<me>&co"}}}}}}
	assert.True(t, esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{"r": object}}).NoChange())

	spaced := esapikey.RoleDescriptor{Indices: []esapikey.IndicesPrivileges{{Names: []string{"a"}, Privileges: []string{"read"},
		Query: &esapikey.Query{Text: `{"term": {"owner": "<me>&co"}}`}}}}
	assert.False(t, esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{"r": spaced}}).NoChange(),
		"a string query is stored byte for byte, spaces included")
}

func TestPlanUpdate_globalApplicationsAreASet(t *testing.T) {
	current := keyWithRoles(map[string]esapikey.RoleDescriptor{"r": decodeRole(t,
		`{"global":{"application":{"manage":{"applications":["b","a"]}}}}`)})
	req := esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{"r": decodeRole(t,
		`{"global":{"application":{"manage":{"applications":["a","b"]}}}}`)}}
	assert.True(t, esapikey.PlanUpdate(current, req).NoChange())
}

func TestPlanUpdate_rolesAddedRemovedAndAllRemoved(t *testing.T) {
	current := keyWithRoles(map[string]esapikey.RoleDescriptor{"a": {Cluster: []string{"monitor"}}, "b": {Cluster: []string{"all"}}})

	p := esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{
		"a": {Cluster: []string{"monitor"}}, "c": {RunAs: []string{"x"}},
	}})
	require.Len(t, p.Roles, 2)
	assert.Equal(t, esapikey.RoleChange{Name: "b", Kind: esapikey.ChangeRemoved, Before: &esapikey.RoleDescriptor{Cluster: []string{"all"}}}, p.Roles[0])
	assert.Equal(t, esapikey.RoleChange{Name: "c", Kind: esapikey.ChangeAdded, After: &esapikey.RoleDescriptor{RunAs: []string{"x"}}}, p.Roles[1])
	assert.False(t, p.RemovesPrivileges(), "role a stays")

	p = esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{}})
	assert.True(t, p.RemovesPrivileges())
	assert.Len(t, p.Roles, 2)
	assert.Contains(t, p.String(), "owner's full permissions")

	noRoles := keyWithRoles(map[string]esapikey.RoleDescriptor{})
	p = esapikey.PlanUpdate(noRoles, esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{}})
	assert.True(t, p.NoChange(), "a key with no roles already has its owner's permissions")
	assert.False(t, p.RemovesPrivileges())

	p = esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{})
	assert.True(t, p.NoChange(), "nil role descriptors leave them")
}

// Metadata is compared as the Java values Elasticsearch parses
// (ApiKeyService: newMetadata.equals(currentMetadata)).
func TestPlanUpdate_metadataComparedAsJSONValues(t *testing.T) {
	var current esapikey.APIKey
	require.NoError(t, json.Unmarshal([]byte(`{"id":"k","metadata":{"int":2,"float":1.0,"big":18446744073709551617,
		"nested":{"list":[1,"a",true,null],"x":{}},"null":null,"s":"text","neg0":-0.0}}`), &current))

	same := esapikey.Metadata{
		"int":    2,                   // json.Number("2") equals a Go 2
		"float":  json.Number("1.00"), // Double 1.0 either way
		"big":    json.Number("18446744073709551617"),
		"nested": map[string]any{"x": map[string]string{}, "list": []any{uint8(1), "a", true, nil}},
		"null":   nil,
		"s":      "text",
		"neg0":   json.Number("-0.0"),
	}
	p := esapikey.PlanUpdate(&current, esapikey.UpdateAPIKeyRequest{Metadata: same})
	assert.True(t, p.NoChange(), "%s", p)

	changed := map[string]any{
		"int":   2.5,
		"float": 1,                      // an Integer never equals a Double
		"big":   uint64(math.MaxUint64), // 18446744073709551615
		"s":     "Text",
		"neg0":  json.Number("0.0"), // Double.equals(-0.0, 0.0) is false
		"null":  false,
	}
	for k, v := range changed {
		md := esapikey.Metadata{}
		for ck, cv := range same {
			md[ck] = cv
		}
		md[k] = v
		p := esapikey.PlanUpdate(&current, esapikey.UpdateAPIKeyRequest{Metadata: md})
		require.Len(t, p.Metadata, 1, "%s: %s", k, p)
		assert.Equal(t, esapikey.MetadataChange{Key: k, Kind: esapikey.ChangeModified, Before: current.Metadata[k], After: v}, p.Metadata[0])
		assert.Empty(t, p.RemovedMetadataKeys())
	}
}

func TestPlanUpdate_metadataKeysAddedAndRemoved(t *testing.T) {
	current := &esapikey.APIKey{Metadata: esapikey.Metadata{"a": "1", "b": json.Number("2"), "c": nil}}

	p := esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"b": 2, "d": "new"}})
	assert.Equal(t, []string{"a", "c"}, p.RemovedMetadataKeys())
	assert.Equal(t, []esapikey.MetadataChange{
		{Key: "a", Kind: esapikey.ChangeRemoved, Before: "1"},
		{Key: "c", Kind: esapikey.ChangeRemoved},
		{Key: "d", Kind: esapikey.ChangeAdded, After: "new"},
	}, p.Metadata)

	p = esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{}})
	assert.Equal(t, []string{"a", "b", "c"}, p.RemovedMetadataKeys(), "{} clears")

	unencodable := esapikey.PlanUpdate(current, esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{"a": "1", "b": math.NaN(), "c": nil}})
	require.Len(t, unencodable.Metadata, 1)
	assert.Equal(t, "b", unencodable.Metadata[0].Key, "a value JSON cannot hold equals nothing")
	assert.Contains(t, unencodable.String(), "cannot be encoded")
}

func TestPlanUpdate_expirationIsAlwaysAChange(t *testing.T) {
	exp := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	p := esapikey.PlanUpdate(&esapikey.APIKey{Expiration: exp}, esapikey.UpdateAPIKeyRequest{Expiration: "30d"})
	assert.False(t, p.NoChange())
	assert.Equal(t, &esapikey.ExpirationChange{Before: exp, After: "30d"}, p.Expiration)
	assert.Equal(t, "expiration: 2027-01-02T03:04:05Z -> 30d after the update", p.String())

	p = esapikey.PlanUpdate(&esapikey.APIKey{}, esapikey.UpdateAPIKeyRequest{Expiration: "1h"})
	assert.Equal(t, "expiration: never -> 1h after the update", p.String())
}

func TestPlanUpdate_nilKey(t *testing.T) {
	p := esapikey.PlanUpdate(nil, esapikey.UpdateAPIKeyRequest{ID: "k", Metadata: esapikey.Metadata{"a": 1}})
	assert.Equal(t, "k", p.ID)
	assert.Equal(t, []esapikey.MetadataChange{{Key: "a", Kind: esapikey.ChangeAdded, After: 1}}, p.Metadata)
}

// The documented examples (reference/elasticsearch-update-api-key-api.txt),
// planned against the key the documented create call makes.
func TestPlanUpdate_documentedExamples(t *testing.T) {
	var current esapikey.APIKey
	require.NoError(t, json.Unmarshal([]byte(`{"id":"VuaCfGcBCdbkQm-e5aOx","name":"my-api-key","type":"rest","creation":1,"invalidated":false,
		"username":"myuser","realm":"native","metadata":{"application":"my-application","environment":{"level":1,"trusted":true,"tags":["dev","staging"]}},
		"role_descriptors":{"role-a":{"cluster":["all"],"indices":[{"names":["index-a*"],"privileges":["read"],"allow_restricted_indices":false}],
		"applications":[],"run_as":[],"metadata":{},"transient_metadata":{"enabled":true}}}}`), &current))

	var first esapikey.UpdateAPIKeyRequest
	require.NoError(t, json.Unmarshal([]byte(`{"role_descriptors":{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}},
		"metadata":{"environment":{"level":2,"trusted":true,"tags":["production"]}}}`), &first))
	first.ID = current.ID
	p := esapikey.PlanUpdate(&current, first)
	assert.Equal(t, strings.Join([]string{
		`role "role-a": changed`,
		`  - {"cluster":["all"],"indices":[{"names":["index-a*"],"privileges":["read"]}]}`,
		`  + {"indices":[{"names":["*"],"privileges":["write"]}]}`,
		`metadata "application": removed (was "my-application")`,
		`metadata "environment": changed: {"level":1,"tags":["dev","staging"],"trusted":true} -> {"level":2,"tags":["production"],"trusted":true}`,
	}, "\n"), p.String())
	assert.Equal(t, []string{"application"}, p.RemovedMetadataKeys(), "metadata replaces: the documented update drops application")
	assert.False(t, p.RemovesPrivileges())

	second := esapikey.PlanUpdate(&current, esapikey.UpdateAPIKeyRequest{ID: current.ID, RoleDescriptors: map[string]esapikey.RoleDescriptor{}})
	assert.True(t, second.RemovesPrivileges(), `{"role_descriptors":{}} gives the key its owner's permissions`)
	assert.Equal(t, []esapikey.RoleChange{{Name: "role-a", Kind: esapikey.ChangeRemoved, Before: ptr(current.RoleDescriptors["role-a"])}}, second.Roles)
	assert.Empty(t, second.Metadata)

	third := esapikey.PlanUpdate(&current, esapikey.UpdateAPIKeyRequest{ID: current.ID})
	assert.True(t, third.NoChange(), "no body changes no value (it refreshes the owner's snapshot)")
}

func ptr[T any](v T) *T { return &v }
