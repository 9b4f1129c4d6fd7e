package esapikey

import (
	"bytes"
	"encoding/json"
	"math/big"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// The plan of an update compares values as Elasticsearch does when it
// decides whether an update is a no-op (ApiKeyService: the new metadata map
// equals the stored one; the new role descriptors, as a set, equal the
// stored ones by RoleDescriptor.equals). Both sides are turned into
// canonical JSON trees first: the JSON a value is sent as, parsed the way
// Elasticsearch parses it, with its equivalent spellings folded into one.
// Working on the JSON rather than on Go fields keeps the comparison right
// when RoleDescriptor gains fields.

// num is a JSON number as Jackson parses it: an integer literal is an
// Integer, Long or BigInteger, equal to another integer of the same value;
// any other literal is a Double. An integer never equals a Double (Java's
// Integer.equals), so 1 and 1.0 differ while 1.0 and 1.00 do not.
type num struct {
	float bool
	text  string // the integer in decimal, or the double formatted exactly
}

func (n num) MarshalJSON() ([]byte, error) { return []byte(n.text), nil }

func canonNumber(n json.Number) num {
	s := n.String()
	if !strings.ContainsAny(s, ".eE") {
		if i, ok := new(big.Int).SetString(s, 10); ok {
			return num{text: i.String()}
		}
	}
	f, _ := strconv.ParseFloat(s, 64) // out of range gives ±Inf, as Double.parseDouble
	// Double.equals compares bits: 0.0 and -0.0 differ, and so do their texts.
	return num{float: true, text: strconv.FormatFloat(f, 'g', -1, 64)}
}

// canonJSON encodes v as a request would send it and parses it back into a
// canonical tree; ok is false when v cannot be encoded.
func canonJSON(v any) (tree any, ok bool) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var raw any
	if dec.Decode(&raw) != nil {
		return nil, false
	}
	return canonValue(raw), true
}

// canonValue replaces the numbers of a decoded tree by their num.
func canonValue(v any) any {
	switch v := v.(type) {
	case json.Number:
		return canonNumber(v)
	case map[string]any:
		for k, e := range v {
			v[k] = canonValue(e)
		}
	case []any:
		for i, e := range v {
			v[i] = canonValue(e)
		}
	}
	return v
}

// sameJSON reports whether two values encode to JSON that Elasticsearch
// parses into equal Java values. A value that cannot be encoded equals
// nothing.
func sameJSON(a, b any) bool {
	ca, okA := canonJSON(a)
	cb, okB := canonJSON(b)
	return okA && okB && reflect.DeepEqual(ca, cb)
}

// canonRole is the canonical tree of a role descriptor; ok is false when it
// cannot be encoded.
func canonRole(rd RoleDescriptor) (map[string]any, bool) {
	tree, ok := canonJSON(rd)
	m, isObj := tree.(map[string]any)
	if !ok || !isObj {
		return nil, false
	}
	return normalizeRole(m), true
}

// normalizeRole folds the spellings RoleDescriptor.parse reads as the same
// role into one:
//   - "index" is "indices" and "application" is "applications";
//   - a role field that is null, empty, false or "" is absent (the parser
//     defaults every list to empty and metadata to {}), and so is an empty
//     "global" or "restriction";
//   - "transient_metadata" and "type" are dropped: Elasticsearch ignores
//     them on update and RoleDescriptor.equals does not look at them;
//   - index entries: see normalizeIndices.
//
// The order of the entries of each list is kept: RoleDescriptor.equals
// compares arrays in order, so ["a","b"] and ["b","a"] update the key.
func normalizeRole(m map[string]any) map[string]any {
	for alias, name := range map[string]string{"index": "indices", "application": "applications"} {
		if v, ok := m[alias]; ok {
			if l, isList := v.([]any); isList {
				prev, _ := m[name].([]any)
				m[name] = append(prev, l...)
			}
			delete(m, alias)
		}
	}
	delete(m, "transient_metadata")
	delete(m, "type")
	for k, v := range m {
		switch k {
		case "cluster", "run_as":
			m[k] = stringList(v)
		case "indices", "remote_indices":
			m[k] = normalizeIndices(v)
		case "applications", "remote_cluster":
			m[k] = mapEntries(v, func(e map[string]any) {
				for f, fv := range e {
					if f != "application" {
						e[f] = stringList(fv)
					}
				}
			})
		case "global":
			m[k] = normalizeGlobal(v)
		case "restriction":
			if r, ok := v.(map[string]any); ok && empty(r["workflows"]) {
				delete(m, k)
				continue
			}
		}
		if empty(m[k]) {
			delete(m, k)
		}
	}
	return m
}

// normalizeIndices folds the spellings of index entries
// (RoleDescriptor.parseIndexWithOptionalRemoteClusters): "names" and
// "clusters" as one string are a list of one, "allow_restricted_indices":
// false is the default, a null or "" query is none, and a query object is
// the compact JSON text Elasticsearch stores and returns as a string.
// "field_security" is kept as it is: a missing "grant" and an empty one
// differ.
func normalizeIndices(v any) any {
	return mapEntries(v, func(e map[string]any) {
		for f, fv := range e {
			switch f {
			case "names", "clusters", "privileges":
				e[f] = stringList(fv)
			case "allow_restricted_indices":
				if fv == false {
					delete(e, f)
				}
			case "query":
				switch q := fv.(type) {
				case nil:
					delete(e, f)
				case string:
					if q == "" {
						delete(e, f)
					}
				default:
					e[f] = compactJSON(q)
				}
			case "field_security":
				if fs, ok := fv.(map[string]any); ok {
					for g, gv := range fs {
						fs[g] = stringList(gv)
					}
				}
			}
		}
	})
}

// normalizeGlobal treats the application lists of configurable cluster
// privileges as the sets Elasticsearch holds them in.
func normalizeGlobal(v any) any {
	g, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for cat, body := range g {
		if b, ok := body.(map[string]any); ok {
			for _, inner := range b {
				if in, ok := inner.(map[string]any); ok && cat != "role" {
					if apps, ok := in["applications"].([]any); ok {
						in["applications"] = sortedSet(apps)
					}
				}
			}
		}
	}
	return g
}

// mapEntries applies f to every object of a list.
func mapEntries(v any, f func(map[string]any)) any {
	l, ok := v.([]any)
	if !ok {
		return v
	}
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			f(m)
		}
	}
	return l
}

// stringList reads a string as a list of one, as Elasticsearch does.
func stringList(v any) any {
	if s, ok := v.(string); ok {
		return []any{s}
	}
	return v
}

func sortedSet(l []any) []any {
	var strs []string
	for _, e := range l {
		s, ok := e.(string)
		if !ok {
			return l
		}
		strs = append(strs, s)
	}
	slices.Sort(strs)
	strs = slices.Compact(strs)
	out := make([]any, len(strs))
	for i, s := range strs {
		out[i] = s
	}
	return out
}

// compactJSON renders a canonical tree as compact JSON text, without the
// HTML escaping encoding/json adds by default (Jackson does not escape).
func compactJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// empty reports whether a role field has its default value.
func empty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case bool:
		return !v
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case map[string]any:
		return len(v) == 0
	}
	return false
}
