package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The documented key: role-a, and metadata with two keys.
const documentedKey = `{"name":"my-api-key","role_descriptors":{"role-a":{"cluster":["all"],"indices":[{"names":["index-a*"],"privileges":["read"]}]}},` +
	`"metadata":{"application":"my-application","environment":{"level":1}}}`

// runAt runs the command with stdin and stderr as given and tty deciding
// which streams are terminals, as run does with the real check.
func runAt(t *testing.T, stdin io.Reader, stderr io.Writer, tty func(any) bool, args ...string) (int, string) {
	t.Helper()
	var stdout bytes.Buffer
	a := &app{ctx: context.Background(), stdin: stdin, stdout: &stdout, stderr: stderr, getenv: os.Getenv, isTerminal: tty}
	code := a.run(args)
	assertNoSecret(t, stdout.String())
	return code, stdout.String()
}

func always(any) bool { return true }
func never(any) bool  { return false }

func methods(reqs []recorded) []string {
	var out []string
	for _, r := range reqs {
		out = append(out, r.Method+" "+strings.SplitN(r.URI, "?", 2)[0])
	}
	return out
}

func TestDryRunReadsTheKeyAndPrintsThePlanFirst(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, documentedKey)

	r := runCLI(t, "", "update", "--metadata", `{"environment":{"level":2}}`, "--dry-run", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	reqs := es.rec.requests()
	require.Len(t, reqs, 1, "the read only")
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Equal(t, "/_security/api_key?id="+id+"&owner=true", reqs[0].URI)
	plan, request, ok := strings.Cut(r.stdout, "\nPUT ")
	require.True(t, ok, "the plan comes before the request:\n%s", r.stdout)
	assert.Contains(t, plan, "Plan for API key "+id+` ("my-api-key", owned by alice):`)
	assert.Contains(t, plan, `  metadata "application": removed (was "my-application")`)
	assert.Contains(t, plan, `  metadata "environment": changed: {"level":1} -> {"level":2}`)
	assert.Contains(t, plan, `WARNING: the update REMOVES the metadata key "application"`)
	assert.NotContains(t, plan, "FULL PERMISSIONS")
	assert.Contains(t, request, `{"metadata":{"environment":{"level":2}}}`)
	assert.Equal(t, map[string]any{"application": "my-application", "environment": map[string]any{"level": json.Number("1")}},
		es.stored(t, id).Metadata, "nothing changed")
}

func TestDryRunSaysWhenTheKeyGetsItsOwnersPermissions(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, documentedKey)

	r := runCLI(t, "", "update", "--remove-privileges", "--dry-run", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `  role "role-a": removed`)
	assert.Contains(t, r.stdout, "WARNING: the update removes every role of the key: it gets its OWNER'S FULL PERMISSIONS")
	assert.NotContains(t, r.stdout, "REMOVES the metadata")
	assert.Equal(t, []string{"GET /_security/api_key"}, methods(es.rec.requests()))
}

func TestDryRunWithoutChangePlansNoChange(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, documentedKey)

	r := runCLI(t, "", "update", "--metadata", `{"environment":{"level":1},"application":"my-application"}`, "--dry-run", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "  no change\n")
	assert.NotContains(t, r.stdout, "WARNING")
}

func TestDryRunOfAMissingKeySaysSo(t *testing.T) {
	newCluster(t)

	r := runCLI(t, "", "update", "nope", "--clear-metadata", "--dry-run")

	assert.Equal(t, exitOK, r.code)
	assert.Contains(t, r.stderr, "cannot read the key, so no plan: security.get_api_key: no API key owned by the requesting user found for ID [nope]")
	assert.True(t, strings.HasPrefix(r.stdout, "PUT "), r.stdout)
}

func TestPromptForAMissingKeyFailsAsTheUpdateWould(t *testing.T) {
	es := newCluster(t)
	var stderr bytes.Buffer

	code, _ := runAt(t, strings.NewReader("y\n"), &stderr, always, "update", "nope", "--clear-metadata")

	assert.Equal(t, exitNotFound, code)
	assert.NotContains(t, stderr.String(), "[y/N]")
	assert.Equal(t, []string{"GET /_security/api_key"}, methods(es.rec.requests()))
}

func TestDryRunWhenTheKeyCannotBeReadStillPrintsTheRequest(t *testing.T) {
	rec := fake(t, answer(http.StatusForbidden, `{"error":{"type":"security_exception","reason":"action [cluster:admin/xpack/security/api_key/get] is unauthorized"},"status":403}`))

	r := runCLI(t, "", "update", "k", "--clear-metadata", "--dry-run")

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "cannot read the key, so no plan: 403 security_exception")
	assert.True(t, strings.HasPrefix(r.stdout, "PUT "), r.stdout)
	assert.Len(t, rec.requests(), 1, "the read only")
}

func TestMergeMetadataKeepsTheOtherKeys(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, `{"name":"k","metadata":{"team":"a","owner":"x","env":{"level":1,"zone":"eu"}}}`)

	r := runCLI(t, "", "update", "--merge-metadata", `{"team":"b","owner":null,"env":{"level":2}}`, "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assertJSON(t, `{"updated":true}`, r.stdout)
	reqs := es.rec.requests()
	require.Equal(t, []string{"GET /_security/api_key", "PUT /_security/api_key/" + id}, methods(reqs))
	assert.JSONEq(t, `{"metadata":{"team":"b","env":{"level":2,"zone":"eu"}}}`, reqs[1].Body)
	assert.Equal(t, map[string]any{"team": "b", "env": map[string]any{"level": json.Number("2"), "zone": "eu"}}, es.stored(t, id).Metadata)
}

