package esapikey_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

var (
	read     = []string{esapikey.IndexRead}
	textDLS  = &esapikey.Query{Text: `{"match":{"category":"click"}}`}
	template = &esapikey.RoleTemplate{
		Source: `{"term":{"acl.username":"{{_user.username}}"}}`,
		ID:     "acl-template",
		Params: map[string]any{"field": "acl"},
		Lang:   "mustache",
		Opts:   map[string]string{"content_type": "application/json"},
	}
)

func TestTypes_marshal(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"empty role", esapikey.RoleDescriptor{}, `{}`},
		{"role with every field", esapikey.RoleDescriptor{
			Cluster:       []string{esapikey.ClusterMonitor},
			Indices:       []esapikey.IndicesPrivileges{{Names: []string{"index-a*"}, Privileges: read}},
			RemoteIndices: []esapikey.RemoteIndicesPrivileges{{Clusters: []string{"remote-*"}, Names: []string{"logs-*"}, Privileges: read}},
			RemoteCluster: []esapikey.RemoteClusterPrivileges{{Clusters: []string{"remote-*"}, Privileges: []string{"monitor_enrich"}}},
			Global: &esapikey.GlobalPrivileges{
				Application: &esapikey.GlobalApplicationPrivileges{Manage: esapikey.ApplicationNames{Applications: []string{"kibana-*"}}},
				Profile:     &esapikey.GlobalProfilePrivileges{Write: esapikey.ApplicationNames{Applications: []string{"kibana"}}},
			},
			Applications:      []esapikey.ApplicationPrivileges{{Application: "myapp", Privileges: []string{"read"}, Resources: []string{"*"}}},
			RunAs:             []string{"other-user"},
			Metadata:          esapikey.Metadata{"version": 1},
			TransientMetadata: map[string]any{"enabled": true},
			Restriction:       &esapikey.Restriction{Workflows: []string{"search_application_query"}},
		}, `{"cluster":["monitor"],"indices":[{"names":["index-a*"],"privileges":["read"]}],` +
			`"remote_indices":[{"clusters":["remote-*"],"names":["logs-*"],"privileges":["read"]}],` +
			`"remote_cluster":[{"clusters":["remote-*"],"privileges":["monitor_enrich"]}],` +
			`"global":{"application":{"manage":{"applications":["kibana-*"]}},"profile":{"write":{"applications":["kibana"]}}},` +
			`"applications":[{"application":"myapp","privileges":["read"],"resources":["*"]}],"run_as":["other-user"],` +
			`"metadata":{"version":1},"transient_metadata":{"enabled":true},"restriction":{"workflows":["search_application_query"]}}`},
		{"empty lists of a role are omitted", esapikey.RoleDescriptor{Cluster: []string{}, Indices: []esapikey.IndicesPrivileges{}, RunAs: []string{}, Metadata: esapikey.Metadata{}}, `{}`},
		{"indices with everything", esapikey.IndicesPrivileges{
			Names: []string{"index-a", "index-b"}, Privileges: read,
			FieldSecurity:          &esapikey.FieldSecurity{Grant: []string{"*"}, Except: []string{"secret"}},
			Query:                  textDLS,
			AllowRestrictedIndices: true,
		}, `{"names":["index-a","index-b"],"privileges":["read"],"field_security":{"grant":["*"],"except":["secret"]},` +
			`"query":"{\"match\":{\"category\":\"click\"}}","allow_restricted_indices":true}`},
		{"field security: nil omitted", esapikey.FieldSecurity{Grant: []string{"*"}}, `{"grant":["*"]}`},
		{"field security: empty sent as []", esapikey.FieldSecurity{Grant: []string{}, Except: []string{}}, `{"grant":[],"except":[]}`},
		{"field security: nothing", esapikey.FieldSecurity{}, `{}`},
		{"query as text", textDLS, `"{\"match\":{\"category\":\"click\"}}"`},
		{"query as object", esapikey.Query{Object: map[string]any{"match": map[string]any{"category": "click"}}}, `{"match":{"category":"click"}}`},
		{"query as template", esapikey.Query{Template: template},
			`{"template":{"source":"{\"term\":{\"acl.username\":\"{{_user.username}}\"}}","id":"acl-template","params":{"field":"acl"},"lang":"mustache","options":{"content_type":"application/json"}}}`},
		{"template with an object source", esapikey.Query{Template: &esapikey.RoleTemplate{Source: map[string]any{"term": map[string]any{"user": "{{_user.username}}"}}}},
			`{"template":{"source":{"term":{"user":"{{_user.username}}"}}}}`},
		{"remote indices", esapikey.RemoteIndicesPrivileges{Clusters: []string{"r"}, Names: []string{"a"}, Privileges: read,
			FieldSecurity: &esapikey.FieldSecurity{Except: []string{}}, AllowRestrictedIndices: true},
			`{"clusters":["r"],"names":["a"],"privileges":["read"],"field_security":{"except":[]},"allow_restricted_indices":true}`},
		{"metadata", esapikey.Metadata{"b": []int{1}, "a": "x"}, `{"a":"x","b":[1]}`},
		{"empty metadata", esapikey.Metadata{}, `{}`},
		{"duration", esapikey.Duration("30d"), `"30d"`},
		{"cross-cluster access", esapikey.CrossClusterAccess{
			Search:      []esapikey.CrossClusterIndices{{Names: []string{"logs-*"}, FieldSecurity: &esapikey.FieldSecurity{Grant: []string{"*"}}, Query: textDLS}},
			Replication: []esapikey.CrossClusterIndices{{Names: []string{"archive-*"}, AllowRestrictedIndices: true}},
		}, `{"search":[{"names":["logs-*"],"field_security":{"grant":["*"]},"query":"{\"match\":{\"category\":\"click\"}}"}],` +
			`"replication":[{"names":["archive-*"],"allow_restricted_indices":true}]}`},
		{"certificate identity", esapikey.CertificateIdentity{Value: "CN=remote,.*"}, `"CN=remote,.*"`},
		{"certificate identity cleared", esapikey.CertificateIdentity{Clear: true}, `null`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, marshal(t, tt.v))
		})
	}
}

