package esapikey_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/esapikeytest"
)

// The client against the in-memory Elasticsearch: what a user of the
// library sees end to end, for each answer of the behaviour contract.

const ownerRole = `{"cluster":["manage_own_api_key"],"indices":[{"names":["*"],"privileges":["all"]}]}`

type world struct {
	srv   *esapikeytest.Server
	alice *esapikey.Client // owns her keys through ownerRole
}

func newWorld(t *testing.T) *world {
	t.Helper()
	srv := esapikeytest.NewServer()
	t.Cleanup(srv.Close)
	require.NoError(t, srv.PutRole("owner", ownerRole))
	require.NoError(t, srv.AddUser("alice", "alice-password", "owner"))
	return &world{srv: srv, alice: clientFor(t, srv.URL, esapikey.Config{Username: "alice", Password: "alice-password"})}
}

func clientFor(t *testing.T, addr string, cfg esapikey.Config) *esapikey.Client {
	t.Helper()
	cfg.Addresses, cfg.DisableRetry = []string{addr}, true
	c, err := esapikey.NewClient(cfg)
	require.NoError(t, err)
	return c
}

func (w *world) key(t *testing.T, owner, body string) esapikeytest.APIKey {
	t.Helper()
	k, err := w.srv.CreateAPIKey(owner, body)
	require.NoError(t, err)
	return k
}

func TestIntegration_documentedCalls(t *testing.T) {
	w := newWorld(t)
	k := w.key(t, "alice", `{"name":"my-api-key","role_descriptors":{"role-a":{"cluster":["all"],"indices":[{"names":["index-a*"],"privileges":["read"]}]}},"metadata":{"application":"my-application"}}`)

	res, err := w.alice.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{
		ID: k.ID,
		RoleDescriptors: map[string]esapikey.RoleDescriptor{
			"role-a": {Indices: []esapikey.IndicesPrivileges{{Names: []string{"*"}, Privileges: []string{"write"}}}},
		},
		Metadata: esapikey.Metadata{"environment": map[string]any{"level": 2, "trusted": true, "tags": []string{"production"}}},
	})
	require.NoError(t, err)
	assert.True(t, res.Updated)
	stored, _ := w.srv.APIKey(k.ID)
	assert.JSONEq(t, `{"cluster":[],"indices":[{"names":["*"],"privileges":["write"],"allow_restricted_indices":false}],"applications":[],"run_as":[],"metadata":{},"transient_metadata":{"enabled":true}}`,
		string(stored.RoleDescriptors["role-a"]))
	assert.Equal(t, map[string]any{"environment": map[string]any{"level": json.Number("2"), "trusted": true, "tags": []any{"production"}}}, stored.Metadata)

	res, err = w.alice.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: k.ID, RoleDescriptors: map[string]esapikey.RoleDescriptor{}})
	require.NoError(t, err)
	assert.True(t, res.Updated, "{} removes the assigned privileges")
	stored, _ = w.srv.APIKey(k.ID)
	assert.Empty(t, stored.RoleDescriptors)
	assert.NotEmpty(t, stored.Metadata, "a nil Metadata left it unchanged")

	res, err = w.alice.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: k.ID})
	require.NoError(t, err)
	assert.False(t, res.Updated, "nothing changed since the last update")

	require.NoError(t, w.srv.PutRole("owner", `{"cluster":["manage_own_api_key"],"indices":[{"names":["logs-*"],"privileges":["read"]}]}`))
	res, err = w.alice.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: k.ID})
	require.NoError(t, err)
	assert.True(t, res.Updated, "the owner's roles changed: the snapshot is refreshed")
	stored, _ = w.srv.APIKey(k.ID)
	assert.Contains(t, string(stored.LimitedBy["owner"]), "logs-*")
}

func TestIntegration_expirationAndMetadata(t *testing.T) {
	w := newWorld(t)
	k := w.key(t, "alice", `{"name":"k"}`)
	now := w.srv.Now()

	res, err := w.alice.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: k.ID, Expiration: esapikey.DurationOf(36 * time.Hour), Metadata: esapikey.Metadata{}})
	require.NoError(t, err)
	assert.True(t, res.Updated)
	stored, _ := w.srv.APIKey(k.ID)
	assert.WithinDuration(t, now.Add(36*time.Hour), stored.Expiration, 2*time.Second)
	assert.NotNil(t, stored.Metadata)
	assert.Empty(t, stored.Metadata)

	w.srv.Advance(37 * time.Hour)
	_, err = w.alice.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: k.ID})
	assert.ErrorIs(t, err, esapikey.ErrExpired)
}

