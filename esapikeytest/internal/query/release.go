package query

import (
	"fmt"
	"strings"
)

// Part is a kind of name a request uses that not every Elasticsearch release knows.
type Part string

// The parts of a request a Release may lack.
const (
	BodyField Part = "body field" // a field of the body: aggs, aggregations
	QueryType Part = "query type" // a query of the DSL: match, simple_query_string
	Field     Part = "field"      // a field a query, sort or aggregation names: type, invalidation
)

// Release is what one Elasticsearch release's query API key request knows, for a server imitating
// a release older than the newest, whose request this package parses. A nil *Release is the newest.
type Release struct {
	// Lacks reports whether the release does not know a name of the request. A body field it lacks
	// is an unknown field of the parser, a query type it lacks is refused when the query is
	// translated, a field it lacks is a field not allowed.
	Lacks func(part Part, name string) bool
	// FieldNotAllowed and PatternNotAllowed are the release's refusals of a field name and of a field
	// name pattern, with a %s for the name where the release writes it; QueryNotSupported refuses a
	// query type the release parses and does not translate, with a %s for the type.
	FieldNotAllowed, PatternNotAllowed, QueryNotSupported string
}

// The newest release's refusals (FieldNameTranslators).
const (
	newestFieldNotAllowed   = "Field [%s] is not allowed for querying or aggregation"
	newestPatternNotAllowed = "Field name pattern [%s] is not allowed for querying or aggregation"
	newestQueryNotSupported = "Query type [%s] is not currently supported in this context"
)

// queryNotSupported is the release's refusal of a query type it parses and does not translate.
func (r *Release) queryNotSupported() string {
	if r == nil {
		return newestQueryNotSupported
	}
	return r.QueryNotSupported
}

func (r *Release) lacks(part Part, name string) bool {
	return r != nil && r.Lacks != nil && r.Lacks(part, name)
}

// refusal fills name into a message that names it; a message without a %s is returned as it is.
func refusal(msg, name string) *Error {
	if strings.Contains(msg, "%s") {
		msg = fmt.Sprintf(msg, name)
	}
	return illegalArgument("%s", msg)
}

// translate resolves a query-level field name at the release, or returns the release's error for it.
func (r *Release) translate(name string) (*field, *Error) {
	pattern, notAllowed := newestPatternNotAllowed, newestFieldNotAllowed
	if r != nil {
		pattern, notAllowed = r.PatternNotAllowed, r.FieldNotAllowed
	}
	if strings.Contains(name, "*") {
		return nil, refusal(pattern, name)
	}
	if f := lookup(name); f != nil && !r.lacks(Field, name) {
		return f, nil
	}
	return nil, refusal(notAllowed, name)
}

// gate returns the parsed query, or one that refuses its type when the release lacks it: the release
// parses it as any query of the DSL and refuses it when it translates the query.
func (r *Release) gate(typ string, c clause, err *Error) (clause, *Error) {
	if err != nil || !r.lacks(QueryType, typ) {
		return c, err
	}
	return unsupported(typ), nil
}
