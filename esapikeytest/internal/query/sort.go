package query

import (
	"math"
	"strconv"
	"strings"
)

// sortSpec is one entry of "sort", as FieldSortBuilder holds it.
type sortSpec struct {
	name    string
	desc    bool
	missing *node // _last (default), _first, or a value
	mode    string
	format  string
	nested  bool
	f       *field // nil for _doc
}

var sortOptions = []string{"unmapped_type", "numeric_type"}

func (t *tree) parseSort(n *node) ([]*sortSpec, *Error) {
	items := []*node{n}
	if n.kind == kArray {
		items = n.vals
	}
	var out []*sortSpec
	for _, it := range items {
		switch {
		case it.kind == kString:
			out = append(out, &sortSpec{name: it.s, desc: it.s == "_score"})
		case it.kind == kObject && len(it.keys) == 1:
			s, err := t.sortObject(it.keys[0], it.vals[0])
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		case it.kind == kObject:
			return nil, parsingError("Failed to parse object: expecting token of type [END_OBJECT] but found [FIELD_NAME]")
		default:
			return nil, illegalArgument("mal-formatted sort object")
		}
	}
	return out, nil
}

func (t *tree) sortObject(name string, o *node) (*sortSpec, *Error) {
	s := &sortSpec{name: name}
	if o.kind != kObject {
		return nil, xParse("%s [field_sort] Expected START_OBJECT but was: %s", t.loc(o), o.kind.token())
	}
	for i, k := range o.keys {
		v := o.vals[i]
		switch k {
		case "order":
			switch strings.ToLower(v.scalar()) {
			case "asc":
			case "desc":
				s.desc = true
			default:
				return nil, illegalArgument("Unknown SortOrder [%s]", v.scalar())
			}
		case "missing":
			s.missing = v
		case "mode":
			s.mode = strings.ToLower(v.scalar())
		case "format":
			s.format = v.scalar()
		case "nested", "nested_path", "nested_filter":
			s.nested = true
		default:
			if !contains(sortOptions, k) {
				return nil, xParse("%s [field_sort] unknown field [%s]", t.loc(v), k)
			}
		}
	}
	return s, nil
}

// bind translates the sort fields, as FieldNameTranslators.translateFieldSortBuilders does.
func (s *sortSpec) bind() *Error {
	if s.nested {
		return illegalArgument("nested sorting is not currently supported in this context")
	}
	if s.name == "_doc" {
		return nil
	}
	f, err := translate(s.name)
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
	first := s.missing != nil && s.missing.scalar() == "_first"
	custom := s.missing != nil && !first && s.missing.scalar() != "_last"
	if !num {
		if custom {
			return sortKey{s: s.missing.scalar()}
		}
		return sortKey{null: true} // sorts by the missing rule in compare
	}
	if custom {
		n, _ := strconv.ParseInt(s.missing.scalar(), 10, 64)
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
		first := s.missing != nil && s.missing.scalar() == "_first"
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
func (s *sortSpec) afterKey(v *node, now int64) (sortKey, *Error) {
	if s.f != nil && s.f.kind == keyword {
		if v.kind == kNull {
			return sortKey{null: true}, nil
		}
		return sortKey{s: v.scalar()}, nil
	}
	str := v.scalar()
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
