package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Metadata, a certificate identity (set or cleared) and access are each
// enough for Elasticsearch to update a cross-cluster key; access is left as
// it is when not named.
func TestUpdateCrossClusterWithoutAccess(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		body string
	}{
		{"metadata", []string{"--metadata", `{"b":2}`}, `{"metadata":{"b":2}}`},
		{"clear metadata and expiration", []string{"--clear-metadata", "--expiration", "1d"}, `{"metadata":{},"expiration":"1d"}`},
		{"certificate identity", []string{"--certificate-identity", "CN=remote"}, `{"certificate_identity":"CN=remote"}`},
		{"clear certificate identity", []string{"--clear-certificate-identity"}, `{"certificate_identity":null}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := newCluster(t)
			id := crossClusterOwner(t, es)

			r := runCLI(t, "", append(append([]string{"update-cross-cluster"}, tc.args...), "--", id)...)

			require.Equal(t, exitOK, r.code, r.stderr)
			reqs := es.rec.requests()
			require.Len(t, reqs, 1)
			assert.JSONEq(t, tc.body, reqs[0].Body)
			assert.Contains(t, string(es.stored(t, id).RoleDescriptors["cross_cluster"]), `"logs-*"`, "access unchanged")
		})
	}
}
