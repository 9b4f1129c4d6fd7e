package esapikeytest

import (
	"strconv"
	"strings"
)

// Error is what a Go helper of the server (AddUser, PutRole, CreateAPIKey, CreateCrossClusterAPIKey, …)
// returns where Elasticsearch's REST API would refuse the same request: the status, error type and
// reason it would answer with, and the whole chain of its caused_by. A test matches it with
// errors.As:
//
//	var e *esapikeytest.Error
//	if errors.As(err, &e) && e.Status == 400 && e.Type == "x_content_parse_exception" { … }
//
// Errors about the helper's own arguments (an owner or key id the server does not have) are plain
// errors.
type Error struct {
	// Status is the HTTP status Elasticsearch answers with, such as 400; 0 for a cause.
	Status int
	// Type is error.type, such as "x_content_parse_exception".
	Type string
	// Reason is error.reason, as Elasticsearch writes it.
	Reason string
	// Cause is error.caused_by, whose own Cause is the next one; nil when there is none.
	Cause *Error
}

// Error reads "esapikeytest: [status] type: reason", then each cause as "; caused by type: reason",
// so that a failing test shows the place Elasticsearch names, such as the field of a role that does
// not parse.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("esapikeytest: [" + strconv.Itoa(e.Status) + "] " + e.Type + ": " + e.Reason)
	for c := e.Cause; c != nil; c = c.Cause {
		b.WriteString("; caused by " + c.Type + ": " + c.Reason)
	}
	return b.String()
}

// Unwrap returns the cause, so errors.As finds each *Error of the chain in turn.
func (e *Error) Unwrap() error {
	if e.Cause == nil {
		return nil
	}
	return e.Cause
}

// exported turns an Elasticsearch exception of the server into an *Error, with its causes.
func exported(e *esError) *Error {
	out := &Error{Status: e.status, Type: e.typ, Reason: e.reason}
	for c, last := e.cause, out; c != nil; c = c.cause {
		last.Cause = &Error{Type: c.typ, Reason: c.reason}
		last = last.Cause
	}
	return out
}
