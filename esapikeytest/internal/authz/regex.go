package authz

import (
	"strconv"
	"strings"
	"unicode/utf16"
)

// regExp is a parsed Lucene regular expression (org.apache.lucene.util.automaton.RegExp, Lucene 10),
// the syntax Elasticsearch reads between slashes in a name pattern. The parser is Lucene's, with its
// messages; positions count UTF-16 code units, as Java's do.
type regExp struct {
	kind       reKind
	exp1, exp2 *regExp
	s          []rune // a string, or an automaton name
	c          rune
	min, max   int
	digits     int
	from, to   rune
}

type reKind uint8

const (
	reUnion reKind = iota
	reConcat
	reIntersection
	reOptional
	reRepeat
	reRepeatMin
	reRepeatMinMax
	reComplement // of a character class
	reChar
	reCharRange
	reAnyChar
	reEmpty
	reString
	reAnyString
	reAutomaton
	reInterval
	rePreClass
	reDeprecatedComplement
)

// Syntax flags (RegExp.ALL and RegExp.DEPRECATED_COMPLEMENT).
const (
	flagIntersection = 0x0001
	flagEmpty        = 0x0004
	flagAnyString    = 0x0008
	flagAutomaton    = 0x0010
	flagInterval     = 0x0020
	flagAll          = 0xff
	// flagComplement is DEPRECATED_COMPLEMENT: Automatons builds role patterns with it, so '~'
	// complements; RegExp.ALL alone reads '~' as a character.
	flagComplement = 0x10000
)

// maxNesting bounds the nesting of groups and complements. Lucene parses them recursively and a deep
// pattern overflows the Java stack, which stops an Elasticsearch node; esapikeytest refuses it.
const maxNesting = 1000

type reParser struct {
	src   []rune
	i     int // index into src
	pos   int // the same position in UTF-16 code units
	flags int
	depth int
}

// parseRegExp parses s like new RegExp(s, flags). Errors are IllegalArgumentExceptions with Lucene's
// messages (a repetition count past Integer.MAX_VALUE is Java's NumberFormatException).
func parseRegExp(s string, flags int) *regExp {
	p := &reParser{src: []rune(s), flags: flags}
	if len(p.src) == 0 {
		return &regExp{kind: reString}
	}
	e := p.unionExp()
	if p.more() {
		panic(iae("end-of-string expected at position " + strconv.Itoa(p.pos)))
	}
	return e
}

func iae(reason string) *Error { return &Error{Reason: reason} }

func (p *reParser) more() bool { return p.i < len(p.src) }

func (p *reParser) peek(set string) bool { return p.more() && strings.ContainsRune(set, p.src[p.i]) }

func (p *reParser) match(c rune) bool {
	if p.more() && p.src[p.i] == c {
		p.advance()
		return true
	}
	return false
}

func (p *reParser) advance() rune {
	c := p.src[p.i]
	p.i++
	p.pos += utf16.RuneLen(c)
	if utf16.RuneLen(c) < 0 {
		p.pos++ // an invalid rune, read by Java as one replacement character
	}
	return c
}

func (p *reParser) next() rune {
	if !p.more() {
		panic(iae("unexpected end-of-string"))
	}
	return p.advance()
}

func (p *reParser) check(flag int) bool { return p.flags&flag != 0 }

func (p *reParser) nest() {
	if p.depth++; p.depth > maxNesting {
		panic(iae("esapikeytest: regular expression nested more than " + strconv.Itoa(maxNesting) + " levels deep"))
	}
}

// bound refuses the n-th operator applied to one operand past maxNesting: each makes the built
// expression one level deeper.
func (p *reParser) bound(n int) {
	if n >= maxNesting {
		panic(iae("esapikeytest: regular expression nested more than " + strconv.Itoa(maxNesting) + " levels deep"))
	}
}

func (p *reParser) unionExp() *regExp {
	e := p.interExp()
	for p.match('|') {
		e = &regExp{kind: reUnion, exp1: e, exp2: p.interExp()}
	}
	return e
}

