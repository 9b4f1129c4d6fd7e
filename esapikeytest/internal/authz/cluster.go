package authz

import (
	"sort"
	"strings"
	"sync"
)

// Cluster action names this package refers to (the NAME constants of Elasticsearch's transport actions).
const (
	apiKeyActions          = "cluster:admin/xpack/security/api_key/*"
	ActionCreateAPIKey     = "cluster:admin/xpack/security/api_key/create"
	ActionGetAPIKey        = "cluster:admin/xpack/security/api_key/get"
	ActionInvalidateAPIKey = "cluster:admin/xpack/security/api_key/invalidate"
	ActionQueryAPIKey      = "cluster:admin/xpack/security/api_key/query"
	ActionUpdateAPIKey     = "cluster:admin/xpack/security/api_key/update"
	ActionBulkUpdateAPIKey = "cluster:admin/xpack/security/api_key/bulk_update"
	ActionGrantAPIKey      = "cluster:admin/xpack/security/api_key/grant"
	ActionHasPrivileges    = "cluster:admin/xpack/security/user/has_privileges"
	ActionGetUserPrivs     = "cluster:admin/xpack/security/user/list_privileges"
	ActionPutPrivileges    = "cluster:admin/xpack/security/privilege/put"
	ActionGetPrivileges    = "cluster:admin/xpack/security/privilege/get"
	ActionDeletePrivileges = "cluster:admin/xpack/security/privilege/delete"
)

// clusterDef is one named cluster privilege of ClusterPrivilegeResolver: an ActionClusterPrivilege
// (allowed minus excluded action patterns), or manage_own_api_key, whose check also looks at the request.
type clusterDef struct {
	allowed, excluded []string
	ownKeys           bool
}

// sec abbreviates the security action prefix in the table below.
const sec = "cluster:admin/xpack/security/"

