package esapikey_test

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/esapikey/esapikey"
)

const testAPIKey = "a2V5LWlkOmtleS1zZWNyZXQtWnE4" // base64("key-id:key-secret-Zq8")

// cloudID builds a Cloud ID as Elastic Cloud prints it.
func cloudID(name, decoded string) string {
	return name + ":" + base64.StdEncoding.EncodeToString([]byte(decoded))
}

// A Cloud ID is decoded to the deployment's URL as go-elasticsearch decodes
// it: https://<elasticsearch id>.<host>.
func TestNewClient_cloudID(t *testing.T) {
	tests := []struct {
		id, want string
	}{
		{cloudID("my-deployment", "us-east-1.aws.found.io$cd9f9a3e$k1"), "https://cd9f9a3e.us-east-1.aws.found.io/_security/api_key/" + testID},
		{cloudID("name", "eu-west-1.aws.found.io:443$abc$def"), "https://abc.eu-west-1.aws.found.io:443/_security/api_key/" + testID},
		{cloudID("", "host.example$es"), "https://es.host.example/_security/api_key/" + testID},
	}
	for _, tt := range tests {
		var got string
		c := newClient(t, esapikey.Config{CloudID: tt.id, Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			got = r.URL.String()
			return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader(`{"updated":true}`)), Request: r}, nil
		})})
		_, err := c.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
		require.NoError(t, err, tt.id)
		assert.Equal(t, tt.want, got, tt.id)
	}
}

func TestNewClient_cloudIDRefused(t *testing.T) {
	tests := []struct {
		name string
		cfg  esapikey.Config
	}{
		{"with Addresses", esapikey.Config{CloudID: cloudID("n", "host$es$kb"), Addresses: []string{"http://es:9200"}}},
		{"no name separator", esapikey.Config{CloudID: base64.StdEncoding.EncodeToString([]byte("host$es$kb"))}},
		{"two separators", esapikey.Config{CloudID: "a:b:" + base64.StdEncoding.EncodeToString([]byte("host$es"))}},
		{"not base64", esapikey.Config{CloudID: "name:not base64!"}},
		{"no elasticsearch id", esapikey.Config{CloudID: cloudID("n", "host")}},
		{"empty elasticsearch id", esapikey.Config{CloudID: cloudID("n", "host$$kb")}},
		{"empty host", esapikey.Config{CloudID: cloudID("n", "$es$kb")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := esapikey.NewClient(tt.cfg)
			assert.Nil(t, c)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "esapikey: config: CloudID: "), err.Error())
		})
	}
}

// An encoded API key is sent as go-elasticsearch sends it, and never shown.
func TestNewClient_apiKey(t *testing.T) {
	client, mux := setup(t, func(c *esapikey.Config) { c.APIKey = testAPIKey })
	rec := answer(mux, http.StatusOK, `{"updated":true}`)
	_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID}, esapikey.WithRunAs("bob"))
	require.NoError(t, err)
	r := rec.only(t)
	assert.Equal(t, "ApiKey "+testAPIKey, r.Header.Get("Authorization"))
	assert.Equal(t, "bob", r.Header.Get("es-security-runas-user"))

	cfg := esapikey.Config{APIKey: testAPIKey, CloudID: cloudID("n", "host$es")}
	for _, verb := range formatVerbs {
		for _, v := range []any{cfg, &cfg, struct{ C esapikey.Config }{cfg}} {
			s := fmt.Sprintf(verb, v)
			assert.NotContains(t, s, testAPIKey, verb)
			assert.NotContains(t, s, "key-secret", verb)
		}
	}
	assert.Contains(t, fmt.Sprintf("%v", cfg), "APIKey:****")
	assert.Contains(t, fmt.Sprintf("%+v", cfg), `CloudID:"n:`)
	assertNoSecrets(t, formatVerbs, client)
}

func TestNewClient_apiKeyRefused(t *testing.T) {
	tests := []struct {
		name string
		cfg  esapikey.Config
	}{
		{"with a password", esapikey.Config{APIKey: testAPIKey, Username: "elastic", Password: testPassword}},
		{"with URL credentials", esapikey.Config{APIKey: testAPIKey, Addresses: []string{"http://elastic:url-secret@es:9200"}}},
		{"with a token", esapikey.Config{APIKey: testAPIKey, Token: testToken}},
		{"the bare secret", esapikey.Config{APIKey: "key-secret-Zq8"}},
		{"base64 without a colon", esapikey.Config{APIKey: base64.StdEncoding.EncodeToString([]byte("key-secret-Zq8"))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := esapikey.NewClient(tt.cfg)
			assert.Nil(t, c)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "esapikey: config: APIKey: "), err.Error())
			for _, secret := range []string{tt.cfg.APIKey, "key-secret", testPassword, testToken, "url-secret"} {
				assert.NotContains(t, err.Error(), secret)
			}
		})
	}
	_, err := esapikey.NewClient(esapikey.Config{APIKey: strings.TrimRight(testAPIKey, "=")})
	assert.NoError(t, err, "Elasticsearch decodes keys without padding too")
}

// Close releases the connections NewClient's transport opened: clients
// closed after use leave no goroutine behind.
func TestClient_closeReleasesConnections(t *testing.T) {
	rec := new(recorder)
	srv := newServer(t, rec.reply(http.StatusOK, `{"updated":true}`))
	ignore := goleak.IgnoreCurrent()
	for range 200 {
		c := newClient(t, esapikey.Config{Addresses: []string{srv.URL}})
		_, err := c.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
		require.NoError(t, err)
		require.NoError(t, c.Close(t.Context()))
		require.NoError(t, c.Close(t.Context()), "closing twice")
		_, err = c.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
		require.ErrorIs(t, err, elastictransport.ErrClosed, "a closed client sends nothing")
	}
	goleak.VerifyNone(t, ignore)
	assert.Len(t, rec.calls(), 200)
}

// A client over a caller's transport leaves it to the caller.
func TestClient_closeLeavesCallersTransport(t *testing.T) {
	rec := new(recorder)
	srv := newServer(t, rec.reply(http.StatusOK, `{"updated":true}`))
	u, err := url.Parse(srv.URL)
	require.NoError(t, err)
	tp, err := elastictransport.NewClient(elastictransport.WithURLs(u))
	require.NoError(t, err)
	client := esapikey.NewWithTransport(tp)

	require.NoError(t, client.Close(t.Context()))
	_, err = client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
	require.NoError(t, err, "the transport is still the caller's, and open")

	require.NoError(t, tp.Close(t.Context()))
	_, err = client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
	assert.ErrorIs(t, err, elastictransport.ErrClosed)
	assert.Len(t, rec.calls(), 1)
}