func (p *reParser) interExp() *regExp {
	e := p.concatExp()
	for n := 0; p.check(flagIntersection) && p.match('&'); n++ {
		p.bound(n)
		e = &regExp{kind: reIntersection, exp1: e, exp2: p.concatExp()}
	}
	return e
}

func (p *reParser) concatExp() *regExp {
	e := p.repeatExp()
	for p.more() && !p.peek(")|") && (!p.check(flagIntersection) || !p.peek("&")) {
		e = makeConcatenation(e, p.repeatExp())
	}
	return e
}

// makeConcatenation joins adjacent characters and strings into one string, as RegExp does; the
// strings are extended in place, so a long literal costs linear time.
func makeConcatenation(e1, e2 *regExp) *regExp {
	lit := func(e *regExp) bool { return e.kind == reChar || e.kind == reString }
	switch {
	case lit(e1) && lit(e2):
		return joinStrings(e1, e2)
	case e1.kind == reConcat && lit(e1.exp2) && lit(e2):
		return &regExp{kind: reConcat, exp1: e1.exp1, exp2: joinStrings(e1.exp2, e2)}
	case lit(e1) && e2.kind == reConcat && lit(e2.exp1):
		return &regExp{kind: reConcat, exp1: joinStrings(e1, e2.exp1), exp2: e2.exp2}
	}
	return &regExp{kind: reConcat, exp1: e1, exp2: e2}
}

func joinStrings(e1, e2 *regExp) *regExp {
	s := e1.s
	if e1.kind == reChar {
		s = []rune{e1.c}
	}
	if e2.kind == reChar {
		s = append(s, e2.c)
	} else {
		s = append(s, e2.s...)
	}
	return &regExp{kind: reString, s: s}
}

func (p *reParser) repeatExp() *regExp {
	e := p.complExp()
	for n := 0; p.peek("?*+{"); n++ {
		p.bound(n)
		switch {
		case p.match('?'):
			e = &regExp{kind: reOptional, exp1: e}
		case p.match('*'):
			e = &regExp{kind: reRepeat, exp1: e}
		case p.match('+'):
			e = &regExp{kind: reRepeatMin, exp1: e, min: 1}
		case p.match('{'):
			n := p.integer(true)
			m := -1
			if p.match(',') {
				m = p.integer(false)
			} else {
				m = n
			}
			if !p.match('}') {
				panic(iae("expected '}' at position " + strconv.Itoa(p.pos)))
			}
			if m != -1 && n > m {
				panic(iae("invalid repetition range(out of order): " + strconv.Itoa(n) + ".." + strconv.Itoa(m)))
			}
			if m == -1 {
				e = &regExp{kind: reRepeatMin, exp1: e, min: n}
			} else {
				e = &regExp{kind: reRepeatMinMax, exp1: e, min: n, max: m}
			}
		}
	}
	return e
}

// integer reads the digits of a repetition count; none is an error when required, else -1.
func (p *reParser) integer(required bool) int {
	start, startPos := p.i, p.pos
	for p.peek("0123456789") {
		p.next()
	}
	if p.i == start {
		if required {
			panic(iae("integer expected at position " + strconv.Itoa(startPos)))
		}
		return -1
	}
	digits := string(p.src[start:p.i])
	n, err := strconv.ParseInt(digits, 10, 32)
	if err != nil {
		panic(&Error{Type: "number_format_exception", Reason: "For input string: \"" + digits + "\""})
	}
	return int(n)
}

func (p *reParser) complExp() *regExp {
	if p.check(flagComplement) && p.match('~') {
		p.nest()
		e := &regExp{kind: reDeprecatedComplement, exp1: p.complExp()}
		p.depth--
		return e
	}
	return p.charClassExp()
}

func (p *reParser) charClassExp() *regExp {
	if !p.match('[') {
		return p.simpleExp()
	}
	negate := p.match('^')
	e := p.charClasses()
	if negate {
		e = &regExp{kind: reIntersection, exp1: &regExp{kind: reAnyChar}, exp2: &regExp{kind: reComplement, exp1: e}}
	}
	if !p.match(']') {
		panic(iae("expected ']' at position " + strconv.Itoa(p.pos)))
	}
	return e
}

