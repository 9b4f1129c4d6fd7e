package esapikeytest_test

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// Scenarios where Elasticsearch's source was read and the stand-in answered otherwise. Each test
// names the item it covers and the Elasticsearch class whose behaviour it pins.

const (
	ccPayload = "update_cross_cluster_api_key_request_payload"
	parseExc  = "parse_exception"
)

// expiration is the expiration of key id in milliseconds, as GET /_security/api_key shows it (0 when
// the key never expires).
func (tg *target) expiration(id string) int64 {
	tg.t.Helper()
	r := tg.call(tg.admin, "GET", "/_security/api_key?id="+id, noBody).ok(tg.t)
	var got struct {
		APIKeys []struct {
			Expiration int64 `json:"expiration"`
		} `json:"api_keys"`
	}
	require.NoError(tg.t, json.Unmarshal(r.raw, &got))
	require.Len(tg.t, got.APIKeys, 1)
	return got.APIKeys[0].Expiration
}

// ccKey creates a cross-cluster key as the admin and returns its id.
func (tg *target) ccKey(body string) string {
	tg.t.Helper()
	r := tg.call(tg.admin, "POST", "/_security/cross_cluster/api_key", body).ok(tg.t)
	id, _ := r.obj["id"].(string)
	require.NotEmpty(tg.t, id)
	return id
}

// innermost asserts the deepest caused_by of an error (the error itself when it has no cause).
func (r *reply) innermost(t *testing.T, typ, reason string) {
	t.Helper()
	path := "error"
	for r.at(path+".caused_by") != nil {
		path += ".caused_by"
	}
	assert.Equal(t, typ, r.at(path+".type"), string(r.raw))
	got, _ := r.at(path + ".reason").(string)
	assert.True(t, sameReason(reason, got), "innermost reason\nwant: %s\n got: %s", reason, got)
}

// inChain asserts that the error or one of its causes has this type and reason.
func (r *reply) inChain(t *testing.T, typ, reason string) {
	t.Helper()
	for path := "error"; r.at(path) != nil; path += ".caused_by" {
		if r.at(path+".type") == typ && r.at(path+".reason") == reason {
			return
		}
	}
	t.Errorf("no %s %q in the error chain: %s", typ, reason, r.raw)
}

func TestConformanceD1CrossClusterExpirationOnly_UpdateCrossClusterApiKeyRequest(t *testing.T) {
	forVersions(t, needs{version.RouteCrossCluster, version.UpdateExpiration}, func(t *testing.T, tg *target) {
		id := tg.ccKey(`{"name":"cc","access":{"search":[{"names":["logs*"]}]}}`)
		tg.call(tg.admin, "PUT", "/_security/cross_cluster/api_key/"+id, `{"expiration":"1d"}`).isError(t, 400, validation,
			"Validation Failed: 1: "+tg.v.Text(version.MsgCCNothingToUpdate)+";")
		assert.True(t, tg.updateCC(tg.admin, id, `{"expiration":"1d","metadata":{}}`))
	})
}

func TestConformanceD2APIKeyRunAsUpdatesUserKeys_ApiKeyService(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		bob := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		alice := tg.user(tg.role(`{"cluster":["manage_own_api_key"],"run_as":["` + bob.user + `"]}`))
		k, _ := tg.key(bob, `{"name":"b"}`)
		_, a := tg.key(alice, `{"name":"a","role_descriptors":{"r":{"cluster":["manage_own_api_key"],"run_as":["`+bob.user+`"]}}}`)

		asBob := cred{apiKey: a.apiKey, runAs: bob.user}
		assert.True(t, tg.update(asBob, k, `{"metadata":{"x":1}}`))
		assert.Equal(t, decode(t, `{"x":1}`), tg.get(k)["metadata"])

		tg.call(a, "PUT", "/_security/api_key/"+k, `{"metadata":{"x":2}}`).isError(t, 400, illegalArg,
			"authentication via API key not supported: only the owner user can update an API key")
	})
}

