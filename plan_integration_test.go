package esapikey_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

// Read, plan, update, read again: the client's view of a key and
// esapikeytest's view of the same key agree, so that integration code which
// keeps keys in a desired state converges.

// documentedCreate is the create call of the reference documentation.
const documentedCreate = `{"name":"my-api-key","role_descriptors":{"role-a":{"cluster":["all"],"indices":[{"names":["index-a*"],"privileges":["read"]}]}},
	"metadata":{"application":"my-application","environment":{"level":1,"trusted":true,"tags":["dev","staging"]}}}`

// converge plans req against the key, applies it, and checks that the
// answer agrees with the plan and that the same request then plans no
// change. It returns the plan made before the update.
func converge(t *testing.T, c *esapikey.Client, req esapikey.UpdateAPIKeyRequest) *esapikey.UpdatePlan {
	t.Helper()
	before, err := c.GetAPIKey(t.Context(), req.ID)
	require.NoError(t, err)
	plan := esapikey.PlanUpdate(before, req)

	res, err := c.UpdateAPIKey(t.Context(), req)
	require.NoError(t, err)
	assert.Equal(t, !plan.NoChange(), res.Updated, "the answer agrees with the plan:\n%s", plan)

	after, err := c.GetAPIKey(t.Context(), req.ID)
	require.NoError(t, err)
	again := esapikey.PlanUpdate(after, req)
	assert.True(t, again.NoChange(), "the same request again:\n%s", again)
	return plan
}

func TestIntegration_planDocumentedExamples(t *testing.T) {
	w := newWorld(t)
	k := w.key(t, "alice", documentedCreate)

	var first esapikey.UpdateAPIKeyRequest
	require.NoError(t, json.Unmarshal([]byte(`{"role_descriptors":{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}},
		"metadata":{"environment":{"level":2,"trusted":true,"tags":["production"]}}}`), &first))
	first.ID = k.ID
	plan := converge(t, w.alice, first)
	assert.Equal(t, []string{"application"}, plan.RemovedMetadataKeys())
	require.Len(t, plan.Roles, 1)
	assert.Equal(t, esapikey.ChangeModified, plan.Roles[0].Kind)
	require.Len(t, plan.Metadata, 2)
	assert.Equal(t, esapikey.MetadataChange{Key: "environment", Kind: esapikey.ChangeModified,
		Before: map[string]any{"level": json.Number("1"), "trusted": true, "tags": []any{"dev", "staging"}},
		After:  map[string]any{"level": json.Number("2"), "trusted": true, "tags": []any{"production"}}}, plan.Metadata[1])
	assert.False(t, plan.RemovesPrivileges())

	second := converge(t, w.alice, esapikey.UpdateAPIKeyRequest{ID: k.ID, RoleDescriptors: map[string]esapikey.RoleDescriptor{}})
	assert.True(t, second.RemovesPrivileges())
	assert.Empty(t, second.Metadata)
	read, err := w.alice.GetAPIKey(t.Context(), k.ID)
	require.NoError(t, err)
	assert.Empty(t, read.RoleDescriptors, "the key now has its owner's permissions")

	third := esapikey.PlanUpdate(read, esapikey.UpdateAPIKeyRequest{ID: k.ID})
	assert.True(t, third.NoChange(), "no body changes no value")
}

// A key read from the server and sent back unchanged plans no change, and
// Elasticsearch agrees: {"updated":false}.
func TestIntegration_keyReadAndSentBackPlansNoChange(t *testing.T) {
	w := newWorld(t)
	k := w.key(t, "alice", `{"name":"many-spellings","role_descriptors":{
		"r1":{"cluster":["monitor"],"index":[{"names":"logs-*","privileges":["read"],"query":{"term":{"team":"a"}},"field_security":{"grant":["a*"],"except":["ab"]}}]},
		"r2":{"indices":[{"names":["x"],"privileges":["read","write"],"allow_restricted_indices":true}],"applications":[{"application":"app","privileges":["read"],"resources":["*"]}],"run_as":["bob"],"metadata":{"n":1.5}},
		"r3":{"remote_indices":[{"clusters":["c1"],"names":["r"],"privileges":["read"]}]}},
		"metadata":{"int":2,"float":1.0,"big":123456789012345678901234567890,"nested":{"list":[1,"a",null,true],"empty":{}},"null":null}}`)

	read, err := w.alice.GetAPIKey(t.Context(), k.ID)
	require.NoError(t, err)
	assert.Len(t, read.RoleDescriptors, 3)
	req := esapikey.UpdateAPIKeyRequest{ID: k.ID, RoleDescriptors: read.RoleDescriptors, Metadata: read.Metadata}
	plan := esapikey.PlanUpdate(read, req)
	assert.True(t, plan.NoChange(), "%s", plan)

	res, err := w.alice.UpdateAPIKey(t.Context(), req)
	require.NoError(t, err)
	assert.False(t, res.Updated, "Elasticsearch sees no change either")
}

