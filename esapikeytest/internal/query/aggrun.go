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

// aggRun is the state of one request's aggregations: whether names carry their types, and the
// buckets built so far, which search.max_buckets bounds (MultiBucketConsumer).
type aggRun struct {
	typed   bool
	buckets int
}

// consume counts n more buckets, as BucketsAggregator.consumeBucketsAndMaybeBreak does for the
// buckets of terms, composite, filters and range aggregations.
func (c *aggRun) consume(n int) *Error {
	c.buckets += n
	if c.buckets > maxBuckets {
		return tooManyBuckets()
	}
	return nil
}

// runAggs computes aggregations over docs; their order is the request's.
func runAggs(aggs []*agg, docs []*Doc, c *aggRun) (Object, *Error) {
	out := Object{}
	for _, a := range aggs {
		name, body, err := a.run(docs, c)
		if err != nil {
			return nil, err
		}
		if c.typed {
			name += "#" + a.name
		} else {
			name = a.name
		}
		out = append(out, KV{name, body})
	}
	return out, nil
}

// bucket renders a bucket's fields followed by its sub-aggregations.
func (a *agg) bucket(fields Object, docs []*Doc, c *aggRun) (Object, *Error) {
	subs, err := runAggs(a.subs, docs, c)
	if err != nil {
		return nil, err
	}
	return append(fields, subs...), nil
}

// run returns the typed_keys name of the aggregation and its rendering.
func (a *agg) run(docs []*Doc, c *aggRun) (string, Object, *Error) {
	var body Object
	var err *Error
	switch a.typ {
	case "terms":
		return a.terms(docs, c)
	case "missing", "filter":
		var in []*Doc
		for _, d := range docs {
			if (a.typ == "missing" && !a.f.exists(d)) || (a.typ == "filter" && a.filter.match(d)) {
				in = append(in, d)
			}
		}
		body, err = a.bucket(Object{{"doc_count", len(in)}}, in, c)
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
		body = Object{{"value", count}}
	case "filters":
		body, err = a.runFilters(docs, c)
	case "composite":
		body, err = a.composite(docs, c)
	default:
		body, err = a.runRanges(docs, c)
	}
	return a.typ, body, err
}

// termCount is a term of a terms aggregation and its number of documents.
type termCount struct {
	v aggValue
	n int
}

// terms counts every term, keeps the size first by the order (a bounded heap), and collects the
// documents of the kept buckets only when they have sub-aggregations. A document without a value
// counts under the missing value, when one is given.
func (a *agg) terms(docs []*Doc, c *aggRun) (string, Object, *Error) {
	index := map[aggValue]int{}
	var terms []termCount
	valuesOf := func(d *Doc, fn func(aggValue)) {
		seen := false
		eachValue(a.f, d, func(v aggValue) { seen = true; fn(v) })
		if !seen && a.missingV != nil {
			fn(*a.missingV)
		}
	}
	for _, d := range docs {
		valuesOf(d, func(v aggValue) {
			i, ok := index[v]
			if !ok {
				i = len(terms)
				index[v] = i
				terms = append(terms, termCount{v: v})
			}
			terms[i].n++
		})
	}
	order := a.order
	if len(order) == 0 {
		order = []termsOrder{{desc: true}}
	}
	cmp := func(x, y termCount) int {
		for _, o := range order {
			c := x.v.compare(y.v)
			if !o.byKey {
				c = x.n - y.n
			}
			if o.desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return x.v.compare(y.v) // ties by key, ascending
	}
	top := newTopK(a.size, cmp)
	other := 0
	for _, t := range terms {
		if t.n >= a.minDocCount {
			other += t.n
			top.offer(t)
		}
	}
	kept := top.sorted()
	if err := c.consume(len(kept)); err != nil {
		return "", nil, err
	}
	var groups [][]*Doc
	if len(a.subs) > 0 {
		groups = make([][]*Doc, len(kept))
		at := make(map[aggValue]int, len(kept))
		for i, t := range kept {
			at[t.v] = i
		}
		for _, d := range docs {
			valuesOf(d, func(v aggValue) {
				if i, ok := at[v]; ok {
					groups[i] = append(groups[i], d)
				}
			})
		}
	}
	buckets := make([]Object, 0, len(kept))
	for i, t := range kept {
		other -= t.n
		fields := Object{{"key", t.v.s}}
		if t.v.num {
			fields = Object{{"key", t.v.n}, {"key_as_string", asString(a.f, t.v.n)}}
		}
		var in []*Doc
		if groups != nil {
			in = groups[i]
		}
		b, err := a.bucket(append(fields, KV{"doc_count", t.n}), in, c)
		if err != nil {
			return "", nil, err
		}
		buckets = append(buckets, b)
	}
	typ := "sterms"
	if a.f.kind != keyword {
		typ = "lterms"
	}
	return typ, Object{{"doc_count_error_upper_bound", 0}, {"sum_other_doc_count", other}, {"buckets", buckets}}, nil
}

func (a *agg) runFilters(docs []*Doc, c *aggRun) (Object, *Error) {
	n := len(a.filters)
	if a.other != "" {
		n++
	}
	if err := c.consume(n); err != nil {
		return nil, err
	}
	keyedBuckets := Object{}
	list := []Object{}
	matchedAny := make([]bool, len(docs))
	add := func(key string, in []*Doc, named bool) *Error {
		if a.keyed {
			b, err := a.bucket(Object{{"doc_count", len(in)}}, in, c)
			keyedBuckets = append(keyedBuckets, KV{key, b})
			return err
		}
		fields := Object{}
		if named {
			fields = Object{{"key", key}}
		}
		b, err := a.bucket(append(fields, KV{"doc_count", len(in)}), in, c)
		list = append(list, b)
		return err
	}
	for _, f := range a.filters {
		var in []*Doc
		for i, d := range docs {
			if f.q.match(d) {
				in = append(in, d)
				matchedAny[i] = true
			}
		}
		if err := add(f.key, in, f.key != ""); err != nil {
			return nil, err
		}
	}
	if a.other != "" {
		var rest []*Doc
		for i, d := range docs {
			if !matchedAny[i] {
				rest = append(rest, d)
			}
		}
		if err := add(a.other, rest, len(a.filters) > 0 && a.filters[0].key != ""); err != nil {
			return nil, err
		}
	}
	if a.keyed {
		return Object{{"buckets", keyedBuckets}}, nil
	}
	return Object{{"buckets", list}}, nil
}
