package query

import (
	"slices"
	"strconv"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

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

func (a *agg) composite(docs []*Doc, c *aggRun) (Object, *Error) {
	type group struct {
		key  compositeKey
		docs []*Doc
	}
	index := map[string]*group{}
	var groups []*group
	cur := make([]aggValue, len(a.sources))
	missing := make([]bool, len(a.sources))
	var id []byte
	// visit walks every combination of the document's source values without allocating; a group's
	// key is copied only when the group is first seen.
	var visit func(d *Doc, i int)
	visit = func(d *Doc, i int) {
		if i == len(a.sources) {
			g := index[string(id)]
			if g == nil {
				g = &group{key: make(compositeKey, len(cur))}
				for j := range cur {
					if !missing[j] {
						v := cur[j]
						g.key[j] = &v
					}
				}
				index[string(id)] = g
				groups = append(groups, g)
			}
			g.docs = append(g.docs, d)
			return
		}
		mark := len(id)
		seen := false
		eachValue(a.sources[i].f, d, func(v aggValue) {
			seen = true
			cur[i], missing[i] = v, false
			id = append(append(append(id[:mark], 1), v.s...), strconv.FormatInt(v.n, 10)...)
			visit(d, i+1)
		})
		if !seen && a.sources[i].missing {
			missing[i] = true
			id = append(id[:mark], 0)
			visit(d, i+1)
		}
		id = id[:mark]
	}
	for _, d := range docs {
		visit(d, 0)
	}
	slices.SortFunc(groups, func(x, y *group) int { return a.compareKeys(x.key, y.key) })
	after := a.afterKey()
	var page []*group
	for _, g := range groups {
		if after != nil && a.compareKeys(g.key, after) <= 0 {
			continue
		}
		if len(page) >= a.size {
			break
		}
		page = append(page, g)
	}
	if err := c.consume(len(page)); err != nil {
		return nil, err
	}
	buckets := []Object{}
	var last Object
	for _, g := range page {
		last = a.renderKey(g.key)
		b, err := a.bucket(Object{{"key", last}, {"doc_count", len(g.docs)}}, g.docs, c)
		if err != nil {
			return nil, err
		}
		buckets = append(buckets, b)
	}
	if last == nil {
		return Object{{"buckets", buckets}}, nil
	}
	return Object{{"after_key", last}, {"buckets", buckets}}, nil
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
	if a.afterN == nil || a.afterN.Kind != jsontree.Object {
		return nil
	}
	key := make(compositeKey, len(a.sources))
	for i, s := range a.sources {
		n := a.afterN.Field(s.name)
		if n == nil || n.Kind == jsontree.Null {
			continue
		}
		v := aggValue{s: scalar(n)}
		if s.f.kind != keyword {
			b, err := parseBool(scalar(n))
			if s.f.kind == date || err != nil {
				b = int64(atoi(scalar(n)))
			}
			v = aggValue{n: b, num: true}
		}
		key[i] = &v
	}
	return key
}
