package esapikey_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

const (
	testPassword = "pw-Zq8sec"
	testToken    = "tok-Qx7sec"
)

func TestNewClient_invalidConfig(t *testing.T) {
	tests := []struct {
		name  string
		cfg   esapikey.Config
		field string
	}{
		{"bad scheme", esapikey.Config{Addresses: []string{"ftp://es:9200"}}, "Addresses[0]"},
		{"no scheme", esapikey.Config{Addresses: []string{"http://es:9200", "es:9200"}}, "Addresses[1]"},
		{"no host", esapikey.Config{Addresses: []string{"http:///es"}}, "Addresses[0]"},
		{"not a URL", esapikey.Config{Addresses: []string{"http://es:9200/%zz"}}, "Addresses[0]"},
		{"query", esapikey.Config{Addresses: []string{"http://es:9200/?pretty"}}, "Addresses[0]"},
		{"fragment", esapikey.Config{Addresses: []string{"http://es:9200/#x"}}, "Addresses[0]"},
		{"username with token", esapikey.Config{Username: "elastic", Password: testPassword, Token: testToken}, "Token"},
		{"URL user with token", esapikey.Config{Addresses: []string{"http://elastic:pw@es:9200"}, Token: testToken}, "Token"},
		{"password without username", esapikey.Config{Password: testPassword}, "Username"},
		{"negative retries", esapikey.Config{MaxRetries: -1}, "MaxRetries"},
		{"status too small", esapikey.Config{RetryOnStatus: []int{503, 99}}, "RetryOnStatus"},
		{"status too large", esapikey.Config{RetryOnStatus: []int{600}}, "RetryOnStatus"},
		{"CA cert not PEM", esapikey.Config{CACert: []byte("not a certificate")}, "CACert"},
		{"fingerprint not hex", esapikey.Config{CertificateFingerprint: "zz"}, "CertificateFingerprint"},
		{"fingerprint too short", esapikey.Config{CertificateFingerprint: "AB:CD:EF"}, "CertificateFingerprint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := esapikey.NewClient(tt.cfg)
			assert.Nil(t, c)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "esapikey: config: "+tt.field+": "), err.Error())
			assert.NotContains(t, err.Error(), testPassword)
			assert.NotContains(t, err.Error(), testToken)
		})
	}
}

// roundTripFunc is an http.RoundTripper that needs no network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestNewClient_defaultAddress(t *testing.T) {
	t.Setenv("ELASTICSEARCH_URL", "")
	var got string
	c := newClient(t, esapikey.Config{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r.URL.String()
		return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader(`{"updated":true}`)), Request: r}, nil
	})})
	_, err := c.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
	require.NoError(t, err)
	assert.Equal(t, "http://localhost:9200"+updatePath, got)
}

func TestNewClient_addressFromEnvironment(t *testing.T) {
	rec := new(recorder)
	srv := newServer(t, rec.reply(http.StatusOK, `{"updated":true}`))
	t.Setenv("ELASTICSEARCH_URL", srv.URL+"/")
	_, err := newClient(t, esapikey.Config{}).UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
	require.NoError(t, err)
	assertBodyless(t, rec.only(t), http.MethodPut, updatePath)
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func TestNewClient_authentication(t *testing.T) {
	rec := new(recorder)
	srv := newServer(t, rec.reply(http.StatusOK, `{"updated":true}`))
	addr := strings.Replace(srv.URL, "://", "://url-user:p%40ss@", 1)
	tests := []struct {
		name string
		cfg  esapikey.Config
		want string // the Authorization header
	}{
		{"none", esapikey.Config{Addresses: []string{srv.URL}}, ""},
		{"basic", esapikey.Config{Addresses: []string{srv.URL}, Username: "elastic", Password: testPassword}, basicAuth("elastic", testPassword)},
		{"credentials in the URL", esapikey.Config{Addresses: []string{addr}}, basicAuth("url-user", "p@ss")},
		{"config over URL", esapikey.Config{Addresses: []string{addr}, Username: "elastic", Password: testPassword}, basicAuth("elastic", testPassword)},
		{"token", esapikey.Config{Addresses: []string{srv.URL}, Token: testToken}, "Bearer " + testToken},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newClient(t, tt.cfg).UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
			require.NoError(t, err)
			reqs := rec.calls()
			require.Len(t, reqs, i+1)
			assert.Equal(t, tt.want, reqs[i].Header.Get("Authorization"))
			assert.Equal(t, updatePath, reqs[i].Path)
		})
	}
}