// clusterDefs are the predefined cluster privileges of Elasticsearch 9.x (ClusterPrivilegeResolver).
// Action names come from the *Action.NAME constants the resolver refers to.
var clusterDefs = map[string]clusterDef{
	"none":                   {},
	"all":                    {allowed: []string{"cluster:*", "indices:admin/template/*", "indices:admin/index_template/*"}},
	"manage":                 {allowed: []string{"cluster:*", "indices:admin/template/*", "indices:admin/index_template/*"}, excluded: []string{sec + "*"}},
	"monitor":                {allowed: []string{"cluster:monitor/*", "indices:admin/template/get", "cluster:admin/component_template/get", "indices:admin/index_template/get"}},
	"monitor_inference":      {allowed: []string{"cluster:monitor/xpack/inference*", "cluster:monitor/xpack/ml/trained_models/deployment/infer"}},
	"monitor_ml":             {allowed: []string{"cluster:monitor/xpack/ml/*"}},
	"monitor_text_structure": {allowed: []string{"cluster:monitor/text_structure/*"}},
	"monitor_transform":      {allowed: []string{"cluster:monitor/data_frame/*", "cluster:monitor/transform/*"}},
	"monitor_watcher":        {allowed: []string{"cluster:monitor/xpack/watcher/*"}},
	"monitor_rollup":         {allowed: []string{"cluster:monitor/xpack/rollup/*"}},
	"monitor_enrich":         {allowed: []string{"cluster:monitor/xpack/enrich/*", "cluster:admin/xpack/enrich/get"}},
	"monitor_snapshot":       {allowed: []string{"cluster:admin/snapshot/status*", "cluster:admin/snapshot/get", "cluster:admin/snapshot/status", "cluster:admin/repository/get"}},
	// monitor_stats is newer than the resolver read for this table; its action patterns are inferred
	// from the action names, not read in source.
	"monitor_stats":                   {allowed: []string{"cluster:monitor/stats*", "cluster:monitor/xpack/usage*"}},
	"monitor_connector":               {allowed: []string{"cluster:admin/xpack/connector/get", "cluster:admin/xpack/connector/list", "cluster:admin/xpack/connector/sync_job/get", "cluster:admin/xpack/connector/sync_job/list"}},
	"manage_inference":                {allowed: []string{"cluster:admin/xpack/inference/*", "cluster:monitor/xpack/inference*", "cluster:admin/xpack/ml/trained_models/deployment/start", "cluster:admin/xpack/ml/trained_models/deployment/stop", "cluster:monitor/xpack/ml/trained_models/deployment/infer"}},
	"manage_ml":                       {allowed: []string{"cluster:admin/xpack/ml/*", "cluster:monitor/xpack/ml/*"}},
	"manage_transform":                {allowed: []string{"cluster:admin/data_frame/*", "cluster:monitor/data_frame/*", "cluster:monitor/transform/*", "cluster:admin/transform/*"}},
	"manage_token":                    {allowed: []string{sec + "token/*"}},
	"manage_watcher":                  {allowed: []string{"cluster:admin/xpack/watcher/*", "cluster:monitor/xpack/watcher/*"}},
	"manage_index_templates":          {allowed: []string{"indices:admin/template/*", "indices:admin/index_template/*", "cluster:admin/component_template/*"}},
	"manage_ingest_pipelines":         {allowed: []string{"cluster:admin/ingest/pipeline/*"}},
	"manage_pipeline":                 {allowed: []string{"cluster:admin/ingest/pipeline/*"}},
	"read_pipeline":                   {allowed: []string{"cluster:admin/ingest/pipeline/get", "cluster:admin/ingest/pipeline/simulate"}},
	"transport_client":                {allowed: []string{"cluster:monitor/nodes/liveness", "cluster:monitor/state"}},
	"manage_security":                 {allowed: []string{sec + "*"}, excluded: []string{sec + "delegate_pki"}},
	"read_security":                   {allowed: readSecurity},
	"manage_saml":                     {allowed: []string{sec + "saml/*", sec + "token/invalidate", sec + "token/refresh", "cluster:monitor/xpack/security/saml/metadata"}},
	"manage_oidc":                     {allowed: []string{sec + "oidc/*"}},
	"manage_api_key":                  {allowed: []string{apiKeyActions}},
	"manage_own_api_key":              {allowed: []string{apiKeyActions}, ownKeys: true},
	"grant_api_key":                   {allowed: []string{ActionGrantAPIKey + "*"}},
	"manage_service_account":          {allowed: []string{sec + "service_account/*"}},
	"manage_user_profile":             {allowed: []string{sec + "profile/*"}},
	"manage_rollup":                   {allowed: []string{"cluster:admin/xpack/rollup/*", "cluster:monitor/xpack/rollup/*"}},
	"manage_autoscaling":              {allowed: []string{"cluster:admin/autoscaling/*"}},
	"manage_ccr":                      {allowed: []string{"cluster:admin/xpack/ccr/*", "cluster:monitor/state", ActionHasPrivileges}},
	"read_ccr":                        {allowed: []string{"cluster:monitor/state", ActionHasPrivileges}},
	"create_snapshot":                 {allowed: []string{"cluster:admin/snapshot/create", "cluster:admin/snapshot/status*", "cluster:admin/snapshot/get", "cluster:admin/snapshot/status", "cluster:admin/repository/get"}},
	"manage_ilm":                      {allowed: []string{"cluster:admin/ilm/*"}},
	"read_ilm":                        {allowed: []string{"cluster:admin/ilm/get", "cluster:admin/ilm/operation_mode/get"}},
	"manage_slm":                      {allowed: []string{"cluster:admin/slm/*", "cluster:admin/ilm/start", "cluster:admin/ilm/stop", "cluster:admin/ilm/operation_mode/get"}},
	"read_slm":                        {allowed: []string{"cluster:admin/slm/status", "cluster:admin/slm/get", "cluster:admin/ilm/operation_mode/get"}},
	"delegate_pki":                    {allowed: []string{sec + "delegate_pki", sec + "token/invalidate"}},
	"manage_enrich":                   {allowed: []string{"cluster:admin/xpack/enrich/*", "cluster:monitor/xpack/enrich/*"}},
	"manage_logstash_pipelines":       {allowed: []string{"cluster:admin/logstash/pipeline/*"}},
	"read_fleet_secrets":              {allowed: []string{"cluster:admin/fleet/secrets/get"}},
	"write_fleet_secrets":             {allowed: []string{"cluster:admin/fleet/secrets/post", "cluster:admin/fleet/secrets/delete"}},
	"cancel_task":                     {allowed: []string{"cluster:admin/tasks/cancel*"}},
	"manage_search_application":       {allowed: []string{"cluster:admin/xpack/application/search_application/*"}},
	"manage_search_synonyms":          {allowed: []string{"cluster:admin/synonyms/*", "cluster:admin/synonyms_sets/*", "cluster:admin/synonym_rules/*"}},
	"manage_behavioral_analytics":     {allowed: []string{"cluster:admin/xpack/application/analytics/*"}},
	"post_behavioral_analytics_event": {allowed: []string{"cluster:admin/xpack/application/analytics/post_event"}},
	"manage_search_query_rules":       {allowed: []string{"cluster:admin/xpack/query_rules/*"}},
	"cross_cluster_search":            {allowed: append(remoteClusterBase(), "cluster:monitor/xpack/enrich/esql/resolve_policy", "cluster:internal:data/read/esql/open_exchange", "cluster:internal:data/read/esql/exchange")},
	"cross_cluster_replication":       {allowed: append(remoteClusterBase(), "cluster:monitor/state")},
	"manage_connector":                {allowed: []string{"cluster:admin/xpack/connector/*"}, excluded: connectorSecrets},
	"read_connector_secrets":          {allowed: []string{"cluster:admin/xpack/connector/secret/get"}},
	"write_connector_secrets":         {allowed: []string{"cluster:admin/xpack/connector/secret/delete", "cluster:admin/xpack/connector/secret/post", "cluster:admin/xpack/connector/secret/put"}},
	// No-ops since 8.16 (elastic/elasticsearch#111636): ActionClusterPrivilege(name, Set.of()).
	"monitor_data_stream_global_retention": {},
	"manage_data_stream_global_retention":  {},
	// Deprecated aliases that Elasticsearch still resolves.
	"monitor_data_frame_transforms": {allowed: []string{"cluster:monitor/data_frame/*", "cluster:monitor/transform/*"}},
	"manage_data_frame_transforms":  {allowed: []string{"cluster:admin/data_frame/*", "cluster:monitor/data_frame/*", "cluster:monitor/transform/*", "cluster:admin/transform/*"}},
}

