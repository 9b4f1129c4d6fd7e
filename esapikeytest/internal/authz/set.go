package authz

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Set is a language of strings (index names, action names, resources, users) as a boolean combination
// of compiled pattern lists. The zero Set is empty.
type Set struct {
	op   byte // 0: union of kids, 'l': leaf, '&': intersection of kids, '!': complement of kids[0]
	leaf *dfa
	kids []Set
}

// Empty matches nothing; Any matches every string.
var (
	Empty = Set{}
	Any   = Set{op: '!', kids: []Set{{}}}
)

// Union is the set of strings in any of sets.
func Union(sets ...Set) Set {
	var kids []Set
	for _, s := range sets {
		if s.op == 0 {
			kids = append(kids, s.kids...)
		} else {
			kids = append(kids, s)
		}
	}
	if len(kids) == 1 {
		return kids[0]
	}
	return Set{kids: kids}
}

// Minus is the set of strings in a and not in b.
func Minus(a, b Set) Set {
	if b.op == 0 && len(b.kids) == 0 {
		return a
	}
	return Set{op: '&', kids: []Set{a, {op: '!', kids: []Set{b}}}}
}

func leafSet(a *nfa) Set { return Set{op: 'l', leaf: a.determinize()} }

// Patterns compiles a list of Elasticsearch name patterns (Automatons.patterns): each is a wildcard
// pattern, or a Lucene regular expression between slashes. An empty list matches nothing.
func Patterns(list []string) (Set, error) {
	if slices.Contains(list, "*") {
		return Any, nil
	}
	if len(list) == 0 {
		return Empty, nil
	}
	u := &nfa{}
	u.start = u.add()
	for _, p := range list {
		a, err := compile(p)
		if err != nil {
			return Empty, err
		}
		off := len(u.states)
		for _, st := range a.states {
			ns := nstate{accept: st.accept}
			for _, e := range st.edges {
				ns.edges = append(ns.edges, edge{e.lo, e.hi, e.to + off})
			}
			for _, t := range st.eps {
				ns.eps = append(ns.eps, t+off)
			}
			u.states = append(u.states, ns)
		}
		u.eps(u.start, a.start+off)
	}
	return leafSet(u), nil
}

// Pattern compiles one pattern like Automatons.pattern.
func Pattern(p string) (Set, error) { return Patterns([]string{p}) }

func compile(p string) (*nfa, error) {
	if strings.HasPrefix(p, "/") {
		if len(p) == 1 || !strings.HasSuffix(p, "/") {
			return nil, &Error{"invalid pattern [" + p + "]. patterns starting with '/' indicate regular expression pattern and therefore must also end with '/'. other patterns (those that do not start with '/') will be treated as simple wildcard patterns"}
		}
		return regex(p[1 : len(p)-1])
	}
	return glob(p), nil
}

// mustPatterns compiles the built-in patterns of this package, which are known to be valid.
func mustPatterns(list ...string) Set {
	s, err := Patterns(list)
	if err != nil {
		panic(err)
	}
	return s
}

// Error is a rule Elasticsearch refuses with an IllegalArgumentException (HTTP 400).
type Error struct{ Reason string }

func (e *Error) Error() string { return e.Reason }

// Matches reports whether s is in the set.
func (s Set) Matches(str string) bool {
	switch s.op {
	case 'l':
		return s.leaf.matches(str)
	case '&':
		for _, k := range s.kids {
			if !k.Matches(str) {
				return false
			}
		}
		return true
	case '!':
		return !s.kids[0].Matches(str)
	}
	for _, k := range s.kids {
		if k.Matches(str) {
			return true
		}
	}
	return false
}

// IsEmpty reports whether no string is in the set.
func (s Set) IsEmpty() bool { return !s.inhabited() }

// Subset reports whether every string of a is in b (Automatons.subsetOf / Operations.subsetOf).
func Subset(a, b Set) bool {
	if a.op == 'l' && (b.op == 'l' && b.leaf == a.leaf || b.op == 0 && slices.ContainsFunc(b.kids, func(k Set) bool { return k.op == 'l' && k.leaf == a.leaf })) {
		return true // a is one of b's own automata, as when a role holds the very privilege asked
	}
	if a.op == 0 && len(a.kids) == 0 {
		return true
	}
	return Minus(a, b).IsEmpty()
}

// IsTotal reports whether the set holds every string.
func (s Set) IsTotal() bool { return Subset(Any, s) }

// leaves collects the automata of a formula, each once.
func (s Set) leaves(out []*dfa) []*dfa {
	if s.op == 'l' {
		if !slices.Contains(out, s.leaf) {
			out = append(out, s.leaf)
		}
		return out
	}
	for _, k := range s.kids {
		out = k.leaves(out)
	}
	return out
}

// eval evaluates the formula when leaf i is in state st[i].
func (s Set) eval(leaves []*dfa, st []int32) bool {
	switch s.op {
	case 'l':
		i := slices.Index(leaves, s.leaf)
		return st[i] >= 0 && leaves[i].accept[st[i]]
	case '&':
		for _, k := range s.kids {
			if !k.eval(leaves, st) {
				return false
			}
		}
		return true
	case '!':
		return !s.kids[0].eval(leaves, st)
	}
	for _, k := range s.kids {
		if k.eval(leaves, st) {
			return true
		}
	}
	return false
}

// inhabited searches the product of the leaves' automata for an accepting state. In each product
// state the alphabet is cut into the intervals no outgoing edge distinguishes, so one rune stands for each.
// Product states live in one slab; the map only stores the offsets of those seen.
func (s Set) inhabited() bool {
	leaves := s.leaves(nil)
	n := len(leaves)
	if n == 0 {
		return s.eval(nil, nil)
	}
	slab := make([]int32, n, 16*n)
	seen := map[string]int{}
	keyBuf := make([]byte, 4*n)
	key := func(st []int32) []byte {
		for i, v := range st {
			keyBuf[4*i], keyBuf[4*i+1], keyBuf[4*i+2], keyBuf[4*i+3] = byte(v), byte(v>>8), byte(v>>16), byte(v>>24)
		}
		return keyBuf
	}
	seen[string(key(slab[:n]))] = 0
	next := make([]int32, n)
	var cuts []rune
	for off := 0; off < len(slab); off += n {
		st := slab[off : off+n]
		if s.eval(leaves, st) {
			return true
		}
		cuts = append(cuts[:0], 0)
		for i, l := range leaves {
			if st[i] >= 0 {
				for _, e := range l.trans[st[i]] {
					cuts = append(cuts, e.lo, e.hi+1)
				}
			}
		}
		slices.Sort(cuts)
		cuts = slices.Compact(cuts)
		for _, r := range cuts {
			if r > utf8.MaxRune {
				continue
			}
			for i, l := range leaves {
				next[i] = int32(l.step(int(slab[off+i]), r))
			}
			k := key(next)
			if _, ok := seen[string(k)]; !ok {
				seen[string(k)] = len(slab)
				slab = append(slab, next...)
			}
		}
	}
	return false
}