func TestNewClient_headers(t *testing.T) {
	client, mux := setup(t, func(c *esapikey.Config) {
		c.Header = http.Header{"X-Team": {"search"}, "X-Trace": {"config"}}
	})
	rec := answer(mux, http.StatusOK, `{"updated":true}`)
	_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID}, esapikey.WithHeader("X-Trace", "call"))
	require.NoError(t, err)
	h := rec.only(t).Header
	assert.Equal(t, []string{"search"}, h.Values("X-Team"))
	assert.Equal(t, []string{"call"}, h.Values("X-Trace"), "a call's header wins")
	assert.True(t, strings.HasPrefix(h.Get("User-Agent"), "esapikey/"+esapikey.Version+" ("), h.Get("User-Agent"))

	client, mux = setup(t, func(c *esapikey.Config) { c.UserAgent = "my-app/1.0" })
	rec = answer(mux, http.StatusOK, `{"updated":true}`)
	_, err = client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
	require.NoError(t, err)
	assert.Equal(t, "my-app/1.0", rec.only(t).Header.Get("User-Agent"))
}

func TestNewClient_retries(t *testing.T) {
	tests := []struct {
		name     string
		cfg      esapikey.Config
		status   int
		attempts int
	}{
		{"default: 3 retries on 503", esapikey.Config{}, http.StatusServiceUnavailable, 4},
		{"default: no retry on 500", esapikey.Config{}, http.StatusInternalServerError, 1},
		{"default: no retry on 404", esapikey.Config{}, http.StatusNotFound, 1},
		{"MaxRetries", esapikey.Config{MaxRetries: 1}, http.StatusBadGateway, 2},
		{"RetryOnStatus", esapikey.Config{MaxRetries: 2, RetryOnStatus: []int{500}}, http.StatusInternalServerError, 3},
		{"RetryOnStatus replaces the default", esapikey.Config{RetryOnStatus: []int{500}}, http.StatusServiceUnavailable, 1},
		{"DisableRetry", esapikey.Config{DisableRetry: true, MaxRetries: 5}, http.StatusServiceUnavailable, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := new(recorder)
			tt.cfg.Addresses = []string{newServer(t, rec.reply(tt.status, "try later")).URL}
			_, err := newClient(t, tt.cfg).UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID, Metadata: esapikey.Metadata{}})
			e := assertError(t, err, tt.status)
			assert.Equal(t, "try later", e.Body)
			reqs := rec.calls()
			assert.Len(t, reqs, tt.attempts)
			for _, r := range reqs {
				assertJSONRequest(t, r, http.MethodPut, updatePath, `{"metadata":{}}`)
			}
		})
	}
}

func TestNewClient_retryThenSuccess(t *testing.T) {
	rec := new(recorder)
	busy, ok := rec.reply(http.StatusBadGateway, "<html>502</html>"), rec.reply(http.StatusOK, `{"updated":false}`)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(rec.calls()) < 2 {
			busy(w, r)
			return
		}
		ok(w, r)
	}))
	var backoffs []int
	client := newClient(t, esapikey.Config{
		Addresses:    []string{srv.URL + "/es"},
		RetryBackoff: func(attempt int) time.Duration { backoffs = append(backoffs, attempt); return 0 },
	})

	res, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: "a/b", Expiration: "1d"})

	require.NoError(t, err)
	assert.False(t, res.Updated)
	assert.Equal(t, []int{1, 2}, backoffs)
	reqs := rec.calls()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assertJSONRequest(t, r, http.MethodPut, "/es/_security/api_key/a%2Fb", `{"expiration":"1d"}`)
	}
}

