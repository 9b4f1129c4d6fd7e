package query

import (
	"math"
	"strconv"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// sortSpec is one entry of "sort", as FieldSortBuilder holds it.
type sortSpec struct {
	name    string
	desc    bool
	missing *jsontree.Node // _last (default), _first, or a value
	mode    string
	format  string
	nested  bool
	f       *field // nil for _doc
}

var sortOptions = []string{"unmapped_type", "numeric_type"}

func (t *tree) parseSort(n *jsontree.Node) ([]*sortSpec, *Error) {
	items := []*jsontree.Node{n}
	if n.Kind == jsontree.Array {
		items = n.Vals()
	}
	var out []*sortSpec
	for _, it := range items {
		switch {
		case it.Kind == jsontree.String:
			out = append(out, &sortSpec{name: it.Str, desc: it.Str == "_score"})
		case it.Kind == jsontree.Object && len(it.Keys()) == 1:
			s, err := t.sortObject(it.Keys()[0], it.Vals()[0])
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		case it.Kind == jsontree.Object:
			return nil, parsingError("Failed to parse object: expecting token of type [END_OBJECT] but found [FIELD_NAME]")
		default:
			return nil, illegalArgument("mal-formatted sort object")
		}
	}
	return out, nil
}

func (t *tree) sortObject(name string, o *jsontree.Node) (*sortSpec, *Error) {
	s := &sortSpec{name: name}
	if o.Kind != jsontree.Object {
		return nil, xParse("%s [field_sort] Expected START_OBJECT but was: %s", t.Loc(o), o.Kind.Token())
	}
	for k, v := range o.Fields() {
		switch k {
		case "order":
			switch strings.ToLower(scalar(v)) {
			case "asc":
			case "desc":
				s.desc = true
			default:
				return nil, illegalArgument("Unknown SortOrder [%s]", scalar(v))
			}
		case "missing":
			s.missing = v
		case "mode":
			s.mode = strings.ToLower(scalar(v))
		case "format":
			s.format = scalar(v)
		case "nested", "nested_path", "nested_filter":
			s.nested = true
		default:
			if !contains(sortOptions, k) {
				return nil, xParse("%s [field_sort] unknown field [%s]", t.Loc(v), k)
			}
		}
	}
	return s, nil
}

// bind translates the sort fields, as FieldNameTranslators.translateFieldSortBuilders does.
func (s *sortSpec) bind(b *binder) *Error {
	if s.nested {
		return illegalArgument("nested sorting is not currently supported in this context")
	}
	if s.name == "_doc" {
		return nil
	}
	f, err := b.rel.translate(s.name)
	s.f = f
	return err
}

// sortKey is a document's value for one sort entry: a string, a number, or nothing (a missing keyword).
type sortKey struct {
	s     string
	n     int64
	isNum bool
	null  bool
}

func (s *sortSpec) key(d *Doc) sortKey {
	if s.f == nil {
		return sortKey{n: int64(d.Seq), isNum: true}
	}
	if s.f.single != nil {
		return sortKey{s: s.f.single(d)}
	}
	if s.f.kind == keyword {
		vals := s.f.get(d)
		if len(vals) == 0 {
			return s.missingKey(false)
		}
		pick := vals[0]
		useMax := s.desc
		if s.mode == "min" || s.mode == "max" {
			useMax = s.mode == "max"
		}
		for _, v := range vals[1:] {
			if (useMax && v > pick) || (!useMax && v < pick) {
				pick = v
			}
		}
		return sortKey{s: pick}
	}
	v, ok := s.f.num(d)
	if !ok {
		return s.missingKey(true)
	}
	return sortKey{n: v, isNum: true}
}

// missingKey places documents without a value: last by default, for numbers as Long.MAX_VALUE
// ascending (MIN_VALUE descending), which is also what _sort shows for them.
func (s *sortSpec) missingKey(num bool) sortKey {
	first := s.missing != nil && scalar(s.missing) == "_first"
	custom := s.missing != nil && !first && scalar(s.missing) != "_last"
	if !num {
		if custom {
			return sortKey{s: scalar(s.missing)}
		}
		return sortKey{null: true} // sorts by the missing rule in compare
	}
	if custom {
		n, _ := strconv.ParseInt(scalar(s.missing), 10, 64)
		return sortKey{n: n, isNum: true}
	}
	if first == s.desc {
		return sortKey{n: math.MaxInt64, isNum: true}
	}
	return sortKey{n: math.MinInt64, isNum: true}
}

// compare orders a before b for this entry (negative), honouring the direction and missing rule.
func (s *sortSpec) compare(a, b sortKey) int {
	if !a.isNum && (a.null || b.null) {
		if a.null && b.null {
			return 0
		}
		first := s.missing != nil && scalar(s.missing) == "_first"
		if a.null == first {
			return -1
		}
		return 1
	}
	c := 0
	if a.isNum {
		c = cmpInt(a.n, b.n)
	} else {
		c = strings.Compare(a.s, b.s)
	}
	if s.desc {
		return -c
	}
	return c
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// value renders a key as _sort shows it: strings, epoch milliseconds (or the format), 0/1 for booleans.
func (s *sortSpec) value(k sortKey) any {
	if !k.isNum {
		if k.null {
			return nil
		}
		return k.s
	}
	if s.f != nil && s.f.kind == date && s.format != "" && s.format != "epoch_millis" && k.n != math.MaxInt64 && k.n != math.MinInt64 {
		return formatJava(s.format, k.n)
	}
	return k.n
}

// afterKey reads a search_after value for this entry.
func (s *sortSpec) afterKey(v *jsontree.Node, now int64) (sortKey, *Error) {
	if s.f != nil && s.f.kind == keyword {
		if v.Kind == jsontree.Null {
			return sortKey{null: true}, nil
		}
		return sortKey{s: scalar(v)}, nil
	}
	str := scalar(v)
	if s.f != nil && s.f.kind == boolean && (str == "true" || str == "false") {
		b, _ := parseBool(str)
		return sortKey{n: b, isNum: true}, nil
	}
	if n, err := strconv.ParseInt(str, 10, 64); err == nil {
		return sortKey{n: n, isNum: true}, nil
	}
	if s.f != nil && s.f.kind == date {
		n, err := dateParser{now: now, format: s.format}.parse(str, false)
		return sortKey{n: n, isNum: true}, err
	}
	return sortKey{}, illegalArgument("Failed to parse search_after value for field [%s].", s.name)
}
