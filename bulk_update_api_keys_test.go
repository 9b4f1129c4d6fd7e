package esapikey_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

const bulkPath = "/_security/api_key/_bulk_update"

func TestBulkUpdateAPIKeys(t *testing.T) {
	tests := []struct {
		name string
		req  esapikey.BulkUpdateAPIKeysRequest
		body string
	}{
		{"ids only", esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1", "k2"}}, `{"ids":["k1","k2"]}`},
		{"empty role descriptors", esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1"}, RoleDescriptors: map[string]esapikey.RoleDescriptor{}},
			`{"ids":["k1"],"role_descriptors":{}}`},
		{"empty metadata", esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1"}, Metadata: esapikey.Metadata{}}, `{"ids":["k1"],"metadata":{}}`},
		// Elasticsearch answers an empty id in the per-id errors (fidelity D15).
		{"empty id", esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1", ""}}, `{"ids":["k1",""]}`},
		{"everything", esapikey.BulkUpdateAPIKeysRequest{
			IDs:             []string{"k1", "a/b"},
			RoleDescriptors: roleA(esapikey.RoleDescriptor{Indices: writeAll("*")}),
			Metadata:        esapikey.Metadata{"environment": map[string]any{"level": 2}},
			Expiration:      "30d",
		}, `{"ids":["k1","a/b"],"role_descriptors":{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}},` +
			`"metadata":{"environment":{"level":2}},"expiration":"30d"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			ids, err := json.Marshal(tt.req.IDs)
			require.NoError(t, err)
			rec := answer(mux, http.StatusOK, `{"updated":`+string(ids)+`,"noops":[]}`)

			res, err := client.BulkUpdateAPIKeys(t.Context(), tt.req, esapikey.WithOpaqueID("bulk-1"))

			require.NoError(t, err)
			assert.Equal(t, &esapikey.BulkUpdateAPIKeysResponse{Updated: tt.req.IDs, Noops: []string{}}, res)
			assert.NoError(t, res.Err())
			r := rec.only(t)
			assertJSONRequest(t, r, http.MethodPost, bulkPath, tt.body)
			assert.Equal(t, "bulk-1", r.Header.Get("X-Opaque-Id"))
		})
	}
}

func TestBulkUpdateAPIKeys_refusedBeforeSending(t *testing.T) {
	tests := []struct {
		name  string
		req   esapikey.BulkUpdateAPIKeysRequest
		field string
	}{
		{"no ids", esapikey.BulkUpdateAPIKeysRequest{}, "ids"},
		{"empty ids", esapikey.BulkUpdateAPIKeysRequest{IDs: []string{}}, "ids"},
		{"reserved metadata key", esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1"}, Metadata: esapikey.Metadata{"_x": 1}}, "metadata"},
		{"bad role", esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1"}, RoleDescriptors: roleA(esapikey.RoleDescriptor{Indices: writeAll()})},
			"role_descriptors[role-a].indices[0].names"},
		{"bad expiration", esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1"}, Expiration: "1M"}, "expiration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":[],"noops":[]}`)
			res, err := client.BulkUpdateAPIKeys(t.Context(), tt.req)
			assert.Nil(t, res)
			assertInvalid(t, err, tt.field)
			assert.Empty(t, rec.calls())
		})
	}
}

func TestBulkUpdateAPIKeysResponse_decode(t *testing.T) {
	tests := []struct {
		body           string
		updated, noops []string
		missing        bool // k1 is in none of the lists
	}{
		{`{"updated":[],"noops":[]}`, []string{}, []string{}, true},
		{`{"updated":["k1","k2"],"noops":[],"took":3}`, []string{"k1", "k2"}, []string{}, false},
		{`{"updated":[],"noops":["k1"],"errors":{"count":0,"details":{}}}`, []string{}, []string{"k1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			client, mux := setup(t)
			answer(mux, http.StatusOK, tt.body)
			res, err := client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1"}})
			require.NoError(t, err)
			assert.Equal(t, tt.updated, res.Updated)
			assert.Equal(t, tt.noops, res.Noops)
			assert.NotNil(t, res.Updated)
			assert.NotNil(t, res.Noops)
			if tt.missing {
				assert.EqualError(t, res.Err(), "esapikey: api key [k1]: "+
					"missing from the answer: Elasticsearch reported it neither updated, unchanged nor failed")
			} else {
				assert.NoError(t, res.Err())
			}
		})
	}
	for _, body := range []string{`{"updated":[]}`, `{"noops":[]}`, `{"updated":null,"noops":[]}`, `{"updated":true}`, `[]`, ``} {
		t.Run(body, func(t *testing.T) {
			client, mux := setup(t)
			answer(mux, http.StatusOK, body)
			res, err := client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1"}})
			assert.Nil(t, res)
			var de *esapikey.DecodeError
			require.ErrorAs(t, err, &de)
			assert.Equal(t, http.StatusOK, de.StatusCode)
			assert.Equal(t, body, de.Body)
		})
	}
}

// A 200 answer with per-id failures: err is nil, res.Err is not.
func TestBulkUpdateAPIKeys_perIDErrors(t *testing.T) {
	const body = `{"updated":["ok-1"],"noops":["ok-2"],"errors":{"count":3,"details":{` +
		`"nf":{"type":"resource_not_found_exception","reason":"no API key owned by requesting user found for ID [nf]"},` +
		`"exp":{"type":"illegal_argument_exception","reason":"cannot update expired API key [exp]"},` +
		`"inv":{"type":"illegal_argument_exception","reason":"cannot update invalidated API key [inv]"}}}}`
	client, mux := setup(t)
	answer(mux, http.StatusOK, body)

	res, err := client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"ok-1", "ok-2", "nf", "exp", "inv"}})

	require.NoError(t, err)
	assert.Equal(t, []string{"ok-1"}, res.Updated)
	assert.Equal(t, []string{"ok-2"}, res.Noops)
	require.NotNil(t, res.Errors)
	assert.Equal(t, 3, res.Errors.Count)
	assert.Len(t, res.Errors.Details, 3)

	bulkErr := res.Err()
	require.Error(t, bulkErr)
	for _, s := range []error{esapikey.ErrNotFound, esapikey.ErrExpired, esapikey.ErrInvalidated} {
		assert.ErrorIs(t, bulkErr, s)
	}
	for _, s := range []error{esapikey.ErrUnauthorized, esapikey.ErrForbidden, esapikey.ErrAPIKeyCredentials, esapikey.ErrWrongKeyType, esapikey.ErrInvalidRequest} {
		assert.NotErrorIs(t, bulkErr, s)
	}
	var first *esapikey.Error
	require.ErrorAs(t, bulkErr, &first)
	assert.Equal(t, "exp", first.ID, "the per-id errors are sorted by id")

	joined, ok := bulkErr.(interface{ Unwrap() []error })
	require.True(t, ok, "Err joins one error per id")
	want := []struct {
		id, typ, reason string
		sentinel        error
	}{
		{"exp", "illegal_argument_exception", "cannot update expired API key [exp]", esapikey.ErrExpired},
		{"inv", "illegal_argument_exception", "cannot update invalidated API key [inv]", esapikey.ErrInvalidated},
		{"nf", "resource_not_found_exception", "no API key owned by requesting user found for ID [nf]", esapikey.ErrNotFound},
	}
	errs := joined.Unwrap()
	require.Len(t, errs, len(want))
	for i, w := range want {
		var e *esapikey.Error
		require.True(t, errors.As(errs[i], &e))
		assert.Equal(t, w.id, e.ID)
		assert.Equal(t, w.typ, e.Type)
		assert.Equal(t, w.reason, e.Reason)
		assert.Zero(t, e.StatusCode, "the call itself succeeded")
		assert.Equal(t, "esapikey: api key ["+w.id+"]: "+w.typ+": "+w.reason, e.Error())
		assertSentinel(t, errs[i], w.sentinel)
	}
}

