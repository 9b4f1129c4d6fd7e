package query

import (
	"slices"
	"strconv"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// bindAggs checks and translates aggregations as ApiKeyAggregationsBuilder.process does: pipeline
// aggregations first, then each aggregation before its sub-aggregations.
func bindAggs(aggs []*agg, b *binder) *Error {
	for _, a := range aggs {
		if slices.Contains(pipelineAggs, a.typ) {
			return illegalArgument("Unsupported aggregation of type [%s]", a.typ)
		}
	}
	for _, a := range aggs {
		for _, s := range a.subs {
			if slices.Contains(pipelineAggs, s.typ) {
				return illegalArgument("Unsupported aggregation of type [%s]", s.typ)
			}
		}
		if err := a.bind(b); err != nil {
			return err
		}
		if err := bindAggs(a.subs, b); err != nil {
			return err
		}
	}
	return nil
}

func (a *agg) bind(b *binder) *Error {
	if a.unimplemented != "" {
		return illegalArgument("esapikeytest: parameter [%s] of aggregation [%s] is not supported", a.unimplemented, a.typ)
	}
	var err *Error
	switch a.typ {
	case "terms", "range", "date_range", "missing", "cardinality", "value_count":
		if a.script {
			return illegalArgument("Unsupported script value source for [%s] agg", a.name)
		}
		if a.field == "" {
			return illegalArgument("Required one of fields [field, script], but none were specified.")
		}
		if a.f, err = b.rel.translate(a.field); err != nil {
			return err
		}
		if a.missingN != nil {
			v, err := missingValue(a.f, a.missingN, b)
			if err != nil {
				return err
			}
			a.missingV = &v
		}
		if (a.typ == "range" || a.typ == "date_range") && a.f.kind == keyword {
			// The shard finds no range aggregator for keywords, so the search fails.
			return searchError(illegalArgument("Field [%s] of type [keyword] is not supported for aggregation [%s]", a.f.index, a.typ))
		}
		return a.bindRanges(b)
	case "composite":
		for i := range a.sources {
			s := &a.sources[i]
			if s.script {
				return illegalArgument("Unsupported script value source for [%s] of composite agg [%s]", s.name, a.name)
			}
			if s.f, err = b.rel.translate(s.field); err != nil {
				return err
			}
			if s.typ != "terms" {
				return illegalArgument("esapikeytest: composite value source [%s] of type [%s] is not supported (only terms)", s.name, s.typ)
			}
		}
		return nil
	case "filter":
		return bindQuery(a.filter, b)
	case "filters":
		for _, f := range a.filters {
			if err := bindQuery(f.q, b); err != nil {
				return err
			}
		}
		return nil
	}
	// BEWARE, as Elasticsearch says: global must never be allowed, it would escape the owner filter.
	return illegalArgument("Unsupported API Keys agg [%s] of type [%s]", a.name, a.typ)
}

// missingValue reads a terms aggregation's missing value as a value of the field: text for keywords,
// epoch milliseconds for dates, 0 or 1 for booleans (ValuesSourceConfig parses it with the field's format).
func missingValue(f *field, n *jsontree.Node, b *binder) (aggValue, *Error) {
	s := scalar(n)
	switch f.kind {
	case date:
		ms, err := dateParser{now: b.now}.parse(s, false)
		return aggValue{n: ms, num: true}, err
	case boolean:
		x, err := parseBool(s)
		return aggValue{n: x, num: true}, err
	}
	return aggValue{s: s}, nil
}

// bindRanges reads range bounds: numbers, or dates in the field's format (date_range: date math too).
func (a *agg) bindRanges(b *binder) *Error {
	p := dateParser{now: b.now, format: a.format}
	read := func(n *jsontree.Node) (float64, bool, *Error) {
		if n == nil || n.Kind == jsontree.Null {
			return 0, false, nil
		}
		if n.Kind == jsontree.Number {
			x, err := strconv.ParseFloat(n.Str, 64)
			if err != nil {
				return 0, false, parsingError("[range] bad number [%s]", n.Str)
			}
			return x, true, nil
		}
		ms, err := p.parse(n.Str, false)
		return float64(ms), true, err
	}
	for i := range a.ranges {
		r := &a.ranges[i]
		var err *Error
		if r.lo, r.hasLo, err = read(r.from); err != nil {
			return err
		}
		if r.hi, r.hasHi, err = read(r.to); err != nil {
			return err
		}
	}
	return nil
}
