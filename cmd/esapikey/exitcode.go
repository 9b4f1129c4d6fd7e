package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/esapikey/esapikey"
)

// Exit codes, one per class of error; doc.go and exitCodeHelp document them.
const (
	exitOK       = 0
	exitFailure  = 1 // other or unexpected
	exitUsage    = 2 // bad flags or arguments, invalid input
	exitNotFound = 3
	exitKeyState = 4 // expired, invalidated, wrong key type
	exitAuth     = 5 // unauthenticated, forbidden, API-key credentials
	exitServer   = 6 // network, timeout, 5xx, undecodable answer
)

const exitCodeHelp = `  0  success
  1  other or unexpected error, or interrupted (Ctrl-C, SIGTERM)
  2  usage or invalid input (bad flags; a request refused before it was sent
     or by Elasticsearch as malformed)
  3  API key not found (or not owned by the authenticated user)
  4  key expired, invalidated, or of the other type (REST vs cross-cluster)
  5  not authenticated, not allowed, or authenticated with an API key
  6  network, timeout or server error (5xx, 429, an answer that is not JSON)
  bulk-update exits with the code of its per-id failures (the highest when
  they differ), although Elasticsearch answered 200.
`

// usageError is a mistake in the command line or its input files, found
// before any request.
type usageError struct {
	cmd string // the subcommand, for the pointer to its help
	msg string
}

func (e *usageError) Error() string {
	if e.cmd == "" {
		return "esapikey: " + e.msg
	}
	return "esapikey " + e.cmd + ": " + e.msg
}

func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// exitCode maps err to its class. A joined error (the per-id failures of a
// bulk update) gets the highest code of its parts.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var bf *bulkFailure
	if errors.As(err, &bf) {
		return exitCode(bf.err)
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		code := exitOK
		for _, e := range j.Unwrap() {
			code = max(code, exitCode(e))
		}
		return code
	}
	var (
		ue *usageError
		de *esapikey.DecodeError
		ee *esapikey.Error
		te *esapikey.TransportError
	)
	switch {
	case errors.As(err, &ue), errors.Is(err, esapikey.ErrInvalidRequest):
		return exitUsage
	case errors.Is(err, esapikey.ErrNotFound):
		return exitNotFound
	case errors.Is(err, esapikey.ErrExpired), errors.Is(err, esapikey.ErrInvalidated),
		errors.Is(err, esapikey.ErrWrongKeyType):
		return exitKeyState
	case errors.Is(err, esapikey.ErrUnauthorized), errors.Is(err, esapikey.ErrForbidden),
		errors.Is(err, esapikey.ErrAPIKeyCredentials):
		return exitAuth
	case errors.As(err, &de):
		return exitServer
	case errors.As(err, &ee):
		return statusCode(ee.StatusCode)
	case errors.Is(err, context.Canceled):
		return exitFailure
	case errors.As(err, &te):
		return exitServer
	}
	return exitFailure
}

// statusCode classes an answer no sentinel matched.
func statusCode(status int) int {
	switch {
	case status == http.StatusBadRequest, status == http.StatusRequestEntityTooLarge:
		return exitUsage
	case status == http.StatusRequestTimeout, status == http.StatusTooManyRequests, status >= 500:
		return exitServer
	}
	return exitFailure
}

// hintFor says what to do about the errors whose cause is not obvious from
// Elasticsearch's message.
func (a *app) hintFor(err error) string {
	var (
		de *esapikey.DecodeError
		ee *esapikey.Error
	)
	switch {
	case errors.Is(err, esapikey.ErrUnauthorized) && a.anonymous:
		return "no credentials were given: set ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD " +
			"(or --username and --password-file), or ELASTICSEARCH_TOKEN"
	case errors.Is(err, esapikey.ErrAPIKeyCredentials):
		return "only the key owner's own credentials (username and password, or a token) can update a key"
	case errors.Is(err, esapikey.ErrNotFound):
		return "Elasticsearch also answers this for another user's key: authenticate as its owner or use --run-as OWNER"
	case errors.Is(err, esapikey.ErrWrongKeyType):
		return "use 'esapikey update-cross-cluster' for cross-cluster keys and 'esapikey update' for the others"
	case errors.Is(err, esapikey.ErrForbidden) && a.runAs != "":
		return runAsHint(err, a.runAs)
	case errors.Is(err, esapikey.ErrForbidden):
		return "updating needs the manage_own_api_key cluster privilege (manage_security for cross-cluster keys)"
	case errors.Is(err, context.Canceled) && a.ctx != nil && a.ctx.Err() != nil && a.sent:
		return "interrupted: the update may already have been applied; Elasticsearch may have received it " +
			"before the interruption (read the key, or run the same command again, to be sure)"
	case errors.Is(err, context.Canceled) && a.ctx != nil && a.ctx.Err() != nil:
		return "interrupted: no update was sent"
	case errors.As(err, &ee) && ee.StatusCode >= 300 && ee.StatusCode < 400:
		return redirectHint(ee)
	case errors.As(err, &de):
		return "the update may have been applied; the answer could not be read"
	case errors.Is(err, context.DeadlineExceeded):
		return "no answer within --timeout; the update may still be applied"
	}
	return ""
}

// runAsHint explains a 403 of a call made with --run-as: either the
// authenticated user may not run as that user, which the run_as privilege
// grants, or the user run as lacks the privilege for the call.
func runAsHint(err error, user string) string {
	var ee *esapikey.Error
	if errors.As(err, &ee) && strings.Contains(ee.Reason, "to run as") {
		return fmt.Sprintf("--run-as %s needs the run_as privilege: a role of the authenticated user must list %q "+
			"under \"run_as\" (and the user must exist)", user, user)
	}
	return fmt.Sprintf("the --run-as user %s needs the manage_own_api_key cluster privilege "+
		"(manage_security for cross-cluster keys)", user)
}

// redirectHint shows where a redirect points: the tool does not follow it,
// so that credentials are never sent to another address.
func redirectHint(ee *esapikey.Error) string {
	loc := ee.Header.Get("Location")
	if loc == "" {
		return "the server answered a redirect without a Location: check --url or ELASTICSEARCH_URL"
	}
	if u, err := url.Parse(loc); err == nil {
		loc = maskURL(u)
	}
	return fmt.Sprintf("the server redirects to %s (Location); redirects are not followed, so that credentials "+
		"go nowhere else: use that address in --url or ELASTICSEARCH_URL", loc)
}
