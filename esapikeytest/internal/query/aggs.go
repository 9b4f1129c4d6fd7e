package query

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// agg is one aggregation of the request, as AggregatorFactories.parseAggregators reads it.
type agg struct {
	name, typ string
	body      *jsontree.Node
	subs      []*agg

	field       string
	f           *field
	script      bool
	size        int
	minDocCount int
	order       []termsOrder

	filter  clause         // filter
	filters []keyed        // filters
	keyed   bool           // filters (keyed by default when named) and range
	other   string         // filters: the other bucket's key, "" without one
	sources []source       // composite
	afterN  *jsontree.Node // composite "after"
	ranges  []rangeSpec
	format  string

	missingN *jsontree.Node // terms: the value of documents without one
	missingV *aggValue      // missingN read for the field

	unimplemented string // a parameter Elasticsearch accepts and this stand-in does not evaluate
}

type keyed struct {
	key string
	q   clause
}

type termsOrder struct {
	byKey, desc bool
}

type source struct {
	name, typ, field string
	f                *field
	desc, missing    bool
	script           bool
}

type rangeSpec struct {
	key      string
	from, to *jsontree.Node
	lo, hi   float64
	hasLo    bool
	hasHi    bool
}

// unimplementedAggParams are parameters Elasticsearch accepts that this stand-in does not evaluate; they
// are refused plainly rather than answered wrongly.
var unimplementedAggParams = []string{"missing", "include", "exclude", "format", "shard_min_doc_count", "time_zone"}

// allowedAggs are the aggregation types ApiKeyAggregationsBuilder lets through.
var allowedAggs = []string{"terms", "range", "date_range", "missing", "cardinality", "value_count", "composite", "filter", "filters"}

// otherAggs are aggregation types Elasticsearch knows and the API-key query refuses.
var otherAggs = []string{"avg", "sum", "min", "max", "stats", "extended_stats", "percentiles", "percentile_ranks",
	"top_hits", "top_metrics", "histogram", "date_histogram", "auto_date_histogram", "variable_width_histogram",
	"global", "nested", "reverse_nested", "significant_terms", "significant_text", "rare_terms", "multi_terms",
	"geo_distance", "geohash_grid", "geotile_grid", "geohex_grid", "geo_bounds", "geo_centroid", "geo_line",
	"adjacency_matrix", "sampler", "diversified_sampler", "random_sampler", "ip_range", "ip_prefix", "weighted_avg",
	"median_absolute_deviation", "scripted_metric", "string_stats", "boxplot", "t_test", "matrix_stats",
	"categorize_text", "frequent_item_sets", "time_series", "rate", "children", "parent"}

// pipelineAggs are the pipeline aggregation types; ApiKeyAggregationsBuilder refuses them all.
var pipelineAggs = []string{"avg_bucket", "sum_bucket", "min_bucket", "max_bucket", "stats_bucket",
	"extended_stats_bucket", "percentiles_bucket", "bucket_script", "bucket_selector", "bucket_sort",
	"cumulative_sum", "cumulative_cardinality", "derivative", "moving_fn", "moving_percentiles", "normalize",
	"serial_diff", "inference", "bucket_count_ks_test", "bucket_correlation", "change_point"}

