package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/esapikey/esapikey"
)

// mergePatch returns the patch of --merge-metadata; nil when not given.
func (a *app) mergePatch(cmd string, c *changeFlags, merge optString) (esapikey.Metadata, error) {
	if !merge.set {
		return nil, nil
	}
	if c.metadata.set || c.clearMetadata {
		return nil, usagef(cmd, "give --merge-metadata or --metadata/--clear-metadata, not both")
	}
	data, err := a.readJSONArg(cmd, "merge-metadata", merge.value, false)
	if err != nil {
		return nil, err
	}
	patch := esapikey.Metadata{}
	if err := decodeObject(cmd, "merge-metadata", data, &patch); err != nil {
		return nil, err
	}
	return patch, nil
}

// errChecked is what validateOnly answers: the request passed the checks.
var errChecked = errors.New("checked")

// validateOnly is a transport that sends nothing.
type validateOnly struct{}

func (validateOnly) Perform(*http.Request) (*http.Response, error) { return nil, errChecked }

// validateUpdate checks req exactly as UpdateAPIKey does before sending it.
func validateUpdate(req esapikey.UpdateAPIKeyRequest) error {
	_, err := esapikey.NewWithTransport(validateOnly{}).UpdateAPIKey(context.Background(), req)
	if errors.Is(err, errChecked) {
		return nil
	}
	return err
}

// errNotConfirmed is the answer "no" at the prompt.
var errNotConfirmed = errors.New("not confirmed: nothing was sent")

// planUpdate reads the key when the update needs it: to merge metadata, to
// show the plan of a dry run, or to ask before an update that removes
// metadata keys or every role. It then merges, prints or asks.
func (a *app) planUpdate(cmd string, s *session, req *esapikey.UpdateAPIKeyRequest, patch esapikey.Metadata, yes bool) error {
	removes := req.Metadata != nil || req.RoleDescriptors != nil && len(req.RoleDescriptors) == 0
	ask := !yes && !s.dryRun && a.canAsk()
	if patch == nil && !s.dryRun && !(ask && removes) {
		return nil
	}
	// A request the update would refuse is refused before the key is read.
	// The patch is checked for what it sets: a key it deletes ("_x": null)
	// is in no merged metadata.
	check := *req
	if patch != nil {
		check.Metadata = esapikey.MergeMetadata(nil, patch)
	}
	if err := validateUpdate(check); err != nil {
		return err
	}
	key, err := call(a, s, func(ctx context.Context) (*esapikey.APIKey, error) {
		return s.reader.GetAPIKey(ctx, req.ID, s.opts...)
	})
	switch {
	case err == nil:
	case a.ctx != nil && a.ctx.Err() != nil:
		return err // interrupted: neither a plan nor a question
	case patch != nil:
		return fmt.Errorf("--merge-metadata reads the key first: %w", err)
	case s.dryRun:
		a.errorf("esapikey %s: cannot read the key, so no plan: %s", cmd, strings.TrimPrefix(err.Error(), "esapikey: "))
		return nil
	case errors.Is(err, esapikey.ErrNotFound):
		return err // the update would fail the same way
	default:
		// Not sure what is lost: ask about what the request itself does.
		return a.confirm(cmd, req, nil)
	}
	if patch != nil {
		req.Metadata = esapikey.MergeMetadata(key.Metadata, patch)
	}
	plan := esapikey.PlanUpdate(key, *req)
	if s.dryRun {
		a.printPlan(a.stdout, key, plan)
		return nil
	}
	if ask && (len(plan.RemovedMetadataKeys()) > 0 || plan.RemovesPrivileges()) {
		return a.confirm(cmd, req, plan)
	}
	return nil
}

// printPlan writes the plan of a dry run, before the request, saying in
// plain words what is lost.
func (a *app) printPlan(w io.Writer, key *esapikey.APIKey, plan *esapikey.UpdatePlan) {
	var b strings.Builder
	fmt.Fprintf(&b, "Plan for API key %s (%q, owned by %s):\n", key.ID, key.Name, key.Username)
	for _, line := range strings.Split(plan.String(), "\n") {
		b.WriteString("  " + line + "\n")
	}
	for _, note := range keyNotes(key) {
		fmt.Fprintf(&b, "NOTE: %s\n", note)
	}
	if removed := plan.RemovedMetadataKeys(); len(removed) > 0 {
		fmt.Fprintf(&b, "WARNING: the update REMOVES the metadata %s %s (use --merge-metadata to keep the others)\n",
			plural(len(removed), "key", "keys"), strings.Join(quoteAll(removed), ", "))
	}
	if plan.RemovesPrivileges() {
		b.WriteString("WARNING: the update removes every role of the key: it gets its OWNER'S FULL PERMISSIONS\n")
	}
	b.WriteString("\n")
	io.WriteString(w, b.String())
}