func TestConformanceD3CertificateIdentity_CertificateIdentity(t *testing.T) {
	forVersions(t, needs{version.CertificateIdentity}, func(t *testing.T, tg *target) {
		id := tg.ccKey(`{"name":"cc","access":{"search":[{"names":["logs*"]}]}}`)

		assert.True(t, tg.updateCC(tg.admin, id, `{"certificate_identity":"CN=a"}`))
		assert.Equal(t, "CN=a", tg.get(id)["certificate_identity"])
		assert.False(t, tg.updateCC(tg.admin, id, `{"certificate_identity":"CN=a"}`))

		assert.True(t, tg.updateCC(tg.admin, id, `{"certificate_identity":null}`))
		assert.NotContains(t, tg.get(id), "certificate_identity")

		r := tg.call(tg.admin, "PUT", "/_security/cross_cluster/api_key/"+id, `{"certificate_identity":"CN=("}`)
		require.Equal(t, 400, r.status, string(r.raw))
		assert.Equal(t, xParse, r.at("error.type"), string(r.raw))
		// Elasticsearch may add Java's PatternSyntaxException below it, so the cause is looked for in the chain.
		r.inChain(t, illegalArg, "Invalid certificate_identity format: [CN=(]. Must be a valid regex.")

		// A regex Java accepts and Go's RE2 does not (a lookahead) is not refused.
		assert.True(t, tg.updateCC(tg.admin, id, `{"certificate_identity":"CN=(?=x).*"}`))
	})
}

func TestConformanceD6LargeExpiration_TimeValue(t *testing.T) {
	forVersions(t, needs{version.UpdateExpiration}, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)
		for _, days := range []int64{106751, 106752, 200000} {
			now := time.Now()
			if !tg.real() {
				now = tg.srv.Now()
			}
			assert.True(t, tg.update(tg.admin, id, `{"expiration":"`+strconv.FormatInt(days, 10)+`d"}`), days)
			want := now.UnixMilli() + days*86400*1000
			assert.InDelta(t, want, tg.expiration(id), float64(time.Minute.Milliseconds()), days)
		}
	})
}

func TestConformanceD7MonitorEnrich_CrossClusterApiKeyRoleDescriptorBuilder(t *testing.T) {
	forVersions(t, needs{version.RouteCrossCluster, version.AnswerRoleDescriptors}, func(t *testing.T, tg *target) {
		cluster := func(id string) any { return at(tg.get(id), "role_descriptors.cross_cluster.cluster") }
		// From 8.15 search access also grants monitor_enrich.
		search := []any{"cross_cluster_search"}
		if tg.has(version.CCSearchMonitorEnrich) {
			search = append(search, "monitor_enrich")
		}

		id := tg.ccKey(`{"name":"cc","access":{"search":[{"names":["logs"]}]}}`)
		assert.Equal(t, search, cluster(id))
		both := tg.ccKey(`{"name":"cc2","access":{"search":[{"names":["logs"]}],"replication":[{"names":["archive"]}]}}`)
		assert.Equal(t, append(search, "cross_cluster_replication"), cluster(both))

		assert.True(t, tg.updateCC(tg.admin, id, `{"access":{"search":[{"names":["blogs"]}]}}`))
		assert.Equal(t, search, cluster(id))
		assert.True(t, tg.updateCC(tg.admin, id, `{"access":{"replication":[{"names":["blogs"]}]}}`))
		assert.Equal(t, []any{"cross_cluster_replication"}, cluster(id))
	})
}

func TestConformanceD8AccessParsing_CrossClusterApiKeyRoleDescriptorBuilder(t *testing.T) {
	forVersions(t, needs{version.RouteCrossCluster}, func(t *testing.T, tg *target) {
		id := tg.ccKey(`{"name":"cc","access":{"search":[{"names":["logs*"]}]}}`)
		put := func(body string) *reply {
			return tg.call(tg.admin, "PUT", "/_security/cross_cluster/api_key/"+id, body)
		}

		put(`{"access":{}}`).isError(t, 400, illegalArg, "must specify non-empty access for either [search] or [replication]")
		assert.True(t, tg.updateCC(tg.admin, id, `{"access":{"search":{"names":["a"]}}}`))
		assert.Equal(t, decode(t, `{"search":[{"names":["a"],"allow_restricted_indices":false}]}`), tg.get(id)["access"])
		assert.True(t, tg.updateCC(tg.admin, id, `{"access":{"replication":[{"names":["a"],"allow_restricted_indices":true}]}}`))

		put(`{"access":{"replication":[{"names":["a"],"query":{"match_all":{}}}]}}`).
			isError(t, 400, illegalArg, "replication does not support document or field level security")
		dlsBeside := `{"access":{"search":[{"names":["a"],"query":{"match_all":{}}}],"replication":[{"names":["b"]}]}}`
		if tg.has(version.CCSearchSecurityWithReplicationRefused) {
			put(dlsBeside).isError(t, 400, illegalArg, tg.v.Text(version.CCSearchSecurityWithReplicationRefused))
		} else {
			assert.True(t, tg.updateCC(tg.admin, id, dlsBeside), "before 8.14 search keeps its DLS beside replication")
		}

		r := put(`{"access":{"search":[{"query":"{}"}]}}`)
		r.isError(t, 400, xParse, "[1:11] ["+ccPayload+"] failed to parse field [access]")
		r.innermost(t, parseExc, "failed to parse indices privileges for role [cross_cluster]. missing required [names] field")

		r = put(`{"access":{"search":[{"names":["a"],"privileges":["read"]}]}}`)
		r.isError(t, 400, xParse, "[1:11] ["+ccPayload+"] failed to parse field [access]")
		r.innermost(t, parseExc, "failed to parse indices privileges for role [cross_cluster]. field [privileges] must not present")
	})
}

