package authz

import (
	"strconv"
	"unicode/utf8"
)

// regex compiles the Lucene regular expressions Elasticsearch accepts between slashes in a role
// (RegExp with ALL | DEPRECATED_COMPLEMENT flags). Supported: literals, '.', '[..]' and '[^..]' classes
// with ranges, '(..)', '|', '*', '+', '?', '{n}', '{n,}', '{n,m}', '"literal"', '@' (any string),
// '#' (the empty language) and '\' escapes. Complement '~', intersection '&' and numeric intervals
// '<n-m>' are refused with a clear error rather than guessed.
func regex(expr string) (*nfa, error) {
	p := &reParser{src: expr, a: &nfa{}}
	f, err := p.alternation()
	if err == nil && p.pos < len(p.src) {
		err = p.fail("unexpected character")
	}
	if err != nil {
		return nil, err
	}
	p.a.start = f.in
	p.a.states[f.out].accept = true
	return p.a, nil
}

// frag is a piece of a Thompson construction: one entry and one exit state.
type frag struct{ in, out int }

type reParser struct {
	src string
	pos int
	a   *nfa
}

func (p *reParser) fail(what string) error {
	return &Error{"invalid regular expression [/" + p.src + "/]: " + what + " at position " + strconv.Itoa(p.pos)}
}

