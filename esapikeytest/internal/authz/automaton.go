package authz

import (
	"slices"
	"strconv"
)

// automaton is Lucene's Automaton (org.apache.lucene.util.automaton), which Elasticsearch builds for
// every name pattern. Its shape is kept exactly: the determinisation limit Elasticsearch applies is
// counted on Lucene's states, and its message names their number, so the same construction refuses
// the same patterns with the same words. State 0 is the initial state. A state's transitions are
// added together; when the state is finished they are sorted by (min, max, dest) and transitions to
// the same state over adjacent labels are merged, as Automaton.finishCurrentState does.
type automaton struct {
	off, n []int32 // first transition and number of transitions of each state; off is -1 without any
	trans  []ltrans
	accept []bool
	det    bool  // no state has two transitions over a common label
	cur    int32 // the state receiving transitions, or -1
}

// ltrans is a transition over the code points [min, max].
type ltrans struct{ dest, min, max int32 }

// maxCodePoint is Character.MAX_CODE_POINT.
const maxCodePoint = 0x10FFFF

// Bounds on what esapikeytest builds. Elasticsearch has none beyond its heap: a pattern such as
// /(a{1000}){1000}/ is deterministic as built, so no determinisation limit applies, and a larger
// repetition exhausts the node's memory. esapikeytest refuses an automaton past these sizes instead.
const (
	maxStates      = 1 << 20
	maxTransitions = 1 << 22
)

func newAutomaton() *automaton { return &automaton{det: true, cur: -1} }

func (a *automaton) numStates() int      { return len(a.accept) }
func (a *automaton) numTransitions() int { return len(a.trans) }

func (a *automaton) createState() int32 {
	if len(a.accept) >= maxStates {
		panic(tooLarge{})
	}
	a.off = append(a.off, -1)
	a.n = append(a.n, 0)
	a.accept = append(a.accept, false)
	return int32(len(a.accept) - 1)
}

// transitions returns the transitions of state s (a view into the automaton; do not modify).
func (a *automaton) transitions(s int32) []ltrans {
	if a.off[s] < 0 {
		return nil
	}
	return a.trans[a.off[s] : a.off[s]+a.n[s]]
}

// addTransition adds a transition from src, which must be the state currently receiving
// transitions or one that has none yet (Automaton.addTransition).
func (a *automaton) addTransition(src, dest, min, max int32) {
	if a.cur != src {
		if a.cur >= 0 {
			a.finishCurrent()
		}
		a.cur = src
		a.off[src] = int32(len(a.trans))
	}
	if len(a.trans) >= maxTransitions {
		panic(tooLarge{})
	}
	a.trans = append(a.trans, ltrans{dest, min, max})
	a.n[src]++
}

// addEpsilon copies dest's transitions and acceptance to src (Automaton.addEpsilon).
func (a *automaton) addEpsilon(src, dest int32) {
	off, n := a.off[dest], a.n[dest]
	for i := int32(0); off >= 0 && i < n; i++ {
		t := a.trans[off+i]
		a.addTransition(src, t.dest, t.min, t.max)
	}
	if a.accept[dest] {
		a.accept[src] = true
	}
}

// copyFrom appends every state and transition of o, renumbered after a's states (Automaton.copy).
func (a *automaton) copyFrom(o *automaton) {
	if len(a.accept)+len(o.accept) > maxStates || len(a.trans)+len(o.trans) > maxTransitions {
		panic(tooLarge{})
	}
	offset, toff := int32(len(a.accept)), int32(len(a.trans))
	for s := range o.accept {
		off := o.off[s]
		if off >= 0 {
			off += toff
		}
		a.off = append(a.off, off)
		a.n = append(a.n, o.n[s])
	}
	a.accept = append(a.accept, o.accept...)
	for _, t := range o.trans {
		a.trans = append(a.trans, ltrans{t.dest + offset, t.min, t.max})
	}
	a.det = a.det && o.det
}

// finishState finishes the state receiving transitions (Automaton.finishState).
func (a *automaton) finishState() {
	if a.cur >= 0 {
		a.finishCurrent()
		a.cur = -1
	}
}