func TestConformanceD13BulkValidationOrder_BulkUpdateApiKeyRequest(t *testing.T) {
	forVersions(t, needs{version.RouteBulkUpdate}, func(t *testing.T, tg *target) {
		tg.call(tg.admin, "POST", "/_security/api_key/_bulk_update", `{"ids":[],"metadata":{"_x":1}}`).isError(t, 400, validation,
			"Validation Failed: 1: API key metadata keys may not start with [_];2: Field [ids] cannot be empty;")
	})
}

func TestConformanceD14DidYouMean_SuggestingErrorOnUnknown(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)

		tg.call(tg.admin, "PUT", "/_security/api_key/"+id, `{"metdata":{}}`).
			isError(t, 400, xParse, "[1:2] ["+payload+"] unknown field [metdata] did you mean [metadata]?")
		if tg.has(version.RouteBulkUpdate) {
			tg.call(tg.admin, "POST", "/_security/api_key/_bulk_update", `{"ids":["x"],"metdata":{}}`).
				isError(t, 400, xParse, "[1:14] [bulk_update_api_key_request] unknown field [metdata] did you mean [metadata]?")
		}
		if tg.has(version.RouteCrossCluster) {
			cc := tg.ccKey(`{"name":"cc","access":{"search":[{"names":["logs*"]}]}}`)
			tg.call(tg.admin, "PUT", "/_security/cross_cluster/api_key/"+cc, `{"acces":{}}`).
				isError(t, 400, xParse, "[1:2] ["+ccPayload+"] unknown field [acces] did you mean [access]?")
		}
		// Nothing close enough: no suggestion.
		tg.call(tg.admin, "PUT", "/_security/api_key/"+id, `{"zzz":{}}`).
			isError(t, 400, xParse, "[1:2] ["+payload+"] unknown field [zzz]")
	})
}

func TestConformanceD16IdsNumber_BulkUpdateApiKeyRequestObjectParser(t *testing.T) {
	forVersions(t, needs{version.RouteBulkUpdate}, func(t *testing.T, tg *target) {
		tg.call(tg.admin, "POST", "/_security/api_key/_bulk_update", `{"ids":5}`).
			isError(t, 400, xParse, "[1:8] [bulk_update_api_key_request] ids doesn't support values of type: VALUE_NUMBER")
	})
}

// The instant of expiry needs the in-memory clock; a real cluster cannot be stopped at it.
func TestConformanceD17ExpirationInstant_ApiKeyAuthenticator(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		if tg.real() {
			t.Skip("needs the in-memory clock")
		}
		owner := tg.owner()
		tg.srv.SetNow(time.UnixMilli(1_800_000_000_000))
		id, key := tg.key(owner, `{"name":"k","expiration":"1h"}`)
		tg.srv.Advance(time.Hour)

		r := tg.call(key, "GET", "/_security/_authenticate", noBody)
		require.Equal(t, 401, r.status, string(r.raw))
		assert.Equal(t, "API key: api key is expired", r.at("error.additional_unsuccessful_credentials"))
		// Not yet expired for update: a 200 no-op, where a key past its instant gets "cannot update expired".
		assert.False(t, tg.update(owner, id, `{}`))
		tg.srv.Advance(time.Millisecond)
		tg.call(owner, "PUT", "/_security/api_key/"+id, `{}`).isError(t, 400, illegalArg, "cannot update expired API key ["+id+"]")
	})
}

