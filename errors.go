package esapikey

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Sentinels classify an *Error. Match them with errors.Is; an *Error matches
// at most one of them.
var (
	// ErrNotFound: no API key with that id is owned by the requesting user
	// (404 resource_not_found_exception). Elasticsearch answers the same for an
	// unknown id and for another user's key.
	ErrNotFound = errors.New("esapikey: api key not found")
	// ErrExpired: the key has expired and can no longer be updated.
	ErrExpired = errors.New("esapikey: api key expired")
	// ErrInvalidated: the key was invalidated and can no longer be updated.
	ErrInvalidated = errors.New("esapikey: api key invalidated")
	// ErrUnauthorized: the request was not authenticated (401).
	ErrUnauthorized = errors.New("esapikey: unauthorized")
	// ErrForbidden: the caller lacks the cluster privilege for the action (403).
	ErrForbidden = errors.New("esapikey: forbidden")
	// ErrAPIKeyCredentials: the caller authenticated with an API key and did
	// not run as a user. A key cannot update keys as itself, but a key that
	// runs as a user (WithRunAs; the key and its owner both need the run_as
	// privilege for that user) may update that user's keys: Elasticsearch
	// looks at the effective user, not at the credentials.
	ErrAPIKeyCredentials = errors.New("esapikey: api key credentials cannot update api keys")
	// ErrWrongKeyType: the key is of the other type, a cross-cluster key sent
	// to the REST route or a REST key sent to the cross-cluster route.
	ErrWrongKeyType = errors.New("esapikey: wrong api key type for this endpoint")

	// ErrInvalidRequest matches every *ValidationError: the request was
	// refused before anything was sent.
	ErrInvalidRequest = errors.New("esapikey: invalid request")
)

// Error is an answer of Elasticsearch (or of a proxy in front of it) with a
// non-2xx status, or one failed id of a bulk update.
//
// For an Elasticsearch error body, Type, Reason, RootCause and CausedBy hold
// its fields. For any other body (an HTML page of a proxy, plain text, nothing
// at all) Body holds a capped excerpt and StatusCode says what happened.
//
// An answer that echoes the credentials of the request (a proxy printing the
// Authorization header it refused) has them replaced by "****" in every
// field: the credentials after the scheme of the Authorization,
// Proxy-Authorization and es-secondary-authorization headers, and what Basic
// and ApiKey credentials decode to (a password or api_key of 4 bytes or
// more).
type Error struct {
	// StatusCode is the HTTP status; 0 for a per-id failure of a bulk update,
	// whose call as a whole succeeded.
	StatusCode int
	// ID is the API key id of a bulk per-id failure; empty otherwise.
	ID string
	// Type is Elasticsearch's error.type, such as
	// "resource_not_found_exception"; empty when the body is not an
	// Elasticsearch error.
	Type string
	// Reason is Elasticsearch's error.reason, as it wrote it.
	Reason string
	// RootCause and CausedBy are error.root_cause and error.caused_by; nil
	// when the answer has none.
	RootCause []ErrorCause
	CausedBy  *ErrorCause
	// Header holds the response headers (WWW-Authenticate for a 401, say),
	// together with those the error body itself names.
	Header http.Header
	// Body is an excerpt of a body that is not an Elasticsearch error: its
	// first 1024 bytes (on a UTF-8 boundary); empty for an Elasticsearch error.
	Body string
}

// ErrorCause is one cause in an Elasticsearch error: its type and reason, and
// what caused it in turn.
type ErrorCause struct {
	Type     string      `json:"type"`
	Reason   string      `json:"reason,omitempty"`
	CausedBy *ErrorCause `json:"caused_by,omitempty"`
}

// String gives the cause as "type: reason".
func (c *ErrorCause) String() string {
	s := c.Type
	if c.Reason != "" {
		s += ": " + c.Reason
	}
	return s
}