func TestMergeMetadataFromStdinInADryRun(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, `{"name":"k","metadata":{"team":"a","owner":"x"}}`)

	r := runCLI(t, `{"owner":null}`, "update", "--merge-metadata", "-", "--dry-run", "--", id)

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `WARNING: the update REMOVES the metadata key "owner"`)
	assert.Contains(t, r.stdout, "\n"+`{"metadata":{"team":"a"}}`+"\n")
	assert.Equal(t, []string{"GET /_security/api_key"}, methods(es.rec.requests()))
}

func TestMergeMetadataUsage(t *testing.T) {
	for _, args := range [][]string{
		{"update", "k", "--merge-metadata", `{"a":1}`, "--metadata", `{"b":1}`},
		{"update", "k", "--merge-metadata", `{"a":1}`, "--clear-metadata"},
	} {
		es := newCluster(t)
		r := runCLI(t, "", args...)
		assert.Equal(t, exitUsage, r.code)
		assert.Contains(t, r.stderr, "give --merge-metadata or --metadata/--clear-metadata, not both")
		assert.Empty(t, es.rec.requests())
	}
}

func TestMergeMetadataOfAMissingKey(t *testing.T) {
	es := newCluster(t)

	r := runCLI(t, "", "update", "nope", "--merge-metadata", `{"a":1}`)

	assert.Equal(t, exitNotFound, r.code)
	assert.Equal(t, []string{"GET /_security/api_key"}, methods(es.rec.requests()), "no update without the key")
}

func TestPromptBeforeRemovingMetadataKeys(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answer  string
		tty     func(any) bool
		args    []string
		asked   bool
		applied bool
	}{
		{"no", "n\n", always, nil, true, false},
		{"nothing typed", "", always, nil, true, false},
		{"yes", "y\n", always, nil, true, true},
		{"YES", " YES \n", always, nil, true, true},
		{"--yes", "", always, []string{"--yes"}, false, true},
		{"not a terminal", "", never, nil, false, true},
		{"stdin a terminal, stderr not", "", func(v any) bool { _, isReader := v.(*strings.Reader); return isReader }, nil, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := newCluster(t)
			id := es.key(t, documentedKey)
			var stderr bytes.Buffer

			code, stdout := runAt(t, strings.NewReader(tc.answer), &stderr, tc.tty,
				append(append([]string{"update", "--metadata", `{"environment":{"level":2}}`}, tc.args...), "--", id)...)

			assert.Equal(t, tc.asked, strings.Contains(stderr.String(), "Update the key? [y/N]"), stderr.String())
			if tc.asked {
				assert.Contains(t, stderr.String(), `It REMOVES the metadata key "application".`)
			}
			_, stillThere := es.stored(t, id).Metadata["application"]
			assert.Equal(t, tc.applied, !stillThere)
			if tc.applied {
				assert.Equal(t, exitOK, code, stderr.String())
				assertJSON(t, `{"updated":true}`, stdout)
			} else {
				assert.Equal(t, exitFailure, code)
				assert.Contains(t, stderr.String(), "not confirmed: nothing was sent")
				assert.Equal(t, []string{"GET /_security/api_key"}, methods(es.rec.requests()))
			}
		})
	}
}

func TestPromptBeforeRemovingEveryRole(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, documentedKey)
	var stderr bytes.Buffer

	code, _ := runAt(t, strings.NewReader("no\n"), &stderr, always, "update", "--remove-privileges", "--", id)

	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr.String(), "It removes every role of the key: the key gets its OWNER'S FULL PERMISSIONS.")
	assert.Contains(t, es.stored(t, id).RoleDescriptors, "role-a")
}

func TestNoPromptWhenNothingIsLost(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, documentedKey)
	var stderr bytes.Buffer

	code, _ := runAt(t, strings.NewReader(""), &stderr, always, "update",
		"--metadata", `{"application":"my-application","environment":{"level":2},"new":1}`, "--", id)

	require.Equal(t, exitOK, code, stderr.String())
	assert.NotContains(t, stderr.String(), "[y/N]")
	assert.Equal(t, json.Number("2"), es.stored(t, id).Metadata["environment"].(map[string]any)["level"])
}

func TestNoPromptWithoutRemovals(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, documentedKey)
	var stderr bytes.Buffer

	code, _ := runAt(t, strings.NewReader(""), &stderr, always, "update", "--expiration", "30d", "--", id)

	require.Equal(t, exitOK, code, stderr.String())
	assert.Equal(t, []string{"PUT /_security/api_key/" + id}, methods(es.rec.requests()), "not even a read")
}

func TestPromptRefusedWhenStdinWasTheInput(t *testing.T) {
	es := newCluster(t)
	id := es.key(t, documentedKey)
	var stderr bytes.Buffer

	code, _ := runAt(t, strings.NewReader(`{"x":1}`), &stderr, always, "update", "--metadata", "-", "--", id)

	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr.String(), "stdin was read for --metadata: check with --dry-run, then confirm with --yes")
	assert.Contains(t, es.stored(t, id).Metadata, "application")
}