// The list is sortByAccessLevel's; the scenario checks what follows from Elasticsearch's privilege
// definitions, so it holds on any 9.3 cluster: a privilege comes after every privilege it strictly
// implies, identical privileges sit together by name, manage_own_api_key (implying nothing) is
// first and all is last.
func TestConformanceD18PrivilegeOrder_ClusterPrivilegeResolverSortByAccessLevel(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)
		r := tg.call(tg.admin, "PUT", "/_security/api_key/"+id, `{"role_descriptors":{"r":{"cluster":["nope"]}}}`)
		require.Equal(t, 400, r.status, string(r.raw))
		assert.Equal(t, validation, r.at("error.type"))
		reason, _ := r.at("error.reason").(string)
		const head = "Validation Failed: 1: unknown cluster privilege [nope]. a privilege must be either one of the predefined cluster privilege names ["
		const tail = "] or a pattern over one of the available cluster actions;"
		require.True(t, strings.HasPrefix(reason, head) && strings.HasSuffix(reason, tail), reason)
		names := strings.Split(strings.TrimSuffix(strings.TrimPrefix(reason, head), tail), ",")
		pos := map[string]int{}
		for i, n := range names {
			pos[n] = i
		}
		assert.Equal(t, "manage_own_api_key", names[0])
		assert.Equal(t, "all", names[len(names)-1])
		for _, p := range [][2]string{
			{"none", "monitor"}, {"transport_client", "monitor"}, {"monitor_ml", "monitor"}, {"monitor_watcher", "monitor"},
			{"monitor_transform", "monitor"}, {"monitor", "manage"}, {"manage_ilm", "manage"}, {"manage_index_templates", "manage"},
			{"cross_cluster_search", "manage"}, {"monitor_enrich", "manage_enrich"}, {"grant_api_key", "manage_api_key"},
			{"manage_api_key", "manage_security"}, {"manage_token", "manage_security"}, {"read_security", "manage_security"},
			{"monitor_ml", "manage_ml"}, {"read_ccr", "manage_ccr"}, {"monitor_snapshot", "create_snapshot"}, {"manage", "all"},
		} {
			assert.Less(t, pos[p[0]], pos[p[1]], "%s implies %s, so it comes after it", p[1], p[0])
		}
		for _, same := range [][2]string{
			{"manage_ingest_pipelines", "manage_pipeline"}, {"monitor_data_frame_transforms", "monitor_transform"},
			{"manage_data_frame_transforms", "manage_transform"},
		} {
			assert.Equal(t, pos[same[0]]+1, pos[same[1]], "%s and %s grant the same actions", same[0], same[1])
		}
	})
}

// The superuser role's remote privileges grew with the releases (remote_cluster from 8.15,
// monitor_stats from 8.17): the scenario checks the role as from 8.17.
func TestConformanceD19SuperuserLimitedBy_ReservedRolesStore(t *testing.T) {
	forVersions(t, needs{version.AnswerLimitedBy, version.RemoteClusterMonitorStats}, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)
		su := at(tg.get(id), "limited_by.0.superuser")
		assert.Equal(t, decode(t, `[
		  {"names":["*"],"privileges":["all"],"allow_restricted_indices":false,"clusters":["*"]},
		  {"names":["*"],"privileges":["monitor","read","view_index_metadata","read_cross_cluster"],"allow_restricted_indices":true,"clusters":["*"]}]`),
			at(su.(map[string]any), "remote_indices"))
		assert.Equal(t, decode(t, `[{"privileges":["monitor_enrich","monitor_stats"],"clusters":["*"]}]`), at(su.(map[string]any), "remote_cluster"))
	})
}

func TestConformanceD20MetadataNumbers_ApiKeyService(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)
		assert.True(t, tg.update(tg.admin, id, `{"metadata":{"a":1.0}}`))
		assert.False(t, tg.update(tg.admin, id, `{"metadata":{"a":1.00}}`), "1.0 and 1.00 are the same double")
		assert.False(t, tg.update(tg.admin, id, `{"metadata":{"a":10E-1}}`))
		r := tg.call(tg.admin, "GET", "/_security/api_key?id="+id, noBody).ok(t)
		assert.Contains(t, string(r.raw), `"metadata":{"a":1.0}`)
		assert.True(t, tg.update(tg.admin, id, `{"metadata":{"a":1}}`), "an integer is not a double")

		assert.True(t, tg.update(tg.admin, id, `{"metadata":{"e":1.5e10,"s":0.00001,"big":123456789012345678901234567890,"n":-0}}`))
		r = tg.call(tg.admin, "GET", "/_security/api_key?id="+id, noBody).ok(t)
		assert.Contains(t, string(r.raw), `"metadata":{"big":123456789012345678901234567890,"e":1.5E10,"n":0,"s":1.0E-5}`)
	})
}

