package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBulkUpdateIDsFromArguments(t *testing.T) {
	es := newCluster(t)
	a, b := es.key(t, createWithRole), es.key(t, createWithRole)

	r := runCLI(t, "", "bulk-update", "--metadata", `{"owner":"team-search"}`, "--", a, b)

	require.Equal(t, exitOK, r.code, r.stderr)
	assertJSON(t, fmt.Sprintf(`{"updated":[%q,%q],"noops":[]}`, a, b), r.stdout)
	assert.Empty(t, r.stderr)
	reqs := es.rec.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "POST", reqs[0].Method)
	assert.Equal(t, "/_security/api_key/_bulk_update", reqs[0].URI)
	assert.JSONEq(t, fmt.Sprintf(`{"ids":[%q,%q],"metadata":{"owner":"team-search"}}`, a, b), reqs[0].Body)
	for _, id := range []string{a, b} {
		assert.Equal(t, map[string]any{"owner": "team-search"}, es.stored(t, id).Metadata)
	}
}

func TestBulkUpdateIDsFromStdin(t *testing.T) {
	es := newCluster(t)
	a, b := es.key(t, createWithRole), es.key(t, createWithRole)
	stdin := fmt.Sprintf("%s\r\n\n  %s  \n%s\n", a, b, a) // blank lines, spaces, CRLF, a duplicate

	for _, args := range [][]string{{"bulk-update", "--remove-privileges"}, {"bulk-update", "-", "--remove-privileges"}} {
		r := runCLI(t, stdin, args...)
		require.Equal(t, exitOK, r.code, r.stderr)
		assert.Contains(t, r.stdout, a)
	}
	reqs := es.rec.requests()
	require.Len(t, reqs, 2)
	assert.JSONEq(t, fmt.Sprintf(`{"ids":[%q,%q],"role_descriptors":{}}`, a, b), reqs[0].Body)
	assert.Empty(t, es.stored(t, a).RoleDescriptors)
	assert.Empty(t, es.stored(t, b).RoleDescriptors)
}

func TestBulkUpdateSendsChunksAndMergesTheirResults(t *testing.T) {
	es := newCluster(t)
	var ids []string
	for i := 0; i < 2500; i++ {
		ids = append(ids, es.key(t, fmt.Sprintf(`{"name":"k%d"}`, i)))
	}
	// Two keys already have the metadata: they are noops, in the second chunk.
	_, err := es.CreateAPIKey("alice", `{"name":"x"}`)
	require.NoError(t, err)
	r := runCLI(t, "", append([]string{"bulk-update", "--metadata", `{"batch":7}`, "--"}, ids[1000:1002]...)...)
	require.Equal(t, exitOK, r.code, r.stderr)

	r = runCLI(t, strings.Join(ids, "\n"), "bulk-update", "--metadata", `{"batch":7}`, "--chunk-size", "1000")

	require.Equal(t, exitOK, r.code, r.stderr)
	reqs := es.rec.requests()[1:]
	require.Len(t, reqs, 3)
	for i, size := range []int{1000, 1000, 500} {
		var body struct{ IDs []string }
		require.NoError(t, json.Unmarshal([]byte(reqs[i].Body), &body))
		assert.Equal(t, ids[i*1000:i*1000+size], body.IDs, "chunk %d", i)
	}
	var res struct {
		Updated, Noops []string
		Errors         any
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &res))
	assert.Equal(t, append(append([]string{}, ids[:1000]...), ids[1002:]...), res.Updated)
	assert.Equal(t, ids[1000:1002], res.Noops)
	assert.Nil(t, res.Errors, `no "errors" when every id succeeded`)
	assert.Equal(t, map[string]any{"batch": json.Number("7")}, es.stored(t, ids[2499]).Metadata)
}

func TestBulkUpdatePerIDFailures(t *testing.T) {
	es := newCluster(t)
	ok := es.key(t, createWithRole)
	invalidated := es.key(t, createWithRole)
	require.NoError(t, es.InvalidateAPIKey(invalidated))

	t.Run("not found", func(t *testing.T) {
		r := runCLI(t, "", "bulk-update", "--clear-metadata", "--", ok, "no-such-key")

		assert.Equal(t, exitNotFound, r.code, "HTTP 200, but an id was not found")
		v := r.json(t)
		assert.Equal(t, []any{ok}, v["updated"])
		assert.Equal(t, float64(1), v["errors"].(map[string]any)["count"])
		assert.Contains(t, v["errors"].(map[string]any)["details"], "no-such-key")
		assert.Contains(t, r.stderr, "1 id FAILED")
		assert.Contains(t, r.stderr, "  no-such-key: resource_not_found_exception: no API key owned by requesting user found for ID [no-such-key]")
		assert.Contains(t, r.stderr, "bulk-update: 1 of 2 ids failed (1 updated, 0 unchanged)")
	})
	t.Run("mixed classes give the highest code", func(t *testing.T) {
		r := runCLI(t, "", "bulk-update", "--clear-metadata", "--", ok, "no-such-key", invalidated)

		assert.Equal(t, exitKeyState, r.code)
		assert.Contains(t, r.stderr, "2 ids FAILED")
		assert.Contains(t, r.stderr, "cannot update invalidated API key ["+invalidated+"]")
		assert.Equal(t, float64(2), r.json(t)["errors"].(map[string]any)["count"])
	})
}

