package query

import (
	"strings"
	"unicode"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// matchQuery is match on one field. The API-key fields are keywords, whose analyzer keeps the whole
// text as one term; with another analyzer the text is split into lowercase words.
type matchQuery struct {
	name             string
	text             *jsontree.Node
	and              bool
	analyzer         string
	fuzz             *fuzziness
	prefixLen        int
	noTranspositions bool
	lenient          bool
	pred             func(d *Doc) bool
}

var matchOptions = []string{"max_expansions", "zero_terms_query",
	"auto_generate_synonyms_phrase_query", "minimum_should_match", "fuzzy_rewrite", "cutoff_frequency"}

func (p *parser) match(n *jsontree.Node) (clause, *Error) {
	name, body, err := fieldBody("match", n)
	if err != nil {
		return nil, err
	}
	q := &matchQuery{name: name, text: body}
	if body.Kind == jsontree.Object {
		q.text = nil
		for k, v := range body.Fields() {
			switch k {
			case "query":
				q.text = v
			case "operator":
				q.and = strings.EqualFold(scalar(v), "and")
			case "analyzer":
				q.analyzer = scalar(v)
			case "fuzziness":
				if v.Kind == jsontree.Object || v.Kind == jsontree.Array || v.Kind == jsontree.Null {
					return nil, parsingError("[match] unknown token [%s] after [%s]", v.Kind.Token(), k)
				}
				f, err := parseFuzziness(v)
				if err != nil {
					return nil, err
				}
				q.fuzz = &f
			case "fuzzy_transpositions":
				q.noTranspositions = v.Kind == jsontree.Bool && !v.Bool
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
	if q.fuzz != nil && f.keyed {
		// MatchQueryParser asks the field for a fuzzy query whatever the distance; lenient makes the
		// refusal a query that matches nothing.
		if q.lenient {
			q.pred = func(*Doc) bool { return false }
			return nil
		}
		return keyedUnsupported("fuzzy")
	}
	terms := []string{text}
	if q.analyzer != "" && q.analyzer != "keyword" {
		terms = words(text)
	}
	b.leaves += max(len(terms), 1)
	same := make([]func(*Doc) bool, len(terms))
	for i, t := range terms {
		eq := func(s string) bool { return s == t }
		// MatchQueryParser asks Fuzziness for each term's distance.
		if q.fuzz != nil {
			if edits := q.fuzz.distance(t); edits > 0 {
				eq = newFuzzyTerm(t, edits, q.prefixLen, !q.noTranspositions).match
			}
		}
		same[i] = anyValue(f, eq)
	}
	q.pred = func(d *Doc) bool {
		hits := 0
		for _, ok := range same {
			if ok(d) {
				hits++
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

// sqsQuery is simple_query_string, read as Lucene's SimpleQueryParser reads it (see sqs.go).
type sqsQuery struct {
	text             string
	fields           []string
	and              bool
	lenient          bool
	explicit         bool // fields were given
	prefixLen        int  // fuzzy_prefix_length
	noTranspositions bool // fuzzy_transpositions: false
	pred             func(d *Doc) bool
}

func (p *parser) simpleQueryString(n *jsontree.Node) (clause, *Error) {
	q := &sqsQuery{}
	hasQuery := false
	for k, v := range n.Fields() {
		switch k {
		case "query":
			q.text, hasQuery = scalar(v), true
		case "fields":
			if v.Kind != jsontree.Array {
				return nil, parsingError("[simple_query_string] query does not support [%s]", k)
			}
			for _, e := range v.Vals() {
				q.fields = append(q.fields, scalar(e))
			}
			q.explicit = true
		case "default_operator":
			q.and = strings.EqualFold(scalar(v), "and")
		case "lenient":
			q.lenient = v.Kind == jsontree.Bool && v.Bool
		case "fuzzy_prefix_length":
			q.prefixLen = atoi(scalar(v))
		case "fuzzy_transpositions":
			q.noTranspositions = v.Kind == jsontree.Bool && !v.Bool
		case "analyzer", "flags", "minimum_should_match", "quote_field_suffix", "analyze_wildcard",
			"auto_generate_synonyms_phrase_query", "fuzzy_max_expansions":
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
