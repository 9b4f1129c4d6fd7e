package esapikeytest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
)

// healthParams are the query parameters of GET /_cluster/health (RestClusterHealthAction, with the
// IndicesOptions and the "level" response parameter).
var healthParams = []string{"expand_wildcards", "ignore_unavailable", "allow_no_indices", "local", "master_timeout",
	"timeout", "wait_for_status", "wait_for_no_relocating_shards", "wait_for_no_initializing_shards",
	"wait_for_relocating_shards", "wait_for_active_shards", "wait_for_nodes", "wait_for_events", "level"}

const actionClusterHealth = "cluster:monitor/health"

// healthStatuses are ClusterHealthStatus in value order: a wait for a status is met by that one or a better one.
var healthStatuses = []string{"green", "yellow", "red"}

// securityIndex is the one index this server reports: its security index, one primary shard, no replica.
const securityIndex = ".security-7"

// clusterHealth serves GET /_cluster/health[/{index}]. The server is one green node whose only index
// is its security index, so every wait is met at once, except for a named index that does not exist
// (red) or a node count other than one; then the answer is the timed-out one (408) without waiting,
// since nothing would change.
func (s *Server) clusterHealth(c *call) (int, any, *esError) {
	if err := c.noBody(); err != nil {
		return 0, nil, err
	}
	waits, met, err := healthWaits(c)
	if err != nil {
		return 0, nil, err
	}
	if err := s.authorize(c.sub, authz.Request{Action: actionClusterHealth}); err != nil {
		return 0, nil, err
	}
	status, indices := "green", []string{securityIndex}
	if c.param != "" {
		var missing bool
		indices, missing = resolveIndices(c.param)
		waits++
		if missing {
			status = "red"
		} else {
			met++
		}
	}
	if want := c.query.Get("wait_for_status"); want != "" && statusRank(status) <= statusRank(strings.ToLower(want)) {
		met++
	}
	timedOut := met < waits
	code := http.StatusOK
	if timedOut {
		code = http.StatusRequestTimeout
	}
	return code, healthBody(status, timedOut, indices, c.query.Get("level"), c.flag("human")), nil
}

// resolveIndices resolves an index list against the one index: wildcards and _all match it (hidden
// indices included, as cluster health expands them) or nothing without error; a missing concrete name
// makes the answer red (TransportClusterHealthAction.prepareResponse resolves with strictExpand).
func resolveIndices(list string) (found []string, missing bool) {
	for _, e := range strings.Split(list, ",") {
		switch {
		case e == "_all" || (strings.Contains(e, "*") && matchesPattern(e, securityIndex)),
			e == securityIndex || e == ".security":
			if len(found) == 0 {
				found = append(found, securityIndex)
			}
		case !strings.Contains(e, "*"):
			missing = true
		}
	}
	if missing {
		return nil, true
	}
	return found, false
}

// healthWaits checks the parameters as RestClusterHealthAction reads them and counts the waits
// asked for (as TransportClusterHealthAction.getWaitCount does) and those already met, but
// wait_for_status and the index, which depend on the answer.
func healthWaits(c *call) (waits, met int, err *esError) {
	q := c.query
	for _, name := range []string{"timeout", "master_timeout"} {
		if v, ok := q[name]; ok {
			if _, perr := parseTimeValue(v[0], name); perr != nil {
				return 0, 0, badRequest("parse_exception", "%s", perr.Error())
			}
		}
	}
	if v := q.Get("wait_for_status"); v != "" {
		if statusRank(strings.ToLower(v)) < 0 {
			return 0, 0, illegalArgument("No enum constant org.elasticsearch.cluster.health.ClusterHealthStatus.%s", strings.ToUpper(v))
		}
		waits++
	}
	for _, name := range []string{"local", "wait_for_no_relocating_shards", "wait_for_no_initializing_shards", "ignore_unavailable", "allow_no_indices"} {
		on, berr := boolParam(c, name)
		if berr != nil {
			return 0, 0, berr
		}
		if on && strings.HasPrefix(name, "wait_for_") {
			waits++
			met++ // nothing relocates or initializes here
		}
	}
	if _, ok := q["wait_for_relocating_shards"]; ok {
		return 0, 0, illegalArgument("wait_for_relocating_shards has been removed, use wait_for_no_relocating_shards [true/false] instead")
	}
	if v, ok := q["wait_for_active_shards"]; ok {
		n, aerr := activeShardCount(v[0])
		if aerr != nil {
			return 0, 0, aerr
		}
		if n != 0 {
			waits++
			if n <= 1 { // "all" (-1) or one: the single primary shard is active
				met++
			}
		}
	}
	if v := q.Get("wait_for_nodes"); v != "" {
		ok, nerr := nodesMet(v, 1)
		if nerr != nil {
			return 0, 0, nerr
		}
		waits++
		if ok {
			met++
		}
	}
	if v := q.Get("wait_for_events"); v != "" {
		switch strings.ToUpper(v) {
		case "IMMEDIATE", "URGENT", "HIGH", "NORMAL", "LOW", "LANGUID":
		default:
			return 0, 0, illegalArgument("No enum constant org.elasticsearch.common.Priority.%s", strings.ToUpper(v))
		}
	}
	return waits, met, nil
}