func TestQuery_marshalWithoutForm(t *testing.T) {
	_, err := json.Marshal(esapikey.Query{})
	assert.Error(t, err)
}

// Elasticsearch returns some lists as one string, "index" for "indices"
// and queries as JSON text; each decodes and is sent back in the usual form.
func TestTypes_decodeElasticsearchForms(t *testing.T) {
	tests := []struct {
		name string
		json string
		into any
		want any
		sent string
	}{
		{"names as one string", `{"names":"logs-*","privileges":["read"]}`, new(esapikey.IndicesPrivileges),
			&esapikey.IndicesPrivileges{Names: []string{"logs-*"}, Privileges: read}, `{"names":["logs-*"],"privileges":["read"]}`},
		{"index alias", `{"index":[{"names":["a"],"privileges":["read"]}]}`, new(esapikey.RoleDescriptor),
			&esapikey.RoleDescriptor{Indices: []esapikey.IndicesPrivileges{{Names: []string{"a"}, Privileges: read}}},
			`{"indices":[{"names":["a"],"privileges":["read"]}]}`},
		{"query as JSON text", `"{\"match\":{\"category\":\"click\"}}"`, new(esapikey.Query), textDLS, `"{\"match\":{\"category\":\"click\"}}"`},
		{"query as object", `{"match_all":{}}`, new(esapikey.Query),
			&esapikey.Query{Object: map[string]any{"match_all": map[string]any{}}}, `{"match_all":{}}`},
		{"query as template", `{"template":{"source":"{}","lang":"mustache"}}`, new(esapikey.Query),
			&esapikey.Query{Template: &esapikey.RoleTemplate{Source: "{}", Lang: "mustache"}}, `{"template":{"source":"{}","lang":"mustache"}}`},
		{"clusters as one string", `{"clusters":"remote-*","names":"logs","privileges":["read"]}`, new(esapikey.RemoteIndicesPrivileges),
			&esapikey.RemoteIndicesPrivileges{Clusters: []string{"remote-*"}, Names: []string{"logs"}, Privileges: read},
			`{"clusters":["remote-*"],"names":["logs"],"privileges":["read"]}`},
		{"remote cluster clusters as one string", `{"clusters":"remote-*","privileges":["monitor_enrich"]}`, new(esapikey.RemoteClusterPrivileges),
			&esapikey.RemoteClusterPrivileges{Clusters: []string{"remote-*"}, Privileges: []string{"monitor_enrich"}},
			`{"clusters":["remote-*"],"privileges":["monitor_enrich"]}`},
		{"grant and except as one string", `{"grant":"*","except":"secret"}`, new(esapikey.FieldSecurity),
			&esapikey.FieldSecurity{Grant: []string{"*"}, Except: []string{"secret"}}, `{"grant":["*"],"except":["secret"]}`},
		{"empty except kept", `{"grant":["*"],"except":[]}`, new(esapikey.FieldSecurity),
			&esapikey.FieldSecurity{Grant: []string{"*"}, Except: []string{}}, `{"grant":["*"],"except":[]}`},
		{"cross-cluster names as one string", `{"names":"logs"}`, new(esapikey.CrossClusterIndices),
			&esapikey.CrossClusterIndices{Names: []string{"logs"}}, `{"names":["logs"]}`},
		{"large integers in metadata", `{"n":12345678901234567890,"x":{"y":[9007199254740993]}}`, new(esapikey.Metadata),
			&esapikey.Metadata{"n": json.Number("12345678901234567890"), "x": map[string]any{"y": []any{json.Number("9007199254740993")}}},
			`{"n":12345678901234567890,"x":{"y":[9007199254740993]}}`},
		{"large integer in a role's metadata", `{"metadata":{"n":12345678901234567890}}`, new(esapikey.RoleDescriptor),
			&esapikey.RoleDescriptor{Metadata: esapikey.Metadata{"n": json.Number("12345678901234567890")}}, `{"metadata":{"n":12345678901234567890}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NoError(t, json.Unmarshal([]byte(tt.json), tt.into))
			assert.Equal(t, tt.want, tt.into)
			assert.Equal(t, tt.sent, marshal(t, tt.into))
		})
	}
}

// getAPIKeyAnswer is what GET /_security/api_key?id=…&with_limited_by=true
// returns, in the layout of the Elasticsearch documentation.
const getAPIKeyAnswer = `{
  "api_keys": [
    {
      "id": "VuaCfGcBCdbkQm-e5aOx",
      "name": "my-api-key",
      "creation": 1548550550158,
      "expiration": 1548551550158,
      "invalidated": false,
      "username": "myuser",
      "realm": "native1",
      "realm_type": "native",
      "metadata": {
        "application": "myapp"
      },
      "role_descriptors": {
        "role-a": {
          "cluster": [
            "monitor"
          ],
          "indices": [
            {
              "names": [
                "index-a"
              ],
              "privileges": [
                "read"
              ],
              "field_security": {
                "grant": [
                  "*"
                ],
                "except": [
                  "secret"
                ]
              },
              "query": "{\"match\":{\"category\":\"click\"}}",
              "allow_restricted_indices": false
            }
          ],
          "applications": [ ],
          "run_as": [ ],
          "metadata": { },
          "transient_metadata": {
            "enabled": true
          }
        }
      },
      "limited_by": [
        {
          "role-power-user": {
            "cluster": [
              "monitor"
            ],
            "indices": [
              {
                "names": [
                  "*"
                ],
                "privileges": [
                  "read"
                ],
                "allow_restricted_indices": false
              }
            ],
            "applications": [ ],
            "run_as": [ ],
            "metadata": { },
            "transient_metadata": {
              "enabled": true
            }
          }
        }
      ]
    }
  ]
}`

func TestRoleDescriptor_fromGetAPIKey(t *testing.T) {
	var got struct {
		APIKeys []struct {
			ID              string                               `json:"id"`
			Metadata        esapikey.Metadata                    `json:"metadata"`
			RoleDescriptors map[string]esapikey.RoleDescriptor   `json:"role_descriptors"`
			LimitedBy       []map[string]esapikey.RoleDescriptor `json:"limited_by"`
		} `json:"api_keys"`
	}
	require.NoError(t, json.Unmarshal([]byte(getAPIKeyAnswer), &got))
	require.Len(t, got.APIKeys, 1)
	key := got.APIKeys[0]
	assert.Equal(t, testID, key.ID)
	assert.Equal(t, esapikey.Metadata{"application": "myapp"}, key.Metadata)
	roleA := key.RoleDescriptors["role-a"]
	assert.Equal(t, []string{"monitor"}, roleA.Cluster)
	assert.Equal(t, []esapikey.IndicesPrivileges{{
		Names: []string{"index-a"}, Privileges: read,
		FieldSecurity: &esapikey.FieldSecurity{Grant: []string{"*"}, Except: []string{"secret"}},
		Query:         textDLS,
	}}, roleA.Indices)
	require.Len(t, key.LimitedBy, 1)
	assert.Equal(t, []string{"*"}, key.LimitedBy[0]["role-power-user"].Indices[0].Names)

	// Sent back, the role descriptors say the same, without the empty
	// lists and false flags Elasticsearch fills in; the query stays text.
	const sent = `{"role-a":{"cluster":["monitor"],"indices":[{"names":["index-a"],"privileges":["read"],` +
		`"field_security":{"grant":["*"],"except":["secret"]},"query":"{\"match\":{\"category\":\"click\"}}"}],` +
		`"transient_metadata":{"enabled":true}}}`
	assert.Equal(t, sent, marshal(t, key.RoleDescriptors))
	var again map[string]esapikey.RoleDescriptor
	require.NoError(t, json.Unmarshal([]byte(sent), &again))
	assert.Equal(t, sent, marshal(t, again), "a second round trip changes nothing")
	assert.Equal(t, key.RoleDescriptors["role-a"].Indices, again["role-a"].Indices)
}

// No field is ever sent as null, whatever is left nil or empty.
func TestRequests_neverSendNull(t *testing.T) {
	idx := esapikey.IndicesPrivileges{Names: []string{"a"}, Privileges: read}
	withIdx := func(f func(*esapikey.IndicesPrivileges)) esapikey.RoleDescriptor {
		p := idx
		f(&p)
		return esapikey.RoleDescriptor{Indices: []esapikey.IndicesPrivileges{p}}
	}
	roles := []esapikey.RoleDescriptor{
		{},
		{Cluster: []string{}, Indices: []esapikey.IndicesPrivileges{}, RunAs: []string{}, Metadata: esapikey.Metadata{}, TransientMetadata: map[string]any{}},
		withIdx(func(p *esapikey.IndicesPrivileges) { p.FieldSecurity = &esapikey.FieldSecurity{} }),
		withIdx(func(p *esapikey.IndicesPrivileges) {
			p.FieldSecurity = &esapikey.FieldSecurity{Grant: []string{}, Except: []string{}}
		}),
		withIdx(func(p *esapikey.IndicesPrivileges) { p.Query = &esapikey.Query{Object: map[string]any{}} }),
		withIdx(func(p *esapikey.IndicesPrivileges) { p.Query = &esapikey.Query{Template: &esapikey.RoleTemplate{}} }),
		{Global: &esapikey.GlobalPrivileges{}},
		{Global: &esapikey.GlobalPrivileges{Profile: &esapikey.GlobalProfilePrivileges{Write: esapikey.ApplicationNames{Applications: []string{"app"}}}}},
		{RemoteIndices: []esapikey.RemoteIndicesPrivileges{{Clusters: []string{"r"}, Names: []string{"a"}, Privileges: read, FieldSecurity: &esapikey.FieldSecurity{}}}},
		{RemoteCluster: []esapikey.RemoteClusterPrivileges{{Clusters: []string{"r"}, Privileges: []string{"monitor_enrich"}}}},
		{Applications: []esapikey.ApplicationPrivileges{{Application: "app", Privileges: read, Resources: []string{"*"}}}},
		{Restriction: &esapikey.Restriction{Workflows: []string{"search_application_query"}}},
	}
	metadata := []esapikey.Metadata{nil, {}, {"a": map[string]any{}}, {"a": []any{}}}
	client, mux := setup(t)
	rec := new(recorder)
	mux.Handle("/_security/api_key/", rec.reply(http.StatusOK, `{"updated":true}`))
	mux.Handle("/_security/api_key/_bulk_update", rec.reply(http.StatusOK, `{"updated":["a"],"noops":[]}`))
	for i, rd := range roles {
		for j, md := range metadata {
			for _, exp := range []esapikey.Duration{"", "1d"} {
				rds := map[string]esapikey.RoleDescriptor{"r": rd}
				_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: "a", RoleDescriptors: rds, Metadata: md, Expiration: exp})
				require.NoError(t, err, fmt.Sprint("role ", i, " metadata ", j))
				_, err = client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"a"}, RoleDescriptors: rds, Metadata: md, Expiration: exp})
				require.NoError(t, err, fmt.Sprint("role ", i, " metadata ", j))
			}
		}
	}
	reqs := rec.calls()
	require.Len(t, reqs, len(roles)*len(metadata)*2*2)
	for _, r := range reqs {
		assertNoNull(t, r.Body)
	}
}

// A role descriptor that does not parse is explained in the JSON's own
// terms: the field path as written, what it should hold, what it holds.
func TestRoleDescriptor_decodeErrorInJSONTerms(t *testing.T) {
	tests := []struct{ in, want string }{
		{`5`, "esapikey: role descriptor: expected an object, found a number"},
		{`{"indices":"x"}`, "esapikey: role descriptor: field [indices]: expected an array of objects, found a string"},
		{`{"indices":[{"names":5,"privileges":["read"]}]}`, "esapikey: role descriptor: field [indices.names]: expected a string or an array of strings, found a number"},
		{`{"index":[{"names":"a","privileges":"read"}]}`, "esapikey: role descriptor: field [index.privileges]: expected an array of strings, found a string"},
		{`{"indices":[{"names":"a","privileges":["read"],"query":5}]}`, "esapikey: role descriptor: field [indices.query]: expected a query as a JSON string or object, found a number"},
		{`{"indices":[{"names":"a","privileges":["read"],"field_security":{"grant":true}}]}`, "esapikey: role descriptor: field [indices.field_security.grant]: expected a string or an array of strings, found a boolean"},
		{`{"global":{"application":{"manage":{"applications":"app"}}}}`, "esapikey: role descriptor: field [global.application.manage.applications]: expected an array of strings, found a string"},
		{`{"metadata":[]}`, "esapikey: role descriptor: field [metadata]: expected an object, found an array"},
		{`{"cluster":{}}`, "esapikey: role descriptor: field [cluster]: expected an array of strings, found an object"},
	}
	for _, tt := range tests {
		var rd esapikey.RoleDescriptor
		err := json.Unmarshal([]byte(tt.in), &rd)
		require.Error(t, err, tt.in)
		assert.Equal(t, tt.want, err.Error(), tt.in)
		for _, internal := range []string{"plain", "esapikey.", "Go ", "json."} {
			assert.NotContains(t, strings.TrimPrefix(err.Error(), "esapikey: "), internal, tt.in)
		}
	}
	var m map[string]esapikey.RoleDescriptor
	err := json.Unmarshal([]byte(`{"r":{"run_as":"bob"}}`), &m)
	assert.EqualError(t, err, "esapikey: role descriptor: field [run_as]: expected an array of strings, found a string")
}

// A role descriptor read from Elasticsearch goes back unchanged (fidelity
// D9, D11): the aliases Elasticsearch reads are sent under their main names.
func TestRoleDescriptor_roundTripAliases(t *testing.T) {
	tests := []struct{ name, in, sent string }{
		{"application alias", `{"application":[{"application":"app","privileges":["read"],"resources":["*"]}]}`,
			`{"applications":[{"application":"app","privileges":["read"],"resources":["*"]}]}`},
		{"both aliases", `{"index":[{"names":["a"],"privileges":["read"]}],"application":[{"application":"app","privileges":["read"],"resources":["*"]}]}`,
			`{"indices":[{"names":["a"],"privileges":["read"]}],"applications":[{"application":"app","privileges":["read"],"resources":["*"]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rd esapikey.RoleDescriptor
			require.NoError(t, json.Unmarshal([]byte(tt.in), &rd))
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":false}`)
			_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(rd)})
			require.NoError(t, err)
			assertJSONRequest(t, rec.only(t), http.MethodPut, updatePath, `{"role_descriptors":{"role-a":`+tt.sent+`}}`)
		})
	}
}

