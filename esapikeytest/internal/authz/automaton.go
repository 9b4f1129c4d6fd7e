package authz

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// nfa is a nondeterministic automaton over runes, the form every pattern compiles to. Elasticsearch
// builds Lucene automata (Automatons.pattern) and compares them with Operations.subsetOf; a small NFA with
// on-the-fly determinisation answers the same questions for the few patterns a role holds.
type nfa struct {
	states []nstate
	start  int
}

type nstate struct {
	edges  []edge
	eps    []int
	accept bool
}

// edge moves on any rune in [lo, hi].
type edge struct {
	lo, hi rune
	to     int
}

func (a *nfa) add() int {
	a.states = append(a.states, nstate{})
	return len(a.states) - 1
}

func (a *nfa) edge(from, to int, lo, hi rune) {
	a.states[from].edges = append(a.states[from].edges, edge{lo, hi, to})
}

func (a *nfa) eps(from, to int) { a.states[from].eps = append(a.states[from].eps, to) }

// closure returns the sorted epsilon closure of the given states.
func (a *nfa) closure(states []int) []int {
	seen := map[int]bool{}
	stack := append([]int(nil), states...)
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[s] {
			continue
		}
		seen[s] = true
		stack = append(stack, a.states[s].eps...)
	}
	out := make([]int, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func (a *nfa) step(states []int, r rune) []int {
	var next []int
	for _, s := range states {
		for _, e := range a.states[s].edges {
			if e.lo <= r && r <= e.hi {
				next = append(next, e.to)
			}
		}
	}
	if len(next) == 0 {
		return nil
	}
	return a.closure(next)
}

func (a *nfa) accepts(states []int) bool {
	return slices.ContainsFunc(states, func(s int) bool { return a.states[s].accept })
}

// glob compiles an Elasticsearch wildcard pattern (Automatons.wildcard): '*' is any run of characters,
// '?' any one character, '\' escapes the next character (a trailing '\' is itself).
func glob(p string) *nfa {
	a := &nfa{}
	cur := a.add()
	a.start = cur
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		i += size
		switch r {
		case '*':
			a.edge(cur, cur, 0, utf8.MaxRune)
			continue
		case '?':
			next := a.add()
			a.edge(cur, next, 0, utf8.MaxRune)
			cur = next
			continue
		case '\\':
			if i < len(p) {
				r, size = utf8.DecodeRuneInString(p[i:])
				i += size
			}
		}
		next := a.add()
		a.edge(cur, next, r, r)
		cur = next
	}
	a.states[cur].accept = true
	return a
}

// dfa is the deterministic form of an nfa: transitions as sorted, disjoint rune ranges; -1 is the
// dead state.
type dfa struct {
	trans  [][]edge
	accept []bool
}

// determinize runs the subset construction once per pattern list, so later products step one state
// per automaton instead of a set.
func (a *nfa) determinize() *dfa {
	d := &dfa{}
	index := map[string]int{}
	var sets [][]int
	keyOf := func(states []int) string {
		var b strings.Builder
		for _, s := range states {
			b.WriteString(strconv.Itoa(s))
			b.WriteByte(',')
		}
		return b.String()
	}
	addSet := func(states []int) int {
		k := keyOf(states)
		if i, ok := index[k]; ok {
			return i
		}
		index[k] = len(sets)
		sets = append(sets, states)
		d.trans = append(d.trans, nil)
		d.accept = append(d.accept, a.accepts(states))
		return len(sets) - 1
	}
	addSet(a.closure([]int{a.start}))
	for i := 0; i < len(sets); i++ {
		var cuts []rune
		for _, s := range sets[i] {
			for _, e := range a.states[s].edges {
				cuts = append(cuts, e.lo, e.hi+1)
			}
		}
		slices.Sort(cuts)
		cuts = slices.Compact(cuts)
		for j := 0; j+1 < len(cuts); j++ {
			next := a.step(sets[i], cuts[j])
			if next == nil {
				continue
			}
			to := addSet(next)
			tr := d.trans[i]
			if n := len(tr); n > 0 && tr[n-1].to == to && tr[n-1].hi == cuts[j]-1 {
				tr[n-1].hi = cuts[j+1] - 1
			} else {
				tr = append(tr, edge{cuts[j], cuts[j+1] - 1, to})
			}
			d.trans[i] = tr
		}
	}
	return d
}

func (d *dfa) step(state int, r rune) int {
	if state < 0 {
		return -1
	}
	tr := d.trans[state]
	i := sort.Search(len(tr), func(i int) bool { return tr[i].hi >= r })
	if i < len(tr) && tr[i].lo <= r {
		return tr[i].to
	}
	return -1
}

func (d *dfa) matches(s string) bool {
	st := 0
	for _, r := range s {
		if st = d.step(st, r); st < 0 {
			return false
		}
	}
	return d.accept[st]
}