func (p *reParser) charClasses() *regExp {
	e := p.charClass()
	for p.more() && !p.peek("]") {
		e = &regExp{kind: reUnion, exp1: e, exp2: p.charClass()}
	}
	return e
}

func (p *reParser) charClass() *regExp {
	if e := p.predefinedClass(); e != nil {
		return e
	}
	c := p.charExp()
	if p.match('-') {
		to := p.charExp()
		if c > to {
			panic(iae("invalid range: from (" + strconv.Itoa(int(c)) + ") cannot be > to (" + strconv.Itoa(int(to)) + ")"))
		}
		return &regExp{kind: reCharRange, from: c, to: to}
	}
	return &regExp{kind: reChar, c: c}
}

// predefinedClass reads \d, \D, \s, \S, \w and \W; any other backslash-letter is an error, as in
// java.util.regex (RegExp.matchPredefinedCharacterClass). Java appends the code point as a number.
func (p *reParser) predefinedClass() *regExp {
	if !p.match('\\') {
		return nil
	}
	switch {
	case p.peek("dDwWsS"):
		return &regExp{kind: rePreClass, from: p.next()}
	case p.peek("\\"):
		return &regExp{kind: reChar, c: p.next()}
	case p.peek("abcefghijklmnopqrtuvxyz"), p.peek("ABCEFGHIJKLMNOPQRTUVXYZ"):
		panic(iae("invalid character class \\" + strconv.Itoa(int(p.next()))))
	}
	return nil
}

func (p *reParser) simpleExp() *regExp {
	switch {
	case p.match('.'):
		return &regExp{kind: reAnyChar}
	case p.check(flagEmpty) && p.match('#'):
		return &regExp{kind: reEmpty}
	case p.check(flagAnyString) && p.match('@'):
		return &regExp{kind: reAnyString}
	case p.match('"'):
		start := p.i
		for p.more() && !p.peek("\"") {
			p.next()
		}
		if !p.match('"') {
			panic(iae("expected '\"' at position " + strconv.Itoa(p.pos)))
		}
		return &regExp{kind: reString, s: p.src[start : p.i-1]}
	case p.match('('):
		if p.match(')') {
			return &regExp{kind: reString}
		}
		p.nest()
		e := p.unionExp()
		p.depth--
		if !p.match(')') {
			panic(iae("expected ')' at position " + strconv.Itoa(p.pos)))
		}
		return e
	case (p.check(flagAutomaton) || p.check(flagInterval)) && p.match('<'):
		return p.angle()
	}
	if e := p.predefinedClass(); e != nil {
		return e
	}
	return &regExp{kind: reChar, c: p.charExp()}
}

// angle reads a named automaton <name> or a numeric interval <n-m> after '<'.
func (p *reParser) angle() *regExp {
	start := p.i
	for p.more() && !p.peek(">") {
		p.next()
	}
	if !p.match('>') {
		panic(iae("expected '>' at position " + strconv.Itoa(p.pos)))
	}
	s := string(p.src[start : p.i-1])
	fail := iae("interval syntax error at position " + strconv.Itoa(p.pos-1))
	i := strings.IndexByte(s, '-')
	if i < 0 {
		if !p.check(flagAutomaton) {
			panic(fail)
		}
		return &regExp{kind: reAutomaton, s: []rune(s)}
	}
	if i == 0 || i == len(s)-1 || i != strings.LastIndexByte(s, '-') {
		panic(fail)
	}
	smin, smax := s[:i], s[i+1:]
	imin, err1 := strconv.ParseInt(smin, 10, 32)
	imax, err2 := strconv.ParseInt(smax, 10, 32)
	if err1 != nil || err2 != nil {
		panic(fail)
	}
	digits := 0
	if len(smin) == len(smax) {
		digits = len(smin)
	}
	if imin > imax {
		imin, imax = imax, imin
	}
	return &regExp{kind: reInterval, min: int(imin), max: int(imax), digits: digits}
}

func (p *reParser) charExp() rune {
	p.match('\\')
	return p.next()
}
