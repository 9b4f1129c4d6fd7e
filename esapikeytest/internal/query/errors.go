package query

import (
	"fmt"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// Error is an Elasticsearch exception raised by the query part: a status, a type, a reason and an
// optional cause, rendered by the server like its other errors.
type Error struct {
	Status int
	Type   string
	Reason string
	Cause  *Error
	// Search marks an error of the search on the security index rather than of the request, which
	// Elasticsearch reports as a failed search phase with this error as its root cause.
	Search bool
	// Fields are the exception's own metadata, rendered after its reason (TooManyBucketsException's max_buckets).
	Fields []KV
}

func (e *Error) Error() string { return e.Type + ": " + e.Reason }

func illegalArgument(format string, args ...any) *Error {
	return &Error{Status: 400, Type: "illegal_argument_exception", Reason: fmt.Sprintf(format, args...)}
}

func parsingError(format string, args ...any) *Error {
	return &Error{Status: 400, Type: "parsing_exception", Reason: fmt.Sprintf(format, args...)}
}

func xParse(format string, args ...any) *Error {
	return &Error{Status: 400, Type: "x_content_parse_exception", Reason: fmt.Sprintf(format, args...)}
}

// payloadName is the parser name RestQueryApiKeyAction gives its body.
const payloadName = "query_api_key_request_payload"

// fieldError wraps an error raised while parsing a field of the body, as ConstructingObjectParser does.
func (t *tree) fieldError(n *jsontree.Node, field string, cause *Error) *Error {
	e := xParse("%s [%s] failed to parse field [%s]", t.Loc(n), payloadName, field)
	e.Cause = cause
	return e
}

// searchError marks e as raised by the search itself.
func searchError(e *Error) *Error {
	if e != nil {
		e.Search = true
	}
	return e
}
