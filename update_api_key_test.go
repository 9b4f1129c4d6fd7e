package esapikey_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

const updatePath = "/_security/api_key/" + testID

// roleA puts rd under the name "role-a", as the reference examples do.
func roleA(rd esapikey.RoleDescriptor) map[string]esapikey.RoleDescriptor {
	return map[string]esapikey.RoleDescriptor{"role-a": rd}
}

func writeAll(names ...string) []esapikey.IndicesPrivileges {
	return []esapikey.IndicesPrivileges{{Names: names, Privileges: []string{esapikey.IndexWrite}}}
}

func TestUpdateAPIKey(t *testing.T) {
	for _, updated := range []bool{true, false} {
		client, mux := setup(t)
		rec := answer(mux, http.StatusOK, `{"updated":`+strconv.FormatBool(updated)+`}`)

		res, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{
			ID:       testID,
			Metadata: esapikey.Metadata{"owner": "team-a"},
		})

		require.NoError(t, err)
		assert.Equal(t, &esapikey.UpdateAPIKeyResponse{Updated: updated}, res)
		assertJSONRequest(t, rec.only(t), http.MethodPut, updatePath, `{"metadata":{"owner":"team-a"}}`)
	}
}

// The three calls of the reference documentation, byte for byte.
func TestUpdateAPIKey_documentedExamples(t *testing.T) {
	const documented = `{"role_descriptors":{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}},"metadata":{"environment":{"level":2,"trusted":true,"tags":["production"]}}}`
	// encoding/json sorts map keys: the same document, another key order.
	const sent = `{"role_descriptors":{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}},"metadata":{"environment":{"level":2,"tags":["production"],"trusted":true}}}`

	t.Run("new role descriptors and metadata", func(t *testing.T) {
		client, mux := setup(t)
		rec := answer(mux, http.StatusOK, `{"updated":true}`)
		res, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{
			ID:              testID,
			RoleDescriptors: roleA(esapikey.RoleDescriptor{Indices: writeAll("*")}),
			Metadata: esapikey.Metadata{"environment": map[string]any{
				"level": 2, "trusted": true, "tags": []string{"production"},
			}},
		})
		require.NoError(t, err)
		assert.True(t, res.Updated)
		r := rec.only(t)
		assertJSONRequest(t, r, http.MethodPut, updatePath, sent)
		assert.JSONEq(t, documented, r.Body)
	})
	t.Run("remove assigned privileges", func(t *testing.T) {
		client, mux := setup(t)
		rec := answer(mux, http.StatusOK, `{"updated":true}`)
		res, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{
			ID:              testID,
			RoleDescriptors: map[string]esapikey.RoleDescriptor{},
		})
		require.NoError(t, err)
		assert.True(t, res.Updated)
		assertJSONRequest(t, rec.only(t), http.MethodPut, updatePath, `{"role_descriptors":{}}`)
	})
	t.Run("refresh the owner's permissions", func(t *testing.T) {
		client, mux := setup(t)
		rec := answer(mux, http.StatusOK, `{"updated":true}`)
		res, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
		require.NoError(t, err)
		assert.True(t, res.Updated)
		assertBodyless(t, rec.only(t), http.MethodPut, updatePath)
	})
}

// nil leaves a value unchanged and is omitted; a non-nil empty map is {}.
func TestUpdateAPIKey_omittedAndEmpty(t *testing.T) {
	tests := []struct {
		name string
		req  esapikey.UpdateAPIKeyRequest
		body string // "" for no body
	}{
		{"nothing set", esapikey.UpdateAPIKeyRequest{}, ""},
		{"nil maps", esapikey.UpdateAPIKeyRequest{RoleDescriptors: nil, Metadata: nil}, ""},
		{"empty role descriptors", esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{}}, `{"role_descriptors":{}}`},
		{"empty metadata", esapikey.UpdateAPIKeyRequest{Metadata: esapikey.Metadata{}}, `{"metadata":{}}`},
		{"both empty", esapikey.UpdateAPIKeyRequest{RoleDescriptors: map[string]esapikey.RoleDescriptor{}, Metadata: esapikey.Metadata{}}, `{"role_descriptors":{},"metadata":{}}`},
		{"expiration only", esapikey.UpdateAPIKeyRequest{Expiration: "30d"}, `{"expiration":"30d"}`},
		{"all three", esapikey.UpdateAPIKeyRequest{RoleDescriptors: roleA(esapikey.RoleDescriptor{Cluster: []string{"monitor"}}), Metadata: esapikey.Metadata{}, Expiration: "1d"},
			`{"role_descriptors":{"role-a":{"cluster":["monitor"]}},"metadata":{},"expiration":"1d"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":false}`)
			tt.req.ID = testID
			_, err := client.UpdateAPIKey(t.Context(), tt.req)
			require.NoError(t, err)
			r := rec.only(t)
			if tt.body == "" {
				assertBodyless(t, r, http.MethodPut, updatePath)
				return
			}
			assertJSONRequest(t, r, http.MethodPut, updatePath, tt.body)
			assertNoNull(t, r.Body)
		})
	}
}

