package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/esapikey/esapikey"
)

var bulkUpdateCommand = &command{
	name:    "bulk-update",
	summary: "apply one update to many API keys",
	run:     runBulkUpdate,
	help: `Usage:
  esapikey bulk-update [<id>...] [flags]

Applies the same update to many API keys: POST /_security/api_key/_bulk_update.
The ids come from the arguments or, when there are none (or just "-"), from
stdin, one per line; duplicates are sent once. They are sent --chunk-size at
a time, with progress on stderr when it is a terminal, and the results of
all chunks are merged into one:
  {"updated":[...],"noops":[...],"errors":{"count":N,"details":{"<id>":{...}}}}
"errors" is there only when some ids failed. Elasticsearch answers 200 even
then: the failures are listed on stderr and the exit code is theirs (3 when
ids were not found). When a whole chunk fails, the result so far is printed
and the command stops.

When stdin and stderr are both terminals, an update that removes every
role of the keys (--remove-privileges) or replaces their metadata
(--metadata, --clear-metadata) says so and asks for confirmation first;
--yes skips it. Scripts, pipes and cron jobs are never asked.

Examples:
  # Give three keys new metadata
  esapikey bulk-update VuaCfGcBCdbkQm-e5aOx ZmqoCZUBpSyGJmTa2dfw q5Yo0ZEBqGuD0Nrg9hU9 \
    --metadata '{"owner":"team-search"}'

  # Expire every key listed in ids.txt in 30 days, 500 per request
  esapikey bulk-update --expiration 30d --chunk-size 500 < ids.txt

  # Same roles for every key in a saved GET /_security/api_key?owner=true answer
  jq -r '.api_keys[] | select(.invalidated | not) | .id' keys.json |
    esapikey bulk-update --role-descriptors roles.json

  # Just refresh the keys' snapshot of their owner's permissions
  esapikey bulk-update < ids.txt
`,
}

const defaultChunkSize = 1000

func runBulkUpdate(a *app, cmd *command, args []string) error {
	fs, conn := newFlagSet(cmd)
	var ch changeFlags
	ch.registerRoles(fs)
	ch.registerMetadata(fs)
	chunkSize := fs.Int("chunk-size", defaultChunkSize, "send at most `N` ids per request")
	yes := fs.Bool("yes", false, "do not ask before replacing the keys' metadata or removing every role of theirs")
	pos, err := a.parseArgs(cmd, fs, args)
	if err != nil {
		return err
	}
	if *chunkSize < 1 {
		return usagef(cmd.name, "--chunk-size must be at least 1")
	}
	// The ids first: when they come from stdin, "--role-descriptors -" cannot.
	ids, err := a.bulkIDs(cmd.name, pos)
	if err != nil {
		return err
	}
	var req esapikey.BulkUpdateAPIKeysRequest
	if req.RoleDescriptors, err = a.roleDescriptors(cmd.name, &ch); err != nil {
		return err
	}
	if req.Metadata, err = a.metadataChange(cmd.name, &ch); err != nil {
		return err
	}
	if req.Expiration, err = expirationChange(cmd.name, &ch); err != nil {
		return err
	}
	s, err := a.connect(cmd.name, conn)
	if err != nil {
		return err
	}
	removes := req.Metadata != nil || req.RoleDescriptors != nil && len(req.RoleDescriptors) == 0
	if removes && !*yes && !s.dryRun && a.canAsk() {
		req.IDs = ids
		if err := a.confirmBulk(cmd.name, &req); err != nil {
			return err
		}
	}
	return a.bulkUpdate(s, req, ids, *chunkSize)
}

// bulkIDs returns the ids of the arguments, or of stdin, without duplicates.
func (a *app) bulkIDs(cmd string, args []string) ([]string, error) {
	raw := args
	if len(args) == 0 || len(args) == 1 && args[0] == "-" {
		if a.isTerminal != nil && a.isTerminal(a.stdin) {
			return nil, usagef(cmd, "no ids: give them as arguments or one per line on stdin")
		}
		data, err := a.readStdin(cmd, "the ids")
		var ie *interruptedError
		if errors.As(err, &ie) {
			return nil, err
		}
		if err != nil {
			return nil, usagef(cmd, "reading the ids: %v", err)
		}
		raw = nil
		for _, line := range strings.Split(string(data), "\n") {
			if id := strings.TrimSpace(line); id != "" {
				raw = append(raw, id)
			}
		}
	} else {
		for i, id := range args {
			if id == "" || id == "-" {
				return nil, usagef(cmd, "argument %d: %q is not an id", i+1, id)
			}
		}
	}
	seen := make(map[string]bool, len(raw))
	ids := make([]string, 0, len(raw))
	for _, id := range raw {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, usagef(cmd, "no ids: give them as arguments or one per line on stdin")
	}
	return ids, nil
}

// bulkUpdate sends the ids chunk by chunk and prints the merged result.
func (a *app) bulkUpdate(s *session, req esapikey.BulkUpdateAPIKeysRequest, ids []string, size int) error {
	merged := &esapikey.BulkUpdateAPIKeysResponse{Updated: []string{}, Noops: []string{}}
	// The failures of each chunk, ids its answer left out included, which
	// the merged answer cannot hold.
	var failures []error
	chunks := (len(ids) + size - 1) / size
	showProgress := a.progress != nil && chunks > 1 && !s.dryRun
	for n := 0; n < chunks; n++ {
		r := req
		r.IDs = ids[n*size : min((n+1)*size, len(ids))]
		res, err := update(a, s, func(ctx context.Context) (*esapikey.BulkUpdateAPIKeysResponse, error) {
			return s.client.BulkUpdateAPIKeys(ctx, r, s.opts...)
		})
		if err != nil {
			if showProgress {
				fmt.Fprintln(a.progress)
			}
			if n == 0 {
				return err
			}
			if perr := a.printJSON(merged); perr != nil {
				return perr
			}
			return &chunkError{chunk: n + 1, chunks: chunks, done: n * size, total: len(ids), size: len(r.IDs), err: err}
		}
		merge(merged, res)
		failures = append(failures, perID(res.Err())...)
		if showProgress {
			done := min((n+1)*size, len(ids))
			fmt.Fprintf(a.progress, "\resapikey: bulk-update: %d/%d ids, chunk %d/%d", done, len(ids), n+1, chunks)
			if n+1 == chunks {
				fmt.Fprintln(a.progress)
			}
		}
	}
	if err := a.result(s, merged); err != nil || s.dryRun {
		return err
	}
	if len(failures) == 0 {
		return nil
	}
	slices.SortFunc(failures, func(x, y error) int { return strings.Compare(failedID(x), failedID(y)) })
	failed := errors.Join(failures...)
	a.listFailures(failed, len(failures))
	return &bulkFailure{failed: len(failures), total: len(ids), updated: len(merged.Updated), noops: len(merged.Noops), err: failed}
}

// perID splits the joined per-id errors of one answer.
func perID(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func failedID(err error) string {
	var e *esapikey.Error
	if errors.As(err, &e) {
		return e.ID
	}
	return ""
}
