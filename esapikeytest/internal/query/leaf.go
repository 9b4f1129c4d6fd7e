package query

import (
	"strings"
	"time"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// fieldBody splits {"<field>": value-or-object} of single-field queries, refusing a second field.
func fieldBody(query string, n *jsontree.Node) (string, *jsontree.Node, *Error) {
	var name string
	var body *jsontree.Node
	for i, k := range n.Keys {
		if ok, err := common(k, n.Vals[i]); ok || err != nil {
			if err != nil {
				return "", nil, err
			}
			continue
		}
		if body != nil {
			return "", nil, parsingError("[%s] query doesn't support multiple fields, found [%s] and [%s]", query, name, k)
		}
		name, body = k, n.Vals[i]
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
		for i, k := range body.Keys {
			v := body.Vals[i]
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
	v := scalar(q.value)
	switch {
	case q.query == "term":
		q.pred, err = eqPred(f, v, q.fold, b)
		return err
	case f.kind != keyword:
		return &Error{Status: 400, Type: "query_shard_exception", Search: true, Reason: "Can only use " + q.query +
			" queries on keyword, text and wildcard fields - not on [" + f.index + "] which is of type [" +
			map[fieldKind]string{date: "date", boolean: "boolean"}[f.kind] + "]"}
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
		p := dateParser{now: b.now}
		lo, err := p.parse(v, false)
		if err != nil {
			return nil, err
		}
		hi, _ := p.parse(v, true)
		return func(d *Doc) bool { x, ok := f.num(d); return ok && x >= lo && x <= hi }, nil
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
	preds  []func(d *Doc) bool
}

func (p *parser) terms(n *jsontree.Node) (clause, *Error) {
	name, body, err := fieldBody("terms", n)
	if err != nil {
		return nil, err
	}
	q := &termsQuery{name: name}
	switch body.Kind {
	case jsontree.Array:
		for _, v := range body.Vals {
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

func (q *termsQuery) bind(b *binder) *Error {
	if q.lookup {
		return illegalArgument("terms query with terms lookup is not currently supported in this context")
	}
	f, err := b.rel.translate(q.name)
	if err != nil {
		return err
	}
	if f.kind == keyword {
		set := map[string]bool{}
		for _, v := range q.values {
			set[v] = true
		}
		q.preds = []func(d *Doc) bool{anyValue(f, func(s string) bool { return set[s] })}
		return nil
	}
	for _, v := range q.values {
		pred, err := eqPred(f, v, false, b)
		if err != nil {
			return err
		}
		q.preds = append(q.preds, pred)
	}
	return nil
}

func (q *termsQuery) match(d *Doc) bool {
	for _, p := range q.preds {
		if p(d) {
			return true
		}
	}
	return false
}

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
	for i, k := range body.Keys {
		v := body.Vals[i]
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
