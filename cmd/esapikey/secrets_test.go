package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A server or proxy that prints the credentials it received: neither its
// Basic form nor the password reaches the output, whichever way the
// credentials were given.
func TestEchoedCredentialsAreMasked(t *testing.T) {
	echo := func(w http.ResponseWriter, r *http.Request) {
		user, pass, _ := r.BasicAuth()
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte("refused: Authorization: " + r.Header.Get("Authorization") + " (user " + user + ", password " + pass + ")"))
	}
	for name, env := range map[string]map[string]string{
		"environment": {"ELASTICSEARCH_USERNAME": "alice", "ELASTICSEARCH_PASSWORD": secret},
		"URL":         {"ELASTICSEARCH_URL": "http://alice:" + url.PathEscape(secret) + "@HOST", "ELASTICSEARCH_USERNAME": "", "ELASTICSEARCH_PASSWORD": ""},
		"URL with an escaped password": {"ELASTICSEARCH_URL": "http://alice:" + strings.ReplaceAll(secret, "-", "%2D") + "@HOST",
			"ELASTICSEARCH_USERNAME": "", "ELASTICSEARCH_PASSWORD": ""},
	} {
		t.Run(name, func(t *testing.T) {
			fake(t, echo)
			host := strings.TrimPrefix(getenv(t, "ELASTICSEARCH_URL"), "http://")
			for k, v := range env {
				t.Setenv(k, strings.Replace(v, "HOST", host, 1))
			}

			r := runCLI(t, "", "update", "id") // fails the test if a credential shows

			require.Equal(t, exitAuth, r.code, r.stderr)
			assert.Contains(t, r.stderr, "Authorization: Basic ****")
		})
	}
}

// The command masks every form of the credentials it was given itself, as
// a second line of defence behind the library, URL credentials included.
func TestRedactEveryFormOfURLCredentials(t *testing.T) {
	clearEnv(t)
	escaped := strings.ReplaceAll(secret, "-", "%2D")
	a := &app{getenv: func(k string) string {
		if k == "ELASTICSEARCH_URL" {
			return "http://alice:" + escaped + "@127.0.0.1:1"
		}
		return ""
	}}
	_, err := a.config("update", &connFlags{})
	require.NoError(t, err)
	for _, form := range []string{secret, secretForms[1], escaped, "alice:" + escaped} {
		assert.Equal(t, "[****]", a.redact("["+form+"]"), form)
	}
}
