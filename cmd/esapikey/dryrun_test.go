package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDryRunPrintsTheRequestAndSendsNothing(t *testing.T) {
	es := newCluster(t)

	r := runCLI(t, "", "update", "a/b", "--remove-privileges", "--metadata", `{"env":"prod"}`, "--expiration", "30d",
		"--run-as", "bob", "--opaque-id", "trace-1", "--dry-run")

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, []string{"GET /_security/api_key"}, methods(es.rec.requests()), "the key is read for the plan, nothing is sent")
	assert.Contains(t, r.stderr, "cannot read the key, so no plan: 403 security_exception", "alice may not run as bob")
	lines := strings.Split(r.stdout, "\n")
	assert.Equal(t, "PUT "+es.url+"/_security/api_key/a%2Fb", lines[0])
	assert.Contains(t, lines, "Authorization: Basic ****")
	assert.Contains(t, lines, "Content-Type: application/json")
	assert.Contains(t, lines, "Es-Security-Runas-User: bob")
	assert.Contains(t, lines, "X-Opaque-Id: trace-1")
	assert.True(t, strings.HasSuffix(r.stdout, "\n\n"+`{"role_descriptors":{},"metadata":{"env":"prod"},"expiration":"30d"}`+"\n"),
		"the exact body, after a blank line: %s", r.stdout)
	assert.Contains(t, r.stderr, "dry run: nothing was sent")
}

func TestDryRunBehindAPathPrefixKeepsTheIDOneSegment(t *testing.T) {
	clearEnv(t)
	t.Setenv("ELASTICSEARCH_USERNAME", "alice")
	t.Setenv("ELASTICSEARCH_PASSWORD", secret)

	r := runCLI(t, "", "update", "x/../y?#%", "--dry-run", "--url", "https://proxy.example.com/es/")

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "PUT https://proxy.example.com/es/_security/api_key/x%2F..%2Fy%3F%23%25\n"), r.stdout)
}

func TestDryRunMasksATokenAndPrintsEveryChunk(t *testing.T) {
	clearEnv(t)
	t.Setenv("ELASTICSEARCH_TOKEN", secret)

	r := runCLI(t, "a\nb\nc\n", "bulk-update", "--chunk-size", "2", "--clear-metadata", "--dry-run",
		"--url", "http://127.0.0.1:1")

	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, 2, strings.Count(r.stdout, "POST http://127.0.0.1:1/_security/api_key/_bulk_update\n"))
	assert.Equal(t, 2, strings.Count(r.stdout, "Authorization: Bearer ****\n"))
	assert.Contains(t, r.stdout, "\n"+`{"ids":["a","b"],"metadata":{}}`+"\n")
	assert.Contains(t, r.stdout, "\n"+`{"ids":["c"],"metadata":{}}`+"\n")
	assert.NotContains(t, r.stdout, `"updated"`, "no made-up answer")
}

func TestDryRunValidatesLikeARealRun(t *testing.T) {
	es := newCluster(t)

	r := runCLI(t, "", "update", "id", "--metadata", `{"_reserved":1}`, "--dry-run")

	assert.Equal(t, exitUsage, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, `invalid request: metadata: key "_reserved"`)
	assert.Empty(t, es.rec.requests())
}

// Each of the two defences holds on its own.
func TestMaskHeaderAndRedact(t *testing.T) {
	assert.Equal(t, "Basic ****", maskHeader("Authorization", "Basic YWxpY2U6cHc="))
	assert.Equal(t, "Bearer ****", maskHeader("Authorization", "Bearer token"))
	assert.Equal(t, "****", maskHeader("Cookie", "sid=1"))
	assert.Equal(t, "bob", maskHeader("Es-Security-Runas-User", "bob"))

	a := &app{secrets: []string{"", "abc", secret}}
	assert.Equal(t, "pw **** abc", a.redact("pw "+secret+" abc"), "too short to mask: abc")
}
