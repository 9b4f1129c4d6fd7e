package esapikeytest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A literal path segment wins over {name} (PathTrie): these must never reach put-user, get-user or
// update-key, whether or not the literal route is served.
func TestConformanceRoutesLiteralSegments(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {

		r := tg.call(tg.admin, "POST", "/_security/user/_has_privileges", `{"cluster":["monitor"]}`)
		assert.Nil(t, r.obj["created"], "handled as put-user: %s", r.raw)
		r = tg.call(tg.admin, "GET", "/_security/user/_privileges", noBody)
		assert.NotEqual(t, http.StatusNotFound, r.status, "handled as get-user: %s", r.raw)
		assert.Nil(t, r.obj["_privileges"], "handled as get-user: %s", r.raw)
		r = tg.call(tg.admin, "PUT", "/_security/user/_password", `{}`)
		assert.NotContains(t, string(r.raw), "roles are missing", "handled as put-user")
		users := tg.call(tg.admin, "GET", "/_security/user", noBody).ok(t)
		for _, name := range []string{"_has_privileges", "_privileges", "_password"} {
			assert.Nil(t, users.obj[name], "a user [%s] was created", name)
		}
	})
}

// RestController answers a known path with a wrong method 405 and names the methods of that path only.
func TestConformanceRoutesWrongMethod(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		for _, c := range []struct{ method, path, allowed string }{
			{"GET", "/_security/api_key/some-id/_clear_cache", "POST"},
			{"POST", "/_cluster/health", "GET"},
			{"DELETE", "/_security/api_key/grant", "POST, PUT"},
			{"GET", "/_security/oauth2/token", "POST"},
		} {
			r := tg.call(tg.admin, c.method, c.path, noBody)
			require.Equal(t, http.StatusMethodNotAllowed, r.status, "%s %s: %s", c.method, c.path, r.raw)
			assert.Equal(t, "Incorrect HTTP method for uri ["+c.path+"] and method ["+c.method+"], allowed: ["+c.allowed+"]", r.obj["error"])
			assert.Equal(t, float64(405), r.obj["status"])
			assert.Equal(t, strings.ReplaceAll(c.allowed, " ", ""), r.header.Get("Allow"))
		}
	})
}

