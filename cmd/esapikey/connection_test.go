package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCredentialSources(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		auth string // the Authorization scheme sent
		warn string
	}{
		{"environment", map[string]string{"ELASTICSEARCH_USERNAME": "alice", "ELASTICSEARCH_PASSWORD": secret}, nil, "Basic", ""},
		{"password file", map[string]string{"ELASTICSEARCH_USERNAME": "alice"},
			[]string{"--password-file", "FILE"}, "Basic", ""},
		{"flags win over the environment", map[string]string{"ELASTICSEARCH_USERNAME": "bob", "ELASTICSEARCH_PASSWORD": "bob-password"},
			[]string{"--username", "alice", "--password-file", "FILE"}, "Basic", ""},
		{"--password warns", nil, []string{"--username", "alice", "--password", secret}, "Basic",
			"warning: --password is visible to other users in the process list"},
		{"token from the environment", map[string]string{"ELASTICSEARCH_TOKEN": secret}, nil, "Bearer", ""},
		{"token file", nil, []string{"--token-file", "FILE"}, "Bearer", ""},
		{"--token warns, and ignores the username of the environment", map[string]string{"ELASTICSEARCH_USERNAME": "alice"},
			[]string{"--token", secret}, "Bearer", "warning: --token is visible"},
		{"credentials in the URL", map[string]string{"ELASTICSEARCH_URL": "http://alice:" + url.PathEscape(secret) + "@HOST"}, nil, "Basic", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := fake(t, answer(200, `{"updated":true}`))
			t.Setenv("ELASTICSEARCH_USERNAME", "")
			t.Setenv("ELASTICSEARCH_PASSWORD", "")
			host := strings.TrimPrefix(getenv(t, "ELASTICSEARCH_URL"), "http://")
			for k, v := range tc.env {
				t.Setenv(k, strings.Replace(v, "HOST", host, 1))
			}
			args := []string{"update", "id"}
			for _, a := range tc.args {
				args = append(args, strings.Replace(a, "FILE", writeFile(t, "secret", secret+"\n"), 1))
			}

			r := runCLI(t, "", args...)

			require.Equal(t, exitOK, r.code, r.stderr)
			reqs := rec.requests()
			require.Len(t, reqs, 1)
			scheme, cred, _ := strings.Cut(reqs[0].Header.Get("Authorization"), " ")
			assert.Equal(t, tc.auth, scheme)
			if scheme == "Bearer" {
				assert.Equal(t, secret, cred)
			} else {
				assert.Equal(t, secretForms[1], cred, "alice:"+secret)
			}
			if tc.warn != "" {
				assert.Contains(t, r.stderr, tc.warn)
			} else {
				assert.Empty(t, r.stderr)
			}
		})
	}
}

func TestConnectionErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    map[string]string
		args   []string
		stderr string
	}{
		{"password without username", map[string]string{"ELASTICSEARCH_PASSWORD": secret}, nil, "a password needs a username"},
		{"username without password", map[string]string{"ELASTICSEARCH_USERNAME": "alice"}, nil, `user "alice" needs a password`},
		{"token and password in the environment", map[string]string{"ELASTICSEARCH_USERNAME": "alice", "ELASTICSEARCH_PASSWORD": secret, "ELASTICSEARCH_TOKEN": secret},
			nil, "both a token and a username or password are set"},
		{"token and username flags", nil, []string{"--username", "alice", "--token-file", "x"}, "give a token or a username and password, not both"},
		{"password twice", nil, []string{"--password", secret, "--password-file", "x"}, "give --password or --password-file, not both"},
		{"missing password file", map[string]string{"ELASTICSEARCH_USERNAME": "alice"}, []string{"--password-file", "no-such-file"}, "--password-file: open no-such-file"},
		{"two-line password file", map[string]string{"ELASTICSEARCH_USERNAME": "alice"}, []string{"--password-file", "TWOLINES"}, "want the password alone on one line"},
		{"bad scheme", nil, []string{"--url", "ftp://es:9200"}, "scheme must be http or https"},
		{"CA file not PEM", nil, []string{"--ca-cert", "NOTPEM"}, "--ca-cert: no PEM certificate found"},
		{"CA file missing", map[string]string{"ELASTICSEARCH_CA_CERT": "no-such-ca.pem"}, nil, "--ca-cert: open no-such-ca.pem"},
		{"bad fingerprint", map[string]string{"ELASTICSEARCH_CERT_FINGERPRINT": "abc"}, nil, "ELASTICSEARCH_CERT_FINGERPRINT: must be a hex SHA-256 fingerprint"},
		{"negative timeout", nil, []string{"--timeout", "-1s"}, "--timeout must not be negative"},
		{"secret in a bad flag", nil, []string{"---password=" + secret}, "bad flag syntax"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWithConfig(t, tc.env, tc.args)

			assert.Equal(t, exitUsage, r.code)
			assert.Contains(t, r.stderr, tc.stderr)
			assert.Empty(t, r.stdout)
		})
	}
}
