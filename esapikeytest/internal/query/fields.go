package query

import (
	"encoding/json"
	"sort"
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
type Flat struct {
	leaves map[string][]string
	all    []string
}

// Flatten indexes metadata (decoded JSON, numbers as json.Number) like a flattened field.
func Flatten(md map[string]any) Flat {
	f := Flat{leaves: map[string][]string{}}
	f.add("", md)
	sort.Strings(f.all)
	return f
}

func (f *Flat) add(path string, v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			p := k
			if path != "" {
				p = path + "." + k
			}
			f.add(p, c)
		}
	case []any:
		for _, c := range t {
			f.add(path, c)
		}
	case nil:
	default:
		s := leafText(t)
		if path != "" {
			f.leaves[path] = append(f.leaves[path], s)
		}
		f.all = append(f.all, s)
	}
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
		return &field{name: name, index: "metadata_flattened", get: func(d *Doc) []string { return d.Metadata.all }}
	}
	if path, ok := strings.CutPrefix(name, "metadata."); ok {
		return &field{name: name, index: "metadata_flattened." + path, get: func(d *Doc) []string { return d.Metadata.leaves[path] }}
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
