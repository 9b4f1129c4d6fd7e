package query

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// tree is a parsed body; the parts of a request that report errors by location are parsed by its methods.
type tree struct{ *jsontree.Doc }

// Request is a parsed _query/api_key body.
type Request struct {
	t           *tree
	query       clause
	from, size  int
	sort        []*sortSpec
	searchAfter *jsontree.Node
	aggs        []*agg
	aggsNode    *jsontree.Node
	rel         *Release
}

// Defaults of SearchSourceBuilder, and index.max_result_window of the security index.
const (
	defaultSize     = 10
	maxResultWindow = 10000
)

// ParseRequest parses a body as RestQueryApiKeyAction of the newest release does; an empty body is
// a match_all.
func ParseRequest(body []byte) (*Request, *Error) { return ParseRequestAt(body, nil) }

// ParseRequestAt parses a body as RestQueryApiKeyAction of release rel does; the request then
// translates and runs as that release's does.
func ParseRequestAt(body []byte, rel *Release) (*Request, *Error) {
	d, err := jsontree.Parse(body)
	if err != nil {
		return nil, xParse("%v", err)
	}
	r := &Request{t: &tree{d}, size: defaultSize, rel: rel}
	root := d.Root
	if root == nil {
		return r, nil
	}
	if root.Kind != jsontree.Object {
		return nil, xParse("%s [%s] Expected START_OBJECT but was: %s", r.t.Loc(root), payloadName, root.Kind.Token())
	}
	var aggsKey *jsontree.Node
	for k, v := range root.Fields() {
		if e := r.field(k, v); e != nil {
			return nil, e
		}
		if k == "aggs" || k == "aggregations" {
			if aggsKey != nil {
				end := jsontree.LocAt(body, bytes.LastIndexByte(body, '}'))
				e := xParse("%s Failed to build [%s] after last required field arrived", end, payloadName)
				e.Cause = illegalArgument("Duplicate 'aggs' or 'aggregations' field")
				return nil, e
			}
			aggsKey = v
		}
	}
	return r, nil
}

func (r *Request) field(k string, v *jsontree.Node) *Error {
	t := r.t
	if r.rel.lacks(BodyField, k) {
		return xParse("%s [%s] unknown field [%s]", t.Loc(v), payloadName, k)
	}
	typeErr := func() *Error {
		return xParse("%s [%s] %s doesn't support values of type: %s", t.Loc(v), payloadName, k, v.Kind.Token())
	}
	switch k {
	case "query":
		if v.Kind != jsontree.Object {
			return typeErr()
		}
		q, err := (&parser{t: t, rel: r.rel}).query(v)
		if err != nil {
			return t.fieldError(v, k, err)
		}
		r.query = q
	case "from", "size":
		if v.Kind != jsontree.Number && v.Kind != jsontree.String {
			return typeErr()
		}
		// XContentParser.intValue coerces: "12" and 12.7 both read as 12.
		x, err := strconv.ParseFloat(v.Str, 64)
		if err != nil {
			return t.fieldError(v, k, &Error{Status: 400, Type: "number_format_exception", Reason: fmt.Sprintf("For input string: \"%s\"", v.Str)})
		}
		if x < math.MinInt32 || x > math.MaxInt32 {
			return t.fieldError(v, k, illegalArgument("Value [%s] is out of range for an integer", v.Str))
		}
		n := int(x)
		if k == "from" {
			r.from = n
		} else {
			r.size = n
		}
	case "sort":
		// declareObjectArray takes an object or an array; a bare string is refused before it is read.
		if v.Kind != jsontree.Array && v.Kind != jsontree.Object {
			return typeErr()
		}
		s, err := t.parseSort(v)
		if err != nil {
			return t.fieldError(v, k, err)
		}
		r.sort = s
	case "search_after":
		if v.Kind != jsontree.Array {
			return typeErr()
		}
		for _, e := range v.Vals() {
			if e.Kind == jsontree.Object || e.Kind == jsontree.Array {
				return t.fieldError(v, k, parsingError("Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] or [VALUE_NULL] but found [%s] inside search_after.", e.Kind.Token()))
			}
		}
		r.searchAfter = v
	case "aggs", "aggregations":
		if v.Kind != jsontree.Object {
			return typeErr()
		}
		a, err := parseAggs(&parser{t: t, rel: r.rel}, v)
		if err != nil {
			return t.fieldError(v, k, err)
		}
		r.aggs, r.aggsNode = a, v
	default:
		return xParse("%s [%s] unknown field [%s]", t.Loc(v), payloadName, k)
	}
	return nil
}

// Validate returns QueryApiKeyRequest.validate's messages.
func (r *Request) Validate() []string {
	var msgs []string
	if r.from < 0 {
		msgs = append(msgs, fmt.Sprintf("[from] parameter cannot be negative but was [%d]", r.from))
	}
	if r.size < 0 {
		msgs = append(msgs, fmt.Sprintf("[size] parameter cannot be negative but was [%d]", r.size))
	}
	return msgs
}

// Hit is one key of the answer, with its _sort values when the request sorted.
type Hit struct {
	Doc  *Doc
	Sort []any
}

