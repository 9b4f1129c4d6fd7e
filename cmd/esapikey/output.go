package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/esapikey/esapikey"
)

// result prints Elasticsearch's answer, or after a dry run that nothing
// was sent.
func (a *app) result(s *session, v any) error {
	if s.dryRun {
		a.errorf("esapikey: dry run: nothing was sent")
		return nil
	}
	return a.printJSON(v)
}

// printJSON writes v to stdout, indented, with "<", ">" and "&" as they are.
func (a *app) printJSON(v any) error {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("writing the answer: %w", err)
	}
	if _, err := fmt.Fprint(a.stdout, b.String()); err != nil {
		return fmt.Errorf("writing the answer: %w", err)
	}
	return nil
}

// maxListed caps the per-id failures listed on stderr; stdout has them all.
const maxListed = 20

// listFailures prints the per-id failures of a bulk update on stderr.
func (a *app) listFailures(failed error, count int) {
	a.errorf("esapikey: bulk-update: %d %s FAILED (those Elasticsearch reported are under \"errors\" in the JSON on stdout):",
		count, plural(count, "id", "ids"))
	var errs []error
	if j, ok := failed.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{failed}
	}
	for i, err := range errs {
		if i == maxListed {
			a.errorf("  ... and %d more", len(errs)-maxListed)
			break
		}
		a.errorf("  %s", failureLine(err))
	}
}

// bulkFailure is the error of a bulk update in which some ids failed,
// although Elasticsearch answered 200. Its exit code is that of the
// failures.
type bulkFailure struct {
	failed, total  int
	updated, noops int
	err            error // the per-id errors, joined
}

func (e *bulkFailure) Error() string {
	return fmt.Sprintf("bulk-update: %d of %d %s failed (%d updated, %d unchanged)",
		e.failed, e.total, plural(e.total, "id", "ids"), e.updated, e.noops)
}

func (e *bulkFailure) Unwrap() error { return e.err }

// chunkError is the failure of a whole chunk of a bulk update after others
// succeeded.
type chunkError struct {
	chunk, chunks int
	done, total   int
	size          int // the ids of the failed chunk: sent, perhaps applied
	err           error
}

func (e *chunkError) Error() string {
	return fmt.Sprintf("bulk-update: chunk %d of %d failed; %d of %d ids were processed before it, "+
		"the %d %s of the failed chunk may or may not have been updated, and the other %d were not sent "+
		"(running the same command again is safe): %s",
		e.chunk, e.chunks, e.done, e.total, e.size, plural(e.size, "id", "ids"), e.total-e.done-e.size,
		strings.TrimPrefix(e.err.Error(), "esapikey: "))
}

func (e *chunkError) Unwrap() error { return e.err }

// merge adds the result of one chunk to the result so far.
func merge(into, res *esapikey.BulkUpdateAPIKeysResponse) {
	into.Updated = append(into.Updated, res.Updated...)
	into.Noops = append(into.Noops, res.Noops...)
	if res.Errors == nil || res.Errors.Count == 0 && len(res.Errors.Details) == 0 {
		return
	}
	if into.Errors == nil {
		into.Errors = &esapikey.BulkErrors{Details: map[string]esapikey.ErrorCause{}}
	}
	into.Errors.Count += res.Errors.Count
	for id, cause := range res.Errors.Details {
		into.Errors.Details[id] = cause
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// failureLine describes one failed id: "<id>: <type>: <reason>", or
// "<id>: <reason>" for an id the answer left out.
func failureLine(err error) string {
	var e *esapikey.Error
	if !errors.As(err, &e) || e.StatusCode != 0 {
		return strings.TrimPrefix(err.Error(), "esapikey: ")
	}
	line := fmt.Sprintf("%q", e.ID)
	if e.ID != "" && !strings.ContainsAny(e.ID, " \t\n\"") {
		line = e.ID
	}
	for _, part := range []string{e.Type, e.Reason} {
		if part != "" {
			line += ": " + part
		}
	}
	if e.CausedBy != nil {
		line += " (caused by " + e.CausedBy.String() + ")"
	}
	return line
}