// keyNotes says why Elasticsearch would refuse to update the key at all.
func keyNotes(key *esapikey.APIKey) []string {
	var notes []string
	if key.Invalidated {
		notes = append(notes, "the key is invalidated: Elasticsearch will refuse the update")
	}
	if !key.Expiration.IsZero() && !key.Expiration.After(time.Now()) {
		notes = append(notes, "the key has expired: Elasticsearch will refuse the update")
	}
	if key.Type == "cross_cluster" {
		notes = append(notes, "this is a cross-cluster key: use 'esapikey update-cross-cluster'")
	}
	return notes
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// canAsk reports whether a person can answer a question: stdin and stderr
// are terminals and stdin was not read for input.
func (a *app) canAsk() bool {
	return a.isTerminal != nil && a.isTerminal(a.stdin) && a.isTerminal(a.stderr)
}

// confirm shows what the update loses and asks on the terminal; plan is nil
// when the key could not be read.
func (a *app) confirm(cmd string, req *esapikey.UpdateAPIKeyRequest, plan *esapikey.UpdatePlan) error {
	var b strings.Builder
	switch {
	case plan != nil:
		fmt.Fprintf(&b, "esapikey %s: the update of API key %s:\n", cmd, req.ID)
		for _, line := range strings.Split(plan.String(), "\n") {
			b.WriteString("  " + line + "\n")
		}
		if removed := plan.RemovedMetadataKeys(); len(removed) > 0 {
			fmt.Fprintf(&b, "It REMOVES the metadata %s %s.\n", plural(len(removed), "key", "keys"), strings.Join(quoteAll(removed), ", "))
		}
		if plan.RemovesPrivileges() {
			b.WriteString("It removes every role of the key: the key gets its OWNER'S FULL PERMISSIONS.\n")
		}
	default:
		fmt.Fprintf(&b, "esapikey %s: the key could not be read to show what changes.\n", cmd)
		if req.Metadata != nil {
			b.WriteString("The update REPLACES the key's metadata: keys it does not name are removed.\n")
		}
		if req.RoleDescriptors != nil && len(req.RoleDescriptors) == 0 {
			b.WriteString("The update removes every role of the key: it gets its OWNER'S FULL PERMISSIONS.\n")
		}
	}
	return a.ask(cmd, b.String(), "Update the key?")
}

// confirmBulk shows what a bulk update loses on every key, which it does not
// read, and asks on the terminal.
func (a *app) confirmBulk(cmd string, req *esapikey.BulkUpdateAPIKeysRequest) error {
	var b strings.Builder
	n := len(req.IDs)
	fmt.Fprintf(&b, "esapikey %s: the update of %d API %s:\n", cmd, n, plural(n, "key", "keys"))
	if req.Metadata != nil {
		b.WriteString("It REPLACES their metadata: keys it does not name are removed.\n")
	}
	if req.RoleDescriptors != nil && len(req.RoleDescriptors) == 0 {
		b.WriteString("It removes every role of the keys: each gets its OWNER'S FULL PERMISSIONS.\n")
	}
	return a.ask(cmd, b.String(), fmt.Sprintf("Update the %s?", plural(n, "key", "keys")))
}

// ask shows text and asks question on the terminal: only "y" or "yes"
// goes on.
func (a *app) ask(cmd, text, question string) error {
	if a.stdinUser != "" {
		return usagef(cmd, "this update may remove metadata keys or roles, and stdin was read for %s: "+
			"check with --dry-run, then confirm with --yes", a.stdinUser)
	}
	io.WriteString(a.stderr, text+question+" [y/N] ")
	answer, err := a.interruptible(cmd, func() ([]byte, error) {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		return []byte(line), err
	})
	var ie *interruptedError
	if errors.As(err, &ie) {
		fmt.Fprintln(a.stderr)
		return err
	}
	if err != nil && len(answer) == 0 {
		fmt.Fprintln(a.stderr)
	}
	switch strings.ToLower(strings.TrimSpace(string(answer))) {
	case "y", "yes":
		return nil
	}
	return errNotConfirmed
}
