package main

import (
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExitCodesAgainstTheCluster(t *testing.T) {
	for _, tc := range []struct {
		name    string
		setup   func(t *testing.T, es *cluster) []string // the arguments
		code    int
		stderr  string
		nothing bool // no request may be sent
	}{
		{"not found", func(t *testing.T, es *cluster) []string {
			return []string{"update", "no-such-key", "--clear-metadata"}
		}, exitNotFound, "404 resource_not_found_exception: no API key owned by requesting user found for ID [no-such-key]", false},
		{"expired", func(t *testing.T, es *cluster) []string {
			id := es.key(t, `{"name":"k","expiration":"1h"}`)
			es.Advance(2 * time.Hour)
			return []string{"update", "--clear-metadata", "--", id}
		}, exitKeyState, "cannot update expired API key", false},
		{"invalidated", func(t *testing.T, es *cluster) []string {
			id := es.key(t, `{"name":"k"}`)
			require.NoError(t, es.InvalidateAPIKey(id))
			return []string{"update", "--", id}
		}, exitKeyState, "cannot update invalidated API key", false},
		{"wrong password", func(t *testing.T, es *cluster) []string {
			t.Setenv("ELASTICSEARCH_PASSWORD", "not-"+secret)
			return []string{"update", "id"}
		}, exitAuth, "401 security_exception: unable to authenticate user [alice]", false},
		{"no credentials", func(t *testing.T, es *cluster) []string {
			t.Setenv("ELASTICSEARCH_USERNAME", "")
			t.Setenv("ELASTICSEARCH_PASSWORD", "")
			return []string{"update", "id"}
		}, exitAuth, "hint: no credentials were given", false},
		{"forbidden", func(t *testing.T, es *cluster) []string {
			require.NoError(t, es.PutRole("reader", `{"indices":[{"names":["*"],"privileges":["read"]}]}`))
			require.NoError(t, es.AddUser("bob", secret, "reader"))
			t.Setenv("ELASTICSEARCH_USERNAME", "bob")
			return []string{"update", "id"}
		}, exitAuth, "403 security_exception: action [cluster:admin/xpack/security/api_key/update] is unauthorized for user [bob]", false},
		{"refused by Elasticsearch as invalid", func(t *testing.T, es *cluster) []string {
			id := es.key(t, `{"name":"k"}`)
			return []string{"update", "--role-descriptors", `{"r":{"cluster":["no_such_privilege"]}}`, "--", id}
		}, exitUsage, "400 action_request_validation_exception", false},
		{"refused before sending", func(t *testing.T, es *cluster) []string {
			return []string{"update", "id", "--expiration", "1.5h"}
		}, exitUsage, `invalid request: expiration: "1.5h": fractional time values are not supported`, true},
		{"required field missing", func(t *testing.T, es *cluster) []string {
			return []string{"update", "id", "--role-descriptors", `{"r":{"indices":[{"names":["*"]}]}}`}
		}, exitUsage, "invalid request: role_descriptors[r].indices[0].privileges: required", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			es := newCluster(t)
			args := tc.setup(t, es)

			r := runCLI(t, "", args...)

			assert.Equal(t, tc.code, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.stderr)
			assert.Empty(t, r.stdout)
			if tc.nothing {
				assert.Empty(t, es.rec.requests())
			}
		})
	}
}

func TestExitCodesOfOtherAnswers(t *testing.T) {
	for _, tc := range []struct {
		name    string
		handler http.HandlerFunc
		code    int
		stderr  string
	}{
		{"api key credentials", answer(400, `{"error":{"root_cause":[{"type":"illegal_argument_exception","reason":"authentication via API key not supported: only the owner user can update an API key"}],"type":"illegal_argument_exception","reason":"authentication via API key not supported: only the owner user can update an API key"},"status":400}`),
			exitAuth, "hint: only the key owner's own credentials"},
		{"proxy 502 page", answer(502, "<html><body><h1>502 Bad Gateway</h1></body></html>"), exitServer, "502 Bad Gateway"},
		{"empty 500", answer(500, ""), exitServer, "500 Internal Server Error: (empty body)"},
		{"too many requests", answer(429, `{"error":{"type":"es_rejected_execution_exception","reason":"rejected"},"status":429}`), exitServer, "429 es_rejected_execution_exception"},
		{"200 that is not the answer", answer(200, `{"acknowledged":true}`), exitServer, `no boolean "updated" field`},
		{"wrong method", answer(405, `{"error":"Incorrect HTTP method for uri [/x] and method [PUT], allowed: [POST]","status":405}`), exitFailure, "405 Method Not Allowed: Incorrect HTTP method"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake(t, tc.handler)

			r := runCLI(t, "", "update", "id", "--clear-metadata")

			assert.Equal(t, tc.code, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.stderr)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestExitCodeOfANetworkError(t *testing.T) {
	clearEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there any more

	r := runCLI(t, "", "update", "id", "--url", "http://"+addr, "--username", "alice", "--password-file",
		writeFile(t, "pw", secret+"\n"))

	assert.Equal(t, exitServer, r.code, r.stderr)
	assert.Contains(t, r.stderr, "esapikey: security.update_api_key")
}

func TestExitCodeOfATimeout(t *testing.T) {
	release := make(chan struct{})
	fake(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)

	r := runCLI(t, "", "update", "id", "--timeout", "50ms")

	assert.Equal(t, exitServer, r.code, r.stderr)
	assert.Contains(t, r.stderr, "context deadline exceeded")
}
