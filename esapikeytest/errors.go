package esapikeytest

import (
	"fmt"
	"strings"
)

// esError is an Elasticsearch exception: a type, a reason, an optional cause and response headers.
type esError struct {
	status int
	typ    string
	reason string
	cause  *esError
	header map[string][]string // rendered in the body and sent as HTTP headers
	extra  map[string]string   // additional metadata fields rendered beside type and reason
	fields ordered             // further fields after extra, e.g. the phase and shards of a failed search
	roots  []*esError          // the root causes, when following the cause chain does not find them
}

func newError(status int, typ, reason string) *esError {
	return &esError{status: status, typ: typ, reason: reason}
}

func (e *esError) Error() string { return e.typ + ": " + e.reason }

func (e *esError) causedBy(c *esError) *esError {
	e.cause = c
	return e
}

func badRequest(typ, format string, args ...any) *esError {
	return newError(400, typ, fmt.Sprintf(format, args...))
}

func illegalArgument(format string, args ...any) *esError {
	return badRequest("illegal_argument_exception", format, args...)
}

func notFound(format string, args ...any) *esError {
	return newError(404, "resource_not_found_exception", fmt.Sprintf(format, args...))
}

// validationFailed renders an action_request_validation_exception with every message numbered.
func validationFailed(msgs []string) *esError {
	var b strings.Builder
	b.WriteString("Validation Failed: ")
	for i, m := range msgs {
		fmt.Fprintf(&b, "%d: %s;", i+1, m)
	}
	return newError(400, "action_request_validation_exception", b.String())
}

// wwwAuthenticate is what Elasticsearch answers when no realm accepted the credentials.
var wwwAuthenticate = []string{`Basic realm="security", charset="UTF-8"`, `Bearer realm="security"`, "ApiKey"}

func unauthenticated(format string, args ...any) *esError {
	e := newError(401, "security_exception", fmt.Sprintf(format, args...))
	e.header = map[string][]string{"WWW-Authenticate": wwwAuthenticate}
	return e
}

func forbidden(format string, args ...any) *esError {
	return newError(403, "security_exception", fmt.Sprintf(format, args...))
}

// object renders the exception (and, when asked, its causes) with the field order Elasticsearch uses.
func (e *esError) object(withCause bool) ordered {
	o := ordered{{"type", e.typ}, {"reason", e.reason}}
	for _, k := range sortedKeys(e.extra) {
		o = append(o, kv{k, e.extra[k]})
	}
	o = append(o, e.fields...)
	if withCause && e.cause != nil {
		o = append(o, kv{"caused_by", e.cause.object(true)})
	}
	if e.header != nil {
		o = append(o, kv{"header", e.header})
	}
	return o
}

// rootCause follows the cause chain like ElasticsearchException.guessRootCauses: parse exceptions are
// unwrapped while their cause is another parse or Elasticsearch exception; a plain Java exception
// (an illegal_argument_exception, or a ValidationException or ActionRequestValidationException below a
// parse exception) stops the walk.
func (e *esError) rootCause() *esError {
	r := e
	for r.cause != nil && !javaException[r.cause.typ] {
		r = r.cause
	}
	return r
}

// javaException are the error types of exceptions that are not Elasticsearch's own.
var javaException = map[string]bool{"illegal_argument_exception": true, "validation_exception": true,
	"action_request_validation_exception": true}

// body is the error body: {"error":{"root_cause":[..],"type":..,"reason":..,..},"status":N}.
func (e *esError) body() ordered {
	roots := []ordered{e.rootCause().object(false)}
	if e.roots != nil {
		roots = roots[:0]
		for _, r := range e.roots {
			roots = append(roots, r.object(false))
		}
	}
	full := append(ordered{{"root_cause", roots}}, e.object(true)...)
	return ordered{{"error", full}, {"status", e.status}}
}
