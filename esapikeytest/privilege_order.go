package esapikeytest

import (
	"sort"
	"strings"
)

// The order in which "unknown cluster privilege" lists the names: ClusterPrivilegeResolver's
// sortByAccessLevel, ascending by how many other named privileges each one implies, ties by name.
// A privilege implies another when every action the other grants it grants too; manage_own_api_key,
// whose check depends on the request, implies none and is implied by none (its permission check only
// implies a check of its own kind).

// actionSet is the automaton of a named cluster privilege: action patterns (exact, or a prefix ending
// in "*") it allows, minus those it excludes.
type actionSet struct{ allow, deny []string }

func (s actionSet) has(action string) bool {
	in := func(patterns []string) bool {
		for _, p := range patterns {
			if prefix, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(action, prefix) || p == action {
				return true
			}
		}
		return false
	}
	return in(s.allow) && !in(s.deny)
}

// witnesses are actions of s that tell it from other sets: each exact pattern, and for each prefix the
// prefix itself, a fresh action below it and every anchor of the other sets below it.
func (s actionSet) witnesses(anchors []string) []string {
	var out []string
	for _, p := range s.allow {
		prefix, wild := strings.CutSuffix(p, "*")
		if !wild {
			out = append(out, p)
			continue
		}
		out = append(out, prefix, prefix+"\x00")
		for _, a := range anchors {
			if strings.HasPrefix(a, prefix) {
				out = append(out, a, a+"\x00")
			}
		}
	}
	var in []string
	for _, w := range out {
		if s.has(w) {
			in = append(in, w)
		}
	}
	return in
}

const (
	security = "cluster:admin/xpack/security/"
	allActs  = "cluster:*"
)

var (
	snapshotRead = []string{"cluster:admin/snapshot/status*", "cluster:admin/snapshot/get", "cluster:admin/repository/get"}
	remoteBase   = []string{"cluster:internal/remote_cluster/handshake", "cluster:internal/remote_cluster/nodes",
		"cluster:internal/admin/tasks/ban", "cluster:internal/admin/tasks/cancel_child", "cluster:monitor/xpack/info"}
	transforms = []string{"cluster:monitor/data_frame/*", "cluster:monitor/transform/*"}
	templates  = []string{"indices:admin/template/*", "indices:admin/index_template/*"}
)

func allow(p ...string) actionSet { return actionSet{allow: p} }