func TestNewClient_logger(t *testing.T) {
	rec := new(recorder)
	srv := newServer(t, rec.reply(http.StatusOK, `{"updated":true}`))
	for _, cfg := range []esapikey.Config{
		{Addresses: []string{srv.URL}, Username: "elastic", Password: testPassword},
		{Addresses: []string{strings.Replace(srv.URL, "://", "://elastic:"+testPassword+"@", 1)}},
		{Addresses: []string{srv.URL}, Token: testToken},
	} {
		var buf bytes.Buffer
		cfg.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		_, err := newClient(t, cfg).UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
		require.NoError(t, err)

		log := buf.String()
		assert.Contains(t, log, "method=PUT")
		assert.Contains(t, log, "url="+srv.URL+updatePath)
		assert.Contains(t, log, "status=200")
		for _, secret := range []string{testPassword, testToken, "Authorization", "Basic ", "Bearer "} {
			assert.NotContains(t, log, secret)
		}
		assert.NotContains(t, log, strings.TrimPrefix(basicAuth("elastic", testPassword), "Basic "))
	}
}

// formatVerbs are the verbs a Config or Client may be logged with.
var formatVerbs = []string{"%v", "%+v", "%#v", "%s", "%d", "%q"}

func assertNoSecrets(t *testing.T, verbs []string, v any) {
	t.Helper()
	for _, verb := range verbs {
		s := fmt.Sprintf(verb, v)
		for _, secret := range []string{testPassword, testToken, "url-secret", "hdr-secret"} {
			assert.NotContains(t, s, secret, "%s of %T", verb, v)
		}
	}
}

func TestConfig_formatHidesSecrets(t *testing.T) {
	cfg := esapikey.Config{
		Addresses: []string{"https://elastic:url-secret@es:9200"},
		Username:  "elastic",
		Password:  testPassword,
		Token:     testToken,
		Header:    http.Header{"Authorization": {"ApiKey hdr-secret"}},
	}
	assertNoSecrets(t, formatVerbs, cfg)
	assertNoSecrets(t, formatVerbs, &cfg)
	assert.Contains(t, fmt.Sprintf("%v", cfg), `Username:"elastic"`)
}

func TestClient_formatHidesSecrets(t *testing.T) {
	withPassword := newClient(t, esapikey.Config{Username: "elastic", Password: testPassword,
		Header: http.Header{"Authorization": {"ApiKey hdr-secret"}}})
	withToken := newClient(t, esapikey.Config{Token: testToken})
	for _, c := range []*esapikey.Client{withPassword, withToken} {
		assertNoSecrets(t, []string{"%v", "%+v", "%#v", "%d"}, c)
		assertNoSecrets(t, []string{"%v", "%+v", "%#v", "%d"}, *c)
	}
	t.Run("string verbs", func(t *testing.T) {
		for _, c := range []*esapikey.Client{withPassword, withToken} {
			assertNoSecrets(t, []string{"%s", "%q"}, c)
			assertNoSecrets(t, []string{"%s", "%q"}, *c)
		}
	})
}

// newTLSServer answers every request with {"updated":true} over TLS with a
// self-signed certificate, and returns it with the PEM of that certificate
// and its SHA-256 fingerprint as Elasticsearch prints it (AB:CD:…).
func newTLSServer(t *testing.T) (srv *httptest.Server, caPEM []byte, fingerprint string) {
	t.Helper()
	srv = httptest.NewUnstartedServer(new(recorder).reply(http.StatusOK, `{"updated":true}`))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected
	srv.StartTLS()
	t.Cleanup(srv.Close)
	cert := srv.Certificate()
	sum := sha256.Sum256(cert.Raw)
	var pairs []string
	for _, b := range sum {
		pairs = append(pairs, strings.ToUpper(hex.EncodeToString([]byte{b})))
	}
	return srv, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), strings.Join(pairs, ":")
}