func TestBulkUpdateAPIKeysResponse_JSON(t *testing.T) {
	res := esapikey.BulkUpdateAPIKeysResponse{Updated: []string{}, Noops: []string{"k1"}}
	assert.Equal(t, `{"updated":[],"noops":["k1"]}`, marshal(t, res))
	var back esapikey.BulkUpdateAPIKeysResponse
	require.NoError(t, json.Unmarshal([]byte(marshal(t, res)), &back))
	assert.Equal(t, res, back)
}

// A failure of the whole call is an *Error as for a single update.
func TestBulkUpdateAPIKeys_errorAnswer(t *testing.T) {
	client, mux := setup(t)
	answer(mux, http.StatusBadRequest, simpleError("400", "action_request_validation_exception", "Validation Failed: 1: Field [ids] cannot be empty;"))
	res, err := client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1"}})
	assert.Nil(t, res)
	e := assertError(t, err, http.StatusBadRequest)
	assert.Equal(t, "action_request_validation_exception", e.Type)
	assertSentinel(t, err, nil)
}

// A nil response, as BulkUpdateAPIKeys returns with an error, has no
// per-id failures: Err must not panic on it.
func TestBulkUpdateAPIKeysResponse_nilErr(t *testing.T) {
	var res *esapikey.BulkUpdateAPIKeysResponse
	assert.NotPanics(t, func() { assert.NoError(t, res.Err()) })
}