func parseAggs(p *parser, n *jsontree.Node) ([]*agg, *Error) {
	var out []*agg
	for name, v := range n.Fields() {
		if strings.ContainsAny(name, "[]>") {
			return nil, parsingError("Invalid aggregation name [%s]. Aggregation names can contain any character except '[', ']', and '>'", name)
		}
		if v.Kind != jsontree.Object {
			return nil, parsingError("Aggregation definition for [%s starts with a [%s], expected a [START_OBJECT].", name, v.Kind.Token())
		}
		a := &agg{name: name}
		for k, val := range v.Fields() {
			c := val
			switch {
			case k == "meta":
			case k == "aggs" || k == "aggregations":
				if a.subs != nil {
					return nil, parsingError("Found two sub aggregation definitions under [%s]", name)
				}
				if c.Kind != jsontree.Object {
					return nil, parsingError("Expected [START_OBJECT] under [%s], but got a [%s] in [%s]", k, c.Kind.Token(), name)
				}
				subs, err := parseAggs(p, c)
				if err != nil {
					return nil, err
				}
				a.subs = append([]*agg{}, subs...)
			case a.typ != "":
				return nil, parsingError("Found two aggregation type definitions in [%s]: [%s] and [%s]", name, a.typ, k)
			case slices.Contains(allowedAggs, k) || slices.Contains(otherAggs, k) || slices.Contains(pipelineAggs, k):
				if c.Kind != jsontree.Object {
					return nil, parsingError("Expected [START_OBJECT] under [%s], but got a [%s] in [%s]", k, c.Kind.Token(), name)
				}
				a.typ, a.body = k, c
			default:
				return nil, parsingError("Unknown aggregation type [%s]", k)
			}
		}
		if a.typ == "" {
			return nil, parsingError("Missing definition for aggregation [%s]", name)
		}
		if slices.Contains(allowedAggs, a.typ) {
			if err := a.parseBody(p); err != nil {
				return nil, err
			}
		}
		out = append(out, a)
	}
	return out, nil
}

func (a *agg) parseBody(p *parser) *Error {
	a.size, a.minDocCount, a.keyed = 10, 1, a.typ == "filters"
	unknown := func(k string) *Error { return parsingError("[%s] unknown field [%s]", a.typ, k) }
	for k, v := range a.body.Fields() {
		switch {
		case k == "field" && a.typ != "filter" && a.typ != "filters" && a.typ != "composite":
			a.field = scalar(v)
		case k == "script" && a.typ != "filter" && a.typ != "filters" && a.typ != "composite":
			a.script = true
		case k == "size" && a.typ == "terms":
			// TermsAggregationBuilder.size refuses while the aggregation is parsed.
			if n := intValue(v); n <= 0 {
				e := xParse("%s [terms] failed to parse field [size]", p.t.Loc(v))
				e.Cause = illegalArgument("[size] must be greater than 0. Found [%d] in [%s]", n, a.name)
				return e
			}
			a.size = intValue(v)
		case k == "size" && a.typ == "composite":
			a.size = atoi(scalar(v))
		case k == "missing" && a.typ == "terms":
			if v.Kind == jsontree.Object || v.Kind == jsontree.Array {
				return xParse("%s [terms] missing doesn't support values of type: %s", p.t.Loc(v), v.Kind.Token())
			}
			if v.Kind != jsontree.Null {
				a.missingN = v
			}
		case k == "min_doc_count" && a.typ == "terms":
			a.minDocCount = atoi(scalar(v))
		case k == "order" && a.typ == "terms":
			if err := a.parseOrder(v); err != nil {
				return err
			}
		case k == "format" && (a.typ == "range" || a.typ == "date_range"):
			a.format = scalar(v)
		case k == "keyed" && (a.typ == "range" || a.typ == "date_range" || a.typ == "filters"):
			a.keyed = v.Kind == jsontree.Bool && v.Bool
		case k == "ranges" && (a.typ == "range" || a.typ == "date_range"):
			if err := a.parseRanges(v); err != nil {
				return err
			}
		case k == "sources" && a.typ == "composite":
			if err := a.parseSources(v); err != nil {
				return err
			}
		case k == "after" && a.typ == "composite":
			a.afterN = v
		case a.typ == "filters" && (k == "filters" || k == "other_bucket" || k == "other_bucket_key"):
			if err := a.parseFilters(p, k, v); err != nil {
				return err
			}
		case a.typ == "filter":
			// The filter aggregation's body is the query itself.
			q, err := p.query(a.body)
			if err != nil {
				return err
			}
			a.filter = q
			return nil
		case k == "shard_size" || k == "execution_hint" || k == "collect_mode" || k == "show_term_doc_count_error" ||
			k == "value_type" || k == "precision_threshold" || k == "missing_bucket":
			// Tuning that changes nothing over one shard of exact counts.
		case slices.Contains(unimplementedAggParams, k):
			a.unimplemented = k
		default:
			return unknown(k)
		}
	}
	if a.typ == "filter" && a.filter == nil {
		return parsingError("query malformed, empty clause found")
	}
	return nil
}

