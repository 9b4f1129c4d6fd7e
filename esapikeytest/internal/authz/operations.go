package authz

// The operations of Lucene's Operations class that Elasticsearch's Automatons and RegExp use, each
// building the same states and transitions as Lucene's, so that a determinisation costs the same
// effort here as there.

// concatenate accepts the concatenation of the languages (Operations.concatenate): the states of all
// automata in order, an accepting state of one linked to the next by copying that one's initial
// transitions ("virtual" epsilon), through every following automaton that accepts the empty string.
func concatenate(l []*automaton) *automaton {
	total := 0
	for _, a := range l {
		total += a.numStates()
	}
	if total > maxStates {
		panic(tooLarge{})
	}
	r := newAutomaton()
	for _, a := range l {
		if a.numStates() == 0 {
			r.finishState()
			return r
		}
		for range a.accept {
			r.createState()
		}
	}
	offset := int32(0)
	for i, a := range l {
		for s := range a.accept {
			src := offset + int32(s)
			for _, t := range a.transitions(int32(s)) {
				r.addTransition(src, offset+t.dest, t.min, t.max)
			}
			if !a.accept[s] {
				continue
			}
			followOffset := offset + int32(a.numStates())
			for j := i + 1; ; j++ {
				if j == len(l) {
					r.accept[src] = true
					break
				}
				follow := l[j]
				for _, t := range follow.transitions(0) {
					r.addTransition(src, followOffset+t.dest, t.min, t.max)
				}
				if !follow.accept[0] {
					break
				}
				followOffset += int32(follow.numStates())
			}
		}
		offset += int32(a.numStates())
	}
	if r.numStates() == 0 {
		r.createState()
	}
	r.finishState()
	return r
}

// optional accepts the empty string and the language of a (Operations.optional).
func optional(a *automaton) *automaton {
	r := newAutomaton()
	r.accept[r.createState()] = true
	if a.numStates() > 0 {
		r.copyFrom(a)
		r.addEpsilon(0, 1)
	}
	r.finishState()
	return r
}

// repeatStar accepts any number of repetitions of a's language (Operations.repeat(a)).
func repeatStar(a *automaton) *automaton {
	if a.numStates() == 0 {
		return a
	}
	b := &builder{}
	b.accept = append(b.accept, true)
	b.copyFrom(a)
	for _, t := range a.transitions(0) {
		b.addTransition(0, t.dest+1, t.min, t.max)
	}
	for s := range a.accept {
		if a.accept[s] {
			for _, t := range a.transitions(0) {
				b.addTransition(int32(s)+1, t.dest+1, t.min, t.max)
			}
		}
	}
	return b.finish()
}

// checkRepeat refuses a repetition whose copies would pass the size esapikeytest builds, before
// listing them.
func checkRepeat(a *automaton, count int) {
	if count > 0 && a.numStates() > 0 && (count > maxStates || a.numStates()*count > maxStates) {
		panic(tooLarge{})
	}
}

// repeatMin accepts count or more repetitions (Operations.repeat(a, count)).
func repeatMin(a *automaton, count int) *automaton {
	if count == 0 {
		return repeatStar(a)
	}
	checkRepeat(a, count+1)
	l := make([]*automaton, 0, count+1)
	for range count {
		l = append(l, a)
	}
	return concatenate(append(l, repeatStar(a)))
}

// repeatMinMax accepts min to max repetitions (Operations.repeat(a, min, max)).
func repeatMinMax(a *automaton, min, max int) *automaton {
	if min > max {
		return makeEmpty()
	}
	checkRepeat(a, max)
	var b0 *automaton
	switch min {
	case 0:
		b0 = makeEmptyString()
	case 1:
		b0 = newAutomaton()
		b0.copyFrom(a)
	default:
		l := make([]*automaton, min)
		for i := range l {
			l[i] = a
		}
		b0 = concatenate(l)
	}
	prev := acceptStates(b0, 0)
	b := &builder{}
	b.copyFrom(b0)
	for i := min; i < max; i++ {
		n := int32(len(b.accept))
		b.copyFrom(a)
		for _, s := range prev {
			b.addEpsilon(s, n)
		}
		prev = acceptStates(a, n)
	}
	return b.finish()
}