// A request Elasticsearch would refuse for its form never reaches it.
func TestUpdateAPIKey_refusedBeforeSending(t *testing.T) {
	const role = "role_descriptors[role-a]."
	idx := func(p esapikey.IndicesPrivileges) map[string]esapikey.RoleDescriptor {
		return roleA(esapikey.RoleDescriptor{Indices: []esapikey.IndicesPrivileges{p}})
	}
	read := []string{esapikey.IndexRead}
	tests := []struct {
		name  string
		req   esapikey.UpdateAPIKeyRequest
		field string
	}{
		{"empty id", esapikey.UpdateAPIKeyRequest{ID: ""}, "id"},
		{"dot id", esapikey.UpdateAPIKeyRequest{ID: "."}, "id"},
		{"dot-dot id", esapikey.UpdateAPIKeyRequest{ID: ".."}, "id"},
		{"reserved metadata key", esapikey.UpdateAPIKeyRequest{ID: testID, Metadata: esapikey.Metadata{"ok": 1, "_x": 1}}, "metadata"},
		{"reserved role metadata key", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{Metadata: esapikey.Metadata{"_x": true}})}, role + "metadata"},
		{"index names missing", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: idx(esapikey.IndicesPrivileges{Privileges: read})}, role + "indices[0].names"},
		{"index names empty", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: idx(esapikey.IndicesPrivileges{Names: []string{}, Privileges: read})}, role + "indices[0].names"},
		{"index privileges missing", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: idx(esapikey.IndicesPrivileges{Names: []string{"a"}})}, role + "indices[0].privileges"},
		{"second index entry", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Indices: []esapikey.IndicesPrivileges{{Names: []string{"a"}, Privileges: read}, {Names: []string{"b"}, Privileges: []string{""}}},
		})}, role + "indices[1].privileges[0]"},
		{"query with two forms", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: idx(esapikey.IndicesPrivileges{
			Names: []string{"a"}, Privileges: read, Query: &esapikey.Query{Text: `{"match_all":{}}`, Object: map[string]any{"match_all": map[string]any{}}},
		})}, role + "indices[0].query"},
		{"query with no form", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: idx(esapikey.IndicesPrivileges{
			Names: []string{"a"}, Privileges: read, Query: &esapikey.Query{},
		})}, role + "indices[0].query"},
		{"application name", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Applications: []esapikey.ApplicationPrivileges{{Privileges: []string{"read"}, Resources: []string{"*"}}},
		})}, role + "applications[0].application"},
		{"application privileges", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Applications: []esapikey.ApplicationPrivileges{{Application: "app", Resources: []string{"*"}}},
		})}, role + "applications[0].privileges"},
		{"application resources", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Applications: []esapikey.ApplicationPrivileges{{Application: "app", Privileges: []string{"read"}}},
		})}, role + "applications[0].resources"},
		{"remote index names", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			RemoteIndices: []esapikey.RemoteIndicesPrivileges{{Clusters: []string{"r"}, Privileges: read}},
		})}, role + "remote_indices[0].names"},
		{"remote cluster clusters", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			RemoteCluster: []esapikey.RemoteClusterPrivileges{{Privileges: []string{"monitor_enrich"}}},
		})}, role + "remote_cluster[0].clusters"},
		{"remote cluster privileges", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			RemoteCluster: []esapikey.RemoteClusterPrivileges{{Clusters: []string{"r"}}},
		})}, role + "remote_cluster[0].privileges"},
		{"restriction workflows", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Restriction: &esapikey.Restriction{},
		})}, role + "restriction.workflows"},
		{"global application names nil", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Global: &esapikey.GlobalPrivileges{Application: &esapikey.GlobalApplicationPrivileges{}},
		})}, role + "global.application.manage.applications"},
		{"remote index clusters nil", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			RemoteIndices: []esapikey.RemoteIndicesPrivileges{{Names: []string{"a"}, Privileges: read}},
		})}, role + "remote_indices[0].clusters"},
		{"global profile", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Global: &esapikey.GlobalPrivileges{Profile: &esapikey.GlobalProfilePrivileges{}},
		})}, role + "global.profile.write.applications"},
		{"description", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(esapikey.RoleDescriptor{
			Cluster: []string{"monitor"}, Description: "reads the team's logs",
		})}, role + "description"},
		{"first of two bad roles", esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: map[string]esapikey.RoleDescriptor{
			"role-c": {Indices: []esapikey.IndicesPrivileges{{}}},
			"role-b": {RunAs: []string{"x"}, Restriction: &esapikey.Restriction{}},
			"role-a": {Cluster: []string{"monitor"}},
		}}, "role_descriptors[role-b].restriction.workflows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":true}`)
			res, err := client.UpdateAPIKey(t.Context(), tt.req)
			assert.Nil(t, res)
			assertInvalid(t, err, tt.field)
			assert.Empty(t, rec.calls(), "nothing may reach the server")
		})
	}
}

// Elasticsearch's API-key endpoints refuse a description in a role
// descriptor in every version: ApiKeyService parses them without
// allowDescription ("failed to parse role [role-a]. unexpected field
// [description]"), which roles accept from 8.15. The update is refused
// before it is sent, whatever else it holds, and says why.
func TestUpdateAPIKey_descriptionRefused(t *testing.T) {
	rds := roleA(esapikey.RoleDescriptor{Cluster: []string{"monitor"}, Description: "reads the team's logs"})
	client, mux := setup(t)
	rec := answer(mux, http.StatusOK, `{"updated":true}`)

	_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: rds})
	assertInvalid(t, err, "role_descriptors[role-a].description")
	assert.Contains(t, err.Error(), "unexpected field [description]")

	_, err = client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{testID}, RoleDescriptors: rds})
	assertInvalid(t, err, "role_descriptors[role-a].description")
	assert.Empty(t, rec.calls(), "nothing may reach the server")
}

// What Elasticsearch accepts is sent, even where it looks empty (fidelity
// D11, D15): an empty index name, remote_indices on no cluster, and global
// privileges over no application.
func TestUpdateAPIKey_emptyNamesSent(t *testing.T) {
	read := []string{esapikey.IndexRead}
	tests := []struct {
		name string
		rd   esapikey.RoleDescriptor
		body string
	}{
		{"empty index name", esapikey.RoleDescriptor{Indices: []esapikey.IndicesPrivileges{{Names: []string{""}, Privileges: read}}},
			`{"indices":[{"names":[""],"privileges":["read"]}]}`},
		{"remote indices on no cluster", esapikey.RoleDescriptor{RemoteIndices: []esapikey.RemoteIndicesPrivileges{
			{Clusters: []string{}, Names: []string{"a"}, Privileges: read}}},
			`{"remote_indices":[{"clusters":[],"names":["a"],"privileges":["read"]}]}`},
		{"global application over no application", esapikey.RoleDescriptor{Global: &esapikey.GlobalPrivileges{
			Application: &esapikey.GlobalApplicationPrivileges{Manage: esapikey.ApplicationNames{Applications: []string{}}}}},
			`{"global":{"application":{"manage":{"applications":[]}}}}`},
		{"global profile over no application", esapikey.RoleDescriptor{Global: &esapikey.GlobalPrivileges{
			Profile: &esapikey.GlobalProfilePrivileges{Write: esapikey.ApplicationNames{Applications: []string{}}}}},
			`{"global":{"profile":{"write":{"applications":[]}}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":true}`)
			_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(tt.rd)})
			require.NoError(t, err)
			assertJSONRequest(t, rec.only(t), http.MethodPut, updatePath, `{"role_descriptors":{"role-a":`+tt.body+`}}`)
		})
	}
}

