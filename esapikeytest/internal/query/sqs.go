package query

import (
	"strings"
	"unicode"
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
type sqsParser struct {
	fields  []*field
	lenient bool
	and     bool
	b       *binder
}

type pred = func(d *Doc) bool

func (p *sqsParser) parse(text string) (pred, *Error) {
	st := sqsState{and: p.and}
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '(':
			end := closing(text, i)
			sub, err := p.parse(text[i+1 : end])
			if err != nil {
				return nil, err
			}
			i = min(end+1, len(text))
			st.add(sub)
		case c == ')':
			i++
		case c == '"':
			end := strings.IndexByte(text[i+1:], '"')
			if end < 0 {
				end = len(text) - i - 1
			}
			phrase := text[i+1 : i+1+end]
			i = min(i+end+2, len(text))
			for i < len(text) && (text[i] == '~' || (text[i] >= '0' && text[i] <= '9')) {
				i++ // a phrase slop means nothing for keyword fields
			}
			branch, err := p.term(phrase, false, 0)
			if err != nil {
				return nil, err
			}
			st.add(branch)
		case c == '+':
			st.cur = opMust
			i++
		case c == '|':
			st.cur = opShould
			i++
		case c == '-':
			st.not++
			i++
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		default:
			tok, prefix, fuzzy, next := token(text, i)
			i = next
			branch, err := p.term(tok, prefix, fuzzy)
			if err != nil {
				return nil, err
			}
			st.add(branch)
		}
	}
	return st.top, nil
}

// sqsState folds the clauses of one level of SimpleQueryParser's input into a tree: an operator
// change starts a new group over what came before, as Lucene's parser does.
type sqsState struct {
	and       bool // default_operator is AND
	top       pred
	group     *sqsGroup
	prev, cur int
	not       int // '-' signs before the next clause
}

func (st *sqsState) add(branch pred) {
	if branch == nil {
		return
	}
	if st.not%2 == 1 {
		inner := branch
		branch = func(d *Doc) bool { return !inner(d) }
	}
	if st.top == nil {
		st.top = branch
	} else {
		if st.cur == opNone {
			st.cur = opShould
			if st.and {
				st.cur = opMust
			}
		}
		if st.prev != st.cur || st.group == nil {
			st.group = &sqsGroup{must: st.cur == opMust, clauses: []pred{st.top}}
		}
		st.group.clauses = append(st.group.clauses, branch)
		st.top, st.prev = st.group.match, st.cur
	}
	st.cur, st.not = opNone, 0
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

func closing(text string, open int) int {
	depth := 0
	for i := open; i < len(text); i++ {
		switch text[i] {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return len(text)
}

// token reads a term up to whitespace or an operator; \ escapes, a trailing * is a prefix, ~N fuzzy.
func token(text string, i int) (tok string, prefix bool, fuzzy int, next int) {
	var b strings.Builder
	for i < len(text) && !strings.ContainsRune("\"|+()~", rune(text[i])) && !unicode.IsSpace(rune(text[i])) {
		if text[i] == '\\' && i+1 < len(text) {
			i++
		} else if text[i] == '*' && (i+1 == len(text) || strings.ContainsRune(" \t\n\r\"|+()~", rune(text[i+1]))) {
			prefix = true
			i++
			break
		}
		b.WriteByte(text[i])
		i++
	}
	if i < len(text) && text[i] == '~' {
		i++
		start := i
		for i < len(text) && text[i] >= '0' && text[i] <= '9' {
			i++
		}
		fuzzy = min(atoi(text[start:i]), 2)
		if start == i {
			fuzzy = 2
		}
	}
	return b.String(), prefix, fuzzy, i
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
			preds = append(preds, pr)
		case prefix:
			preds = append(preds, anyValue(f, func(s string) bool { return strings.HasPrefix(s, text) }))
		case fuzzy > 0:
			edits := string(rune('0' + fuzzy))
			preds = append(preds, anyValue(f, func(s string) bool { return fuzzyMatch(text, s, edits, 0) }))
		default:
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
	top, err := (&sqsParser{fields: fields, lenient: lenient, and: q.and, b: b}).parse(q.text)
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