// Error reads "esapikey: [api key [id]:] status type: reason" (the id of a
// bulk failure is always named, even ""), or the status
// text and the first line of a body that is not an Elasticsearch error. A
// redirect, which the client does not follow, adds its Location. It never
// holds the request's credentials: they are masked where the answer echoed
// them, and so is a password in the Location.
func (e *Error) Error() string {
	parts := []string{"esapikey:"}
	if e.ID != "" || e.StatusCode == 0 { // a bulk failure, whose id may be ""
		parts = append(parts, "api key ["+e.ID+"]:")
	}
	if e.StatusCode != 0 {
		parts = append(parts, strconv.Itoa(e.StatusCode))
	}
	detail := e.Reason
	if detail == "" {
		detail = oneLine(e.Body, 200)
	}
	switch {
	case e.Type != "":
		parts = append(parts, e.Type)
	case e.StatusCode != 0 && http.StatusText(e.StatusCode) != "":
		parts = append(parts, http.StatusText(e.StatusCode))
	}
	if detail == "" && e.Type == "" {
		detail = "(empty body)"
	}
	if detail != "" {
		if last := &parts[len(parts)-1]; !strings.HasSuffix(*last, ":") {
			*last += ":"
		}
		parts = append(parts, detail)
	}
	if e.CausedBy != nil {
		parts = append(parts, "(caused by "+e.CausedBy.String()+")")
	}
	if loc := e.location(); loc != "" {
		parts = append(parts, "(redirect to "+loc+", not followed)")
	}
	return strings.Join(parts, " ")
}

// location is the Location of a redirect, with the password of an address
// masked; "" for any other answer.
func (e *Error) location() string {
	loc := e.Header.Get("Location")
	if e.StatusCode < 300 || e.StatusCode > 399 || loc == "" {
		return ""
	}
	if u, err := url.Parse(loc); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			prefix := u.Scheme + "://"
			user := url.User(u.User.Username()).String()
			u.User = nil
			loc = prefix + user + ":" + mask + "@" + strings.TrimPrefix(u.String(), prefix)
		}
	}
	return oneLine(loc, 200)
}

// Is reports whether target is the sentinel that classifies e.
func (e *Error) Is(target error) bool {
	return target != nil && e.class() == target
}

// class maps an error to its one sentinel, or nil.
func (e *Error) class() error {
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		return ErrUnauthorized
	case e.StatusCode == http.StatusForbidden:
		return ErrForbidden
	case e.Type == "resource_not_found_exception":
		return ErrNotFound
	case e.Type != "illegal_argument_exception":
		return nil
	case strings.HasPrefix(e.Reason, "cannot update expired API key"):
		return ErrExpired
	case strings.HasPrefix(e.Reason, "cannot update invalidated API key"):
		return ErrInvalidated
	case strings.HasPrefix(e.Reason, "authentication via API key not supported"):
		return ErrAPIKeyCredentials
	case strings.HasPrefix(e.Reason, "cannot update API key of type ["):
		return ErrWrongKeyType
	}
	return nil
}

// ValidationError says why a request was refused before it was sent. It
// matches ErrInvalidRequest.
type ValidationError struct {
	// Field is the JSON path of the offending field, such as
	// "role_descriptors[role-a].indices[0].names".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error reads "esapikey: invalid request: <field>: <reason>".
func (e *ValidationError) Error() string {
	return "esapikey: invalid request: " + e.Field + ": " + e.Reason
}

// Is makes every ValidationError match ErrInvalidRequest.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidRequest }

func invalid(field, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// DecodeError is a 2xx answer whose body is not what the endpoint returns:
// not JSON, cut short, too large, or missing a required field. The change may
// have been applied; the answer cannot say.
type DecodeError struct {
	// StatusCode is the 2xx status of the answer.
	StatusCode int
	// Body is an excerpt of the body: its first 1024 bytes, with the
	// request's credentials masked as in an *Error.
	Body string
	// Err is the reason: a JSON error, a missing field, or the size cap.
	Err error
}

// Error reads "esapikey: <status> response: <reason>: <body excerpt>".
func (e *DecodeError) Error() string {
	msg := fmt.Sprintf("esapikey: %d response: %v", e.StatusCode, e.Err)
	if body := oneLine(e.Body, 200); body != "" {
		msg += ": " + body
	}
	return msg
}

// Unwrap returns Err, so errors.As finds a *json.SyntaxError inside.
func (e *DecodeError) Unwrap() error { return e.Err }

// TransportError is a call that got no answer to read: the connection could
// not be made or was cut, the peer did not speak HTTP, the body could not be
// read to its end, the transport was closed, or the context was cancelled
// or expired. Whether Elasticsearch received the request, and so whether an
// update was applied, is unknown.
//
// Err is the cause, so errors.Is and errors.As still find
// context.DeadlineExceeded, context.Canceled, a *net.OpError or
// elastictransport.ErrClosed inside.
type TransportError struct {
	// Op is the call, as spans name it: "security.update_api_key".
	Op string
	// Err is what the transport or the connection reported.
	Err error
}

// Error reads "esapikey: <op>: <cause>".
func (e *TransportError) Error() string { return "esapikey: " + e.Op + ": " + e.Err.Error() }

// Unwrap returns Err.
func (e *TransportError) Unwrap() error { return e.Err }

// oneLine folds s to a single line of at most n bytes for an error message.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}