// finishCurrent sorts and reduces the transitions of the current state, which are the last ones
// added, and notes whether two of them overlap (Automaton.finishCurrentState).
func (a *automaton) finishCurrent() {
	off := a.off[a.cur]
	ts := a.trans[off : off+a.n[a.cur]]
	slices.SortFunc(ts, func(x, y ltrans) int {
		if x.dest != y.dest {
			return int(x.dest - y.dest)
		}
		if x.min != y.min {
			return int(x.min - y.min)
		}
		return int(x.max - y.max)
	})
	upto := 0
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		if upto > 0 && ts[upto-1].dest == t.dest && t.min <= ts[upto-1].max+1 {
			if t.max > ts[upto-1].max {
				ts[upto-1].max = t.max
			}
			continue
		}
		ts[upto] = t
		upto++
	}
	ts = ts[:upto]
	a.trans = a.trans[:int(off)+upto]
	a.n[a.cur] = int32(upto)
	slices.SortFunc(ts, cmpMinMaxDest)
	for i := 1; a.det && i < len(ts); i++ {
		if ts[i].min <= ts[i-1].max {
			a.det = false
		}
	}
}

func cmpMinMaxDest(x, y ltrans) int {
	if x.min != y.min {
		return int(x.min - y.min)
	}
	if x.max != y.max {
		return int(x.max - y.max)
	}
	return int(x.dest - y.dest)
}

// step follows the transition over label from state, or returns -1; the automaton must be
// deterministic (Automaton.step).
func (a *automaton) step(state int32, label rune) int32 {
	ts := a.transitions(state)
	lo, hi := 0, len(ts)-1
	for lo <= hi {
		mid := (lo + hi) / 2
		switch t := ts[mid]; {
		case t.min > label:
			hi = mid - 1
		case t.max < label:
			lo = mid + 1
		default:
			return t.dest
		}
	}
	return -1
}

// run reports whether the deterministic automaton accepts s, read as code points like
// CharacterRunAutomaton.run.
func (a *automaton) run(s string) bool {
	if len(a.accept) == 0 {
		return false
	}
	st := int32(0)
	for _, r := range s {
		if st = a.step(st, r); st < 0 {
			return false
		}
	}
	return a.accept[st]
}

// builder is Automaton.Builder: transitions may be added in any order and are sorted when the
// automaton is made.
type builder struct {
	trans  []btrans
	accept []bool
}

type btrans struct{ src, dest, min, max int32 }

func (b *builder) createState() int32 {
	if len(b.accept) >= maxStates {
		panic(tooLarge{})
	}
	b.accept = append(b.accept, false)
	return int32(len(b.accept) - 1)
}

func (b *builder) addTransition(src, dest, min, max int32) {
	if len(b.trans) >= maxTransitions {
		panic(tooLarge{})
	}
	b.trans = append(b.trans, btrans{src, dest, min, max})
}

// addEpsilon copies the transitions recorded so far from dest to src (Builder.addEpsilon).
func (b *builder) addEpsilon(src, dest int32) {
	for i := 0; i < len(b.trans); i++ {
		if t := b.trans[i]; t.src == dest {
			b.addTransition(src, t.dest, t.min, t.max)
		}
	}
	if b.accept[dest] {
		b.accept[src] = true
	}
}

// copyFrom appends o's states and transitions (Builder.copy).
func (b *builder) copyFrom(o *automaton) {
	offset := int32(len(b.accept))
	b.copyStates(o)
	for s := range o.accept {
		for _, t := range o.transitions(int32(s)) {
			b.addTransition(offset+int32(s), offset+t.dest, t.min, t.max)
		}
	}
}

func (b *builder) copyStates(o *automaton) {
	for _, acc := range o.accept {
		s := b.createState()
		b.accept[s] = acc
	}
}

// finish makes the automaton, its transitions added by source, then label (Builder.finish).
func (b *builder) finish() *automaton {
	a := newAutomaton()
	a.off = make([]int32, len(b.accept))
	a.n = make([]int32, len(b.accept))
	for i := range a.off {
		a.off[i] = -1
	}
	a.accept = slices.Clone(b.accept)
	slices.SortFunc(b.trans, func(x, y btrans) int {
		if x.src != y.src {
			return int(x.src - y.src)
		}
		if x.min != y.min {
			return int(x.min - y.min)
		}
		if x.max != y.max {
			return int(x.max - y.max)
		}
		return int(x.dest - y.dest)
	})
	a.trans = make([]ltrans, 0, len(b.trans))
	for _, t := range b.trans {
		a.addTransition(t.src, t.dest, t.min, t.max)
	}
	a.finishState()
	return a
}

// The basic automata (Automata).