func TestBulkUpdateListsAtMostSomeFailures(t *testing.T) {
	newCluster(t)
	var ids []string
	for i := 0; i < maxListed+5; i++ {
		ids = append(ids, fmt.Sprintf("missing-%02d", i))
	}

	r := runCLI(t, strings.Join(ids, "\n"), "bulk-update")

	assert.Equal(t, exitNotFound, r.code)
	assert.Contains(t, r.stderr, "missing-00")
	assert.NotContains(t, r.stderr, "missing-24", "the rest are on stdout")
	assert.Contains(t, r.stderr, "... and 5 more")
	assert.Len(t, r.json(t)["errors"].(map[string]any)["details"], maxListed+5)
}

func TestBulkUpdateStopsAtAFailedChunk(t *testing.T) {
	var calls atomic.Int32
	rec := fake(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			answer(200, `{"updated":["a"],"noops":["b"]}`)(w, r)
			return
		}
		answer(503, `<html><body>503 Service Unavailable</body></html>`)(w, r)
	})

	r := runCLI(t, "a\nb\nc\nd\ne\n", "bulk-update", "--chunk-size", "2", "--clear-metadata")

	assert.Equal(t, exitServer, r.code)
	assertJSON(t, `{"updated":["a"],"noops":["b"]}`, r.stdout)
	assert.Contains(t, r.stderr, "chunk 2 of 3 failed; 2 of 5 ids were processed before it, "+
		"the 2 ids of the failed chunk may or may not have been updated, and the other 1 were not sent")
	assert.Contains(t, r.stderr, "503")
	for _, req := range rec.requests()[1:] {
		assert.Contains(t, req.Body, `"ids":["c","d"]`, "no chunk after the failed one")
	}
}

func TestBulkUpdateFirstChunkFailurePrintsNothingOnStdout(t *testing.T) {
	newCluster(t)
	t.Setenv("ELASTICSEARCH_PASSWORD", secret+"-wrong")

	r := runCLI(t, "", "bulk-update", "a", "b")

	assert.Equal(t, exitAuth, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "401 security_exception: unable to authenticate user [alice]")
}

func TestBulkUpdateProgressOnATerminal(t *testing.T) {
	rec := fake(t, func(w http.ResponseWriter, r *http.Request) {
		var req struct{ IDs []string }
		_ = json.NewDecoder(r.Body).Decode(&req)
		ids, _ := json.Marshal(req.IDs)
		answer(200, `{"updated":[],"noops":`+string(ids)+`}`)(w, r)
	})
	var stdout, progress bytes.Buffer
	a := &app{ctx: context.Background(), stdin: strings.NewReader("a\nb\nc\n"), stdout: &stdout, stderr: &progress,
		progress: &progress, getenv: func(k string) string {
			return map[string]string{
				"ELASTICSEARCH_URL": getenv(t, "ELASTICSEARCH_URL"), "ELASTICSEARCH_USERNAME": "alice", "ELASTICSEARCH_PASSWORD": secret,
			}[k]
		}}

	code := a.run([]string{"bulk-update", "--chunk-size", "2"})

	require.Equal(t, exitOK, code, progress.String())
	assertNoSecret(t, stdout.String(), progress.String())
	assert.Len(t, rec.requests(), 2)
	assert.Contains(t, progress.String(), "\resapikey: bulk-update: 2/3 ids, chunk 1/2")
	assert.Contains(t, progress.String(), "\resapikey: bulk-update: 3/3 ids, chunk 2/2\n")
}

func getenv(t *testing.T, key string) string {
	t.Helper()
	v, ok := lookupEnv(key)
	require.True(t, ok, key)
	return v
}

// An answer of 200 that leaves an id out says nothing of it: the id failed,
// in every chunk, and the exit code says so.
func TestBulkUpdateIDLeftOutOfTheAnswerFails(t *testing.T) {
	calls := 0
	fake(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			answer(200, `{"updated":["a"],"noops":[]}`)(w, r) // b left out
			return
		}
		answer(200, `{"updated":[],"noops":["c"]}`)(w, r) // d left out
	})

	r := runCLI(t, "a\nb\nc\nd\n", "bulk-update", "--chunk-size", "2", "--clear-metadata")

	assert.Equal(t, exitFailure, r.code, r.stderr)
	assertJSON(t, `{"updated":["a"],"noops":["c"]}`, r.stdout)
	assert.Contains(t, r.stderr, "2 ids FAILED")
	assert.Contains(t, r.stderr, "  b: missing from the answer: Elasticsearch reported it neither updated, unchanged nor failed")
	assert.Contains(t, r.stderr, "  d: missing from the answer")
	assert.Contains(t, r.stderr, "bulk-update: 2 of 4 ids failed (1 updated, 1 unchanged)")
}