// Each answer of Elasticsearch matches its one sentinel.
func TestIntegration_errors(t *testing.T) {
	w := newWorld(t)
	require.NoError(t, w.srv.AddUser("bob", "bob-password", "owner"))
	require.NoError(t, w.srv.PutRole("nothing", `{"cluster":["monitor"]}`))
	require.NoError(t, w.srv.AddUser("carol", "carol-password", "nothing"))
	bobs := w.key(t, "bob", `{"name":"bobs"}`)
	gone := w.key(t, "alice", `{"name":"gone"}`)
	require.NoError(t, w.srv.InvalidateAPIKey(gone.ID))
	withRole := w.key(t, "alice", `{"name":"caller","role_descriptors":{"r":{"cluster":["manage_own_api_key"]}}}`)
	crossCluster, err := w.srv.CreateCrossClusterAPIKey("elastic", `{"name":"cc","access":{"search":[{"names":["logs-*"]}]}}`)
	require.NoError(t, err)
	admin := clientFor(t, w.srv.URL, esapikey.Config{Username: "elastic", Password: "changeme"})
	rest := w.key(t, "elastic", `{"name":"rest"}`)

	for _, tc := range []struct {
		name   string
		call   func() error
		want   error
		status int
		typ    string
	}{
		{"unknown id", update(t, w.alice, "no-such-key"), esapikey.ErrNotFound, 404, "resource_not_found_exception"},
		{"another user's key", update(t, w.alice, bobs.ID), esapikey.ErrNotFound, 404, "resource_not_found_exception"},
		{"an id with a slash stays one segment", update(t, w.alice, "a/b"), esapikey.ErrNotFound, 404, "resource_not_found_exception"},
		{"invalidated", update(t, w.alice, gone.ID), esapikey.ErrInvalidated, 400, "illegal_argument_exception"},
		{"API-key credentials", update(t, clientFor(t, w.srv.URL, esapikey.Config{
			Header: http.Header{"Authorization": {"ApiKey " + withRole.Encoded}},
		}), withRole.ID), esapikey.ErrAPIKeyCredentials, 400, "illegal_argument_exception"},
		{"no credentials", update(t, clientFor(t, w.srv.URL, esapikey.Config{}), withRole.ID), esapikey.ErrUnauthorized, 401, "security_exception"},
		{"wrong password", update(t, clientFor(t, w.srv.URL, esapikey.Config{Username: "alice", Password: "wrong-password"}), withRole.ID),
			esapikey.ErrUnauthorized, 401, "security_exception"},
		{"no privilege", update(t, clientFor(t, w.srv.URL, esapikey.Config{Username: "carol", Password: "carol-password"}), withRole.ID),
			esapikey.ErrForbidden, 403, "security_exception"},
		{"cross-cluster key on the REST route", update(t, admin, crossCluster.ID), esapikey.ErrWrongKeyType, 400, "illegal_argument_exception"},
		{"REST key on the cross-cluster route", func() error {
			_, err := admin.UpdateCrossClusterAPIKey(t.Context(), esapikey.UpdateCrossClusterAPIKeyRequest{ID: rest.ID, Metadata: esapikey.Metadata{}})
			return err
		}, esapikey.ErrWrongKeyType, 400, "illegal_argument_exception"},
		{"unknown privilege: refused by the server, no sentinel", func() error {
			_, err := w.alice.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: withRole.ID,
				RoleDescriptors: map[string]esapikey.RoleDescriptor{"r": {Cluster: []string{"no_such_privilege"}}}})
			return err
		}, nil, 400, "action_request_validation_exception"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			var e *esapikey.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tc.status, e.StatusCode)
			assert.Equal(t, tc.typ, e.Type)
			assert.NotEmpty(t, e.Reason)
			assertSentinel(t, err, tc.want)
		})
	}
}

func update(t *testing.T, c *esapikey.Client, id string) func() error {
	return func() error {
		_, err := c.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: id})
		return err
	}
}

func TestIntegration_unauthorizedKeepsChallenge(t *testing.T) {
	w := newWorld(t)
	_, err := clientFor(t, w.srv.URL, esapikey.Config{}).UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: "x"})
	var e *esapikey.Error
	require.ErrorAs(t, err, &e)
	assert.Contains(t, e.Header.Values("WWW-Authenticate"), `ApiKey`)
}

