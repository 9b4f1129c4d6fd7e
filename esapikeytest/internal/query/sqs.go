package query

import (
	"strconv"
	"strings"
)

// Operators of Lucene's SimpleQueryParser.
const (
	opNone = iota
	opMust
	opShould
)

// sqsParser reads simple_query_string text as Lucene's SimpleQueryParser does: left to right, "+"
// joins with AND, "|" with OR, juxtaposition with default_operator, "-" negates the next clause
// (as MatchAll AND NOT, so with OR "a -b" matches a or anything without b), parentheses group,
// quotes keep a phrase, a trailing * makes a prefix, ~N a fuzzy term (at most 2 edits).
// Every term is looked up in every field; keyword fields keep the term whole.
//
// SimpleQueryParser scans ahead for the closing parenthesis and quote of each group and phrase, and
// parses a group by recursion; this parser finds every closing position in one pass first and keeps
// the open groups on a stack, so its work is linear in the text however deeply groups nest.
type sqsParser struct {
	fields         []*field
	lenient        bool
	and            bool
	prefixLen      int
	transpositions bool
	b              *binder
}

type pred = func(d *Doc) bool

// sqsLevel is one group being read, SimpleQueryParser.State: the tree so far and the operators seen.
type sqsLevel struct {
	end       int // the group's closing parenthesis, or the end of the text
	top       pred
	group     *sqsGroup
	prev, cur int
	not       int // '-' signs before the next clause
}

func (p *sqsParser) parse(text string) (pred, *Error) {
	sc := newSqsScan(text)
	stack := []*sqsLevel{{end: len(text)}}
	for i := 0; ; {
		st := stack[len(stack)-1]
		if i >= st.end {
			if len(stack) == 1 {
				return st.top, nil
			}
			stack = stack[:len(stack)-1]
			parent := stack[len(stack)-1]
			if err := p.add(parent, st.top); err != nil {
				return nil, err
			}
			parent.not = 0
			i = st.end + 1
			continue
		}
		switch c := text[i]; {
		case c == '(':
			switch end := sc.closer(i); {
			case end < 0 || end >= st.end: // no closing parenthesis in the group: the '(' is ignored
				i++
			case end == i+1: // "()" drops the operator before it
				st.cur = opNone
				i = end + 1
			default:
				stack = append(stack, &sqsLevel{end: end})
				i++
				continue // the '-' signs before the group apply to it when it closes
			}
		case c == ')':
			i++
		case c == '"':
			next, err := p.phrase(st, sc, text, i)
			if err != nil {
				return nil, err
			}
			i = next
		case c == '+' || c == '|':
			// An operator before any clause, or after another, is ignored.
			if st.cur == opNone && st.top != nil {
				st.cur = opShould
				if c == '+' {
					st.cur = opMust
				}
			}
			i++
		case c == '-':
			st.not++
			i++
			continue
		case isSqsSpace(c):
			i++
		default:
			next, err := p.token(st, text, i)
			if err != nil {
				return nil, err
			}
			i = next
		}
		st.not = 0 // even whitespace ends a negation that found no clause
	}
}

// phrase reads "...": without a closing quote in the group the quote is ignored; an empty phrase
// drops the operator before it. A phrase on a keyword field is its whole text as one term.
func (p *sqsParser) phrase(st *sqsLevel, sc *sqsScan, text string, open int) (int, *Error) {
	start := open + 1
	i := sc.quote(start)
	if i < 0 || i >= st.end {
		return start, nil
	}
	phrase := unescape(text[start:i])
	if i+1 < st.end && text[i+1] == '~' {
		i++
		if i+1 < st.end {
			i, _ = slop(text, i, st.end) // a slop changes nothing for keyword terms
		}
	} else if i == start {
		st.cur = opNone
		return start + 1, nil
	}
	branch, err := p.term(phrase, false, 0)
	if err != nil {
		return 0, err
	}
	// SimpleQueryParser steps past whatever ended the phrase or its slop.
	return i + 1, p.add(st, branch)
}

// token reads a term up to an operator or whitespace: \ escapes, a final unescaped * makes a prefix,
// and ~ after the first character starts a fuzziness.
func (p *sqsParser) token(st *sqsLevel, text string, i int) (int, *Error) {
	var b strings.Builder
	escaped, prefix, fuzzy := false, false, false
	for i < st.end {
		c := text[i]
		if !escaped {
			if c == '\\' {
				escaped, prefix = true, false
				i++
				continue
			}
			if sqsTokenEnd(c) {
				break
			}
			if b.Len() > 0 && c == '~' {
				fuzzy = true
				break
			}
			prefix = b.Len() > 0 && c == '*'
		}
		escaped = false
		b.WriteByte(c)
		i++
	}
	if b.Len() == 0 {
		return i, nil
	}
	tok := b.String()
	var branch pred
	var err *Error
	switch {
	case fuzzy:
		var edits int
		i, edits = slop(text, i, st.end)
		// The edit distance has a maximum; Lucene limits it to LevenshteinAutomata's.
		branch, err = p.term(tok, false, min(edits, maxEdits))
	case prefix:
		branch, err = p.term(tok[:len(tok)-1], true, 0)
	default:
		branch, err = p.term(tok, false, 0)
	}
	if err != nil {
		return 0, err
	}
	return i, p.add(st, branch)
}

