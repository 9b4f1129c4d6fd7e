// Package pathtrie finds the handler of a request path the way Elasticsearch's PathTrie does
// (server/src/main/java/org/elasticsearch/common/path/PathTrie.java): a literal path segment is
// preferred to a {named} one, and a lookup is tried in four modes, from literal nodes only to
// wildcards anywhere. A router walks the values of all modes in order (RetrieveAll) and takes the
// first one that handles the request's method, as RestController.tryAllHandlers does.
package pathtrie

import (
	"net/url"
	"strings"
)

// wildcard is the key of a {named} child, as in PathTrie (a literal "*" segment finds it too).
const wildcard = "*"

// Mode is one of PathTrie's TrieMatchingMode values, in the order RetrieveAll tries them.
type Mode int

// The matching modes, in PathTrie.TrieMatchingMode order.
const (
	ExplicitNodesOnly Mode = iota
	WildcardRootNodesAllowed
	WildcardLeafNodesAllowed
	WildcardNodesAllowed
)

// Modes lists the modes in the order RetrieveAll tries them.
var Modes = []Mode{ExplicitNodesOnly, WildcardRootNodesAllowed, WildcardLeafNodesAllowed, WildcardNodesAllowed}

// Trie maps path patterns such as "/_security/api_key/{ids}/_clear_cache" to values.
type Trie[T any] struct {
	root      *node[T]
	rootValue *T
}

type node[T any] struct {
	value    *T
	named    bool // a {named} segment: its text is a parameter
	children map[string]*node[T]
}

// New returns an empty trie.
func New[T any]() *Trie[T] {
	return &Trie[T]{root: &node[T]{}}
}

// split splits a path as Java's String.split("/") does: trailing empty segments are dropped, inner
// ones kept; the leading empty segment of an absolute path is skipped.
func split(path string) []string {
	parts := strings.Split(path, "/")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	if len(parts) > 0 && parts[0] == "" {
		parts = parts[1:]
	}
	return parts
}

func isNamed(seg string) bool {
	return strings.Contains(seg, "{") && strings.Contains(seg, "}")
}

// Update stores a value at pattern, or merges it with the one already there.
func (t *Trie[T]) Update(pattern string, value T, merge func(old, new T) T) {
	segs := split(pattern)
	if len(segs) == 0 {
		if t.rootValue != nil {
			value = merge(*t.rootValue, value)
		}
		t.rootValue = &value
		return
	}
	n := t.root
	for _, seg := range segs {
		key := seg
		if isNamed(seg) {
			key = wildcard
		}
		child := n.children[key]
		if child == nil {
			child = &node[T]{named: isNamed(seg)}
			if n.children == nil {
				n.children = map[string]*node[T]{}
			}
			n.children[key] = child
		}
		n = child
	}
	if n.value != nil {
		value = merge(*n.value, value)
	}
	n.value = &value
}

// Match is a value found for a path, with the decoded text of its {named} segments in path order.
type Match[T any] struct {
	Value  T
	Params []string
}

// Retrieve looks rawPath (escaped, without the query) up in one mode. ok is false when no node
// with a value is found.
func (t *Trie[T]) Retrieve(rawPath string, mode Mode) (m Match[T], ok bool) {
	segs := split(rawPath)
	if len(segs) == 0 {
		if t.rootValue == nil {
			return m, false
		}
		return Match[T]{Value: *t.rootValue}, true
	}
	params := make([]string, len(segs))
	named := make([]bool, len(segs))
	v := t.root.retrieve(segs, 0, params, named, mode)
	if v == nil {
		return m, false
	}
	m.Value = *v
	for i, p := range params {
		if named[i] {
			m.Params = append(m.Params, p)
		}
	}
	return m, true
}

// RetrieveAll looks rawPath up in every mode, in order; a mode that finds nothing gives ok false.
func (t *Trie[T]) RetrieveAll(rawPath string) []Result[T] {
	out := make([]Result[T], len(Modes))
	for i, mode := range Modes {
		out[i].Match, out[i].OK = t.Retrieve(rawPath, mode)
	}
	return out
}

// Result is the outcome of one mode of RetrieveAll.
type Result[T any] struct {
	Match[T]
	OK bool
}

// retrieve follows PathTrie.TrieNode.retrieve; index counts from the first segment after the
// leading slash, so PathTrie's "index == 1" (the root) is index 0 here.
func (n *node[T]) retrieve(path []string, index int, params []string, named []bool, mode Mode) *T {
	if index >= len(path) {
		return nil
	}
	token := path[index]
	wild := n.children[wildcard]
	child := n.children[token]
	last := index+1 == len(path)
	var usedWildcard bool
	switch {
	case child == nil:
		if wild == nil || !(mode == WildcardNodesAllowed ||
			(mode == WildcardRootNodesAllowed && index == 0) ||
			(mode == WildcardLeafNodesAllowed && last)) {
			return nil
		}
		child, usedWildcard = wild, true
	case last && child.value == nil && wild != nil && mode != ExplicitNodesOnly && mode != WildcardRootNodesAllowed:
		child, usedWildcard = wild, true
	case index == 0 && child.value == nil && wild != nil && mode == WildcardRootNodesAllowed:
		child, usedWildcard = wild, true
	default:
		usedWildcard = token == wildcard
	}
	record(params, named, index, child, token)
	if last {
		return child.value
	}
	v := child.retrieve(path, index+1, params, named, mode)
	if v == nil && !usedWildcard && mode != ExplicitNodesOnly && wild != nil {
		record(params, named, index, wild, token)
		v = wild.retrieve(path, index+1, params, named, mode)
	}
	return v
}

// record keeps the decoded text of a {named} segment; literal segments clear a stale one.
func record[T any](params []string, named []bool, index int, n *node[T], token string) {
	named[index] = n.named
	if !named[index] {
		return
	}
	if u, err := url.PathUnescape(token); err == nil {
		token = u
	}
	params[index] = token
}
