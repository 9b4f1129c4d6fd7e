package query

import (
	"slices"
	"strings"
)

// aggValue is one value of a field for aggregations: text for keywords, a number for dates and booleans.
type aggValue struct {
	s   string
	n   int64
	num bool
}

// eachValue calls fn with each distinct value of the field in d, allocating nothing for one value.
func eachValue(f *field, d *Doc, fn func(aggValue)) {
	switch {
	case f.single != nil:
		fn(aggValue{s: f.single(d)})
	case f.kind != keyword:
		if n, ok := f.num(d); ok {
			fn(aggValue{n: n, num: true})
		}
	default:
		vals := f.get(d)
		if len(vals) > 8 {
			seen := make(map[string]bool, len(vals)) // linear for large arrays of metadata values
			for _, s := range vals {
				if !seen[s] {
					seen[s] = true
					fn(aggValue{s: s})
				}
			}
			return
		}
		for i, s := range vals {
			if !slices.Contains(vals[:i], s) {
				fn(aggValue{s: s})
			}
		}
	}
}

func (v aggValue) compare(w aggValue) int {
	if v.num {
		return cmpInt(v.n, w.n)
	}
	return strings.Compare(v.s, w.s)
}

// asString renders a number in the field's format: epoch milliseconds for dates, true/false for booleans.
func asString(f *field, n int64) string {
	if f.kind == boolean {
		return map[bool]string{true: "true", false: "false"}[n == 1]
	}
	return formatMillis(n)
}

// runAggs computes aggregations over docs; their order is the request's.
func runAggs(aggs []*agg, docs []*Doc, typed bool) Object {
	out := Object{}
	for _, a := range aggs {
		name, body := a.run(docs, typed)
		if typed {
			name += "#" + a.name
		} else {
			name = a.name
		}
		out = append(out, KV{name, body})
	}
	return out
}

// bucket renders a bucket's fields followed by its sub-aggregations.
func (a *agg) bucket(fields Object, docs []*Doc, typed bool) Object {
	return append(fields, runAggs(a.subs, docs, typed)...)
}

// run returns the typed_keys name of the aggregation and its rendering.
func (a *agg) run(docs []*Doc, typed bool) (string, Object) {
	switch a.typ {
	case "terms":
		return a.terms(docs, typed)
	case "missing":
		var in []*Doc
		for _, d := range docs {
			if !a.f.exists(d) {
				in = append(in, d)
			}
		}
		return "missing", a.bucket(Object{{"doc_count", len(in)}}, in, typed)
	case "cardinality", "value_count":
		seen := map[aggValue]bool{}
		count := 0
		for _, d := range docs {
			eachValue(a.f, d, func(v aggValue) {
				seen[v] = true
				count++
			})
		}
		if a.typ == "cardinality" {
			count = len(seen)
		}
		return a.typ, Object{{"value", count}}
	case "filter":
		var in []*Doc
		for _, d := range docs {
			if a.filter.match(d) {
				in = append(in, d)
			}
		}
		return "filter", a.bucket(Object{{"doc_count", len(in)}}, in, typed)
	case "filters":
		return "filters", a.runFilters(docs, typed)
	case "composite":
		return "composite", a.composite(docs, typed)
	}
	return a.typ, a.runRanges(docs, typed)
}

func (a *agg) terms(docs []*Doc, typed bool) (string, Object) {
	groups := map[aggValue][]*Doc{}
	var keys []aggValue
	for _, d := range docs {
		eachValue(a.f, d, func(v aggValue) {
			if groups[v] == nil {
				keys = append(keys, v)
			}
			groups[v] = append(groups[v], d)
		})
	}
	order := a.order
	if len(order) == 0 {
		order = []termsOrder{{desc: true}}
	}
	slices.SortFunc(keys, func(x, y aggValue) int {
		for _, o := range order {
			c := x.compare(y)
			if !o.byKey {
				c = len(groups[x]) - len(groups[y])
			}
			if o.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return x.compare(y) // ties by key, ascending
	})
	buckets := []Object{}
	other := 0
	for _, k := range keys {
		n := len(groups[k])
		if n < a.minDocCount {
			continue
		}
		if len(buckets) >= a.size {
			other += n
			continue
		}
		fields := Object{{"key", k.s}}
		if k.num {
			fields = Object{{"key", k.n}, {"key_as_string", asString(a.f, k.n)}}
		}
		buckets = append(buckets, a.bucket(append(fields, KV{"doc_count", n}), groups[k], typed))
	}
	typ := "sterms"
	if a.f.kind != keyword {
		typ = "lterms"
	}
	return typ, Object{{"doc_count_error_upper_bound", 0}, {"sum_other_doc_count", other}, {"buckets", buckets}}
}

func (a *agg) runFilters(docs []*Doc, typed bool) Object {
	keyedBuckets := Object{}
	list := []Object{}
	matchedAny := make([]bool, len(docs))
	add := func(key string, in []*Doc, named bool) {
		if a.keyed {
			keyedBuckets = append(keyedBuckets, KV{key, a.bucket(Object{{"doc_count", len(in)}}, in, typed)})
			return
		}
		fields := Object{}
		if named {
			fields = Object{{"key", key}}
		}
		list = append(list, a.bucket(append(fields, KV{"doc_count", len(in)}), in, typed))
	}
	for _, f := range a.filters {
		var in []*Doc
		for i, d := range docs {
			if f.q.match(d) {
				in = append(in, d)
				matchedAny[i] = true
			}
		}
		add(f.key, in, f.key != "")
	}
	if a.other != "" {
		var rest []*Doc
		for i, d := range docs {
			if !matchedAny[i] {
				rest = append(rest, d)
			}
		}
		add(a.other, rest, len(a.filters) > 0 && a.filters[0].key != "")
	}
	if a.keyed {
		return Object{{"buckets", keyedBuckets}}
	}
	return Object{{"buckets", list}}
}
