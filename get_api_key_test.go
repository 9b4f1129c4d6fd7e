package esapikey_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

// A REST key as Elasticsearch 8.x/9.x renders it in GET /_security/api_key:
// every role field present, even when empty, and times in epoch ms.
const restKeyJSON = `{"id":"VuaCfGcBCdbkQm-e5aOx","name":"my-api-key","type":"rest",
 "creation":1548550550158,"expiration":1548551550158,"invalidated":false,
 "username":"myuser","realm":"native1","realm_type":"native",
 "metadata":{"application":"my-application","environment":{"level":1,"trusted":true,"tags":["dev","staging"]},"big":12345678901234567890},
 "role_descriptors":{"role-a":{"cluster":["all"],"indices":[{"names":["index-a*"],"privileges":["read"],"allow_restricted_indices":false}],
   "applications":[],"run_as":[],"metadata":{},"transient_metadata":{"enabled":true}}},
 "some_future_field":{"x":1}}`

func TestGetAPIKey(t *testing.T) {
	client, mux := setup(t)
	rec := answer(mux, http.StatusOK, `{"api_keys":[`+restKeyJSON+`]}`)

	k, err := client.GetAPIKey(t.Context(), testID, esapikey.WithRunAs("myuser"))

	require.NoError(t, err)
	req := rec.only(t)
	assert.Equal(t, http.MethodGet, req.Method)
	assert.Equal(t, "/_security/api_key", req.Path)
	assert.Equal(t, "id="+testID+"&owner=true", req.Query)
	assert.Equal(t, "myuser", req.Header.Get("es-security-runas-user"))
	assert.Empty(t, req.Body)

	assert.Equal(t, testID, k.ID)
	assert.Equal(t, "my-api-key", k.Name)
	assert.Equal(t, "rest", k.Type)
	assert.Equal(t, "myuser", k.Username)
	assert.Equal(t, "native1", k.Realm)
	assert.Equal(t, time.UnixMilli(1548550550158).UTC(), k.Creation)
	assert.Equal(t, time.UnixMilli(1548551550158).UTC(), k.Expiration)
	assert.False(t, k.Invalidated)
	assert.Equal(t, json.Number("12345678901234567890"), k.Metadata["big"], "numbers kept exactly")
	assert.Equal(t, map[string]any{"level": json.Number("1"), "trusted": true, "tags": []any{"dev", "staging"}}, k.Metadata["environment"])
	require.Contains(t, k.RoleDescriptors, "role-a")
	assert.Equal(t, []string{"all"}, k.RoleDescriptors["role-a"].Cluster)
	assert.Equal(t, []esapikey.IndicesPrivileges{{Names: []string{"index-a*"}, Privileges: []string{"read"}}},
		k.RoleDescriptors["role-a"].Indices)
	assert.Nil(t, k.Access)
}

func TestGetAPIKey_crossClusterAndInvalidated(t *testing.T) {
	client, mux := setup(t)
	answer(mux, http.StatusOK, `{"api_keys":[{"id":"cc","name":"cc","type":"cross_cluster","creation":1,
		"invalidated":true,"invalidation":2,"username":"elastic","realm":"reserved","metadata":{},
		"role_descriptors":{"cross_cluster":{"cluster":["cross_cluster_search"],"indices":[{"names":["logs*"],"privileges":["read"],"allow_restricted_indices":false}]}},
		"access":{"search":[{"names":["logs*"],"allow_restricted_indices":false}]},
		"certificate_identity":"CN=remote,.*"}]}`)

	k, err := client.GetAPIKey(t.Context(), "cc")

	require.NoError(t, err, "an invalidated key is returned as it is")
	assert.True(t, k.Invalidated)
	assert.Equal(t, "cross_cluster", k.Type)
	assert.True(t, k.Expiration.IsZero(), "no expiration")
	assert.Equal(t, &esapikey.CrossClusterAccess{Search: []esapikey.CrossClusterIndices{{Names: []string{"logs*"}}}}, k.Access)
	assert.Equal(t, "CN=remote,.*", k.CertificateIdentity)
}

// Elasticsearch answers 404 with an empty list for an unknown id and for
// another user's key (RestGetApiKeyAction); an empty list with 200 is not
// found either.
func TestGetAPIKey_notFoundAnswerIsNotFound(t *testing.T) {
	client, mux := setup(t)
	answer(mux, http.StatusNotFound, `{"api_keys":[]}`)

	k, err := client.GetAPIKey(t.Context(), "a/b")

	assert.Nil(t, k)
	require.ErrorIs(t, err, esapikey.ErrNotFound)
	assert.Contains(t, err.Error(), "[a/b]")
}

// A 404 that is not a get answer (a proxy's page, a wrong path prefix) stays
// an *Error that says what came back.
func TestGetAPIKey_otherNotFoundIsAnError(t *testing.T) {
	client, mux := setup(t)
	answer(mux, http.StatusNotFound, `<html>no such page</html>`)

	_, err := client.GetAPIKey(t.Context(), "mine")

	var e *esapikey.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusNotFound, e.StatusCode)
	assert.NotErrorIs(t, err, esapikey.ErrNotFound)
}

