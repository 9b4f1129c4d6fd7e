package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunAsRefusedHintsAtTheRunAsPrivilege(t *testing.T) {
	es := newCluster(t)
	require.NoError(t, es.AddUser("bob", secret, "owner"))

	r := runCLI(t, "", "update", "k", "--clear-metadata", "--run-as", "bob")

	assert.Equal(t, exitAuth, r.code)
	assert.Contains(t, r.stderr, "is unauthorized to run as [bob]")
	assert.Contains(t, r.stderr, `hint: --run-as bob needs the run_as privilege: a role of the authenticated user must list "bob" under "run_as"`)
	assert.NotContains(t, r.stderr, "manage_own_api_key")
}

func TestRunAsUserWithoutPrivilegeHintsAtThatUser(t *testing.T) {
	es := newCluster(t)
	require.NoError(t, es.PutRole("runner", `{"cluster":["manage_own_api_key"],"run_as":["carol"]}`))
	require.NoError(t, es.PutRole("nothing", `{"cluster":["monitor"]}`))
	require.NoError(t, es.AddUser("carol", secret, "nothing"))
	require.NoError(t, es.AddUser("alice", secret, "runner"))

	r := runCLI(t, "", "update", "k", "--clear-metadata", "--run-as", "carol")

	assert.Equal(t, exitAuth, r.code, r.stderr)
	assert.Contains(t, r.stderr, "hint: the --run-as user carol needs the manage_own_api_key cluster privilege")
}

// The last chunk fails: none is left unsent, and its own ids are not
// counted as unsent.
func TestBulkLastChunkFailureCountsNoneUnsent(t *testing.T) {
	calls := 0
	fake(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			answer(200, `{"updated":["a","b"],"noops":[]}`)(w, r)
			return
		}
		answer(502, ``)(w, r)
	})

	r := runCLI(t, "a\nb\nc\n", "bulk-update", "--chunk-size", "2", "--clear-metadata")

	assert.Equal(t, exitServer, r.code)
	assert.Contains(t, r.stderr, "chunk 2 of 2 failed; 2 of 3 ids were processed before it, "+
		"the 1 id of the failed chunk may or may not have been updated, and the other 0 were not sent")
}

func TestInterruptSaysTheUpdateMayBeApplied(t *testing.T) {
	received := make(chan struct{})
	fake(t, func(w http.ResponseWriter, r *http.Request) {
		close(received)
		<-r.Context().Done() // the client gives up first
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-received
		cancel() // what SIGINT does to run's context
	}()
	var stdout, stderr bytes.Buffer
	a := &app{ctx: ctx, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: os.Getenv, isTerminal: never}

	code := a.run([]string{"update", "k", "--clear-metadata"})

	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr.String(), "context canceled")
	assert.Contains(t, stderr.String(), "hint: interrupted: the update may already have been applied")
	assert.Empty(t, stdout.String())
}

func TestRedirectShowsTheLocation(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusTemporaryRedirect} {
		rec := fake(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "https://user:hunter2@es.example.com:9243/_security/api_key/k")
			w.WriteHeader(status)
		})

		r := runCLI(t, "", "update", "k", "--clear-metadata")

		assert.Equal(t, exitFailure, r.code)
		assert.Contains(t, r.stderr, http.StatusText(status))
		assert.Contains(t, r.stderr, "hint: the server redirects to https://user:****@es.example.com:9243/_security/api_key/k (Location)")
		assert.NotContains(t, r.stderr, "hunter2")
		assert.Len(t, rec.requests(), 1, "not followed")
	}
}

// Interrupted while the key is read for --merge-metadata, the command stops
// there, and says that no update was sent.
func TestInterruptWhileReadingTheKeySaysNothingWasSent(t *testing.T) {
	received := make(chan struct{})
	rec := fake(t, func(w http.ResponseWriter, r *http.Request) {
		close(received)
		<-r.Context().Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-received
		cancel()
	}()
	var stdout, stderr bytes.Buffer
	a := &app{ctx: ctx, stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: os.Getenv, isTerminal: never}

	code := a.run([]string{"update", "k", "--merge-metadata", `{"a":1}`})

	assert.Equal(t, exitFailure, code)
	assert.Contains(t, stderr.String(), "hint: interrupted: no update was sent")
	assert.NotContains(t, stderr.String(), "may already have been applied")
	require.Len(t, rec.requests(), 1)
	assert.Equal(t, "GET", rec.requests()[0].Method)
}
