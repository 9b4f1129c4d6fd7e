package authz

// toAutomaton builds the expression's automaton like RegExp.toAutomaton: nothing is determinised but
// complements, which is what Elasticsearch then determinises under its limit.
func (e *regExp) toAutomaton() *automaton {
	switch e.kind {
	case rePreClass:
		return e.expandPredefined().toAutomaton()
	case reUnion, reConcat:
		var list []*automaton
		for _, leaf := range e.leaves() {
			list = append(list, leaf.toAutomaton())
		}
		if e.kind == reUnion {
			return union(list)
		}
		return concatenate(list)
	case reIntersection:
		return intersection(e.exp1.toAutomaton(), e.exp2.toAutomaton())
	case reOptional:
		return optional(e.exp1.toAutomaton())
	case reRepeat:
		return repeatStar(e.exp1.toAutomaton())
	case reRepeatMin:
		return repeatMin(e.exp1.toAutomaton(), e.min)
	case reRepeatMinMax:
		return repeatMinMax(e.exp1.toAutomaton(), e.min, e.max)
	case reComplement:
		return complement(e.exp1.toAutomaton(), maxWork)
	case reDeprecatedComplement:
		return complement(e.exp1.toAutomaton(), defaultWorkLimit)
	case reChar:
		return makeChar(e.c)
	case reCharRange:
		return makeCharRange(e.from, e.to)
	case reAnyChar:
		return makeAnyChar()
	case reEmpty:
		return makeEmpty()
	case reString:
		return makeString(e.s)
	case reAnyString:
		return makeAnyString()
	case reAutomaton:
		panic(iae("'" + string(e.s) + "' not found"))
	}
	return makeDecimalInterval(e.min, e.max, e.digits)
}

// leaves flattens nested unions or concatenations of the same kind, left to right
// (RegExp.findLeaves), without recursion: a long concatenation is a deep left-leaning tree.
func (e *regExp) leaves() []*regExp {
	var out []*regExp
	stack := []*regExp{e.exp2, e.exp1}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x.kind == e.kind {
			stack = append(stack, x.exp2, x.exp1)
			continue
		}
		out = append(out, x)
	}
	return out
}

func (e *regExp) expandPredefined() *regExp {
	switch e.from {
	case 'd':
		return parseRegExp("[0-9]", flagAll)
	case 'D':
		return parseRegExp("[^0-9]", flagAll)
	case 's':
		return parseRegExp("[ \t\n\r]", flagAll)
	case 'S':
		return parseRegExp(`[^\s]`, flagAll)
	case 'w':
		return parseRegExp("[a-zA-Z_0-9]", flagAll)
	}
	return parseRegExp(`[^\w]`, flagAll)
}