// Only top-level metadata keys are reserved.
func TestUpdateAPIKey_nestedUnderscoreKeyAllowed(t *testing.T) {
	client, mux := setup(t)
	rec := answer(mux, http.StatusOK, `{"updated":true}`)
	_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{
		ID:       testID,
		Metadata: esapikey.Metadata{"app": map[string]any{"_x": 1}},
	})
	require.NoError(t, err)
	assertJSONRequest(t, rec.only(t), http.MethodPut, updatePath, `{"metadata":{"app":{"_x":1}}}`)
}

func TestUpdateAPIKey_requestOptions(t *testing.T) {
	client, mux := setup(t)
	rec := answer(mux, http.StatusOK, `{"updated":true}`)
	_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID},
		esapikey.WithRunAs("owner"),
		esapikey.WithOpaqueID("job-42"),
		esapikey.WithHeader("X-Extra", "1"),
		esapikey.WithHeader("X-Extra", "2"),
	)
	require.NoError(t, err)
	h := rec.only(t).Header
	assert.Equal(t, []string{"owner"}, h.Values("es-security-runas-user"))
	assert.Equal(t, []string{"job-42"}, h.Values("X-Opaque-Id"))
	assert.Equal(t, []string{"1", "2"}, h.Values("X-Extra"))
	assert.Equal(t, "application/json", h.Get("Accept"))
}