func TestNewClient_tls(t *testing.T) {
	srv, caPEM, fingerprint := newTLSServer(t)
	update := func(t *testing.T, cfg esapikey.Config) error {
		t.Helper()
		cfg.Addresses, cfg.DisableRetry = []string{srv.URL}, true
		_, err := newClient(t, cfg).UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
		return err
	}
	t.Run("untrusted", func(t *testing.T) { assert.Error(t, update(t, esapikey.Config{})) })
	t.Run("CACert", func(t *testing.T) { assert.NoError(t, update(t, esapikey.Config{CACert: caPEM})) })
	t.Run("fingerprint", func(t *testing.T) {
		assert.NoError(t, update(t, esapikey.Config{CertificateFingerprint: strings.ReplaceAll(fingerprint, ":", "")}))
	})
	t.Run("wrong fingerprint", func(t *testing.T) {
		assert.Error(t, update(t, esapikey.Config{CertificateFingerprint: strings.Repeat("ab", 32)}))
	})
	t.Run("fingerprint with colons", func(t *testing.T) {
		assert.NoError(t, update(t, esapikey.Config{CertificateFingerprint: fingerprint}))
	})
	t.Run("fingerprint with a custom RoundTripper", func(t *testing.T) {
		_, err := esapikey.NewClient(esapikey.Config{
			CertificateFingerprint: strings.ReplaceAll(fingerprint, ":", ""),
			Transport:              roundTripFunc(http.DefaultTransport.RoundTrip),
		})
		assert.ErrorContains(t, err, "CertificateFingerprint")
	})
}

func TestNewWithTransport(t *testing.T) {
	rec := new(recorder)
	srv := newServer(t, rec.reply(http.StatusOK, `{"updated":true}`))
	u, err := url.Parse(srv.URL + "/es")
	require.NoError(t, err)
	tp, err := elastictransport.NewClient(
		elastictransport.WithURLs(u),
		elastictransport.WithBasicAuth("elastic", testPassword),
		elastictransport.WithInterceptors(esapikey.PathInterceptor),
	)
	require.NoError(t, err)
	client := esapikey.NewWithTransport(tp)

	for i, id := range escapedIDs {
		_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: id, Metadata: esapikey.Metadata{}})
		require.NoError(t, err, id)
		reqs := rec.calls()
		require.Len(t, reqs, i+1)
		assertOneSegment(t, reqs[i], "/es/_security/api_key/", id)
		assert.Equal(t, `{"metadata":{}}`, reqs[i].Body)
		assert.Equal(t, basicAuth("elastic", testPassword), reqs[i].Header.Get("Authorization"))
	}
}

func TestInstrumentation(t *testing.T) {
	clients := map[string]func(*testing.T, string, elastictransport.Instrumentation) *esapikey.Client{
		"NewClient": func(t *testing.T, addr string, in elastictransport.Instrumentation) *esapikey.Client {
			return newClient(t, esapikey.Config{Addresses: []string{addr}, Instrumentation: in})
		},
		"NewWithTransport": func(t *testing.T, addr string, in elastictransport.Instrumentation) *esapikey.Client {
			u, err := url.Parse(addr)
			require.NoError(t, err)
			tp, err := elastictransport.NewClient(elastictransport.WithURLs(u), elastictransport.WithInstrumentation(in))
			require.NoError(t, err)
			return esapikey.NewWithTransport(tp)
		},
	}
	for name, build := range clients {
		for _, ep := range endpoints {
			for _, status := range []int{http.StatusOK, http.StatusNotFound} {
				t.Run(fmt.Sprint(name, " ", ep.span, " ", status), func(t *testing.T) {
					body := map[int]string{http.StatusOK: ep.ok, http.StatusNotFound: notFound}[status]
					srv := newServer(t, new(recorder).reply(status, body))
					in := new(fakeInstrumentation)

					err := ep.call(t.Context(), build(t, srv.URL, in))

					want := []string{"Start " + ep.span}
					if ep.id != "" {
						want = append(want, "RecordPathPart id="+ep.id)
					}
					want = append(want, "BeforeRequest "+ep.span, "AfterResponse "+strconv.Itoa(status),
						"AfterRequest elasticsearch "+ep.span)
					if status != http.StatusOK {
						want = append(want, "RecordError")
					}
					events, errs := in.recorded()
					assert.Equal(t, append(want, "Close"), events)
					if status == http.StatusOK {
						assert.NoError(t, err)
						assert.Empty(t, errs)
						return
					}
					assertError(t, err, status)
					require.Len(t, errs, 1)
					assert.Equal(t, err, errs[0])
					assert.ErrorIs(t, errs[0], esapikey.ErrNotFound)
				})
			}
		}
	}
}
