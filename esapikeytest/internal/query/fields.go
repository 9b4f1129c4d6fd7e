package query

import (
	"encoding/binary"
	"encoding/json"
	"slices"
	"strings"
)

// Doc is one API key as the query sees it: the fields of its security-index document.
type Doc struct {
	ID, Name, Type  string
	Username, Realm string
	Creation        int64 // epoch milliseconds
	Expiration      int64 // epoch milliseconds; valid when HasExpiration
	HasExpiration   bool
	Invalidated     bool
	Invalidation    int64 // epoch milliseconds; valid when HasInvalidation
	HasInvalidation bool
	Metadata        Flat
	Seq             int // index order: the Lucene doc id, and the tie-breaker of every sort
	Ref             int // the caller's own reference to the document, untouched
}

// Flat is metadata as Elasticsearch's flattened field indexes it: every leaf under its dotted path,
// as keyword text (numbers as written, booleans as true/false), and all leaves under the root.
//
// It is built once per metadata and read for every key a query looks at, so it is kept in two
// allocations that a lookup reads close together: one slice holds the sorted paths, then each
// path's values, then all values sorted; one text holds where each path's values end (four bytes a
// path), then every path and value, which the strings share. Over many keys, a lookup costs a few
// neighbouring cache lines per key instead of a map and a slice per path.
type Flat struct {
	strs  []string
	text  string
	paths int // the number of paths
}

type flatLeaf struct{ path, value string }

// Flatten indexes metadata (decoded JSON, numbers as json.Number) like a flattened field.
func Flatten(md map[string]any) Flat {
	var leaves []flatLeaf
	walk("", md, &leaves)
	if len(leaves) == 0 {
		return Flat{}
	}
	// Values keep their order within a path, as an array lists them. A leaf without a path (a key
	// "" at the root) is only among all values.
	slices.SortStableFunc(leaves, func(a, b flatLeaf) int { return strings.Compare(a.path, b.path) })
	rootless := 0
	for rootless < len(leaves) && leaves[rootless].path == "" {
		rootless++
	}
	leaves, noPath := leaves[rootless:], leaves[:rootless]
	first := func(i int) bool { return i == 0 || leaves[i].path != leaves[i-1].path }
	paths := 0
	for i := range leaves {
		if first(i) {
			paths++
		}
	}
	var text strings.Builder
	ends := make([]byte, 0, 4*paths)
	for i := range leaves {
		if i > 0 && first(i) {
			ends = binary.LittleEndian.AppendUint32(ends, uint32(paths+i))
		}
	}
	if paths > 0 {
		ends = binary.LittleEndian.AppendUint32(ends, uint32(paths+len(leaves)))
	}
	text.Write(ends)
	for i, l := range leaves {
		if first(i) {
			text.WriteString(l.path)
		}
		text.WriteString(l.value)
	}
	f := Flat{strs: make([]string, paths+2*len(leaves)+len(noPath)), text: text.String(), paths: paths}
	at, p, v := len(ends), 0, paths
	cut := func(n int) string { at += n; return f.text[at-n : at] }
	for i, l := range leaves {
		if first(i) {
			f.strs[p] = cut(len(l.path))
			p++
		}
		f.strs[v] = cut(len(l.value))
		v++
	}
	all := f.strs[v:]
	copy(all, f.strs[paths:v])
	for i, l := range noPath {
		all[len(leaves)+i] = l.value
	}
	slices.Sort(all)
	return f
}

func walk(path string, v any, out *[]flatLeaf) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			p := k
			if path != "" {
				p = path + "." + k
			}
			walk(p, c, out)
		}
	case []any:
		for _, c := range t {
			walk(path, c, out)
		}
	case nil:
	default:
		*out = append(*out, flatLeaf{path, leafText(t)})
	}
}

// leaves returns the values under a dotted path, in the order the metadata lists them.
func (f *Flat) leaves(path string) []string {
	i, ok := slices.BinarySearch(f.strs[:f.paths], path)
	if !ok {
		return nil
	}
	start := f.paths
	if i > 0 {
		start = f.end(i - 1)
	}
	end := f.end(i)
	return f.strs[start:end:end]
}

