package query

import (
	"slices"
	"strings"
	"time"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// fieldBody splits {"<field>": value-or-object} of single-field queries, refusing a second field.
func fieldBody(query string, n *jsontree.Node) (string, *jsontree.Node, *Error) {
	var name string
	var body *jsontree.Node
	for k, v := range n.Fields() {
		if ok, err := common(k, v); ok || err != nil {
			if err != nil {
				return "", nil, err
			}
			continue
		}
		if body != nil {
			return "", nil, parsingError("[%s] query doesn't support multiple fields, found [%s] and [%s]", query, name, k)
		}
		name, body = k, v
	}
	if body == nil {
		return "", nil, parsingError("[%s] query requires a field", query)
	}
	return name, body, nil
}

// termLike is term, prefix or wildcard on one field.
type termLike struct {
	query, name string
	value       *jsontree.Node
	fold        bool
	pred        func(d *Doc) bool
}

func (p *parser) termLike(query string, n *jsontree.Node) (clause, *Error) {
	name, body, err := fieldBody(query, n)
	if err != nil {
		return nil, err
	}
	q := &termLike{query: query, name: name, value: body}
	if body.Kind == jsontree.Object {
		q.value = nil
		for k, v := range body.Fields() {
			switch {
			case k == "value" || (k == "wildcard" && query == "wildcard"):
				q.value = v
			case k == "case_insensitive":
				q.fold = v.Kind == jsontree.Bool && v.Bool
			case k == "rewrite" && query != "term":
			default:
				if ok, err := common(k, v); err != nil || !ok {
					return nil, orErr(err, noSupport(query, k))
				}
			}
		}
	}
	if q.value == nil || q.value.Kind == jsontree.Null || q.value.Kind == jsontree.Array || q.value.Kind == jsontree.Object {
		return nil, parsingError("[%s] query malformed, no value specified for field [%s]", query, name)
	}
	return q, nil
}

func (q *termLike) bind(b *binder) *Error {
	f, err := b.rel.translate(q.name)
	if err != nil {
		return err
	}
	b.leaves += leavesOf(f)
	v := scalar(q.value)
	switch {
	case q.query == "term":
		q.pred, err = eqPred(f, v, q.fold, b)
		return err
	case f.kind != keyword:
		return &Error{Status: 400, Type: "query_shard_exception", Search: true, Reason: "Can only use " + q.query +
			" queries on keyword, text and wildcard fields - not on [" + f.index + "] which is of type [" +
			map[fieldKind]string{date: "date", boolean: "boolean"}[f.kind] + "]"}
	case q.query == "wildcard" && f.keyed:
		return keyedUnsupported("wildcard")
	case q.query == "prefix":
		fold := q.fold
		if fold {
			v = strings.ToLower(v)
		}
		q.pred = anyValue(f, func(s string) bool {
			if fold {
				s = strings.ToLower(s)
			}
			return strings.HasPrefix(s, v)
		})
	default:
		q.pred = anyValue(f, func(s string) bool { return globMatch(v, s, q.fold) })
	}
	return nil
}

func (q *termLike) match(d *Doc) bool { return q.pred(d) }

func anyValue(f *field, ok func(string) bool) func(d *Doc) bool {
	if f.single != nil {
		return func(d *Doc) bool { return ok(f.single(d)) }
	}
	return func(d *Doc) bool {
		for _, s := range f.get(d) {
			if ok(s) {
				return true
			}
		}
		return false
	}
}

// eqPred is "the field holds this value", as the field type's termQuery reads the value: a date
// is the range its rounding covers, a boolean is true or false.
func eqPred(f *field, v string, fold bool, b *binder) (func(d *Doc) bool, *Error) {
	switch f.kind {
	case date:
		s, err := dateSpan(v, b)
		if err != nil {
			return nil, err
		}
		return func(d *Doc) bool { x, ok := f.num(d); return ok && x >= s.lo && x <= s.hi }, nil
	case boolean:
		want, err := parseBool(v)
		if err != nil {
			return nil, err
		}
		return func(d *Doc) bool { x, _ := f.num(d); return x == want }, nil
	}
	if fold {
		return anyValue(f, func(s string) bool { return strings.EqualFold(s, v) }), nil
	}
	return anyValue(f, func(s string) bool { return s == v }), nil
}

// leavesOf is how many leaf queries Lucene visits for a term or range on the field: a date field's
// query is an IndexOrDocValuesQuery over the points and the doc values.
func leavesOf(f *field) int {
	if f.kind == date {
		return 2
	}
	return 1
}

// span is the instants a date value covers, its rounding included.
type span struct{ lo, hi int64 }

func dateSpan(v string, b *binder) (span, *Error) {
	p := dateParser{now: b.now}
	lo, err := p.parse(v, false)
	if err != nil {
		return span{}, err
	}
	hi, _ := p.parse(v, true)
	return span{lo, hi}, nil
}

func parseBool(v string) (int64, *Error) {
	switch v {
	case "true":
		return 1, nil
	case "false", "":
		return 0, nil
	}
	return 0, searchError(illegalArgument("Can't parse boolean value [%s], expected [true] or [false]", v))
}

// termsQuery matches any of its values.
type termsQuery struct {
	name   string
	values []string
	lookup bool
	pred   func(d *Doc) bool
}

func (p *parser) terms(n *jsontree.Node) (clause, *Error) {
	name, body, err := fieldBody("terms", n)
	if err != nil {
		return nil, err
	}
	q := &termsQuery{name: name}
	switch body.Kind {
	case jsontree.Array:
		q.values = make([]string, 0, len(body.Vals()))
		for _, v := range body.Vals() {
			if v.Kind == jsontree.Object || v.Kind == jsontree.Array || v.Kind == jsontree.Null {
				return nil, parsingError("[terms] query does not support [%s]", name)
			}
			q.values = append(q.values, scalar(v))
		}
	case jsontree.Object:
		q.lookup = true
	default:
		return nil, parsingError("[terms] query does not support [%s]", name)
	}
	return q, nil
}

// bind reads the values once, so that matching a document costs a lookup, not a pass over the values.
func (q *termsQuery) bind(b *binder) *Error {
	if q.lookup {
		return illegalArgument("terms query with terms lookup is not currently supported in this context")
	}
	f, err := b.rel.translate(q.name)
	if err != nil {
		return err
	}
	if len(q.values) > maxTermsCount {
		return tooManyTerms(len(q.values))
	}
	switch f.kind {
	case keyword:
		b.leaves++ // a TermInSetQuery
		set := make(map[string]struct{}, len(q.values))
		for _, v := range q.values {
			set[v] = struct{}{}
		}
		q.pred = anyValue(f, func(s string) bool { _, ok := set[s]; return ok })
	case boolean:
		b.leaves++
		var want [2]bool
		for _, v := range q.values {
			x, err := parseBool(v)
			if err != nil {
				return err
			}
			want[x] = true
		}
		q.pred = func(d *Doc) bool { x, _ := f.num(d); return want[x] }
	default:
		return q.bindDates(f, b)
	}
	return nil
}

// bindDates reads date values as MappedFieldType.termsQuery does: one term query, a range, per value,
// all in one BooleanQuery (so at most maxClauseCount of them). Matching searches the merged spans.
func (q *termsQuery) bindDates(f *field, b *binder) *Error {
	spans := make([]span, 0, len(q.values))
	for i, v := range q.values {
		s, err := dateSpan(v, b)
		if err != nil {
			return err
		}
		if i >= maxClauseCount {
			return tooManyClauses()
		}
		spans = append(spans, s)
	}
	b.leaves += 2 * len(spans)
	slices.SortFunc(spans, func(x, y span) int { return cmpInt(x.lo, y.lo) })
	merged := spans[:0]
	for _, s := range spans {
		if n := len(merged); n > 0 && s.lo <= merged[n-1].hi {
			merged[n-1].hi = max(merged[n-1].hi, s.hi)
			continue
		}
		merged = append(merged, s)
	}
	q.pred = func(d *Doc) bool {
		x, ok := f.num(d)
		if !ok {
			return false
		}
		i, _ := slices.BinarySearchFunc(merged, x, func(s span, x int64) int { return cmpInt(s.hi, x) })
		return i < len(merged) && merged[i].lo <= x
	}
	return nil
}

func (q *termsQuery) match(d *Doc) bool { return q.pred(d) }

// rangeQuery bounds one field; keyword fields compare as strings, dates as instants.
type rangeQuery struct {
	name                  string
	from, to              *jsontree.Node
	includeLower, inclUp  bool
	format, timeZone, rel string
	pred                  func(d *Doc) bool
}

func (p *parser) rangeQuery(n *jsontree.Node) (clause, *Error) {
	name, body, err := fieldBody("range", n)
	if err != nil {
		return nil, err
	}
	if body.Kind != jsontree.Object {
		return nil, parsingError("[range] query malformed, no start_object after query name")
	}
	q := &rangeQuery{name: name, includeLower: true, inclUp: true}
	for k, v := range body.Fields() {
		if v.Kind == jsontree.Null && k != "format" && k != "time_zone" {
			v = nil
		}
		switch k {
		case "from":
			q.from = v
		case "to":
			q.to = v
		case "include_lower":
			q.includeLower = v != nil && v.Bool
		case "include_upper":
			q.inclUp = v != nil && v.Bool
		case "gt", "gte":
			q.from, q.includeLower = v, k == "gte"
		case "lt", "lte":
			q.to, q.inclUp = v, k == "lte"
		case "format":
			q.format = scalar(v)
		case "time_zone":
			q.timeZone = scalar(v)
		case "relation":
			q.rel = scalar(v)
		default:
			if ok, err := common(k, v); err != nil || !ok {
				return nil, orErr(err, parsingError("[range] query does not support [%s]", k))
			}
		}
	}
	return q, nil
}

func (q *rangeQuery) bind(b *binder) *Error {
	if q.rel != "" {
		return illegalArgument("range query with relation is not currently supported in this context")
	}
	f, err := b.rel.translate(q.name)
	if err != nil {
		return err
	}
	b.leaves += leavesOf(f)
	switch f.kind {
	case keyword:
		lo, hi := bound(q.from), bound(q.to)
		q.pred = anyValue(f, func(s string) bool {
			return (q.from == nil || s > lo || (q.includeLower && s == lo)) && (q.to == nil || s < hi || (q.inclUp && s == hi))
		})
		return nil
	case boolean:
		lo, hi := int64(-1), int64(2)
		if q.from != nil {
			if lo, err = parseBool(scalar(q.from)); err != nil {
				return err
			}
			if !q.includeLower {
				lo++
			}
		}
		if q.to != nil {
			if hi, err = parseBool(scalar(q.to)); err != nil {
				return err
			}
			if !q.inclUp {
				hi--
			}
		}
		q.pred = func(d *Doc) bool { x, _ := f.num(d); return x >= lo && x <= hi }
		return nil
	}
	p := dateParser{now: b.now, format: q.format}
	if q.timeZone != "" {
		loc, lerr := time.LoadLocation(q.timeZone)
		if lerr != nil {
			return illegalArgument("time_zone [%s] is not supported", q.timeZone)
		}
		p.loc = loc
	}
	lo, hi := int64(-1<<63), int64(1<<63-1)
	if q.from != nil {
		// gt rounds up and gte down, so "gt now/d" starts after today (DateFieldType.rangeQuery).
		if lo, err = p.parse(scalar(q.from), !q.includeLower); err != nil {
			return err
		}
		if !q.includeLower {
			lo++
		}
	}
	if q.to != nil {
		if hi, err = p.parse(scalar(q.to), q.inclUp); err != nil {
			return err
		}
		if !q.inclUp {
			hi--
		}
	}
	q.pred = func(d *Doc) bool { x, ok := f.num(d); return ok && x >= lo && x <= hi }
	return nil
}

func bound(n *jsontree.Node) string {
	if n == nil {
		return ""
	}
	return scalar(n)
}

func (q *rangeQuery) match(d *Doc) bool { return q.pred(d) }