// connectorSecrets are CONNECTOR_SECRETS_PATTERN, which manage_connector excludes.
var connectorSecrets = []string{"cluster:admin/xpack/connector/secret/get", "cluster:admin/xpack/connector/secret/delete",
	"cluster:admin/xpack/connector/secret/post", "cluster:admin/xpack/connector/secret/put"}

var readSecurity = []string{
	ActionGetAPIKey, ActionQueryAPIKey, sec + "privilege/builtin/get", ActionGetPrivileges, sec + "profile/get",
	sec + "profile/has_privileges", sec + "profile/suggest", sec + "role/get", sec + "role/query",
	sec + "role_mapping/get", sec + "service_account/get", sec + "service_account/credential/get*", sec + "user/get",
	sec + "user/query", ActionGetUserPrivs, ActionHasPrivileges, sec + "settings/get",
}

// remoteClusterBase are the actions both cross-cluster privileges hold: handshake, remote nodes, task
// ban and cancel (TaskCancellationService), and the xpack info action.
func remoteClusterBase() []string {
	return []string{"cluster:internal/remote_cluster/handshake", "cluster:internal/remote_cluster/nodes",
		"cluster:internal/admin/tasks/ban", "cluster:internal/admin/tasks/cancel_child", "cluster:monitor/xpack/info"}
}

// clusterPrivilege is a resolved cluster privilege: its action set, and whether it is manage_own_api_key.
type clusterPrivilege struct {
	name    string
	actions *automaton
	ownKeys bool
}

var (
	clusterActionSet = mustPatterns("cluster:*", "indices:admin/template/*", "indices:admin/index_template/*")
	apiKeyActionSet  = mustPatterns(apiKeyActions)
	// privilegeActionSet is what global.application.manage grants (ManageApplicationPrivileges).
	privilegeActionSet = mustPatterns("cluster:admin/xpack/security/privilege/*")

	clusterOnce     sync.Once
	clusterResolved map[string]clusterPrivilege
	orderOnce       sync.Once
	clusterOrder    []string // sortByAccessLevel
)

// clusterTable returns the resolved privileges and, when order is set, their access-level order, which
// costs a few thousand subset tests and is only needed for messages.
func clusterTable(order bool) (map[string]clusterPrivilege, []string) {
	clusterOnce.Do(func() {
		clusterResolved = make(map[string]clusterPrivilege, len(clusterDefs))
		for name, d := range clusterDefs {
			actions := minusAndDeterminize(mustPatterns(d.allowed...), mustPatterns(d.excluded...))
			clusterResolved[name] = clusterPrivilege{name: name, actions: actions, ownKeys: d.ownKeys}
		}
	})
	if order {
		orderOnce.Do(func() { clusterOrder = sortByAccessLevel(clusterResolved) })
	}
	return clusterResolved, clusterOrder
}

// sortByAccessLevel orders privileges by how many others each implies, then by name
// (ClusterPrivilegeResolver.sortByAccessLevel), so 403 messages list the least privileged first.
func sortByAccessLevel(privs map[string]clusterPrivilege) []string {
	count := map[string]int{}
	names := make([]string, 0, len(privs))
	for name, p := range privs {
		names = append(names, name)
		for other, q := range privs {
			if other != name && p.implies(q) {
				count[name]++
			}
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if count[names[i]] != count[names[j]] {
			return count[names[i]] < count[names[j]]
		}
		return names[i] < names[j]
	})
	return names
}

// implies is ClusterPermission.implies between two single privileges: an action check implies another
// when its actions cover the other's; a manage_own_api_key check implies only itself.
func (p clusterPrivilege) implies(q clusterPrivilege) bool {
	if p.ownKeys {
		return q.ownKeys
	}
	return subsetOf(q.actions, p.actions)
}