func TestGetAPIKey_emptyListIsNotFound(t *testing.T) {
	client, mux := setup(t)
	answer(mux, http.StatusOK, `{"api_keys":[]}`)

	k, err := client.GetAPIKey(t.Context(), "a/b")

	assert.Nil(t, k)
	require.ErrorIs(t, err, esapikey.ErrNotFound)
	assert.NotErrorIs(t, err, esapikey.ErrInvalidRequest)
	assert.Contains(t, err.Error(), "[a/b]")
}

func TestGetAPIKey_otherIDInTheListIsNotFound(t *testing.T) {
	client, mux := setup(t)
	answer(mux, http.StatusOK, `{"api_keys":[{"id":"other"}]}`)

	_, err := client.GetAPIKey(t.Context(), "mine")

	assert.ErrorIs(t, err, esapikey.ErrNotFound)
}

func TestGetAPIKey_errors(t *testing.T) {
	t.Run("an error answer is an *Error", func(t *testing.T) {
		client, mux := setup(t)
		answer(mux, http.StatusForbidden, `{"error":{"type":"security_exception","reason":"action [cluster:admin/xpack/security/api_key/get] is unauthorized for user [bob]"},"status":403}`)
		_, err := client.GetAPIKey(t.Context(), testID)
		var e *esapikey.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, http.StatusForbidden, e.StatusCode)
		assert.ErrorIs(t, err, esapikey.ErrForbidden)
	})
	t.Run("a 2xx without api_keys is a DecodeError", func(t *testing.T) {
		client, mux := setup(t)
		answer(mux, http.StatusOK, `{"keys":[]}`)
		_, err := client.GetAPIKey(t.Context(), testID)
		var de *esapikey.DecodeError
		require.ErrorAs(t, err, &de)
		assert.NotErrorIs(t, err, esapikey.ErrNotFound, "never a silent not found")
	})
	t.Run("a key without an id is a DecodeError", func(t *testing.T) {
		client, mux := setup(t)
		answer(mux, http.StatusOK, `{"api_keys":[{"name":"x"}]}`)
		_, err := client.GetAPIKey(t.Context(), testID)
		var de *esapikey.DecodeError
		assert.ErrorAs(t, err, &de)
	})
}

func TestGetAPIKey_idCheckedAsForTheUpdate(t *testing.T) {
	for _, id := range []string{"", ".", ".."} {
		client, mux := setup(t)
		rec := answer(mux, http.StatusOK, `{"api_keys":[]}`)
		_, err := client.GetAPIKey(t.Context(), id)
		var ve *esapikey.ValidationError
		require.ErrorAs(t, err, &ve, "id %q", id)
		assert.Equal(t, "id", ve.Field)
		assert.Empty(t, rec.calls(), "nothing sent for %q", id)
	}
}

// The id is a query parameter: every character survives, "&" and "="
// included, and "+" is not read as a space.
func TestGetAPIKey_idEscapedInTheQuery(t *testing.T) {
	client, mux := setup(t)
	var got []string
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Query()["id"]
		w.Header().Set("X-Elastic-Product", "Elasticsearch")
		_, _ = w.Write([]byte(`{"api_keys":[]}`))
	})
	const id = "a&owner=false+b/c?d#é"
	_, err := client.GetAPIKey(t.Context(), id)
	require.True(t, errors.Is(err, esapikey.ErrNotFound), "%v", err)
	assert.Equal(t, []string{id}, got)
}

// A key the client can write is one it can read back: a 2xx answer of
// GetAPIKey is read whole, well past the 4 MiB of other answers (here a key
// with 5 MB of metadata), so it can be planned and merged.
func TestGetAPIKey_largeKeyReadWhole(t *testing.T) {
	big := strings.Repeat("x", 5_000_000)
	client, mux := setup(t)
	answer(mux, http.StatusOK, `{"api_keys":[{"id":"`+testID+`","name":"n","metadata":{"blob":"`+big+`","n":1}}]}`)

	k, err := client.GetAPIKey(t.Context(), testID)

	require.NoError(t, err)
	assert.Len(t, k.Metadata["blob"], len(big))
	merged := esapikey.MergeMetadata(k.Metadata, esapikey.Metadata{"n": 2})
	plan := esapikey.PlanUpdate(k, esapikey.UpdateAPIKeyRequest{Metadata: merged})
	require.Len(t, plan.Metadata, 1, "%s", plan)
	assert.Equal(t, "n", plan.Metadata[0].Key)

	// An error answer keeps its cap.
	client, mux = setup(t)
	answer(mux, http.StatusInternalServerError, strings.Repeat("<p>oops</p>", 1<<20))
	_, err = client.GetAPIKey(t.Context(), testID)
	e := assertError(t, err, http.StatusInternalServerError)
	assert.LessOrEqual(t, len(e.Body), 1024)
}