// Fields Elasticsearch returns in a role descriptor go back as they came
// (fidelity D9, D11): the global role privilege and the type of stored role
// documents. Without them, a key read and sent back would lose its
// global.role privilege (updated: true, role gone). A description is read
// too, but API keys refuse it (TestUpdateAPIKey_descriptionRefused).
func TestRoleDescriptor_roundTripFromCluster(t *testing.T) {
	for _, in := range []string{
		`{"cluster":["monitor"],"global":{"role":{"manage":{"indices":[{"names":["team-a-*"],"privileges":["read","write"]}]}}}}`,
		`{"global":{"application":{"manage":{"applications":["kibana-*"]}},"profile":{"write":{"applications":["kibana"]}},` +
			`"role":{"manage":{"indices":[{"names":["x"],"privileges":["read"]}]}}}}`,
		`{"cluster":["monitor"],"type":"role"}`,
	} {
		t.Run(in, func(t *testing.T) {
			var rd esapikey.RoleDescriptor
			require.NoError(t, json.Unmarshal([]byte(in), &rd))
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":false}`)
			_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID, RoleDescriptors: roleA(rd)})
			require.NoError(t, err)
			assertJSONRequest(t, rec.only(t), http.MethodPut, updatePath, `{"role_descriptors":{"role-a":`+in+`}}`)
		})
	}
}

// Global role privileges that would be sent as null are refused.
func TestUpdateAPIKey_globalRoleRefusedBeforeSending(t *testing.T) {
	tests := []struct {
		name  string
		role  *esapikey.GlobalRolePrivileges
		field string
	}{
		{"no indices", &esapikey.GlobalRolePrivileges{}, "global.role.manage.indices"},
		{"no names", &esapikey.GlobalRolePrivileges{Manage: esapikey.GlobalManageRoles{Indices: []esapikey.GlobalRoleIndices{{Privileges: read}}}},
			"global.role.manage.indices[0].names"},
		{"no privileges", &esapikey.GlobalRolePrivileges{Manage: esapikey.GlobalManageRoles{Indices: []esapikey.GlobalRoleIndices{{Names: []string{"a"}}}}},
			"global.role.manage.indices[0].privileges"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":true}`)
			_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID,
				RoleDescriptors: roleA(esapikey.RoleDescriptor{Global: &esapikey.GlobalPrivileges{Role: tt.role}})})
			assertInvalid(t, err, "role_descriptors[role-a]."+tt.field)
			assert.Empty(t, rec.calls())
		})
	}
}
