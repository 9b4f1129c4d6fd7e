package esapikeytest

import (
	"errors"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
)

// authzError answers a failure of privilege evaluation as Elasticsearch does: an invalid pattern or
// name is an IllegalArgumentException (400); a pattern too complex to determinise is Lucene's
// TooComplexToDeterminizeException (500), which StringMatcher and IndicesPermission wrap in a
// security_exception when they build a role. Neither wrapper has an Elasticsearch exception below
// it, so the root cause is the outermost.
func authzError(err error) *esError {
	var iae *authz.Error
	var tc *authz.TooComplexError
	var se *authz.SecurityError
	switch {
	case errors.As(err, &iae):
		typ := iae.Type
		if typ == "" {
			typ = "illegal_argument_exception"
		}
		return newError(400, typ, iae.Reason)
	case errors.As(err, &se):
		e := newError(500, "security_exception", se.Reason).causedBy(newError(500, "too_complex_to_determinize_exception", se.Cause.Reason))
		e.roots = []*esError{e}
		return e
	case errors.As(err, &tc):
		return newError(500, "too_complex_to_determinize_exception", tc.Reason)
	}
	return illegalArgument("%s", err.Error())
}
