package esapikey_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

const crossClusterPath = "/_security/cross_cluster/api_key/" + testID

var searchLogs = &esapikey.CrossClusterAccess{Search: []esapikey.CrossClusterIndices{{Names: []string{"logs-*"}}}}

func TestUpdateCrossClusterAPIKey(t *testing.T) {
	const access = `"access":{"search":[{"names":["logs-*"]}]}`
	tests := []struct {
		name string
		req  esapikey.UpdateCrossClusterAPIKeyRequest
		body string
	}{
		{"access", esapikey.UpdateCrossClusterAPIKeyRequest{Access: searchLogs}, `{` + access + `}`},
		{"search and replication", esapikey.UpdateCrossClusterAPIKeyRequest{Access: &esapikey.CrossClusterAccess{
			Search:      []esapikey.CrossClusterIndices{{Names: []string{"logs-*"}}},
			Replication: []esapikey.CrossClusterIndices{{Names: []string{"archive-*"}}},
		}}, `{"access":{"search":[{"names":["logs-*"]}],"replication":[{"names":["archive-*"]}]}}`},
		{"search with a query", esapikey.UpdateCrossClusterAPIKeyRequest{Access: &esapikey.CrossClusterAccess{
			Search: []esapikey.CrossClusterIndices{{Names: []string{"logs-*"}, Query: &esapikey.Query{Text: `{"term":{"team":"a"}}`}}},
		}}, `{"access":{"search":[{"names":["logs-*"],"query":"{\"term\":{\"team\":\"a\"}}"}]}}`},
		{"metadata only", esapikey.UpdateCrossClusterAPIKeyRequest{Metadata: esapikey.Metadata{}}, `{"metadata":{}}`},
		{"replication with restricted indices and an empty name", esapikey.UpdateCrossClusterAPIKeyRequest{Access: &esapikey.CrossClusterAccess{
			Replication: []esapikey.CrossClusterIndices{{Names: []string{"b", ""}, AllowRestrictedIndices: true}}}},
			`{"access":{"replication":[{"names":["b",""],"allow_restricted_indices":true}]}}`},
		{"field security granting everything beside replication", esapikey.UpdateCrossClusterAPIKeyRequest{Access: &esapikey.CrossClusterAccess{
			Search:      []esapikey.CrossClusterIndices{{Names: []string{"a"}, FieldSecurity: &esapikey.FieldSecurity{Grant: []string{"*"}}}},
			Replication: []esapikey.CrossClusterIndices{{Names: []string{"b"}, FieldSecurity: &esapikey.FieldSecurity{Grant: []string{"*"}, Except: []string{}}}},
		}}, `{"access":{"search":[{"names":["a"],"field_security":{"grant":["*"]}}],` +
			`"replication":[{"names":["b"],"field_security":{"grant":["*"],"except":[]}}]}}`},
		{"expiration with metadata", esapikey.UpdateCrossClusterAPIKeyRequest{Metadata: esapikey.Metadata{}, Expiration: "1d"},
			`{"metadata":{},"expiration":"1d"}`},
		{"certificate identity unchanged", esapikey.UpdateCrossClusterAPIKeyRequest{Access: searchLogs, Expiration: "30d"},
			`{` + access + `,"expiration":"30d"}`},
		{"certificate identity set", esapikey.UpdateCrossClusterAPIKeyRequest{Access: searchLogs,
			CertificateIdentity: esapikey.CertificateIdentity{Value: "CN=remote-cluster,.*"}},
			`{` + access + `,"certificate_identity":"CN=remote-cluster,.*"}`},
		{"certificate identity cleared", esapikey.UpdateCrossClusterAPIKeyRequest{
			CertificateIdentity: esapikey.CertificateIdentity{Clear: true}}, `{"certificate_identity":null}`},
		{"everything", esapikey.UpdateCrossClusterAPIKeyRequest{Access: searchLogs, Metadata: esapikey.Metadata{"owner": "ops"},
			Expiration: "1d", CertificateIdentity: esapikey.CertificateIdentity{Value: "CN=r"}},
			`{` + access + `,"metadata":{"owner":"ops"},"expiration":"1d","certificate_identity":"CN=r"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":true}`)
			tt.req.ID = testID

			res, err := client.UpdateCrossClusterAPIKey(t.Context(), tt.req, esapikey.WithRunAs("remote-admin"))

			require.NoError(t, err)
			assert.Equal(t, &esapikey.UpdateCrossClusterAPIKeyResponse{Updated: true}, res)
			r := rec.only(t)
			assertJSONRequest(t, r, http.MethodPut, crossClusterPath, tt.body)
			assert.Equal(t, "remote-admin", r.Header.Get("es-security-runas-user"))
		})
	}
}