func makeEmpty() *automaton { return newAutomaton() }

func makeEmptyString() *automaton {
	a := newAutomaton()
	a.accept[a.createState()] = true
	return a
}

func makeAnyString() *automaton {
	a := newAutomaton()
	s := a.createState()
	a.accept[s] = true
	a.addTransition(s, s, 0, maxCodePoint)
	a.finishState()
	return a
}

func makeAnyChar() *automaton { return makeCharRange(0, maxCodePoint) }

func makeChar(c int32) *automaton { return makeCharRange(c, c) }

func makeCharRange(min, max int32) *automaton {
	if min > max {
		return makeEmpty()
	}
	a := newAutomaton()
	s1, s2 := a.createState(), a.createState()
	a.accept[s2] = true
	a.addTransition(s1, s2, min, max)
	a.finishState()
	return a
}

func makeString(s []rune) *automaton {
	if len(s)+1 > maxStates {
		panic(tooLarge{})
	}
	a := newAutomaton()
	last := a.createState()
	for _, r := range s {
		st := a.createState()
		a.addTransition(last, st, r, r)
		last = st
	}
	a.accept[last] = true
	a.finishState()
	return a
}

// makeDecimalInterval accepts the decimal numbers from min to max, with exactly digits digits when
// digits > 0, otherwise with any number of leading zeros (Automata.makeDecimalInterval).
func makeDecimalInterval(min, max, digits int) *automaton {
	x, y := strconv.Itoa(min), strconv.Itoa(max)
	if min > max || digits > 0 && len(y) > digits {
		panic(&Error{Reason: "", Type: "illegal_argument_exception"})
	}
	d := len(y)
	if digits > 0 {
		d = digits
	}
	for len(x) < d {
		x = "0" + x
	}
	for len(y) < d {
		y = "0" + y
	}
	b := &builder{}
	if digits <= 0 {
		b.createState() // the real initial state, linked below
	}
	var initials []int32
	iv := interval{b: b}
	iv.between(x, y, 0, &initials, digits <= 0)
	a1 := b.finish()
	if digits <= 0 {
		a1.addTransition(0, 0, '0', '0')
		for _, p := range initials {
			a1.addEpsilon(0, p)
		}
		a1.finishState()
	}
	return removeDeadStates(a1)
}

type interval struct{ b *builder }

func (iv interval) anyOfRightLength(x string, n int) int32 {
	s := iv.b.createState()
	if len(x) == n {
		iv.b.accept[s] = true
	} else {
		iv.b.addTransition(s, iv.anyOfRightLength(x, n+1), '0', '9')
	}
	return s
}

func (iv interval) atLeast(x string, n int, initials *[]int32, zeros bool) int32 {
	s := iv.b.createState()
	if len(x) == n {
		iv.b.accept[s] = true
		return s
	}
	if zeros {
		*initials = append(*initials, s)
	}
	c := int32(x[n])
	iv.b.addTransition(s, iv.atLeast(x, n+1, initials, zeros && c == '0'), c, c)
	if c < '9' {
		iv.b.addTransition(s, iv.anyOfRightLength(x, n+1), c+1, '9')
	}
	return s
}

func (iv interval) atMost(x string, n int) int32 {
	s := iv.b.createState()
	if len(x) == n {
		iv.b.accept[s] = true
		return s
	}
	c := int32(x[n])
	iv.b.addTransition(s, iv.atMost(x, n+1), c, c)
	if c > '0' {
		iv.b.addTransition(s, iv.anyOfRightLength(x, n+1), '0', c-1)
	}
	return s
}

func (iv interval) between(x, y string, n int, initials *[]int32, zeros bool) int32 {
	s := iv.b.createState()
	if len(x) == n {
		iv.b.accept[s] = true
		return s
	}
	if zeros {
		*initials = append(*initials, s)
	}
	cx, cy := int32(x[n]), int32(y[n])
	if cx == cy {
		iv.b.addTransition(s, iv.between(x, y, n+1, initials, zeros && cx == '0'), cx, cx)
		return s
	}
	iv.b.addTransition(s, iv.atLeast(x, n+1, initials, zeros && cx == '0'), cx, cx)
	iv.b.addTransition(s, iv.atMost(y, n+1), cy, cy)
	if cx+1 < cy {
		iv.b.addTransition(s, iv.anyOfRightLength(x, n+1), cx+1, cy-1)
	}
	return s
}