// intValue reads an integer as XContentParser.intValue does, truncating a decimal; 0 when it is none.
func intValue(v *jsontree.Node) int {
	x, err := strconv.ParseFloat(scalar(v), 64)
	if err != nil || x != x {
		return 0
	}
	return int(max(min(x, math.MaxInt32), math.MinInt32))
}

func (a *agg) parseOrder(v *jsontree.Node) *Error {
	items := []*jsontree.Node{v}
	if v.Kind == jsontree.Array {
		items = v.Vals()
	}
	for _, it := range items {
		if it.Kind != jsontree.Object || len(it.Keys()) != 1 {
			return parsingError("[terms] order must be an object with one key")
		}
		key := it.Keys()[0]
		if key != "_key" && key != "_count" {
			return illegalArgument("esapikeytest: terms order by [%s] is not supported (only _key and _count)", key)
		}
		a.order = append(a.order, termsOrder{byKey: key == "_key", desc: strings.EqualFold(scalar(it.Vals()[0]), "desc")})
	}
	return nil
}

func (a *agg) parseRanges(v *jsontree.Node) *Error {
	if v.Kind != jsontree.Array {
		return parsingError("[%s] ranges doesn't support values of type: %s", a.typ, v.Kind.Token())
	}
	for _, r := range v.Vals() {
		if r.Kind != jsontree.Object {
			return parsingError("[range] Expected START_OBJECT but was: %s", r.Kind.Token())
		}
		var rs rangeSpec
		for k, v := range r.Fields() {
			switch k {
			case "key":
				rs.key = scalar(v)
			case "from":
				rs.from = v
			case "to":
				rs.to = v
			default:
				return parsingError("[range] unknown field [%s]", k)
			}
		}
		a.ranges = append(a.ranges, rs)
	}
	return nil
}

func (a *agg) parseSources(v *jsontree.Node) *Error {
	if v.Kind != jsontree.Array {
		return parsingError("[composite] sources doesn't support values of type: %s", v.Kind.Token())
	}
	for _, s := range v.Vals() {
		if s.Kind != jsontree.Object || len(s.Keys()) != 1 || s.Vals()[0].Kind != jsontree.Object || len(s.Vals()[0].Keys()) != 1 {
			return parsingError("[composite] each source must be an object with one named value source")
		}
		src := source{name: s.Keys()[0], typ: s.Vals()[0].Keys()[0]}
		body := s.Vals()[0].Vals()[0]
		for k, v := range body.Fields() {
			switch k {
			case "field":
				src.field = scalar(v)
			case "script":
				src.script = true
			case "order":
				src.desc = strings.EqualFold(scalar(v), "desc")
			case "missing_bucket":
				src.missing = v.Kind == jsontree.Bool && v.Bool
			}
		}
		a.sources = append(a.sources, src)
	}
	if len(a.sources) == 0 {
		return illegalArgument("Composite [sources] cannot be null or empty")
	}
	return nil
}

func (a *agg) parseFilters(p *parser, k string, v *jsontree.Node) *Error {
	switch k {
	case "other_bucket":
		if v.Kind == jsontree.Bool && v.Bool && a.other == "" {
			a.other = "_other_"
		}
		return nil
	case "other_bucket_key":
		a.other = scalar(v)
		return nil
	}
	switch v.Kind {
	case jsontree.Object:
		for key, val := range v.Fields() {
			q, err := p.query(val)
			if err != nil {
				return err
			}
			a.filters = append(a.filters, keyed{key: key, q: q})
		}
		// FiltersAggregationBuilder sorts keyed filters by key.
		slices.SortStableFunc(a.filters, func(x, y keyed) int { return strings.Compare(x.key, y.key) })
	case jsontree.Array:
		a.keyed = false
		for _, e := range v.Vals() {
			q, err := p.query(e)
			if err != nil {
				return err
			}
			a.filters = append(a.filters, keyed{q: q})
		}
	default:
		return parsingError("Unknown key for a %s in [%s]: [filters].", v.Kind.Token(), a.name)
	}
	return nil
}