// end is where the values of path i end in strs.
func (f *Flat) end(i int) int {
	b := f.text[4*i : 4*i+4]
	return int(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24)
}

// all returns every value, sorted.
func (f *Flat) all() []string {
	if f.paths == 0 {
		return f.strs
	}
	return f.strs[f.end(f.paths-1):]
}

func leafText(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "true"
		}
		return "false"
	case float64:
		b, _ := json.Marshal(t)
		return string(b)
	}
	return ""
}

// fieldKind is the index mapping type of a field, which decides how values compare.
type fieldKind uint8

const (
	keyword fieldKind = iota
	date
	boolean
)

// field is a query-level field name resolved to its index field, as FieldNameTranslators does.
type field struct {
	name   string // as the request names it
	index  string // the index field, as Elasticsearch names it in search errors
	kind   fieldKind
	get    func(d *Doc) []string // keyword values
	single func(d *Doc) string   // the value of a keyword field that always has exactly one
	num    func(d *Doc) (int64, bool)
	keyed  bool // a path under metadata: a keyed flattened field, which has no fuzzy query
}

// queryFields are the query-level names of API_KEY_FIELD_NAME_TRANSLATORS, in its order.
var queryFields = []string{"username", "realm_name", "name", "type", "creation", "expiration", "invalidated", "invalidation", "metadata"}

func one(s string) []string { return []string{s} }

func lookup(name string) *field {
	switch name {
	case "username":
		return keywordField(name, "creator.principal", func(d *Doc) string { return d.Username })
	case "realm_name":
		return keywordField(name, "creator.realm", func(d *Doc) string { return d.Realm })
	case "name":
		return keywordField(name, "name", func(d *Doc) string { return d.Name })
	case "type":
		return keywordField(name, "runtime_key_type", func(d *Doc) string { return d.Type })
	case "creation":
		return dateField(name, "creation_time", func(d *Doc) (int64, bool) { return d.Creation, true })
	case "expiration":
		return dateField(name, "expiration_time", func(d *Doc) (int64, bool) { return d.Expiration, d.HasExpiration })
	case "invalidation":
		return dateField(name, "invalidation_time", func(d *Doc) (int64, bool) { return d.Invalidation, d.HasInvalidation })
	case "invalidated":
		return &field{name: name, index: "api_key_invalidated", kind: boolean, num: func(d *Doc) (int64, bool) {
			if d.Invalidated {
				return 1, true
			}
			return 0, true
		}}
	case "metadata":
		return &field{name: name, index: "metadata_flattened", get: func(d *Doc) []string { return d.Metadata.all() }}
	}
	if path, ok := strings.CutPrefix(name, "metadata."); ok {
		return &field{name: name, index: "metadata_flattened." + path, keyed: true, get: func(d *Doc) []string { return d.Metadata.leaves(path) }}
	}
	return nil
}

// keywordField is a single-valued keyword field; matching reads it without allocating.
func keywordField(name, index string, single func(d *Doc) string) *field {
	return &field{name: name, index: index, single: single, get: func(d *Doc) []string { return one(single(d)) }}
}

func dateField(name, index string, num func(d *Doc) (int64, bool)) *field {
	return &field{name: name, index: index, kind: date, num: num}
}

// translatePattern lists the fields a simple_query_string field pattern names; it may be none.
func translatePattern(p string) []*field {
	if !strings.Contains(p, "*") {
		if f := lookup(p); f != nil {
			return []*field{f}
		}
		return nil
	}
	var out []*field
	for _, name := range queryFields {
		if globMatch(p, name, false) {
			out = append(out, lookup(name))
		}
	}
	return out
}

// exists reports whether the document has a value for the field.
func (f *field) exists(d *Doc) bool {
	if f.kind == keyword {
		return len(f.get(d)) > 0
	}
	_, ok := f.num(d)
	return ok
}