// ResolveCluster resolves a cluster privilege name or action pattern like ClusterPrivilegeResolver.resolve:
// a name that the cluster actions' patterns match is itself a pattern (name + "*").
func ResolveCluster(name string) (clusterPrivilege, error) {
	lower := strings.ToLower(name)
	if clusterActionSet.run(lower) {
		actions, err := compilePattern(lower + "*")
		return clusterPrivilege{name: lower, actions: actions}, err
	}
	table, _ := clusterTable(false)
	if p, ok := table[lower]; ok {
		return p, nil
	}
	_, order := clusterTable(true)
	return clusterPrivilege{}, &Error{Reason: "unknown cluster privilege [" + lower + "]. a privilege must be either one of the predefined cluster privilege names [" +
		strings.Join(order, ",") + "] or a pattern over one of the available cluster actions"}
}

// Request is a cluster action being authorized. OwnKeys says that a get, invalidate or query request
// is limited to the caller's own keys, which is what manage_own_api_key's request check looks at
// (ManageOwnApiKeyClusterPrivilege). Applications are the applications an application privileges
// request (put, get or delete privileges) names, which global.application.manage looks at
// (ApplicationPrivilegesRequest.getApplicationNames); none means every application.
type Request struct {
	Action       string
	OwnKeys      bool
	Applications []string
}

// check is ClusterPermission.check for one privilege.
func (p clusterPrivilege) check(r Request) bool {
	if !p.actions.run(r.Action) {
		return false
	}
	if !p.ownKeys {
		return true
	}
	switch r.Action {
	case ActionCreateAPIKey, ActionUpdateAPIKey, ActionBulkUpdateAPIKey:
		return true
	case ActionGetAPIKey, ActionInvalidateAPIKey, ActionQueryAPIKey:
		return r.OwnKeys
	}
	return false
}

// FindPrivilegesThatGrant names the predefined privileges whose check passes for this very request,
// least privileged first (ClusterPrivilegeResolver.findPrivilegesThatGrant), for 403 messages.
func FindPrivilegesThatGrant(r Request) []string {
	table, order := clusterTable(true)
	var out []string
	for _, name := range order {
		if table[name].check(r) {
			out = append(out, name)
		}
	}
	return out
}

// clusterPerm is a role's ClusterPermission: the union of its plain privileges as one action check,
// the manage_own_api_key check when the role holds it, and one check for each
// global.application.manage privilege.
type clusterPerm struct {
	names     []string // resolved, lower-cased
	plain     *automaton
	hasPlain  bool
	ownKeys   bool
	appManage []*matcher
}

func newClusterPerm(names []string) (clusterPerm, error) {
	var c clusterPerm
	var sets []*automaton
	for _, n := range names {
		p, err := ResolveCluster(n)
		if err != nil {
			return c, err
		}
		c.names = append(c.names, p.name)
		if p.ownKeys {
			c.ownKeys = true
			continue
		}
		c.hasPlain = true
		sets = append(sets, p.actions)
	}
	if !c.hasPlain {
		return c, nil
	}
	var err error
	func() {
		defer catch(&err, strings.Join(names, ","))
		c.plain = unionAndDeterminize(sets)
	}()
	return c, err
}

func (c clusterPerm) check(r Request) bool {
	if c.hasPlain && c.plain.run(r.Action) {
		return true
	}
	if c.ownKeys && clusterDefsOwn.check(r) {
		return true
	}
	if len(c.appManage) == 0 || !privilegeActionSet.run(r.Action) {
		return false
	}
	switch r.Action {
	case ActionPutPrivileges, ActionGetPrivileges, ActionDeletePrivileges:
	default:
		return false
	}
	for _, m := range c.appManage {
		if m.grantsApplications(r.Applications) {
			return true
		}
	}
	return false
}

// grantsApplications is ManageApplicationPrivileges' request check: every application of the request
// matches the privilege's applications; a request for every application needs "*" among them.
func (m *matcher) grantsApplications(apps []string) bool {
	if len(apps) == 0 {
		return m.all
	}
	for _, a := range apps {
		if !m.matches(a) {
			return false
		}
	}
	return true
}

var clusterDefsOwn = clusterPrivilege{name: "manage_own_api_key", actions: apiKeyActionSet, ownKeys: true}

// grants is SimpleRole.grants(privilege): the role's checks imply the privilege's permission.
func (c clusterPerm) grants(q clusterPrivilege) bool {
	if q.ownKeys {
		return c.ownKeys || c.hasPlain && subsetOf(apiKeyActionSet, c.plain)
	}
	return c.hasPlain && subsetOf(q.actions, c.plain)
}