func (p *reParser) peek() (rune, bool) {
	if p.pos >= len(p.src) {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(p.src[p.pos:])
	return r, true
}

func (p *reParser) next() rune {
	r, size := utf8.DecodeRuneInString(p.src[p.pos:])
	p.pos += size
	return r
}

func (p *reParser) alternation() (frag, error) {
	f, err := p.concatenation()
	if err != nil {
		return f, err
	}
	for {
		if r, ok := p.peek(); !ok || r != '|' {
			return f, nil
		}
		p.next()
		g, err := p.concatenation()
		if err != nil {
			return g, err
		}
		in, out := p.a.add(), p.a.add()
		p.a.eps(in, f.in)
		p.a.eps(in, g.in)
		p.a.eps(f.out, out)
		p.a.eps(g.out, out)
		f = frag{in, out}
	}
}

func (p *reParser) concatenation() (frag, error) {
	f := p.empty()
	for {
		r, ok := p.peek()
		if !ok || r == '|' || r == ')' {
			return f, nil
		}
		if r == '&' || r == '~' {
			return f, p.fail("esapikeytest does not support '" + string(r) + "'")
		}
		g, err := p.repeat()
		if err != nil {
			return g, err
		}
		p.a.eps(f.out, g.in)
		f.out = g.out
	}
}

func (p *reParser) empty() frag {
	s := p.a.add()
	return frag{s, s}
}

func (p *reParser) repeat() (frag, error) {
	start := p.pos
	f, err := p.atom()
	if err != nil {
		return f, err
	}
	for {
		r, ok := p.peek()
		if !ok {
			return f, nil
		}
		switch r {
		case '*', '+', '?':
			p.next()
			f = p.quantify(f, r)
		case '{':
			p.next()
			min, max, err := p.bounds()
			if err != nil {
				return f, err
			}
			f = p.counted(start, f, min, max)
		default:
			return f, nil
		}
	}
}

func (p *reParser) quantify(f frag, op rune) frag {
	in, out := p.a.add(), p.a.add()
	p.a.eps(in, f.in)
	p.a.eps(f.out, out)
	if op != '+' {
		p.a.eps(in, out)
	}
	if op != '?' {
		p.a.eps(f.out, f.in)
	}
	return frag{in, out}
}

// bounds reads "n}", "n,}" or "n,m}"; max is -1 for no upper bound.
func (p *reParser) bounds() (int, int, error) {
	num := func() (int, bool) {
		start := p.pos
		for r, ok := p.peek(); ok && r >= '0' && r <= '9'; r, ok = p.peek() {
			p.next()
		}
		n, err := strconv.Atoi(p.src[start:p.pos])
		return n, err == nil && n <= 1000
	}
	min, ok := num()
	if !ok {
		return 0, 0, p.fail("integer expected")
	}
	max := min
	if r, _ := p.peek(); r == ',' {
		p.next()
		if r, _ := p.peek(); r == '}' {
			max = -1
		} else if max, ok = num(); !ok || max < min {
			return 0, 0, p.fail("integer expected")
		}
	}
	if r, ok := p.peek(); !ok || r != '}' {
		return 0, 0, p.fail("expected '}'")
	}
	p.next()
	return min, max, nil
}

// counted repeats the atom that starts at src[start:] by re-parsing it, since a fragment is used once.
func (p *reParser) counted(start int, f frag, min, max int) frag {
	copyAtom := func() frag {
		save := p.pos
		p.pos = start
		g, _ := p.atom()
		p.pos = save
		return g
	}
	out := p.empty()
	for i := 0; i < min; i++ {
		g := f
		if i > 0 {
			g = copyAtom()
		}
		p.a.eps(out.out, g.in)
		out.out = g.out
	}
	switch {
	case max < 0:
		g := f
		if min > 0 {
			g = copyAtom()
		}
		g = p.quantify(g, '*')
		p.a.eps(out.out, g.in)
		out.out = g.out
	default:
		for i := min; i < max; i++ {
			g := f
			if i > 0 {
				g = copyAtom()
			}
			g = p.quantify(g, '?')
			p.a.eps(out.out, g.in)
			out.out = g.out
		}
	}
	return out
}

func (p *reParser) atom() (frag, error) {
	r := p.next()
	switch r {
	case '.':
		return p.span(0, utf8.MaxRune), nil
	case '@':
		f := p.empty()
		p.a.edge(f.in, f.in, 0, utf8.MaxRune)
		return f, nil
	case '#':
		return frag{p.a.add(), p.a.add()}, nil
	case '(':
		if r, ok := p.peek(); ok && r == ')' {
			p.next()
			return p.empty(), nil
		}
		f, err := p.alternation()
		if err != nil {
			return f, err
		}
		if r, ok := p.peek(); !ok || r != ')' {
			return f, p.fail("expected ')'")
		}
		p.next()
		return f, nil
	case '[':
		return p.class()
	case '"':
		f := p.empty()
		for {
			c, ok := p.peek()
			if !ok {
				return f, p.fail("expected '\"'")
			}
			p.next()
			if c == '"' {
				return f, nil
			}
			g := p.span(c, c)
			p.a.eps(f.out, g.in)
			f.out = g.out
		}
	case '<':
		return frag{}, p.fail("esapikeytest does not support numeric intervals")
	case '\\':
		if p.pos >= len(p.src) {
			return frag{}, p.fail("expected a character after '\\'")
		}
		c := p.next()
		return p.span(c, c), nil
	case '*', '+', '?', '{', '}', ')', ']':
		p.pos -= utf8.RuneLen(r)
		return frag{}, p.fail("unexpected '" + string(r) + "'")
	}
	return p.span(r, r), nil
}

func (p *reParser) span(lo, hi rune) frag {
	in, out := p.a.add(), p.a.add()
	p.a.edge(in, out, lo, hi)
	return frag{in, out}
}

// class reads a character class after '['.
func (p *reParser) class() (frag, error) {
	negate := false
	if r, ok := p.peek(); ok && r == '^' {
		p.next()
		negate = true
	}
	var ranges [][2]rune
	for {
		r, ok := p.peek()
		if !ok {
			return frag{}, p.fail("expected ']'")
		}
		p.next()
		if r == ']' && len(ranges) > 0 {
			break
		}
		if r == '\\' && p.pos < len(p.src) {
			r = p.next()
		}
		hi := r
		if c, ok := p.peek(); ok && c == '-' && p.pos+1 < len(p.src) && p.src[p.pos+1] != ']' {
			p.next()
			hi = p.next()
			if hi == '\\' && p.pos < len(p.src) {
				hi = p.next()
			}
			if hi < r {
				return frag{}, p.fail("invalid range")
			}
		}
		ranges = append(ranges, [2]rune{r, hi})
	}
	if negate {
		ranges = complementRanges(ranges)
	}
	in, out := p.a.add(), p.a.add()
	for _, rg := range ranges {
		p.a.edge(in, out, rg[0], rg[1])
	}
	return frag{in, out}, nil
}

func complementRanges(ranges [][2]rune) [][2]rune {
	var out [][2]rune
	next := rune(0)
	for next <= utf8.MaxRune {
		// the lowest range that covers next, if any
		covered := false
		for _, rg := range ranges {
			if rg[0] <= next && next <= rg[1] {
				next = rg[1] + 1
				covered = true
			}
		}
		if covered {
			continue
		}
		end := utf8.MaxRune
		for _, rg := range ranges {
			if rg[0] > next && rg[0]-1 < end {
				end = rg[0] - 1
			}
		}
		out = append(out, [2]rune{next, end})
		next = end + 1
	}
	return out
}