func TestUpdateCrossClusterAPIKey_refusedBeforeSending(t *testing.T) {
	tests := []struct {
		name  string
		req   esapikey.UpdateCrossClusterAPIKeyRequest
		field string
	}{
		{"empty id", esapikey.UpdateCrossClusterAPIKeyRequest{Access: searchLogs}, "id"},
		{"dot-dot id", esapikey.UpdateCrossClusterAPIKeyRequest{ID: "..", Access: searchLogs}, "id"},
		{"nothing to update", esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID}, "access"},
		{"access without entries", esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Access: &esapikey.CrossClusterAccess{
			Search: []esapikey.CrossClusterIndices{}}}, "access"},
		{"search names", esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Access: &esapikey.CrossClusterAccess{
			Search: []esapikey.CrossClusterIndices{{}}}}, "access.search[0].names"},
		{"query with two forms", esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Access: &esapikey.CrossClusterAccess{
			Search: []esapikey.CrossClusterIndices{{Names: []string{"a"}, Query: &esapikey.Query{Text: "{}", Template: &esapikey.RoleTemplate{}}}}}},
			"access.search[0].query"},
		{"certificate identity set and cleared", esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Access: searchLogs,
			CertificateIdentity: esapikey.CertificateIdentity{Value: "CN=r", Clear: true}}, "certificate_identity"},
		{"reserved metadata key", esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Metadata: esapikey.Metadata{"_x": 1}}, "metadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":true}`)
			res, err := client.UpdateCrossClusterAPIKey(t.Context(), tt.req)
			assert.Nil(t, res)
			assertInvalid(t, err, tt.field)
			assert.Empty(t, rec.calls())
		})
	}
}

// Requests Elasticsearch refuses for their form are refused before sending,
// with its reason (UpdateCrossClusterApiKeyRequest.validate,
// CrossClusterApiKeyRoleDescriptorBuilder.build).
func TestUpdateCrossClusterAPIKey_refusedWithElasticsearchReason(t *testing.T) {
	query := &esapikey.Query{Object: map[string]any{"match_all": map[string]any{}}}
	names := []string{"a"}
	tests := []struct {
		name          string
		req           esapikey.UpdateCrossClusterAPIKeyRequest
		field, reason string
	}{
		{"expiration alone", esapikey.UpdateCrossClusterAPIKeyRequest{Expiration: "1d"}, "access",
			"must update  [access] or [metadata] or [certificate_identity] for cross-cluster API keys"},
		{"replication with a query", esapikey.UpdateCrossClusterAPIKeyRequest{Access: &esapikey.CrossClusterAccess{
			Replication: []esapikey.CrossClusterIndices{{Names: names}, {Names: names, Query: query}}}},
			"access.replication[1]", "replication does not support document or field level security"},
		{"replication with field security", esapikey.UpdateCrossClusterAPIKeyRequest{Access: &esapikey.CrossClusterAccess{
			Replication: []esapikey.CrossClusterIndices{{Names: names, FieldSecurity: &esapikey.FieldSecurity{Grant: []string{"a"}}}}}},
			"access.replication[0]", "replication does not support document or field level security"},
		{"replication excepting fields", esapikey.UpdateCrossClusterAPIKeyRequest{Access: &esapikey.CrossClusterAccess{
			Replication: []esapikey.CrossClusterIndices{{Names: names, FieldSecurity: &esapikey.FieldSecurity{Grant: []string{"*"}, Except: []string{"secret"}}}}}},
			"access.replication[0]", "replication does not support document or field level security"},
		{"search with a query beside replication", esapikey.UpdateCrossClusterAPIKeyRequest{Access: &esapikey.CrossClusterAccess{
			Search:      []esapikey.CrossClusterIndices{{Names: names, Query: query}},
			Replication: []esapikey.CrossClusterIndices{{Names: names, Query: query}}}},
			"access.search[0]", "search does not support document or field level security if replication is assigned"},
		{"search granting no field beside replication", esapikey.UpdateCrossClusterAPIKeyRequest{Access: &esapikey.CrossClusterAccess{
			Search:      []esapikey.CrossClusterIndices{{Names: names, FieldSecurity: &esapikey.FieldSecurity{Grant: []string{}}}},
			Replication: []esapikey.CrossClusterIndices{{Names: names}}}},
			"access.search[0]", "search does not support document or field level security if replication is assigned"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":true}`)
			tt.req.ID = testID
			_, err := client.UpdateCrossClusterAPIKey(t.Context(), tt.req)
			assertInvalid(t, err, tt.field)
			var ve *esapikey.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, tt.reason, ve.Reason)
			assert.Empty(t, rec.calls())
		})
	}
}

func TestUpdateCrossClusterAPIKey_idIsOnePathSegment(t *testing.T) {
	client, mux := setup(t)
	rec := answer(mux, http.StatusOK, `{"updated":false}`)
	for i, id := range escapedIDs {
		res, err := client.UpdateCrossClusterAPIKey(t.Context(), esapikey.UpdateCrossClusterAPIKeyRequest{ID: id, Access: searchLogs})
		require.NoError(t, err, id)
		assert.False(t, res.Updated)
		reqs := rec.calls()
		require.Len(t, reqs, i+1)
		assertOneSegment(t, reqs[i], "/_security/cross_cluster/api_key/", id)
	}
}

func TestUpdateCrossClusterAPIKey_errors(t *testing.T) {
	const wrongType = "cannot update API key of type [rest] while expected type is [cross_cluster]"
	tests := []struct {
		name     string
		status   int
		body     string
		sentinel error
	}{
		{"REST key", 400, simpleError("400", "illegal_argument_exception", wrongType), esapikey.ErrWrongKeyType},
		{"not found", 404, notFound, esapikey.ErrNotFound},
		{"needs manage_security", 403, simpleError("403", "security_exception",
			"action [cluster:admin/xpack/security/cross_cluster/api_key/update] is unauthorized for user [owner]"), esapikey.ErrForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			answer(mux, tt.status, tt.body)
			res, err := client.UpdateCrossClusterAPIKey(t.Context(), esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Access: searchLogs})
			assert.Nil(t, res)
			assertError(t, err, tt.status)
			assertSentinel(t, err, tt.sentinel)
		})
	}
	client, mux := setup(t)
	answer(mux, http.StatusOK, `{"updated":"yes"}`)
	_, err := client.UpdateCrossClusterAPIKey(t.Context(), esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Access: searchLogs})
	var de *esapikey.DecodeError
	assert.ErrorAs(t, err, &de)
}