// GET /_cluster/health as every Elasticsearch YAML test's setup calls it (RestClusterHealthAction,
// TransportClusterHealthAction, ClusterHealthResponse).
func TestConformanceClusterHealth(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		r := tg.call(tg.admin, "GET", "/_cluster/health?wait_for_status=yellow&timeout=30s", noBody).ok(t)
		assert.Contains(t, []any{"green", "yellow"}, r.obj["status"])
		assert.Equal(t, false, r.obj["timed_out"])
		for _, f := range []string{"cluster_name", "number_of_nodes", "number_of_data_nodes", "active_primary_shards",
			"active_shards", "relocating_shards", "initializing_shards", "unassigned_shards", "unassigned_primary_shards",
			"delayed_unassigned_shards", "number_of_pending_tasks", "number_of_in_flight_fetch",
			"task_max_waiting_in_queue_millis", "active_shards_percent_as_number"} {
			assert.Contains(t, r.obj, f)
		}
		assert.Nil(t, r.obj["task_max_waiting_in_queue"], "human field without ?human")
		r = tg.call(tg.admin, "GET", "/_cluster/health?human&wait_for_no_relocating_shards=true&wait_for_active_shards=1&wait_for_nodes=%3E%3D1&wait_for_events=languid&level=indices", noBody).ok(t)
		assert.IsType(t, "", r.obj["task_max_waiting_in_queue"])
		assert.IsType(t, "", r.obj["active_shards_percent"])
		assert.NotNil(t, r.obj["indices"], "level=indices")

		// A wait that cannot be met answers the timed-out response, 408 with the same body.
		r = tg.call(tg.admin, "GET", "/_cluster/health?wait_for_nodes=gt(100)&timeout=0s", noBody)
		require.Equal(t, http.StatusRequestTimeout, r.status, string(r.raw))
		assert.Equal(t, true, r.obj["timed_out"])
		r = tg.call(tg.admin, "GET", "/_cluster/health/"+tg.prefix+"-missing?timeout=0s", noBody)
		require.Equal(t, http.StatusRequestTimeout, r.status, string(r.raw))
		assert.Equal(t, "red", r.obj["status"])
		r = tg.call(tg.admin, "GET", "/_cluster/health/"+tg.prefix+"-none-*?timeout=0s&wait_for_status=green", noBody).ok(t)
		assert.Equal(t, false, r.obj["timed_out"])

		for _, c := range []struct{ query, typ, reason string }{
			{"wait_for_status=blue", illegalArg, "No enum constant org.elasticsearch.cluster.health.ClusterHealthStatus.BLUE"},
			{"timeout=abc", "parse_exception", "failed to parse setting [timeout] with value [abc] as a time value: unit is missing or unrecognized"},
			{"wait_for_relocating_shards=0", illegalArg, "wait_for_relocating_shards has been removed, use wait_for_no_relocating_shards [true/false] instead"},
			{"wait_for_active_shards=some", illegalArg, "cannot parse ActiveShardCount[some]"},
			{"wait_for_events=soon", illegalArg, "No enum constant org.elasticsearch.common.Priority.SOON"},
			{"local=maybe", illegalArg, "Failed to parse value [maybe] as only [true] or [false] are allowed."},
			{"nope=1", illegalArg, "request [/_cluster/health] contains unrecognized parameter: [nope]"},
		} {
			tg.call(tg.admin, "GET", "/_cluster/health?"+c.query, noBody).isError(t, 400, c.typ, c.reason)
		}

		nobody := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
		r = tg.call(nobody, "GET", "/_cluster/health", noBody)
		require.Equal(t, http.StatusForbidden, r.status, string(r.raw))
		reason, _ := r.at("error.reason").(string)
		assert.True(t, strings.HasPrefix(reason, "action [cluster:monitor/health] is unauthorized for user ["+nobody.user+"]"), reason)
		assert.Contains(t, reason, "this action is granted by the cluster privileges [monitor,")
	})
}

// POST /_security/api_key/{ids}/_clear_cache (RestClearApiKeyCacheAction, ClearSecurityCacheAction).
func TestConformanceClearAPIKeyCache(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"cached"}`)
		for _, ids := range []string{id, "*", id + ",unknown-id", "_all"} {
			r := tg.call(tg.admin, "POST", "/_security/api_key/"+ids+"/_clear_cache", noBody).ok(t)
			assert.Equal(t, float64(0), r.at("_nodes.failed"), string(r.raw))
			total, _ := r.at("_nodes.total").(float64)
			assert.GreaterOrEqual(t, total, float64(1))
			assert.Equal(t, total, r.at("_nodes.successful"))
			assert.IsType(t, "", r.obj["cluster_name"])
			nodes, _ := r.obj["nodes"].(map[string]any)
			require.Len(t, nodes, int(total), string(r.raw))
			for _, n := range nodes {
				assert.IsType(t, "", n.(map[string]any)["name"])
			}
		}

		// The cache action is a security one: manage_api_key does not grant it.
		manager := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		tg.call(manager, "POST", "/_security/api_key/"+id+"/_clear_cache", noBody).isError(t, 403, "security_exception",
			"action [cluster:admin/xpack/security/cache/clear] is unauthorized for user ["+manager.user+"] with effective roles ["+
				tg.rolesOf(manager)+"], this action is granted by the cluster privileges [manage_security,all]")
		tg.call(tg.admin, "POST", "/_security/api_key/"+id+"/_clear_cache", `{}`).isError(t, 400, illegalArg,
			"request [POST /_security/api_key/"+id+"/_clear_cache] does not support having a body")
	})
}

// rolesOf returns the comma-separated roles a user of tg.user was created with.
func (tg *target) rolesOf(c cred) string {
	tg.t.Helper()
	r := tg.call(tg.admin, "GET", "/_security/user/"+c.user, noBody).ok(tg.t)
	roles, _ := r.at(c.user + ".roles").([]any)
	names := make([]string, len(roles))
	for i, x := range roles {
		names[i], _ = x.(string)
	}
	return strings.Join(names, ",")
}