func TestConformanceR5ReplicationAllowRestricted_RoleDescriptorParseIndexWithPredefinedPrivileges(t *testing.T) {
	forVersions(t, needs{version.RouteCrossCluster, version.AnswerRoleDescriptors}, func(t *testing.T, tg *target) {
		id := tg.ccKey(`{"name":"cc","access":{"replication":[{"names":["a"],"allow_restricted_indices":true}]}}`)
		assert.Equal(t, decode(t, `[{"names":["a"],"allow_restricted_indices":true}]`), at(tg.get(id), "access.replication"))
		assert.Equal(t, decode(t, `[{"names":["a"],"privileges":["cross_cluster_replication","cross_cluster_replication_internal"],"allow_restricted_indices":true}]`),
			at(tg.get(id), "role_descriptors.cross_cluster.indices"))
	})
}

func TestConformanceR6AccessRendering_ApiKeyBuildXContentForCrossClusterApiKeyAccess(t *testing.T) {
	forVersions(t, needs{version.RouteCrossCluster}, func(t *testing.T, tg *target) {
		id := tg.ccKey(`{"name":"cc","access":{"replication":[{"names":"r"}],"search":[{"names":["s"]}]}}`)
		assert.Equal(t, decode(t, `{
		  "search":[{"names":["s"],"allow_restricted_indices":false}],
		  "replication":[{"names":["r"],"allow_restricted_indices":false}]}`), tg.get(id)["access"])
		id = tg.ccKey(`{"name":"dls","access":{"search":{"names":"s","query":{"term":{"a":1}}}}}`)
		assert.Equal(t, decode(t, `{"search":[{"names":["s"],"query":"{\"term\":{\"a\":1}}","allow_restricted_indices":false}]}`),
			tg.get(id)["access"])
	})
}

// Issue 10 item 5: GET / reports the release the target imitates (or is).
func TestConformanceVersion_MainResponse(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		r := tg.call(tg.admin, "GET", "/", noBody).ok(t)
		number, _ := r.at("version.number").(string)
		if !tg.real() {
			assert.Equal(t, tg.v.String(), number)
			assert.Equal(t, tg.srv.Version(), number)
			return
		}
		number, _, _ = strings.Cut(number, "-")
		v, err := version.Parse(number)
		require.NoError(t, err)
		assert.Equal(t, tg.v, v)
	})
}

// Issue 10 item 6: Server.APIKey shows the metadata GET /_security/api_key shows, number for number.
func TestAPIKeyMetadataAsGet(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		if tg.real() {
			t.Skip("Server.APIKey is the in-memory server's")
		}
		deep := strings.Repeat(`{"d":`, 60) + `"bottom"` + strings.Repeat(`}`, 60)
		id, _ := tg.key(tg.admin, `{"name":"k","metadata":{"big":12345678901234567890123,"one":1.0,"i":42,"deep":`+deep+`,"l":[1.50,{"x":null}]}}`)
		r := tg.call(tg.admin, "GET", "/_security/api_key?id="+id, noBody).ok(t)
		var got struct {
			APIKeys []struct {
				Metadata map[string]any `json:"metadata"`
			} `json:"api_keys"`
		}
		dec := json.NewDecoder(bytes.NewReader(r.raw))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&got))
		require.Len(t, got.APIKeys, 1)

		sk, ok := tg.srv.APIKey(id)
		require.True(t, ok)
		assert.Equal(t, got.APIKeys[0].Metadata, sk.Metadata)
		assert.Equal(t, json.Number("12345678901234567890123"), sk.Metadata["big"])
		assert.Equal(t, json.Number("1.0"), sk.Metadata["one"])
		v := any(sk.Metadata["deep"])
		for i := 0; i < 60; i++ {
			m, ok := v.(map[string]any)
			require.True(t, ok, "level %d", i)
			v = m["d"]
		}
		assert.Equal(t, "bottom", v)

		sk.Metadata["i"] = "changed"
		again, _ := tg.srv.APIKey(id)
		assert.Equal(t, json.Number("42"), again.Metadata["i"], "the map is a copy")

		empty, _ := tg.key(tg.admin, `{"name":"e","metadata":{}}`)
		sk, _ = tg.srv.APIKey(empty)
		assert.NotNil(t, sk.Metadata)
		none, _ := tg.key(tg.admin, `{"name":"n"}`)
		sk, _ = tg.srv.APIKey(none)
		assert.Nil(t, sk.Metadata)
	})
}
