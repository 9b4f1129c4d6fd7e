package query

import (
	"slices"
	"strconv"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// clause is one query of the DSL. Parsing builds it with field names as the request wrote them;
// bind translates them (FieldNameTranslators) and reads values once, before any document is matched.
type clause interface {
	bind(b *binder) *Error
	match(d *Doc) bool
}

// binder carries what binding needs: the request time for date math, and the release whose
// fields the request may name. It counts the leaf queries bound, which Lucene's
// IndexSearcher.rewrite bounds by maxClauseCount over the whole query.
type binder struct {
	now    int64
	rel    *Release
	leaves int
}

// bindQuery binds a query Elasticsearch rewrites on its own (the request's, or a filter aggregation's).
// Besides the user's query, ApiKeyBoolQueryBuilder adds one leaf of its own, the doc_type filter, and
// IndexSearcher's visitor fails past maxClauseCount+1 leaves, so the user's query may hold
// maxClauseCount. Lucene counts after its own rewrites (a date range is two leaves, a duplicated filter
// one), so near the limit the two counts can differ by a few clauses.
func bindQuery(c clause, b *binder) *Error {
	outer := b.leaves
	b.leaves = 0
	defer func() { b.leaves = outer }()
	if err := c.bind(b); err != nil {
		return err
	}
	if b.leaves > maxClauseCount {
		return tooManyNestedClauses()
	}
	return nil
}

// parser reads query clauses out of a body, for a release; depth is the number of query objects
// it is inside.
type parser struct {
	t     *tree
	rel   *Release
	depth int
}

// knownQueries are query types Elasticsearch parses but the API-key query refuses after parsing
// ("Query type [..] is not currently supported in this context"); any other unknown name is a parse error.
var knownQueries = []string{"match_none", "match_phrase", "match_phrase_prefix", "match_bool_prefix", "multi_match",
	"query_string", "regexp", "fuzzy", "nested", "has_child", "has_parent", "parent_id", "constant_score", "dis_max",
	"function_score", "boosting", "script", "script_score", "geo_bounding_box", "geo_distance", "geo_grid",
	"geo_polygon", "geo_shape", "shape", "more_like_this", "span_term", "span_first", "span_near", "span_or",
	"span_not", "span_containing", "span_within", "span_multi", "field_masking_span", "span_field_masking",
	"terms_set", "intervals", "combined_fields", "distance_feature", "pinned", "rank_feature", "wrapper", "percolate",
	"knn", "sparse_vector", "semantic", "text_expansion", "weighted_tokens", "rule", "match_only_text"}

// query parses {"<type>": {...}}, like AbstractQueryBuilder.parseInnerQueryBuilder.
func (p *parser) query(n *jsontree.Node) (clause, *Error) {
	if n.Kind != jsontree.Object {
		return nil, parsingError("[_na] query malformed, must start with start_object")
	}
	if len(n.Keys()) == 0 {
		return nil, parsingError("query malformed, empty clause found")
	}
	name, body := n.Keys()[0], n.Vals()[0]
	if len(n.Keys()) > 1 {
		return nil, parsingError("[%s] malformed query, expected [END_OBJECT] but found [FIELD_NAME]", name)
	}
	if body.Kind != jsontree.Object {
		return nil, parsingError("[%s] query malformed, no start_object after query name", name)
	}
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxNestedDepth {
		return nil, nestedDepthError()
	}
	c, err := p.typed(name, body)
	return p.rel.gate(name, c, err)
}

// typed parses the body of a query of type name.
func (p *parser) typed(name string, body *jsontree.Node) (clause, *Error) {
	switch name {
	case "bool":
		return p.boolQuery(body)
	case "match_all":
		return p.matchAll(body)
	case "ids":
		return p.ids(body)
	case "exists":
		return p.exists(body)
	case "term", "prefix", "wildcard":
		return p.termLike(name, body)
	case "terms":
		return p.terms(body)
	case "match":
		return p.match(body)
	case "range":
		return p.rangeQuery(body)
	case "simple_query_string":
		return p.simpleQueryString(body)
	}
	if slices.Contains(knownQueries, name) {
		return unsupported(name), nil
	}
	return nil, parsingError("unknown query [%s]", name)
}

// unsupported is a query Elasticsearch parses and then refuses for API keys.
type unsupported string

func (u unsupported) bind(b *binder) *Error {
	return refusal(b.rel.queryNotSupported(), string(u))
}
func (u unsupported) match(*Doc) bool { return false }

// common reads the options every query accepts; it reports whether key was one of them.
func common(key string, v *jsontree.Node) (bool, *Error) {
	switch key {
	case "boost":
		if v.Kind != jsontree.Number && v.Kind != jsontree.String {
			return true, parsingError("[boost] must be a number")
		}
		return true, nil
	case "_name":
		return true, nil
	}
	return false, nil
}

func noSupport(query, key string) *Error {
	return parsingError("[%s] query does not support [%s]", query, key)
}

type matchAll struct{}

func (p *parser) matchAll(n *jsontree.Node) (clause, *Error) {
	for k, v := range n.Fields() {
		if ok, err := common(k, v); err != nil || !ok {
			return nil, orErr(err, noSupport("match_all", k))
		}
	}
	return matchAll{}, nil
}
func (matchAll) bind(b *binder) *Error { b.leaves++; return nil }
func (matchAll) match(*Doc) bool       { return true }

func orErr(err, alt *Error) *Error {
	if err != nil {
		return err
	}
	return alt
}

type idsQuery map[string]bool

func (p *parser) ids(n *jsontree.Node) (clause, *Error) {
	q := idsQuery{}
	for k, v := range n.Fields() {
		if k != "values" {
			if ok, err := common(k, v); err != nil || !ok {
				return nil, orErr(err, parsingError("[ids] unknown field [%s]", k))
			}
			continue
		}
		if v.Kind != jsontree.Array {
			return nil, parsingError("[ids] values doesn't support values of type: %s", v.Kind.Token())
		}
		for _, e := range v.Vals() {
			if e.Kind != jsontree.String && e.Kind != jsontree.Number {
				return nil, parsingError("[ids] failed to parse field [values]")
			}
			q[e.Str] = true
		}
	}
	return q, nil
}
func (q idsQuery) bind(b *binder) *Error { b.leaves++; return nil }
func (q idsQuery) match(d *Doc) bool     { return q[d.ID] }

type existsQuery struct {
	name string
	f    *field
}

func (p *parser) exists(n *jsontree.Node) (clause, *Error) {
	q := &existsQuery{}
	for k, v := range n.Fields() {
		if k != "field" {
			if ok, err := common(k, v); err != nil || !ok {
				return nil, orErr(err, noSupport("exists", k))
			}
			continue
		}
		q.name = scalar(v)
	}
	if q.name == "" {
		return nil, parsingError("[exists] must be provided with a [field]")
	}
	return q, nil
}

func (q *existsQuery) bind(b *binder) (err *Error) {
	b.leaves++
	q.f, err = b.rel.translate(q.name)
	return err
}
func (q *existsQuery) match(d *Doc) bool { return q.f.exists(d) }

// boolQuery is must/filter (all), should (at least minimum_should_match), must_not (none).
type boolQuery struct {
	must, should, mustNot []clause
	msm                   *jsontree.Node
	minShould             int
}

func (p *parser) boolQuery(n *jsontree.Node) (clause, *Error) {
	q := &boolQuery{}
	for k, v := range n.Fields() {
		var dst *[]clause
		switch k {
		case "must", "filter":
			dst = &q.must
		case "should":
			dst = &q.should
		case "must_not", "mustNot":
			dst = &q.mustNot
		case "minimum_should_match", "minimumShouldMatch":
			q.msm = v
			continue
		case "adjust_pure_negative":
			continue
		default:
			if ok, err := common(k, v); err != nil || !ok {
				return nil, orErr(err, noSupport("bool", k))
			}
			continue
		}
		items := []*jsontree.Node{v}
		if v.Kind == jsontree.Array {
			items = v.Vals()
		} else if v.Kind != jsontree.Object {
			return nil, parsingError("[bool] query does not support [%s]", k)
		}
		for _, item := range items {
			c, err := p.query(item)
			if err != nil {
				return nil, err
			}
			*dst = append(*dst, c)
		}
	}
	return q, nil
}

func (q *boolQuery) bind(b *binder) *Error {
	n := 0
	for _, list := range [][]clause{q.must, q.should, q.mustNot} {
		for _, c := range list {
			if err := c.bind(b); err != nil {
				return err
			}
			// BoolQueryBuilder.doToQuery puts every clause in one BooleanQuery, whose builder refuses
			// the clause past maxClauseCount.
			if n++; n > maxClauseCount {
				return tooManyClauses()
			}
		}
	}
	// Without must or filter clauses, a should clause must match (BoolQueryBuilder's default).
	q.minShould = 0
	if len(q.must) == 0 && len(q.should) > 0 {
		q.minShould = 1
	}
	if q.msm != nil {
		n, err := minimumShouldMatch(scalar(q.msm), len(q.should))
		if err != nil {
			return err
		}
		q.minShould = n
	}
	return nil
}

// minimumShouldMatch reads "2", "-1", "75%", "-25%" as Queries.calculateMinShouldMatch does.
func minimumShouldMatch(spec string, clauses int) (int, *Error) {
	pct := len(spec) > 0 && spec[len(spec)-1] == '%'
	num := spec
	if pct {
		num = spec[:len(spec)-1]
	}
	v, err := strconv.Atoi(num)
	if err != nil {
		return 0, illegalArgument("esapikeytest: minimum_should_match [%s] is not supported (only N, -N, N%% and -N%%)", spec)
	}
	res := v
	if pct {
		res = clauses * v / 100
	}
	if v < 0 {
		res = clauses + res
	}
	return max(res, 0), nil
}

func (q *boolQuery) match(d *Doc) bool {
	for _, c := range q.must {
		if !c.match(d) {
			return false
		}
	}
	for _, c := range q.mustNot {
		if c.match(d) {
			return false
		}
	}
	if q.minShould == 0 {
		return true
	}
	n := 0
	for _, c := range q.should {
		if c.match(d) {
			n++
			if n >= q.minShould {
				return true
			}
		}
	}
	return false
}