func statusRank(s string) int {
	for i, st := range healthStatuses {
		if st == s {
			return i
		}
	}
	return -1
}

// boolParam reads a boolean parameter as RestRequest.paramAsBoolean does: present and empty is true.
func boolParam(c *call, name string) (bool, *esError) {
	v, ok := c.query[name]
	if !ok || len(v) == 0 {
		return false, nil
	}
	switch v[0] {
	case "", "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, illegalArgument("Failed to parse value [%s] as only [true] or [false] are allowed.", v[0])
}

// activeShardCount parses wait_for_active_shards like ActiveShardCount.parseString: "all" is -1.
func activeShardCount(v string) (int, *esError) {
	if v == "all" {
		return -1, nil
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0, illegalArgument("cannot parse ActiveShardCount[%s]", v)
	}
	if n < 0 {
		return 0, illegalArgument("shard count cannot be a negative value")
	}
	return int(n), nil
}

// nodesMet evaluates wait_for_nodes (">=N", "ge(N)", "<=N", "le(N)", ">N", "gt(N)", "<N", "lt(N)"
// or "N") against the number of nodes, as TransportClusterHealthAction.prepareResponse does.
func nodesMet(expr string, nodes int) (bool, *esError) {
	ops := []struct {
		prefix, suffix string
		cmp            func(a, b int) bool
	}{
		{">=", "", func(a, b int) bool { return a >= b }}, {"ge(", ")", func(a, b int) bool { return a >= b }},
		{"<=", "", func(a, b int) bool { return a <= b }}, {"le(", ")", func(a, b int) bool { return a <= b }},
		{">", "", func(a, b int) bool { return a > b }}, {"gt(", ")", func(a, b int) bool { return a > b }},
		{"<", "", func(a, b int) bool { return a < b }}, {"lt(", ")", func(a, b int) bool { return a < b }},
		{"", "", func(a, b int) bool { return a == b }},
	}
	for _, op := range ops {
		if !strings.HasPrefix(expr, op.prefix) {
			continue
		}
		num := strings.TrimPrefix(expr, op.prefix)
		if op.suffix != "" {
			num = num[:max(len(num)-1, 0)] // substring(3, length-1): the last character is dropped
		}
		n, err := strconv.ParseInt(num, 10, 32)
		if err != nil {
			return false, newError(400, "number_format_exception", "For input string: \""+num+"\"")
		}
		return op.cmp(nodes, int(n)), nil
	}
	return false, nil
}

// healthBody renders ClusterHealthResponse.toXContent; human adds the readable twins of the time
// and percentage fields, level "indices" or "shards" the per-index (and per-shard) health.
func healthBody(status string, timedOut bool, indices []string, level string, human bool) ordered {
	shards := len(indices)
	o := ordered{
		{"cluster_name", clusterName}, {"status", status}, {"timed_out", timedOut},
		{"number_of_nodes", 1}, {"number_of_data_nodes", 1},
		{"active_primary_shards", shards}, {"active_shards", shards},
		{"relocating_shards", 0}, {"initializing_shards", 0}, {"unassigned_shards", 0},
		{"unassigned_primary_shards", 0}, {"delayed_unassigned_shards", 0},
		{"number_of_pending_tasks", 0}, {"number_of_in_flight_fetch", 0},
	}
	if human {
		o = append(o, kv{"task_max_waiting_in_queue", "0s"})
	}
	o = append(o, kv{"task_max_waiting_in_queue_millis", 0})
	if human {
		o = append(o, kv{"active_shards_percent", "100.0%"})
	}
	// A double: Elasticsearch writes 100.0, which encoding/json would shorten to 100.
	o = append(o, kv{"active_shards_percent_as_number", json.RawMessage("100.0")})
	if level != "indices" && level != "shards" {
		return o
	}
	byIndex := ordered{}
	for _, name := range indices {
		ix := ordered{{"status", "green"}, {"number_of_shards", 1}, {"number_of_replicas", 0},
			{"active_primary_shards", 1}, {"active_shards", 1}, {"relocating_shards", 0}, {"initializing_shards", 0},
			{"unassigned_shards", 0}, {"unassigned_primary_shards", 0}}
		if level == "shards" {
			ix = append(ix, kv{"shards", ordered{{"0", ordered{{"status", "green"}, {"primary_active", true},
				{"active_shards", 1}, {"relocating_shards", 0}, {"initializing_shards", 0}, {"unassigned_shards", 0},
				{"unassigned_primary_shards", 0}}}}})
		}
		byIndex = append(byIndex, kv{name, ix})
	}
	return append(o, kv{"indices", byIndex})
}

// matchesPattern reports whether name matches an index expression with wildcards (only * is
// special), as Regex.simpleMatch does.
func matchesPattern(pattern, name string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == name
	}
	parts := strings.Split(pattern, "*")
	if !strings.HasPrefix(name, parts[0]) {
		return false
	}
	name = name[len(parts[0]):]
	for i, part := range parts[1:] {
		if i == len(parts)-2 {
			return strings.HasSuffix(name, part)
		}
		j := strings.Index(name, part)
		if j < 0 {
			return false
		}
		name = name[j+len(part):]
	}
	return true
}