// clusterActionSets are the automata of the named cluster privileges (ClusterPrivilegeResolver), by
// their action patterns.
var clusterActionSets = map[string]actionSet{
	"none":                                 {},
	"manage_data_stream_global_retention":  {},
	"monitor_data_stream_global_retention": {},
	"all":                                  allow(append([]string{allActs}, templates...)...),
	"manage":                               {allow: append([]string{allActs}, templates...), deny: []string{security + "*"}},
	"monitor": allow("cluster:monitor/*", "indices:admin/template/get", "indices:admin/index_template/get",
		"cluster:admin/component_template/get"),
	"manage_security": {allow: []string{security + "*"}, deny: []string{security + "delegate_pki"}},
	"manage_api_key":  allow(security + "api_key/*"),
	"grant_api_key":   allow(security + "api_key/grant*"),
	"read_security": allow(security+"api_key/get", security+"api_key/query", security+"privilege/builtin/get",
		security+"privilege/get", security+"profile/get", security+"profile/has_privileges", security+"profile/suggest",
		security+"role/get", security+"role/query", security+"role_mapping/get", security+"service_account/get",
		security+"service_account/credential/get*", security+"user/get", security+"user/query",
		security+"user/list_privileges", security+"user/has_privileges", security+"settings/get"),
	"manage_token":            allow(security + "token/*"),
	"manage_saml":             allow(security+"saml/*", security+"token/invalidate", security+"token/refresh", "cluster:monitor/xpack/security/saml/metadata"),
	"manage_oidc":             allow(security + "oidc/*"),
	"manage_service_account":  allow(security + "service_account/*"),
	"manage_user_profile":     allow(security + "profile/*"),
	"delegate_pki":            allow(security+"delegate_pki", security+"token/invalidate"),
	"transport_client":        allow("cluster:monitor/nodes/liveness", "cluster:monitor/state"),
	"manage_index_templates":  allow(append([]string{"cluster:admin/component_template/*"}, templates...)...),
	"manage_ingest_pipelines": allow("cluster:admin/ingest/pipeline/*"),
	"manage_pipeline":         allow("cluster:admin/ingest/pipeline/*"),
	"read_pipeline":           allow("cluster:admin/ingest/pipeline/get", "cluster:admin/ingest/pipeline/simulate"),
	"manage_ilm":              allow("cluster:admin/ilm/*"),
	"read_ilm":                allow("cluster:admin/ilm/get", "cluster:admin/ilm/operation_mode/get"),
	"manage_slm":              allow("cluster:admin/slm/*", "cluster:admin/ilm/start", "cluster:admin/ilm/stop", "cluster:admin/ilm/operation_mode/get"),
	"read_slm":                allow("cluster:admin/slm/status", "cluster:admin/slm/get", "cluster:admin/ilm/operation_mode/get"),
	"manage_enrich":           allow("cluster:admin/xpack/enrich/*", "cluster:monitor/xpack/enrich/*"),
	"monitor_enrich":          allow("cluster:monitor/xpack/enrich/*", "cluster:admin/xpack/enrich/get"),
	"cross_cluster_search": allow(append([]string{"cluster:monitor/xpack/enrich/esql/resolve_policy",
		"cluster:internal:data/read/esql/open_exchange", "cluster:internal:data/read/esql/exchange"}, remoteBase...)...),
	"cross_cluster_replication":       allow(append([]string{"cluster:monitor/state"}, remoteBase...)...),
	"manage_ccr":                      allow("cluster:admin/xpack/ccr/*", "cluster:monitor/state", security+"user/has_privileges"),
	"read_ccr":                        allow("cluster:monitor/state", security+"user/has_privileges"),
	"create_snapshot":                 allow(append([]string{"cluster:admin/snapshot/create"}, snapshotRead...)...),
	"monitor_snapshot":                allow(snapshotRead...),
	"manage_ml":                       allow("cluster:admin/xpack/ml/*", "cluster:monitor/xpack/ml/*"),
	"monitor_ml":                      allow("cluster:monitor/xpack/ml/*"),
	"manage_inference":                allow("cluster:admin/xpack/inference/*", "cluster:monitor/xpack/inference*", "cluster:admin/xpack/ml/trained_models/deployment/start", "cluster:admin/xpack/ml/trained_models/deployment/stop", "cluster:monitor/xpack/ml/trained_models/deployment/infer"),
	"monitor_inference":               allow("cluster:monitor/xpack/inference*", "cluster:monitor/xpack/ml/trained_models/deployment/infer"),
	"manage_transform":                allow(append([]string{"cluster:admin/data_frame/*", "cluster:admin/transform/*"}, transforms...)...),
	"manage_data_frame_transforms":    allow(append([]string{"cluster:admin/data_frame/*", "cluster:admin/transform/*"}, transforms...)...),
	"monitor_transform":               allow(transforms...),
	"monitor_data_frame_transforms":   allow(transforms...),
	"manage_watcher":                  allow("cluster:admin/xpack/watcher/*", "cluster:monitor/xpack/watcher/*"),
	"monitor_watcher":                 allow("cluster:monitor/xpack/watcher/*"),
	"manage_rollup":                   allow("cluster:admin/xpack/rollup/*", "cluster:monitor/xpack/rollup/*"),
	"monitor_rollup":                  allow("cluster:monitor/xpack/rollup/*"),
	"monitor_text_structure":          allow("cluster:monitor/text_structure/*"),
	"monitor_stats":                   allow("cluster:monitor/stats*"),
	"manage_autoscaling":              allow("cluster:admin/autoscaling/*"),
	"manage_logstash_pipelines":       allow("cluster:admin/logstash/pipeline/*"),
	"read_fleet_secrets":              allow("cluster:admin/fleet/secrets/get"),
	"write_fleet_secrets":             allow("cluster:admin/fleet/secrets/post", "cluster:admin/fleet/secrets/delete"),
	"cancel_task":                     allow("cluster:admin/tasks/cancel*"),
	"manage_search_application":       allow("cluster:admin/xpack/application/search_application/*"),
	"manage_behavioral_analytics":     allow("cluster:admin/xpack/application/analytics/*"),
	"post_behavioral_analytics_event": allow("cluster:admin/xpack/application/analytics/post_event"),
	"manage_search_query_rules":       allow("cluster:admin/xpack/query_rules/*"),
	"manage_search_synonyms":          allow("cluster:admin/synonyms/*", "cluster:admin/synonyms_sets/*", "cluster:admin/synonym_rules/*"),
	"manage_connector":                allow("cluster:admin/xpack/connector/*"),
	"monitor_connector":               allow("cluster:admin/xpack/connector/get", "cluster:admin/xpack/connector/list", "cluster:admin/xpack/connector/sync_job/get", "cluster:admin/xpack/connector/sync_job/list"),
	"read_connector_secrets":          allow("cluster:admin/xpack/connector/secret/get"),
	"write_connector_secrets":         allow("cluster:admin/xpack/connector/secret/delete", "cluster:admin/xpack/connector/secret/post", "cluster:admin/xpack/connector/secret/put"),
}

// implies reports whether a grants every action b grants.
func (s actionSet) implies(b actionSet, anchors []string) bool {
	for _, w := range b.witnesses(anchors) {
		if !s.has(w) {
			return false
		}
	}
	return true
}

// sortByAccessLevel orders names as ClusterPrivilegeResolver.sortByAccessLevel does.
func sortByAccessLevel(names []string) []string {
	var anchors []string
	for _, n := range names {
		s := clusterActionSets[n]
		for _, p := range append(append([]string{}, s.allow...), s.deny...) {
			anchors = append(anchors, strings.TrimSuffix(p, "*"))
		}
	}
	count := map[string]int{}
	for _, a := range names {
		sa, ok := clusterActionSets[a]
		if !ok {
			continue // manage_own_api_key: request-dependent, implies nothing
		}
		for _, b := range names {
			if sb, ok := clusterActionSets[b]; ok && a != b && sa.implies(sb, anchors) {
				count[a]++
			}
		}
	}
	out := append([]string{}, names...)
	sort.Slice(out, func(i, j int) bool {
		if count[out[i]] != count[out[j]] {
			return count[out[i]] < count[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// clusterPrivilegesByAccess is the list "unknown cluster privilege" prints.
var clusterPrivilegesByAccess = sortByAccessLevel(clusterPrivileges)