// slop reads what follows a '~' at i up to the end of the token, as SimpleQueryParser.parseFuzziness
// does: nothing means 2, anything but an integer 0, a negative number 0.
func slop(text string, i, end int) (int, int) {
	start := i + 1
	for i++; i < end && !sqsTokenEnd(text[i]); i++ {
	}
	s := text[start:i]
	if s == "" {
		return i, 2
	}
	n, err := strconv.ParseInt(s, 10, 32)
	if err != nil || n < 0 {
		return i, 0
	}
	return i, int(n)
}

func isSqsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// sqsTokenEnd is SimpleQueryParser.tokenFinished: a quote, an operator, a parenthesis or whitespace.
func sqsTokenEnd(c byte) bool {
	return c == '"' || c == '|' || c == '+' || c == '(' || c == ')' || isSqsSpace(c)
}

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// add folds a clause into the group being read (SimpleQueryParser.buildQueryTree): an operator change
// starts a new BooleanQuery over what came before. Each BooleanQuery holds at most maxClauseCount clauses.
func (p *sqsParser) add(st *sqsLevel, branch pred) *Error {
	if branch == nil {
		return nil
	}
	if st.not%2 == 1 {
		inner := branch
		branch = func(d *Doc) bool { return !inner(d) }
		p.b.leaves++ // the MatchAllDocsQuery beside the negated clause
	}
	if st.top == nil {
		st.top = branch
	} else {
		if st.cur == opNone {
			st.cur = opShould
			if p.and {
				st.cur = opMust
			}
		}
		if st.prev != st.cur || st.group == nil {
			st.group = &sqsGroup{must: st.cur == opMust, clauses: []pred{st.top}}
		}
		if len(st.group.clauses) >= maxClauseCount {
			return tooManyClauses()
		}
		st.group.clauses = append(st.group.clauses, branch)
		st.top, st.prev = st.group.match, st.cur
	}
	st.cur = opNone
	return nil
}

// sqsGroup is one BooleanQuery of the tree: all clauses (MUST) or at least one (SHOULD).
type sqsGroup struct {
	must    bool
	clauses []pred
}

func (g *sqsGroup) match(d *Doc) bool {
	for _, c := range g.clauses {
		if c(d) != g.must {
			return !g.must
		}
	}
	return g.must
}

// term is a term looked up in every field (a disjunction); nil when no field can hold it.
func (p *sqsParser) term(text string, prefix bool, fuzzy int) (pred, *Error) {
	if text == "" && !prefix {
		return nil, nil
	}
	var preds []pred
	for _, f := range p.fields {
		switch {
		case f.kind != keyword && (prefix || fuzzy > 0):
			continue
		case f.kind != keyword:
			pr, err := eqPred(f, text, false, p.b)
			if err != nil {
				if p.lenient {
					continue
				}
				return nil, err
			}
			p.b.leaves += leavesOf(f)
			preds = append(preds, pr)
		case prefix:
			p.b.leaves++
			preds = append(preds, anyValue(f, func(s string) bool { return strings.HasPrefix(s, text) }))
		case fuzzy > 0 && f.keyed: // SimpleQueryStringQueryParser.newFuzzyQuery: rethrowUnlessLenient
			if p.lenient {
				continue
			}
			return nil, keyedUnsupported("fuzzy")
		case fuzzy > 0:
			p.b.leaves++
			preds = append(preds, anyValue(f, newFuzzyTerm(text, fuzzy, p.prefixLen, p.transpositions).match))
		default:
			p.b.leaves++
			preds = append(preds, anyValue(f, func(s string) bool { return s == text }))
		}
	}
	return func(d *Doc) bool {
		for _, pr := range preds {
			if pr(d) {
				return true
			}
		}
		return false
	}, nil
}

func (q *sqsQuery) bind(b *binder) *Error {
	patterns := q.fields
	lenient := q.lenient
	if len(patterns) == 0 {
		patterns = []string{"*"}
	}
	var fields []*field
	for _, pat := range patterns {
		name, _, _ := strings.Cut(pat, "^")
		if name == "*" {
			lenient = true // FieldNameTranslators forces lenient when querying all fields
		}
		for _, f := range translatePattern(name) {
			if !containsField(fields, f.name) {
				fields = append(fields, f)
			}
		}
	}
	none := func(*Doc) bool { return false }
	if len(fields) == 0 {
		q.pred = none // only disallowed fields: match nothing
		return nil
	}
	sp := &sqsParser{fields: fields, lenient: lenient, and: q.and, prefixLen: q.prefixLen, transpositions: !q.noTranspositions, b: b}
	top, err := sp.parse(q.text)
	if err != nil {
		return err
	}
	if top == nil {
		top = none
	}
	q.pred = top
	return nil
}

func containsField(fields []*field, name string) bool {
	for _, f := range fields {
		if f.name == name {
			return true
		}
	}
	return false
}

func (q *sqsQuery) match(d *Doc) bool { return q.pred(d) }
