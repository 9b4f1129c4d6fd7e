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

Prints Elasticsearch's answer, {"updated":true} or {"updated":false} when
nothing changed.

Examples:
  # Replace the key's roles with those in roles.json, such as
  # {"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}}
  esapikey update VuaCfGcBCdbkQm-e5aOx --role-descriptors roles.json

  # Roles from stdin, metadata inline
  cat roles.json | esapikey update VuaCfGcBCdbkQm-e5aOx --role-descriptors - \
    --metadata '{"environment":{"level":2,"tags":["production"]}}'

  # Remove the key's roles (it gets its owner's full permissions), clear its metadata
  esapikey update VuaCfGcBCdbkQm-e5aOx --remove-privileges --clear-metadata

  # Expire in 30 days, metadata from a file: print the request, send nothing
  esapikey update VuaCfGcBCdbkQm-e5aOx --expiration 30d --metadata @meta.json --dry-run
`,
}

func runUpdate(a *app, cmd *command, args []string) error {
	fs, conn := newFlagSet(cmd)
	var ch changeFlags
	ch.registerRoles(fs)
	ch.registerMetadata(fs)
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
	if req.Expiration, err = expirationChange(cmd.name, &ch); err != nil {
		return err
	}
	return runOne(a, cmd.name, conn, func(ctx context.Context, s *session) (*esapikey.UpdateAPIKeyResponse, error) {
		return s.client.UpdateAPIKey(ctx, req, s.opts...)
	})
}