// escapedIDs are ids that break a naively built URL.
var escapedIDs = []string{
	"a/b", "a?b=c", "a#b", "100%", "%2F", "a b", "a+b", "ключ/é", "..x", "x/..", "a;b", "a\\b", "~-._",
}

// assertOneSegment checks that the escaped path is prefix followed by
// exactly one segment that decodes back to id.
func assertOneSegment(t *testing.T, r received, prefix, id string) {
	t.Helper()
	assert.Empty(t, r.Query, "nothing of the id may leak into the query")
	seg, ok := strings.CutPrefix(r.Path, prefix)
	require.True(t, ok, "path %q lacks the prefix %q", r.Path, prefix)
	assert.Len(t, strings.Split(seg, "/"), 1, "path %q", r.Path)
	got, err := url.PathUnescape(seg)
	require.NoError(t, err)
	assert.Equal(t, id, got)
}

func TestUpdateAPIKey_idIsOnePathSegment(t *testing.T) {
	for _, prefix := range []string{"", "/es", "/es/"} {
		rec := new(recorder)
		srv := newServer(t, rec.reply(http.StatusOK, `{"updated":true}`))
		client := newClient(t, esapikey.Config{Addresses: []string{srv.URL + prefix}})
		for _, id := range escapedIDs {
			t.Run(prefix+" "+id, func(t *testing.T) {
				n := len(rec.calls())
				_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: id})
				require.NoError(t, err)
				reqs := rec.calls()
				require.Len(t, reqs, n+1)
				assertOneSegment(t, reqs[n], strings.TrimSuffix(prefix, "/")+"/_security/api_key/", id)
			})
		}
	}
}

func TestUpdateAPIKeyResponse_JSON(t *testing.T) {
	var res esapikey.UpdateAPIKeyResponse
	require.NoError(t, json.Unmarshal([]byte(`{"updated":true,"extra":[1]}`), &res))
	assert.True(t, res.Updated)
	for _, body := range []string{`{}`, `{"updated":null}`, `{"updated":"true"}`, `[]`} {
		assert.Error(t, json.Unmarshal([]byte(body), &res), body)
	}
}

// A retry goes to the next node with the id still one escaped segment
// behind that node's own prefix: elastic-transport-go resets only Path
// between attempts, so a RawPath changed in place would carry the first
// node's prefix and be dropped, sending "a/b" as two segments.
func TestUpdateAPIKey_retryKeepsRouteBehindPrefixes(t *testing.T) {
	const id = "a/b"
	var bad, good recorder
	es1 := newServer(t, bad.reply(http.StatusBadGateway, "<html>bad gateway</html>"))
	es2 := newServer(t, good.reply(http.StatusOK, `{"updated":true}`))
	client := newClient(t, esapikey.Config{Addresses: []string{es1.URL + "/es1", es2.URL + "/es2"}, MaxRetries: 3})

	for range 4 {
		_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: id})
		require.NoError(t, err)
	}

	require.NotEmpty(t, bad.calls(), "no call started on the failing node")
	for _, r := range bad.calls() {
		assertOneSegment(t, r, "/es1/_security/api_key/", id)
	}
	require.Len(t, good.calls(), 4)
	for _, r := range good.calls() {
		assertOneSegment(t, r, "/es2/_security/api_key/", id)
	}
}