func TestIntegration_runAs(t *testing.T) {
	w := newWorld(t)
	k := w.key(t, "alice", `{"name":"k"}`)
	admin := clientFor(t, w.srv.URL, esapikey.Config{Username: "elastic", Password: "changeme"})

	_, err := admin.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: k.ID, Metadata: esapikey.Metadata{"by": "admin"}})
	assert.ErrorIs(t, err, esapikey.ErrNotFound, "even a superuser cannot update another user's key")

	res, err := admin.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: k.ID, Metadata: esapikey.Metadata{"by": "admin"}},
		esapikey.WithRunAs("alice"), esapikey.WithOpaqueID("integration"))
	require.NoError(t, err)
	assert.True(t, res.Updated)
	stored, _ := w.srv.APIKey(k.ID)
	assert.Equal(t, "admin", stored.Metadata["by"])
}

func TestIntegration_bulk(t *testing.T) {
	w := newWorld(t)
	a := w.key(t, "alice", `{"name":"a"}`)
	b := w.key(t, "alice", `{"name":"b","metadata":{"team":"search"}}`)
	gone := w.key(t, "alice", `{"name":"gone"}`)
	require.NoError(t, w.srv.InvalidateAPIKey(gone.ID))

	res, err := w.alice.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{
		IDs:      []string{b.ID, "missing", a.ID, gone.ID, a.ID},
		Metadata: esapikey.Metadata{"team": "search"},
	})
	require.NoError(t, err, "per-id failures do not fail the call")
	assert.Equal(t, []string{a.ID}, res.Updated)
	assert.Equal(t, []string{b.ID}, res.Noops)
	require.NotNil(t, res.Errors)
	assert.Equal(t, 2, res.Errors.Count)

	failed := res.Err()
	assert.ErrorIs(t, failed, esapikey.ErrNotFound)
	assert.ErrorIs(t, failed, esapikey.ErrInvalidated)
	assert.NotErrorIs(t, failed, esapikey.ErrExpired)

	res, err = w.alice.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{a.ID, b.ID}})
	require.NoError(t, err)
	assert.NoError(t, res.Err())
	assert.Equal(t, []string{}, res.Updated)
	assert.Equal(t, []string{a.ID, b.ID}, res.Noops)
}

func TestIntegration_crossCluster(t *testing.T) {
	w := newWorld(t)
	k, err := w.srv.CreateCrossClusterAPIKey("elastic", `{"name":"cc","access":{"search":[{"names":["logs-*"]}]}}`)
	require.NoError(t, err)
	admin := clientFor(t, w.srv.URL, esapikey.Config{Username: "elastic", Password: "changeme"})
	update := func(req esapikey.UpdateCrossClusterAPIKeyRequest) bool {
		t.Helper()
		req.ID = k.ID
		res, err := admin.UpdateCrossClusterAPIKey(t.Context(), req)
		require.NoError(t, err)
		return res.Updated
	}

	assert.True(t, update(esapikey.UpdateCrossClusterAPIKeyRequest{
		Access: &esapikey.CrossClusterAccess{
			Search:      []esapikey.CrossClusterIndices{{Names: []string{"logs-*", "metrics-*"}}},
			Replication: []esapikey.CrossClusterIndices{{Names: []string{"archive-*"}}},
		},
		CertificateIdentity: esapikey.CertificateIdentity{Value: "CN=remote-cluster,.*"},
	}))
	stored, _ := w.srv.APIKey(k.ID)
	assert.Equal(t, "CN=remote-cluster,.*", stored.CertificateIdentity)

	assert.True(t, update(esapikey.UpdateCrossClusterAPIKeyRequest{
		Metadata: esapikey.Metadata{"purpose": "dr"}, CertificateIdentity: esapikey.CertificateIdentity{Clear: true},
	}))
	stored, _ = w.srv.APIKey(k.ID)
	assert.Empty(t, stored.CertificateIdentity)
	assert.Equal(t, "dr", stored.Metadata["purpose"])

	assert.False(t, update(esapikey.UpdateCrossClusterAPIKeyRequest{Metadata: esapikey.Metadata{"purpose": "dr"}}))
}

// A node URL with a path, as behind a proxy that mounts Elasticsearch under
// /es: the escaped id still arrives as one segment.
func TestIntegration_pathPrefix(t *testing.T) {
	w := newWorld(t)
	proxy := httptest.NewServer(http.StripPrefix("/es", w.srv.Handler()))
	t.Cleanup(proxy.Close)
	c := clientFor(t, proxy.URL+"/es/", esapikey.Config{Username: "alice", Password: "alice-password"})

	k := w.key(t, "alice", `{"name":"k"}`)
	res, err := c.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: k.ID, Metadata: esapikey.Metadata{"via": "proxy"}})
	require.NoError(t, err)
	assert.True(t, res.Updated)

	_, err = c.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: "x/../" + k.ID})
	var e *esapikey.Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, esapikey.ErrNotFound)
	assert.Contains(t, e.Reason, "[x/../"+k.ID+"]", "the whole id reached the server as one segment")
}
