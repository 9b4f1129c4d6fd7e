package esapikeytest_test

// Scenarios following x-pack rest-api-spec test/api_key/50_cross_cluster.yml: a cross-cluster key is
// created, shown (role descriptor derived from access, access rendered from it), updated, invalidated,
// and cannot authenticate over REST.

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// yamlCrossCluster is 50_cross_cluster.yml's setup: a user with manage_security.
func yamlCrossCluster(tg *target) cred {
	tg.yamlSetup()
	return tg.user(tg.role(`{"cluster":["manage_security"]}`))
}

// ccShown gets a cross-cluster key as c and checks what every scenario of the file checks.
func (tg *target) ccShown(c cred, id, query string) *reply {
	t := tg.t
	t.Helper()
	r := tg.call(c, "GET", "/_security/api_key?id="+id+query, noBody).ok(t)
	require.Len(t, r.obj["api_keys"], 1, string(r.raw))
	assert.Equal(t, id, r.at("api_keys.0.id"))
	assert.Equal(t, "my-cc-api-key", r.at("api_keys.0.name"))
	assert.Equal(t, "cross_cluster", r.at("api_keys.0.type"))
	assert.Equal(t, false, r.at("api_keys.0.invalidated"))
	assert.Nil(t, r.at("api_keys.0.limited_by"), "a cross-cluster key has no limited-by, even when asked")
	return r
}

// ccDescriptor is the cross_cluster role descriptor get_api_key shows, with the given cluster privileges
// and index entries.
func ccDescriptor(cluster, indices string) string {
	return `{"cross_cluster":{"cluster":` + cluster + `,"indices":` + indices +
		`,"applications":[],"run_as":[],"metadata":{},"transient_metadata":{"enabled":true}}}`
}

// The YAML test creates one key with search under document and field level security beside
// replication. Elasticsearch refuses that from 8.14 (CrossClusterApiKeyRoleDescriptorBuilder.build),
// and lists monitor_enrich among a search key's cluster privileges from 8.15. So this scenario checks
// that refusal, or the key, by release; then the file's renderings on two keys every release accepts:
// search under DLS/FLS alone, and search beside replication without them.
func TestConformanceYAML50CrossCluster_CreateACrossClusterAPIKey(t *testing.T) {
	forVersions(t, needs{version.RouteCrossCluster}, func(t *testing.T, tg *target) {
		admin := yamlCrossCluster(tg)
		search := `"cross_cluster_search"`
		if tg.has(version.CCSearchMonitorEnrich) {
			search += `,"monitor_enrich"`
		}
		dlsSearch := `"search":[{"names":["logs*"],"query":{"term":{"category":"shared"}},"field_security":{"grant":["*"],"except":["private"]}}]`
		dlsIndex := `{"names":["logs*"],"privileges":["read","read_cross_cluster","view_index_metadata"],
		   "field_security":{"grant":["*"],"except":["private"]},"query":"{\"term\":{\"category\":\"shared\"}}","allow_restricted_indices":false}`
		dlsAccess := `{"names":["logs*"],"field_security":{"grant":["*"],"except":["private"]},
		  "query":"{\"term\":{\"category\":\"shared\"}}","allow_restricted_indices":false}`
		r := tg.call(admin, "POST", "/_security/cross_cluster/api_key", `{"name":"my-cc-api-key","expiration":"1d",
		  "access":{`+dlsSearch+`,"replication":[{"names":["archive"],"allow_restricted_indices":false}]},"metadata":{"answer":42,"tag":"dev"}}`)
		if tg.has(version.CCSearchSecurityWithReplicationRefused) {
			r.isError(t, 400, "x_content_parse_exception", "Failed to build [cross_cluster_api_key_request] after last required field arrived")
			r.causedBy(t, illegalArg, tg.v.Text(version.CCSearchSecurityWithReplicationRefused))
		} else {
			id, _ := tg.created(r, "my-cc-api-key", true)
			r = tg.ccShown(admin, id, "&with_limited_by=true")
			assert.Equal(t, decode(t, ccDescriptor(`[`+search+`,"cross_cluster_replication"]`, `[`+dlsIndex+`,
			  {"names":["archive"],"privileges":["cross_cluster_replication","cross_cluster_replication_internal"],"allow_restricted_indices":false}]`)),
				r.at("api_keys.0.role_descriptors"))
			assert.Equal(t, decode(t, `{"search":[`+dlsAccess+`],"replication":[{"names":["archive"],"allow_restricted_indices":false}]}`),
				r.at("api_keys.0.access"))
		}

		id, key := tg.created(tg.call(admin, "POST", "/_security/cross_cluster/api_key", `{"name":"my-cc-api-key","expiration":"1d",
		  "access":{`+dlsSearch+`},"metadata":{"answer":42,"tag":"dev"}}`), "my-cc-api-key", true)
		tg.call(key, "GET", "/_security/_authenticate", noBody).isError(t, 401, "security_exception",
			"authentication expected API key type of [rest], but API key ["+id+"] has type [cross_cluster]")
		r = tg.ccShown(admin, id, "&with_limited_by=true")
		assert.Equal(t, decode(t, `{"answer":42,"tag":"dev"}`), r.at("api_keys.0.metadata"))
		assert.Equal(t, decode(t, ccDescriptor(`[`+search+`]`, `[`+dlsIndex+`]`)), r.at("api_keys.0.role_descriptors"))
		assert.Equal(t, decode(t, `{"search":[`+dlsAccess+`]}`), r.at("api_keys.0.access"))

		id, _ = tg.created(tg.call(admin, "POST", "/_security/cross_cluster/api_key", `{"name":"my-cc-api-key","expiration":"1d",
		  "access":{"search":[{"names":["logs*"]}],"replication":[{"names":["archive"],"allow_restricted_indices":false}]}}`), "my-cc-api-key", true)
		r = tg.ccShown(admin, id, "&with_limited_by=true")
		assert.Equal(t, decode(t, ccDescriptor(`[`+search+`,"cross_cluster_replication"]`, `[
		  {"names":["logs*"],"privileges":["read","read_cross_cluster","view_index_metadata"],"allow_restricted_indices":false},
		  {"names":["archive"],"privileges":["cross_cluster_replication","cross_cluster_replication_internal"],"allow_restricted_indices":false}]`)),
			r.at("api_keys.0.role_descriptors"))
		assert.Equal(t, decode(t, `{"search":[{"names":["logs*"],"allow_restricted_indices":false}],
		  "replication":[{"names":["archive"],"allow_restricted_indices":false}]}`), r.at("api_keys.0.access"))
	})
}

