package main

import (
	"context"

	"github.com/esapikey/esapikey"
)

var updateCrossClusterCommand = &command{
	name:    "update-cross-cluster",
	summary: "update a cross-cluster API key: access, metadata, expiration, certificate identity",
	run:     runUpdateCrossCluster,
	help: `Usage:
  esapikey update-cross-cluster <id> [flags]

Updates a cross-cluster API key, the kind a remote cluster uses to search or
replicate this cluster's indices: PUT /_security/cross_cluster/api_key/<id>.
Only what a flag names changes: --access replaces what the key reaches,
--metadata its metadata, --certificate-identity sets and
--clear-certificate-identity removes the certificate identity. Each of them
is enough; --expiration alone is not (Elasticsearch refuses it: an update
of a cross-cluster key must change access, metadata or the certificate
identity). Needs the manage_security privilege.

Prints Elasticsearch's answer, {"updated":true} or {"updated":false}.

Examples:
  # Search logs-* and replicate archive-*
  esapikey update-cross-cluster q5Yo0ZEBqGuD0Nrg9hU9 \
    --access '{"search":[{"names":["logs-*"]}],"replication":[{"names":["archive-*"]}]}'

  # Access from a file; the remote cluster's certificate must match this DN
  esapikey update-cross-cluster q5Yo0ZEBqGuD0Nrg9hU9 --access access.json \
    --certificate-identity 'CN=remote-cluster,OU=.*'

  # Drop the certificate identity and expire in 90 days; access stays
  esapikey update-cross-cluster q5Yo0ZEBqGuD0Nrg9hU9 --clear-certificate-identity --expiration 90d

  # New metadata only
  esapikey update-cross-cluster q5Yo0ZEBqGuD0Nrg9hU9 --metadata '{"remote":"eu-1"}'
`,
}

func runUpdateCrossCluster(a *app, cmd *command, args []string) error {
	fs, conn := newFlagSet(cmd)
	var (
		ch          changeFlags
		access      optString
		certID      optString
		clearCertID bool
	)
	fs.Var(&access, "access", "replace what the key reaches with `FILE` (- for stdin, or inline JSON):\n"+
		`{"search":[{"names":["logs-*"]}],"replication":[{"names":["archive-*"]}]}`)
	ch.registerMetadata(fs)
	fs.Var(&certID, "certificate-identity", "the distinguished name `DN` pattern the remote cluster's certificate must match")
	fs.BoolVar(&clearCertID, "clear-certificate-identity", false, "remove the certificate identity (sends null)")
	pos, err := a.parseArgs(cmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef(cmd.name, "want exactly one API key id, got %d arguments", len(pos))
	}
	req := esapikey.UpdateCrossClusterAPIKeyRequest{ID: pos[0]}
	switch {
	case certID.set && clearCertID:
		return usagef(cmd.name, "give --certificate-identity or --clear-certificate-identity, not both")
	case certID.set && certID.value == "":
		return usagef(cmd.name, "--certificate-identity is empty; to remove it use --clear-certificate-identity")
	}
	req.CertificateIdentity = esapikey.CertificateIdentity{Value: certID.value, Clear: clearCertID}
	if access.set {
		data, err := a.readJSONArg(cmd.name, "access", access.value, true)
		if err != nil {
			return err
		}
		if err := decodeExact(cmd.name, "access", data, &req.Access); err != nil {
			return err
		}
	}
	if req.Metadata, err = a.metadataChange(cmd.name, &ch); err != nil {
		return err
	}
	if req.Expiration, err = expirationChange(cmd.name, &ch); err != nil {
		return err
	}
	if req.Access == nil && req.Metadata == nil && req.CertificateIdentity.IsZero() {
		if req.Expiration != "" {
			// UpdateCrossClusterApiKeyRequest.validate: "must update either
			// [access] or [metadata] for cross-cluster API keys".
			return usagef(cmd.name, "--expiration alone is refused by Elasticsearch: add --access, --metadata, "+
				"--clear-metadata, --certificate-identity or --clear-certificate-identity")
		}
		return usagef(cmd.name, "nothing to update: give --access, --metadata, --clear-metadata, "+
			"--certificate-identity or --clear-certificate-identity")
	}
	return runOne(a, cmd.name, conn, func(ctx context.Context, s *session) (*esapikey.UpdateCrossClusterAPIKeyResponse, error) {
		return s.client.UpdateCrossClusterAPIKey(ctx, req, s.opts...)
	})
}