// The request is spelled as a Go program writes it (ints, a query object,
// a names string read from JSON), the key as Elasticsearch renders it.
func TestIntegration_planConvergesWhateverTheSpelling(t *testing.T) {
	w := newWorld(t)
	k := w.key(t, "alice", `{"name":"k","metadata":{"owner":"x"}}`)

	var rd esapikey.RoleDescriptor
	require.NoError(t, json.Unmarshal([]byte(`{"index":[{"names":"logs-*","privileges":["read"],"allow_restricted_indices":false}]}`), &rd))
	rd.Indices[0].Query = &esapikey.Query{Object: map[string]any{"bool": map[string]any{"filter": []any{map[string]any{"term": map[string]any{"level": 3}}}}}}
	req := esapikey.UpdateAPIKeyRequest{
		ID:              k.ID,
		RoleDescriptors: map[string]esapikey.RoleDescriptor{"reader": rd, "monitor": {Cluster: []string{esapikey.ClusterMonitor}}},
		Metadata:        esapikey.Metadata{"owner": "x", "level": 3, "ratio": 0.5, "tags": []string{"a", "b"}},
	}
	plan := converge(t, w.alice, req)
	assert.Len(t, plan.Roles, 2)
	assert.Equal(t, []string{"level", "ratio", "tags"}, keysOf(plan.Metadata), "owner is unchanged")
}

func TestIntegration_mergeMetadataKeepsOtherKeys(t *testing.T) {
	w := newWorld(t)
	k := w.key(t, "alice", documentedCreate)

	read, err := w.alice.GetAPIKey(t.Context(), k.ID)
	require.NoError(t, err)
	merged := esapikey.MergeMetadata(read.Metadata, esapikey.Metadata{"environment": map[string]any{"level": 2}, "owner": "team-b"})
	plan := converge(t, w.alice, esapikey.UpdateAPIKeyRequest{ID: k.ID, Metadata: merged})
	assert.Empty(t, plan.RemovedMetadataKeys())

	stored, _ := w.srv.APIKey(k.ID)
	assert.Equal(t, map[string]any{"application": "my-application", "owner": "team-b",
		"environment": map[string]any{"level": json.Number("2"), "trusted": true, "tags": []any{"dev", "staging"}}}, stored.Metadata)
}

func TestIntegration_getAPIKeyOwnerAndState(t *testing.T) {
	w := newWorld(t)
	require.NoError(t, w.srv.AddUser("bob", "bob-password", "owner"))
	bobs := w.key(t, "bob", `{"name":"bobs"}`)
	mine := w.key(t, "alice", `{"name":"mine","expiration":"1d"}`)
	admin := clientFor(t, w.srv.URL, esapikey.Config{Username: "elastic", Password: "changeme"})

	_, err := w.alice.GetAPIKey(t.Context(), bobs.ID)
	assert.ErrorIs(t, err, esapikey.ErrNotFound, "another user's key, as for the update")
	_, err = admin.GetAPIKey(t.Context(), bobs.ID)
	assert.ErrorIs(t, err, esapikey.ErrNotFound, "even for a superuser: owner=true")
	_, err = w.alice.GetAPIKey(t.Context(), "no-such-key")
	assert.ErrorIs(t, err, esapikey.ErrNotFound)

	got, err := admin.GetAPIKey(t.Context(), bobs.ID, esapikey.WithRunAs("bob"))
	require.NoError(t, err, "the run-as user's key, exactly as UpdateAPIKey with WithRunAs")
	assert.Equal(t, "bobs", got.Name)
	assert.Equal(t, "bob", got.Username)

	got, err = w.alice.GetAPIKey(t.Context(), mine.ID)
	require.NoError(t, err)
	assert.Equal(t, "rest", got.Type)
	require.False(t, got.Creation.IsZero())
	// Elasticsearch counts the expiration in whole seconds.
	assert.WithinDuration(t, got.Creation.Add(24*time.Hour), got.Expiration, time.Second)

	require.NoError(t, w.srv.InvalidateAPIKey(mine.ID))
	got, err = w.alice.GetAPIKey(t.Context(), mine.ID)
	require.NoError(t, err, "an invalidated key is still read")
	assert.True(t, got.Invalidated)
}

func TestIntegration_getCrossClusterKey(t *testing.T) {
	w := newWorld(t)
	admin := clientFor(t, w.srv.URL, esapikey.Config{Username: "elastic", Password: "changeme"})
	cc, err := w.srv.CreateCrossClusterAPIKey("elastic", `{"name":"cc","access":{"search":[{"names":["logs-*"]}]},"metadata":{"a":1}}`)
	require.NoError(t, err)

	got, err := admin.GetAPIKey(t.Context(), cc.ID)
	require.NoError(t, err)
	assert.Equal(t, "cross_cluster", got.Type)
	require.NotNil(t, got.Access)
	assert.Equal(t, []string{"logs-*"}, got.Access.Search[0].Names)
	assert.Equal(t, esapikey.Metadata{"a": json.Number("1")}, got.Metadata)
}

func keysOf(changes []esapikey.MetadataChange) []string {
	var keys []string
	for _, c := range changes {
		keys = append(keys, c.Key)
	}
	return keys
}
