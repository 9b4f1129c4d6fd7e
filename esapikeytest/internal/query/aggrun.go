package query

import (
	"encoding/json"
	"math"
	"strconv"
	"slices"
	"strings"
)

// aggValue is one value of a field for aggregations: text for keywords, a number for dates and booleans.
type aggValue struct {
	s   string
	n   int64
	num bool
}

func valuesOf(f *field, d *Doc) []aggValue {
	if f.kind == keyword {
		vals := f.get(d)
		out := make([]aggValue, 0, len(vals))
		for _, s := range vals {
			if !slices.ContainsFunc(out, func(v aggValue) bool { return v.s == s }) {
				out = append(out, aggValue{s: s})
			}
		}
		return out
	}
	if n, ok := f.num(d); ok {
		return []aggValue{{n: n, num: true}}
	}
	return nil
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
			for _, v := range valuesOf(a.f, d) {
				seen[v] = true
				count++
			}
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
		for _, v := range valuesOf(a.f, d) {
			if groups[v] == nil {
				keys = append(keys, v)
			}
			groups[v] = append(groups[v], d)
		}
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

// compositeKey is one combination of source values; nil entries are missing values.
type compositeKey []*aggValue

func (a *agg) compareKeys(x, y compositeKey) int {
	for i, s := range a.sources {
		var c int
		switch {
		case x[i] == nil && y[i] == nil:
		case x[i] == nil:
			c = -1
		case y[i] == nil:
			c = 1
		default:
			c = x[i].compare(*y[i])
		}
		if s.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

func (a *agg) compositeValue(i int, v *aggValue) any {
	switch {
	case v == nil:
		return nil
	case !v.num:
		return v.s
	case a.sources[i].f.kind == boolean:
		return v.n == 1
	}
	return formatMillis(v.n)
}

func (a *agg) composite(docs []*Doc, typed bool) Object {
	type group struct {
		key  compositeKey
		docs []*Doc
	}
	index := map[string]*group{}
	var groups []*group
	for _, d := range docs {
		combos := []compositeKey{{}}
		for _, s := range a.sources {
			vals := valuesOf(s.f, d)
			var next []compositeKey
			for _, c := range combos {
				if len(vals) == 0 && s.missing {
					next = append(next, append(slices.Clone(c), nil))
				}
				for _, v := range vals {
					next = append(next, append(slices.Clone(c), &v))
				}
			}
			combos = next
		}
		for _, c := range combos {
			id := a.keyID(c)
			g := index[id]
			if g == nil {
				g = &group{key: c}
				index[id] = g
				groups = append(groups, g)
			}
			g.docs = append(g.docs, d)
		}
	}
	slices.SortFunc(groups, func(x, y *group) int { return a.compareKeys(x.key, y.key) })
	after := a.afterKey()
	buckets := []Object{}
	var last Object
	for _, g := range groups {
		if after != nil && a.compareKeys(g.key, after) <= 0 {
			continue
		}
		if len(buckets) >= a.size {
			break
		}
		last = a.renderKey(g.key)
		buckets = append(buckets, a.bucket(Object{{"key", last}, {"doc_count", len(g.docs)}}, g.docs, typed))
	}
	if last == nil {
		return Object{{"buckets", buckets}}
	}
	return Object{{"after_key", last}, {"buckets", buckets}}
}

func (a *agg) keyID(c compositeKey) string {
	var b strings.Builder
	for _, v := range c {
		if v == nil {
			b.WriteString("\x00n")
		} else {
			b.WriteString("\x00" + v.s + "\x01" + formatMillis(v.n))
		}
	}
	return b.String()
}

func (a *agg) renderKey(c compositeKey) Object {
	o := make(Object, len(c))
	for i, v := range c {
		o[i] = KV{a.sources[i].name, a.compositeValue(i, v)}
	}
	return o
}

// afterKey reads "after" against the sources; values it cannot read leave no lower bound.
func (a *agg) afterKey() compositeKey {
	if a.afterN == nil || a.afterN.kind != kObject {
		return nil
	}
	key := make(compositeKey, len(a.sources))
	for i, s := range a.sources {
		n := a.afterN.field(s.name)
		if n == nil || n.kind == kNull {
			continue
		}
		v := aggValue{s: n.scalar()}
		if s.f.kind != keyword {
			b, err := parseBool(n.scalar())
			if s.f.kind == date || err != nil {
				b = int64(atoi(n.scalar()))
			}
			v = aggValue{n: b, num: true}
		}
		key[i] = &v
	}
	return key
}

func (n *node) field(k string) *node {
	for i, key := range n.keys {
		if key == k {
			return n.vals[i]
		}
	}
	return nil
}

func (a *agg) runRanges(docs []*Doc, typed bool) Object {
	ranges := slices.Clone(a.ranges)
	lo := func(r rangeSpec) float64 { return map[bool]float64{true: r.lo, false: math.Inf(-1)}[r.hasLo] }
	hi := func(r rangeSpec) float64 { return map[bool]float64{true: r.hi, false: math.Inf(1)}[r.hasHi] }
	// RangeAggregator sorts its ranges by from, then to.
	slices.SortStableFunc(ranges, func(x, y rangeSpec) int {
		if c := cmpFloat(lo(x), lo(y)); c != 0 {
			return c
		}
		return cmpFloat(hi(x), hi(y))
	})
	keyedBuckets := Object{}
	list := []Object{}
	for _, r := range ranges {
		var in []*Doc
		for _, d := range docs {
			if x, ok := a.f.num(d); ok && float64(x) >= lo(r) && float64(x) < hi(r) {
				in = append(in, d)
			}
		}
		key := r.key
		fromS, toS := "*", "*"
		fields := Object{}
		if r.hasLo {
			fromS = a.formatBound(r.lo)
			fields = append(fields, KV{"from", javaDouble(r.lo)}, KV{"from_as_string", fromS})
		}
		if r.hasHi {
			toS = a.formatBound(r.hi)
			fields = append(fields, KV{"to", javaDouble(r.hi)}, KV{"to_as_string", toS})
		}
		if key == "" {
			key = fromS + "-" + toS
		}
		fields = append(fields, KV{"doc_count", len(in)})
		if a.keyed {
			keyedBuckets = append(keyedBuckets, KV{key, a.bucket(fields, in, typed)})
		} else {
			list = append(list, a.bucket(append(Object{{"key", key}}, fields...), in, typed))
		}
	}
	if a.keyed {
		return Object{{"buckets", keyedBuckets}}
	}
	return Object{{"buckets", list}}
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// formatBound renders a range bound in the aggregation's format, or the field's (epoch_millis).
func (a *agg) formatBound(x float64) string {
	ms := int64(x)
	if a.f.kind == boolean {
		return asString(a.f, ms)
	}
	if a.format == "" || a.format == "epoch_millis" {
		return formatMillis(ms)
	}
	return formatJava(a.format, ms)
}

// javaDouble writes a double as Java's Double.toString does (0.0, 5.5, 1.7E12), as range bounds appear.
func javaDouble(x float64) json.Number {
	if a := math.Abs(x); a != 0 && (a < 1e-3 || a >= 1e7) {
		mant, exp, _ := strings.Cut(strconv.FormatFloat(x, 'E', -1, 64), "E")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		e, _ := strconv.Atoi(exp)
		return json.Number(mant + "E" + strconv.Itoa(e))
	}
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return json.Number(s)
}