// Result is the answer: the number of keys matched, the page of them, and the aggregations.
type Result struct {
	Total        int
	Hits         []Hit
	Aggregations Object // nil without aggregations in the request, or when no key matched
}

// Run evaluates the request over docs, the keys the caller may see in index order, at time now
// (epoch milliseconds, for date math). typedKeys prefixes aggregation names with their types.
// Run only reads docs, so requests may run at once over the same documents.
func (r *Request) Run(docs []*Doc, now int64, typedKeys bool) (*Result, *Error) {
	b := &binder{now: now, rel: r.rel}
	if r.query != nil {
		if err := bindQuery(r.query, b); err != nil {
			return nil, err
		}
	}
	for _, s := range r.sort {
		if err := s.bind(b); err != nil {
			return nil, err
		}
	}
	if err := bindAggs(r.aggs, b); err != nil {
		return nil, err
	}
	// TransportQueryApiKeyAction sends the translated request as a SearchRequest, whose validation
	// (SearchSourceBuilder.validate) comes before any shard sees it.
	if r.from > 0 && r.searchAfter != nil && len(r.searchAfter.Vals()) > 0 {
		return nil, &Error{Status: 400, Type: "action_request_validation_exception",
			Reason: "Validation Failed: 1: [from] parameter must be set to 0 when [search_after] is used;"}
	}
	after, err := r.after(now)
	if err != nil {
		return nil, searchError(err)
	}
	if r.from+r.size > maxResultWindow {
		return nil, searchError(illegalArgument("Result window is too large, from + size must be less than or equal to: [%d] but was [%d]. "+
			"See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the "+
			"[index.max_result_window] index level setting.", maxResultWindow, r.from+r.size))
	}
	matched := docs
	if r.query != nil {
		matched = nil // grown as documents match: a selective query allocates little
		for _, d := range docs {
			if r.query.match(d) {
				matched = append(matched, d)
			}
		}
	}
	res := &Result{Total: len(matched), Hits: r.page(matched, after)}
	// ApiKeyService.queryApiKeys answers QueryApiKeysResult.EMPTY when nothing matched, and
	// QueryApiKeyResponse writes aggregations only when there are some.
	if r.aggsNode != nil && len(matched) > 0 {
		aggs, err := runAggs(r.aggs, matched, &aggRun{typed: typedKeys})
		if err != nil {
			return nil, err
		}
		res.Aggregations = aggs
	}
	return res, nil
}

// after reads search_after against the sort, with SearchService's and SearchAfterBuilder's checks.
func (r *Request) after(now int64) ([]sortKey, *Error) {
	if r.searchAfter == nil || len(r.searchAfter.Vals()) == 0 {
		return nil, nil
	}
	switch {
	case len(r.sort) == 0:
		return nil, illegalArgument("Sort must contain at least one field.")
	case len(r.searchAfter.Vals()) != len(r.sort):
		return nil, illegalArgument("search_after has %d value(s) but sort has %d.", len(r.searchAfter.Vals()), len(r.sort))
	}
	keys := make([]sortKey, len(r.sort))
	for i, s := range r.sort {
		k, err := s.afterKey(r.searchAfter.Vals()[i], now)
		if err != nil {
			return nil, err
		}
		keys[i] = k
	}
	return keys, nil
}

// page sorts, skips to search_after and from, and cuts to size. Only the from+size first documents
// are kept while the others are read (a bounded heap, as Lucene's TopFieldCollector keeps), each with
// its sort keys, so a page costs n·log(from+size) and memory in proportion to the page.
func (r *Request) page(matched []*Doc, after []sortKey) []Hit {
	if len(r.sort) == 0 {
		return pick(matched, r.from, r.size)
	}
	n := len(r.sort)
	cmp := func(a, b []sortKey) int {
		for i, s := range r.sort {
			if c := s.compare(a[i], b[i]); c != 0 {
				return c
			}
		}
		return 0
	}
	type row struct {
		i    int
		keys []sortKey
	}
	// Ties keep index order, the order of Lucene's doc ids.
	top := newTopK(min(r.from+r.size, len(matched)), func(x, y row) int {
		if c := cmp(x.keys, y.keys); c != 0 {
			return c
		}
		return x.i - y.i
	})
	keys := make([]sortKey, n) // the keys of the document being read; a row let go gives its own back
	for i, d := range matched {
		for j, s := range r.sort {
			keys[j] = s.key(d)
		}
		if after != nil && cmp(keys, after) <= 0 {
			continue
		}
		if out, dropped := top.offer(row{i, keys}); dropped {
			keys = out.keys
		} else {
			keys = make([]sortKey, n)
		}
	}
	rows := top.sorted()
	rows = rows[min(r.from, len(rows)):]
	hits := make([]Hit, len(rows))
	for i, row := range rows {
		values := make([]any, n) // only the page's _sort values are rendered
		for j, s := range r.sort {
			values[j] = s.value(row.keys[j])
		}
		hits[i] = Hit{Doc: matched[row.i], Sort: values}
	}
	return hits
}

func pick(docs []*Doc, from, size int) []Hit {
	from = min(from, len(docs))
	end := min(from+size, len(docs))
	hits := make([]Hit, 0, end-from)
	for _, d := range docs[from:end] {
		hits = append(hits, Hit{Doc: d})
	}
	return hits
}