// A bulk answer grows with the ids; a 2xx one is read whole however many,
// so that no per-id outcome of an applied update is lost (here over 9 MB,
// twice the cap on other answers).
func TestBulkUpdateAPIKeys_largeAnswerReadWhole(t *testing.T) {
	const n, missing = 200_000, 40_000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("key-%015d", i)
	}
	var b strings.Builder
	b.WriteString(`{"updated":[`)
	for i, id := range ids[:n-missing] {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + id + `"`)
	}
	fmt.Fprintf(&b, `],"noops":[],"errors":{"count":%d,"details":{`, missing)
	for i, id := range ids[n-missing:] {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `"%s":{"type":"resource_not_found_exception","reason":"no API key owned by requesting user found for ID [%s]"}`, id, id)
	}
	b.WriteString(`}}}`)
	require.Greater(t, b.Len(), 2*(4<<20))

	client, mux := setup(t)
	rec := answer(mux, http.StatusOK, b.String())
	res, err := client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: ids, Metadata: esapikey.Metadata{}})

	require.NoError(t, err)
	assert.Equal(t, ids[:n-missing], res.Updated)
	require.NotNil(t, res.Errors)
	assert.Equal(t, missing, res.Errors.Count)
	assert.Len(t, res.Errors.Details, missing)
	assert.Equal(t, "resource_not_found_exception", res.Errors.Details[ids[n-1]].Type)
	assert.ErrorIs(t, res.Err(), esapikey.ErrNotFound)
	assert.Len(t, rec.only(t).Body, len(`{"ids":[],"metadata":{}}`)+n*len(`"key-000000000000000",`)-1)
}

// The cap still holds for a body out of proportion to the request, and for
// any error answer.
func TestBulkUpdateAPIKeys_runawayAnswerCut(t *testing.T) {
	huge := `{"updated":["` + strings.Repeat("x", 8<<20) + `"],"noops":[]}`
	client, mux := setup(t)
	answer(mux, http.StatusOK, huge)
	res, err := client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"k1"}})
	assert.Nil(t, res)
	var de *esapikey.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Contains(t, de.Err.Error(), "body larger than")

	client, mux = setup(t)
	answer(mux, http.StatusInternalServerError, strings.Repeat("<p>oops</p>", 1<<20))
	ids := make([]string, 10_000)
	for i := range ids {
		ids[i] = strconv.Itoa(i)
	}
	_, err = client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: ids})
	e := assertError(t, err, http.StatusInternalServerError)
	assert.LessOrEqual(t, len(e.Body), 1024)
}

// A 2xx answer that names an id asked for nowhere, neither updated, nor a
// no-op, nor failed, says nothing of it: that is not a success. Err reports
// each such id, sorted among the failures Elasticsearch reported.
func TestBulkUpdateAPIKeys_idMissingFromTheAnswerIsAnError(t *testing.T) {
	client, mux := setup(t)
	answer(mux, http.StatusOK, `{"updated":["a"],"noops":["d"],"errors":{"count":1,"details":{`+
		`"c":{"type":"resource_not_found_exception","reason":"no API key owned by requesting user found for ID [c]"}}}}`)

	res, err := client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"a", "b", "c", "d", "e", "b"}})

	require.NoError(t, err)
	assert.Equal(t, 1, res.Errors.Count, "the answer's own fields stay as Elasticsearch wrote them")
	joined, ok := res.Err().(interface{ Unwrap() []error })
	require.True(t, ok, "Err joins one error per id")
	errs := joined.Unwrap()
	require.Len(t, errs, 3)
	for i, id := range []string{"b", "c", "e"} {
		var e *esapikey.Error
		require.ErrorAs(t, errs[i], &e)
		assert.Equal(t, id, e.ID)
	}
	assert.Equal(t, "esapikey: api key [b]: missing from the answer: Elasticsearch reported it neither updated, "+
		"unchanged nor failed", errs[0].Error())
	assertSentinel(t, errs[0], nil)
	assert.ErrorIs(t, res.Err(), esapikey.ErrNotFound, "c")

	// Every id accounted for: no error.
	client, mux = setup(t)
	answer(mux, http.StatusOK, `{"updated":["a"],"noops":["b"]}`)
	res, err = client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"a", "b"}})
	require.NoError(t, err)
	assert.NoError(t, res.Err())
}

// Elasticsearch answers for an empty id as for any other (fidelity D15):
// its failure names it too.
func TestBulkUpdateAPIKeys_failureOfTheEmptyIDNamesIt(t *testing.T) {
	client, mux := setup(t)
	answer(mux, http.StatusOK, `{"updated":["a"],"noops":[],"errors":{"count":1,"details":{"":`+
		`{"type":"resource_not_found_exception","reason":"no API key owned by requesting user found for ID []"}}}}`)

	res, err := client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{"a", ""}})

	require.NoError(t, err)
	assert.EqualError(t, res.Err(), "esapikey: api key []: resource_not_found_exception: no API key owned by requesting user found for ID []")
}
