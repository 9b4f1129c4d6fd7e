package authz

import (
	"math"
	"strings"
)

// systemIndex is a SystemIndexDescriptor's index pattern and alias. Its pattern is not a security name
// pattern: '*' is any string, '.' is itself, and the rest is Lucene regular-expression syntax
// ("[0-9]+", "~(...)"), as SystemIndexDescriptor.buildAutomaton reads it.
type systemIndex struct{ pattern, alias string }

// systemIndices are the system indices of Elasticsearch 9.3's default distribution, each from the
// SystemIndexDescriptor its feature registers, read in Elasticsearch's source: TaskResultsService
// (tasks), SynonymsManagementAPIService (synonyms), SecuritySystemIndices (security), the async search
// results index, KibanaPlugin (kibana), Fleet, Watcher, MachineLearning, Transform, EnrichPlugin,
// Logstash, IngestGeoIpPlugin, SearchableSnapshots, the enterprise search connectors, query rules and
// search applications, and InferencePlugin. A real cluster's list is that of the plugins it has
// installed, so a node with more features restricts more names.
var systemIndices = []systemIndex{
	{".tasks*", ""},
	{".synonyms*", ""},
	{".security-[0-9]+*", ".security"},
	{".security-tokens-[0-9]+*", ".security-tokens"},
	{".security-profile-[0-9]+*", ".security-profile"},
	{".async-search*", ""},
	{".kibana_*", ".kibana"},
	{".reporting-*", ""},
	{".chat-*", ""},
	{".apm-agent-configuration*", ""},
	{".apm-custom-link*", ""},
	{".fleet-actions~(-results*)", ".fleet-actions"},
	{".fleet-agents*", ".fleet-agents"},
	{".fleet-enrollment-api-keys*", ".fleet-enrollment-api-keys"},
	{".fleet-policies-[0-9]+*", ".fleet-policies"},
	{".fleet-policies-leader*", ".fleet-policies-leader"},
	{".fleet-servers*", ".fleet-servers"},
	{".fleet-artifacts*", ".fleet-artifacts"},
	{".fleet-secrets*", ".fleet-secrets"},
	{".watches*", ".watches"},
	{".triggered_watches*", ".triggered_watches"},
	{".ml-meta*", ""},
	{".ml-config*", ""},
	{".ml-inference-*", ""},
	{".transform-internal-*", ""},
	{".enrich-*", ""},
	{".logstash*", ""},
	{".geoip_databases*", ""},
	{".snapshot-blob-cache*", ""},
	{".elastic-connectors*", ""},
	{".connector-secrets*", ""},
	{".query-rules*", ""},
	{".search-app-*", ""},
	{".inference*", ""},
	{".secrets-inference*", ""},
}

// systemDataStreams are the system data streams of those features (SystemDataStreamDescriptor):
// their names, and their backing and failure-store indices, are restricted too.
var systemDataStreams = []string{".fleet-actions-results"}

// restricted is the automaton of restricted names (RestrictedIndices over
// SystemIndices.getSystemNameAutomaton): every system index pattern and alias, system data stream,
// and the indices behind those data streams.
var restricted = buildRestricted()

func buildRestricted() *automaton {
	var list []*automaton
	regex := func(pattern string) *automaton {
		re := strings.ReplaceAll(strings.ReplaceAll(pattern, ".", `\.`), "*", ".*")
		return parseRegExp(re, flagAll|flagComplement).toAutomaton()
	}
	for _, d := range systemIndices {
		list = append(list, regex(d.pattern))
		if d.alias != "" {
			list = append(list, regex(d.alias))
		}
	}
	for _, ds := range systemDataStreams {
		list = append(list, regex(ds), regex(".ds-"+ds+"-*"), regex(".fs-"+ds+"-*"))
	}
	return determinize(union(list), math.MaxInt)
}

// isRestricted reports whether name is a restricted name (RestrictedIndices.isRestricted).
func isRestricted(name string) bool { return restricted.run(name) }
