package authz

import (
	"math"
	"slices"
	"strconv"
)

// The decisions and the determinisation of Lucene's Operations: which states live, whether a
// language is empty, total or within another, and the subset construction under its effort limit.

// removeDeadStates keeps the states reachable from the initial state that reach an accepting state
// (Operations.removeDeadStates).
func removeDeadStates(a *automaton) *automaton {
	live := liveStates(a)
	m := make([]int32, a.numStates())
	r := newAutomaton()
	for s, ok := range live {
		if ok {
			m[s] = r.createState()
			r.accept[m[s]] = a.accept[s]
		}
	}
	for s, ok := range live {
		if !ok {
			continue
		}
		for _, t := range a.transitions(int32(s)) {
			if live[t.dest] {
				r.addTransition(m[s], m[t.dest], t.min, t.max)
			}
		}
	}
	r.finishState()
	return r
}

func liveStates(a *automaton) []bool {
	n := a.numStates()
	from := make([]bool, n)
	if n == 0 {
		return from
	}
	from[0] = true
	work := []int32{0}
	rev := make([][]int32, n)
	for len(work) > 0 {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		for _, t := range a.transitions(s) {
			if !from[t.dest] {
				from[t.dest] = true
				work = append(work, t.dest)
			}
		}
	}
	for s := range a.accept {
		for _, t := range a.transitions(int32(s)) {
			rev[t.dest] = append(rev[t.dest], int32(s))
		}
	}
	to := make([]bool, n)
	for s, acc := range a.accept {
		if acc {
			to[s] = true
			work = append(work, int32(s))
		}
	}
	for len(work) > 0 {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		for _, p := range rev[s] {
			if !to[p] {
				to[p] = true
				work = append(work, p)
			}
		}
	}
	for i := range from {
		from[i] = from[i] && to[i]
	}
	return from
}

// isEmpty reports whether a accepts nothing (Operations.isEmpty).
func isEmpty(a *automaton) bool {
	if a.numStates() == 0 {
		return true
	}
	if !a.accept[0] && a.n[0] == 0 {
		return true
	}
	if a.accept[0] {
		return false
	}
	seen := make([]bool, a.numStates())
	seen[0] = true
	work := []int32{0}
	for len(work) > 0 {
		s := work[0]
		work = work[1:]
		if a.accept[s] {
			return false
		}
		for _, t := range a.transitions(s) {
			if !seen[t.dest] {
				seen[t.dest] = true
				work = append(work, t.dest)
			}
		}
	}
	return true
}

// isTotal reports whether a is the one-state automaton of every string (Operations.isTotal), which
// Lucene expects of a minimal automaton: a determinised union that accepts everything in more
// states is not total by this test, in Elasticsearch as here.
func isTotal(a *automaton) bool {
	if a.numStates() == 0 || !a.accept[0] || a.n[0] != 1 {
		return false
	}
	t := a.transitions(0)[0]
	return t.dest == 0 && t.min == 0 && t.max == maxCodePoint
}

// subsetOf reports whether a1's language is within a2's; both must be deterministic
// (Automatons.subsetOf, Lucene's AutomatonTestUtil.subsetOf).
func subsetOf(a1, a2 *automaton) bool {
	if a1.numStates() == 0 {
		return true
	}
	if a2.numStates() == 0 {
		return isEmpty(a1)
	}
	type pair struct{ s1, s2 int32 }
	visited := map[pair]bool{{0, 0}: true}
	work := []pair{{0, 0}}
	for len(work) > 0 {
		p := work[0]
		work = work[1:]
		if a1.accept[p.s1] && !a2.accept[p.s2] {
			return false
		}
		t1, t2 := a1.transitions(p.s1), a2.transitions(p.s2)
		for n1, b2 := 0, 0; n1 < len(t1); n1++ {
			for b2 < len(t2) && t2[b2].max < t1[n1].min {
				b2++
			}
			min1, max1 := t1[n1].min, t1[n1].max
			for n2 := b2; n2 < len(t2) && t1[n1].max >= t2[n2].min; n2++ {
				if t2[n2].min > min1 {
					return false
				}
				if t2[n2].max < maxCodePoint {
					min1 = t2[n2].max + 1
				} else {
					min1, max1 = maxCodePoint, 0
				}
				q := pair{t1[n1].dest, t2[n2].dest}
				if !visited[q] {
					if len(visited) >= maxStates {
						panic(tooLarge{})
					}
					visited[q] = true
					work = append(work, q)
				}
			}
			if min1 <= max1 {
				return false
			}
		}
	}
	return true
}

// determinize is the subset construction of Operations.determinize. Each state set taken from the
// work list costs its size in effort; reaching workLimit*10 fails with
// TooComplexToDeterminizeException, as Lucene does (LUCENE-9981).
func determinize(a *automaton, workLimit int) *automaton {
	if a.det || a.numStates() <= 1 {
		return a
	}
	effortLimit := int64(workLimit) * 10
	if workLimit == math.MaxInt {
		effortLimit = math.MaxInt64
	}
	b := &builder{}
	b.createState()
	b.accept[0] = a.accept[0]
	type set struct {
		states []int32
		id     int32
	}
	index := map[string]int32{setKey([]int32{0}): 0}
	work := []set{{[]int32{0}, 0}}
	var effort int64
	var points []point
	counts := map[int32]int32{}
	for len(work) > 0 {
		s := work[0]
		work = work[1:]
		effort += int64(len(s.states))
		if effort >= effortLimit {
			panic(&TooComplexError{Reason: "Determinizing automaton with " + strconv.Itoa(a.numStates()) + " states and " +
				strconv.Itoa(a.numTransitions()) + " transitions would require more than " + strconv.Itoa(workLimit) + " effort."})
		}
		points = points[:0]
		for _, st := range s.states {
			for _, t := range a.transitions(st) {
				points = append(points, point{t.min, t.dest, 1}, point{t.max + 1, t.dest, -1})
			}
		}
		if len(points) == 0 {
			continue
		}
		slices.SortFunc(points, func(x, y point) int { return int(x.at - y.at) })
		clear(counts)
		last := int32(-1)
		for i := 0; i < len(points); {
			at := points[i].at
			if len(counts) > 0 {
				members := make([]int32, 0, len(counts))
				acc := false
				for st := range counts {
					members = append(members, st)
					acc = acc || a.accept[st]
				}
				slices.Sort(members)
				k := setKey(members)
				q, ok := index[k]
				if !ok {
					q = b.createState()
					b.accept[q] = acc
					index[k] = q
					work = append(work, set{members, q})
				}
				b.addTransition(s.id, q, last, at-1)
			}
			for ; i < len(points) && points[i].at == at; i++ {
				p := points[i]
				counts[p.dest] += p.delta
				if counts[p.dest] == 0 {
					delete(counts, p.dest)
				}
			}
			last = at
		}
	}
	return b.finish()
}

// point is where a transition starts (delta 1) or ends (delta -1, at max+1).
type point struct {
	at, dest, delta int32
}

func setKey(states []int32) string {
	b := make([]byte, 0, 4*len(states))
	for _, s := range states {
		b = append(b, byte(s), byte(s>>8), byte(s>>16), byte(s>>24))
	}
	return string(b)
}