func TestConformanceYAML50CrossCluster_UpdateACrossClusterAPIKey(t *testing.T) {
	forVersions(t, needs{version.RouteCrossCluster}, func(t *testing.T, tg *target) {
		admin := yamlCrossCluster(tg)
		r := tg.call(admin, "POST", "/_security/cross_cluster/api_key",
			`{"name":"my-cc-api-key","access":{"search":[{"names":["logs*"]}]},"metadata":{"tag":"dev"}}`).ok(t)
		id, _ := r.obj["id"].(string)
		require.NotEmpty(t, id)

		change := `{"access":{"replication":[{"names":["archive"]}]},"metadata":{"tag":"prod"}}`
		assert.True(t, tg.updateCC(admin, id, change))
		r = tg.ccShown(admin, id, "&with_limited_by=true")
		assert.Equal(t, decode(t, `{"tag":"prod"}`), r.at("api_keys.0.metadata"))
		assert.Equal(t, decode(t, ccDescriptor(`["cross_cluster_replication"]`,
			`[{"names":["archive"],"privileges":["cross_cluster_replication","cross_cluster_replication_internal"],"allow_restricted_indices":false}]`)),
			r.at("api_keys.0.role_descriptors"))
		assert.Equal(t, decode(t, `{"replication":[{"names":["archive"],"allow_restricted_indices":false}]}`), r.at("api_keys.0.access"))

		assert.False(t, tg.updateCC(admin, id, change), "the same access and metadata again: a no-op")
	})
}

func TestConformanceYAML50CrossCluster_InvalidateACrossClusterAPIKey(t *testing.T) {
	forVersions(t, needs{version.RouteCrossCluster}, func(t *testing.T, tg *target) {
		admin := yamlCrossCluster(tg)
		r := tg.call(admin, "POST", "/_security/cross_cluster/api_key",
			`{"name":"my-cc-api-key","access":{"search":[{"names":["*"],"allow_restricted_indices":true}]}}`).ok(t)
		id, _ := r.obj["id"].(string)
		require.NotEmpty(t, id)

		r = tg.ccShown(admin, id, "")
		assert.Equal(t, decode(t, `{}`), r.at("api_keys.0.metadata"))
		search := `"cross_cluster_search"`
		if tg.has(version.CCSearchMonitorEnrich) {
			search += `,"monitor_enrich"`
		}
		assert.Equal(t, decode(t, ccDescriptor(`[`+search+`]`,
			`[{"names":["*"],"privileges":["read","read_cross_cluster","view_index_metadata"],"allow_restricted_indices":true}]`)),
			r.at("api_keys.0.role_descriptors"))
		assert.Equal(t, decode(t, `{"search":[{"names":["*"],"allow_restricted_indices":true}]}`), r.at("api_keys.0.access"))

		invalidated(t, tg.call(admin, "DELETE", "/_security/api_key", `{"ids":["`+id+`"]}`), id)
		r = tg.call(admin, "GET", "/_security/api_key?id="+id, noBody).ok(t)
		assert.Len(t, r.obj["api_keys"], 1, string(r.raw))
		assert.Equal(t, id, r.at("api_keys.0.id"))
		assert.Equal(t, true, r.at("api_keys.0.invalidated"))
	})
}

// What 50_cross_cluster.yml's authenticate step relies on, in ApiKeyService.validateApiKeyCredentials's
// order: an unknown id, then invalidation (before the secret is checked), then the secret, then the key's
// type, which ends authentication with its own 401 instead of falling through to "unable to authenticate".
func TestConformanceAPIKeyAuthenticationOrder(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		encode := func(id, secret string) cred {
			return cred{apiKey: base64.StdEncoding.EncodeToString([]byte(id + ":" + secret))}
		}
		failed := func(c cred, detail string) {
			t.Helper()
			r := tg.call(c, "GET", "/_security/_authenticate", noBody)
			r.isError(t, 401, "security_exception", "unable to authenticate with provided credentials and anonymous access is not allowed for this request")
			assert.Equal(t, "API key: "+detail, r.at("error.additional_unsuccessful_credentials"), string(r.raw))
		}
		failed(encode("no-such-key", "secret"), "unable to find apikey with id no-such-key")

		id, _ := tg.key(tg.admin, `{"name":"auth-order"}`)
		failed(encode(id, "not-the-secret"), "invalid credentials for API key ["+id+"]")
		invalidated(t, tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":["`+id+`"]}`), id)
		failed(encode(id, "not-the-secret"), "api key ["+id+"] has been invalidated")

		if !tg.has(version.RouteCrossCluster) {
			return
		}
		cc := tg.ccKey(`{"name":"auth-order-cc","access":{"search":[{"names":["logs*"]}]}}`)
		failed(encode(cc, "not-the-secret"), "invalid credentials for API key ["+cc+"]")
		tg.dropKey(cc)
	})
}
