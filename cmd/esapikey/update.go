package main

import (
	"context"

	"github.com/esapikey/esapikey"
)

var updateCommand = &command{
	name:    "update",
	summary: "update one API key: roles, metadata, expiration",
	run:     runUpdate,
	help: `Usage:
  esapikey update <id> [flags]

Updates one API key: PUT /_security/api_key/<id>. Only what a flag names
changes. With no flags the call refreshes the key's snapshot of its owner's
permissions, which every update does. The key must belong to the
authenticated user, or to the --run-as user. An id that starts with "-"
goes after "--".

Elasticsearch replaces metadata as a whole: --metadata drops every key it
does not name. --merge-metadata reads the key first and merges the patch
into its metadata (JSON merge patch: null deletes a key, objects merge);
this is read-then-write, not atomic: a change someone else makes between the
read and the update is overwritten.

With --dry-run the key is read (when the caller may) and the plan of the
update is printed before the request: what changes, which metadata keys
are removed, and whether the key gets its owner's full permissions. When
stdin and stderr are both terminals, an update that removes metadata keys
or every role of the key asks for confirmation first; --yes skips it.
Scripts, pipes and cron jobs are never asked.

Prints Elasticsearch's answer, {"updated":true} or {"updated":false} when
nothing changed.

Examples:
  # Replace the key's roles with those in roles.json, such as
  # {"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}}
  esapikey update VuaCfGcBCdbkQm-e5aOx --role-descriptors roles.json

  # Roles from stdin, metadata inline
  cat roles.json | esapikey update VuaCfGcBCdbkQm-e5aOx --role-descriptors - \
    --metadata '{"environment":{"level":2,"tags":["production"]}}'

  # Change one metadata key and delete another, keeping the rest
  esapikey update VuaCfGcBCdbkQm-e5aOx --merge-metadata '{"team":"search","owner":null}'

  # Remove the key's roles (it gets its owner's full permissions), clear its metadata
  esapikey update VuaCfGcBCdbkQm-e5aOx --remove-privileges --clear-metadata --yes

  # Expire in 30 days, metadata from a file: print the plan and the request, send nothing
  esapikey update VuaCfGcBCdbkQm-e5aOx --expiration 30d --metadata @meta.json --dry-run
`,
}

func runUpdate(a *app, cmd *command, args []string) error {
	fs, conn := newFlagSet(cmd)
	var ch changeFlags
	ch.registerRoles(fs)
	ch.registerMetadata(fs)
	var merge optString
	fs.Var(&merge, "merge-metadata", "merge this JSON merge patch (`JSON` object, @FILE, or - for stdin) into the\n"+
		"key's metadata: null deletes a key, objects merge. Reads the key first;\n"+
		"not atomic: a change made between the read and the update is lost")
	yes := fs.Bool("yes", false, "do not ask before removing metadata keys or every role of the key")
	pos, err := a.parseArgs(cmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef(cmd.name, "want exactly one API key id, got %d arguments", len(pos))
	}
	req := esapikey.UpdateAPIKeyRequest{ID: pos[0]}
	if req.RoleDescriptors, err = a.roleDescriptors(cmd.name, &ch); err != nil {
		return err
	}
	if req.Metadata, err = a.metadataChange(cmd.name, &ch); err != nil {
		return err
	}
	patch, err := a.mergePatch(cmd.name, &ch, merge)
	if err != nil {
		return err
	}
	if req.Expiration, err = expirationChange(cmd.name, &ch); err != nil {
		return err
	}
	s, err := a.connect(cmd.name, conn)
	if err != nil {
		return err
	}
	if err := a.planUpdate(cmd.name, s, &req, patch, *yes); err != nil {
		return err
	}
	res, err := update(a, s, func(ctx context.Context) (*esapikey.UpdateAPIKeyResponse, error) {
		return s.client.UpdateAPIKey(ctx, req, s.opts...)
	})
	if err != nil {
		return err
	}
	return a.result(s, res)
}