func acceptStates(a *automaton, offset int32) []int32 {
	var out []int32
	for s, acc := range a.accept {
		if acc {
			out = append(out, offset+int32(s))
		}
	}
	return out
}

// union accepts the union of the languages (Operations.union): a new initial state with the initial
// transitions of each automaton, then the dead states removed.
func union(l []*automaton) *automaton {
	r := newAutomaton()
	r.createState()
	for _, a := range l {
		r.copyFrom(a)
	}
	offset := int32(1)
	for _, a := range l {
		if a.numStates() == 0 {
			continue
		}
		r.addEpsilon(0, offset)
		offset += int32(a.numStates())
	}
	r.finishState()
	return removeDeadStates(r)
}

// intersection accepts what both accept: the product of the two, then the dead states removed
// (Operations.intersection).
func intersection(a1, a2 *automaton) *automaton {
	if a1 == a2 || a1.numStates() == 0 {
		return a1
	}
	if a2.numStates() == 0 {
		return a2
	}
	c := newAutomaton()
	c.createState()
	type pair struct{ s1, s2 int32 }
	states := map[pair]int32{{0, 0}: 0}
	work := []pair{{0, 0}}
	for len(work) > 0 {
		p := work[0]
		work = work[1:]
		ps := states[p]
		c.accept[ps] = a1.accept[p.s1] && a2.accept[p.s2]
		t1, t2 := a1.transitions(p.s1), a2.transitions(p.s2)
		for n1, b2 := 0, 0; n1 < len(t1); n1++ {
			for b2 < len(t2) && t2[b2].max < t1[n1].min {
				b2++
			}
			for n2 := b2; n2 < len(t2) && t1[n1].max >= t2[n2].min; n2++ {
				if t2[n2].max < t1[n1].min {
					continue
				}
				q := pair{t1[n1].dest, t2[n2].dest}
				r, ok := states[q]
				if !ok {
					r = c.createState()
					states[q] = r
					work = append(work, q)
				}
				c.addTransition(ps, r, max(t1[n1].min, t2[n2].min), min(t1[n1].max, t2[n2].max))
			}
		}
	}
	c.finishState()
	return removeDeadStates(c)
}

// complement accepts what a does not (Operations.complement).
func complement(a *automaton, workLimit int) *automaton {
	a = totalize(determinize(a, workLimit))
	for s := range a.accept {
		a.accept[s] = !a.accept[s]
	}
	return removeDeadStates(a)
}

// minus accepts what a1 accepts and a2 does not (Operations.minus).
func minus(a1, a2 *automaton, workLimit int) *automaton {
	if isEmpty(a1) || a1 == a2 {
		return makeEmpty()
	}
	if isEmpty(a2) {
		return a1
	}
	return intersection(a1, complement(a2, workLimit))
}

// totalize adds a dead state that every missing label leads to (Operations.totalize).
func totalize(a *automaton) *automaton {
	r := newAutomaton()
	for s := range a.accept {
		r.accept[r.createState()] = a.accept[s]
	}
	dead := r.createState()
	r.addTransition(dead, dead, 0, maxCodePoint)
	for s := range a.accept {
		maxi := int32(0)
		for _, t := range a.transitions(int32(s)) {
			r.addTransition(int32(s), t.dest, t.min, t.max)
			if t.min > maxi {
				r.addTransition(int32(s), dead, maxi, t.min-1)
			}
			if t.max+1 > maxi {
				maxi = t.max + 1
			}
		}
		if maxi <= maxCodePoint {
			r.addTransition(int32(s), dead, maxi, maxCodePoint)
		}
	}
	r.finishState()
	return r
}
