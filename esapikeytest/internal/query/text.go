package query

import (
	"strings"
	"unicode"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// matchQuery is match on one field. The API-key fields are keywords, whose analyzer keeps the whole
// text as one term; with another analyzer the text is split into lowercase words.
type matchQuery struct {
	name      string
	text      *jsontree.Node
	and       bool
	analyzer  string
	fuzziness string
	prefixLen int
	lenient   bool
	pred      func(d *Doc) bool
}

var matchOptions = []string{"prefix_length", "max_expansions", "fuzzy_transpositions", "zero_terms_query",
	"auto_generate_synonyms_phrase_query", "minimum_should_match", "fuzzy_rewrite", "cutoff_frequency"}

func (p *parser) match(n *jsontree.Node) (clause, *Error) {
	name, body, err := fieldBody("match", n)
	if err != nil {
		return nil, err
	}
	q := &matchQuery{name: name, text: body}
	if body.Kind == jsontree.Object {
		q.text = nil
		for i, k := range body.Keys {
			v := body.Vals[i]
			switch k {
			case "query":
				q.text = v
			case "operator":
				q.and = strings.EqualFold(scalar(v), "and")
			case "analyzer":
				q.analyzer = scalar(v)
			case "fuzziness":
				q.fuzziness = scalar(v)
			case "lenient":
				q.lenient = v.Kind == jsontree.Bool && v.Bool
			case "prefix_length":
				q.prefixLen = atoi(scalar(v))
			default:
				if ok, err := common(k, v); err != nil || (!ok && !contains(matchOptions, k)) {
					return nil, orErr(err, parsingError("[match] query does not support [%s]", k))
				}
			}
		}
	}
	if q.text == nil || q.text.Kind == jsontree.Null || q.text.Kind == jsontree.Object || q.text.Kind == jsontree.Array {
		return nil, parsingError("No text specified for text query")
	}
	return q, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func (q *matchQuery) bind(b *binder) *Error {
	f, err := b.rel.translate(q.name)
	if err != nil {
		return err
	}
	text := scalar(q.text)
	if f.kind != keyword {
		q.pred, err = eqPred(f, text, false, b)
		if err != nil && q.lenient {
			q.pred, err = func(*Doc) bool { return false }, nil
		}
		return err
	}
	terms := []string{text}
	if q.analyzer != "" && q.analyzer != "keyword" {
		terms = words(text)
	}
	fuzz := q.fuzziness
	same := func(term, s string) bool {
		if fuzz == "" || fuzz == "0" {
			return s == term
		}
		return fuzzyMatch(term, s, fuzz, q.prefixLen)
	}
	q.pred = func(d *Doc) bool {
		values := f.get(d)
		hits := 0
		for _, t := range terms {
			for _, s := range values {
				if same(t, s) {
					hits++
					break
				}
			}
		}
		if q.and {
			return hits == len(terms) && hits > 0
		}
		return hits > 0
	}
	return nil
}

func (q *matchQuery) match(d *Doc) bool { return q.pred(d) }

// words splits text into lowercase letter-and-digit runs, roughly as the standard analyzer does.
func words(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// fuzzyMatch reports whether s is within the edit distance fuzziness allows of term (transpositions
// count as one edit, as fuzzy_transpositions defaults to true). The first prefix runes must be equal.
func fuzzyMatch(term, s, fuzziness string, prefix int) bool {
	a, b := []rune(term), []rune(s)
	maxEdits := atoi(fuzziness)
	if strings.HasPrefix(strings.ToUpper(fuzziness), "AUTO") {
		switch {
		case len(a) < 3:
			maxEdits = 0
		case len(a) < 6:
			maxEdits = 1
		default:
			maxEdits = 2
		}
	}
	if prefix > 0 {
		if len(a) < prefix || len(b) < prefix || string(a[:prefix]) != string(b[:prefix]) {
			return false
		}
	}
	return editDistance(a, b) <= maxEdits
}

func editDistance(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// sqsQuery is simple_query_string, read as Lucene's SimpleQueryParser reads it (see sqs.go).
type sqsQuery struct {
	text     string
	fields   []string
	and      bool
	lenient  bool
	explicit bool // fields were given
	pred     func(d *Doc) bool
}

func (p *parser) simpleQueryString(n *jsontree.Node) (clause, *Error) {
	q := &sqsQuery{}
	hasQuery := false
	for i, k := range n.Keys {
		v := n.Vals[i]
		switch k {
		case "query":
			q.text, hasQuery = scalar(v), true
		case "fields":
			if v.Kind != jsontree.Array {
				return nil, parsingError("[simple_query_string] query does not support [%s]", k)
			}
			for _, e := range v.Vals {
				q.fields = append(q.fields, scalar(e))
			}
			q.explicit = true
		case "default_operator":
			q.and = strings.EqualFold(scalar(v), "and")
		case "lenient":
			q.lenient = v.Kind == jsontree.Bool && v.Bool
		case "analyzer", "flags", "minimum_should_match", "quote_field_suffix", "analyze_wildcard",
			"auto_generate_synonyms_phrase_query", "fuzzy_prefix_length", "fuzzy_max_expansions", "fuzzy_transpositions":
		default:
			if ok, err := common(k, v); err != nil || !ok {
				return nil, orErr(err, parsingError("[simple_query_string] unsupported field [%s]", k))
			}
		}
	}
	if !hasQuery {
		return nil, parsingError("[simple_query_string] query text missing")
	}
	return q, nil
}
