package esapikey_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

// A proxy or server that prints the credentials it received in its error
// body must not put them into the error: not in Error(), not in any field,
// under any format verb.
func TestError_echoedCredentialsAreMasked(t *testing.T) {
	const (
		password = "Pa55-w0rd/echoed+back"
		token    = "AAEAAWVsYXN0aWMvZmxlZXQtc2VydmVyL3Rva2VuLTE2OTc"
		keyPart  = "k3y-s3cret-echoed-back"
	)
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + password))
	apiKey := base64.StdEncoding.EncodeToString([]byte("key-id:" + keyPart))
	kinds := []struct {
		name    string
		cfg     func(*esapikey.Config, string)
		opts    []esapikey.RequestOption
		secrets []string
	}{
		{"basic", func(c *esapikey.Config, _ string) { c.Username, c.Password = "alice", password }, nil,
			[]string{basic, password}},
		{"basic in the URL", func(c *esapikey.Config, u string) {
			c.Addresses = []string{strings.Replace(u, "://", "://alice:"+strings.ReplaceAll(password, "/", "%2F")+"@", 1)}
		}, nil, []string{basic, password}},
		{"token", func(c *esapikey.Config, _ string) { c.Token = token }, nil, []string{token}},
		{"API key", func(c *esapikey.Config, _ string) { c.APIKey = apiKey }, nil, []string{apiKey, keyPart}},
		{"header of the call", func(*esapikey.Config, string) {},
			[]esapikey.RequestOption{esapikey.WithHeader("Authorization", "Basic "+basic)}, []string{basic, password}},
		{"secondary authorization", func(*esapikey.Config, string) {},
			[]esapikey.RequestOption{esapikey.WithHeader("es-secondary-authorization", "Bearer "+token)}, []string{token}},
	}
	// How a body may echo what the request carried.
	echoes := map[string]func(r *http.Request) (status int, body string){
		"plain text": func(r *http.Request) (int, string) {
			return 401, "denied: Authorization: " + r.Header.Get("Authorization") + r.Header.Get("Es-Secondary-Authorization")
		},
		"JSON with escaped slashes": func(r *http.Request) (int, string) {
			h := r.Header.Get("Authorization") + r.Header.Get("Es-Secondary-Authorization")
			return 502, `{"message":"bad gateway","received":"` + strings.ReplaceAll(h, "/", `\/`) + `"}`
		},
		"Elasticsearch error": func(r *http.Request) (int, string) {
			h := r.Header.Get("Authorization") + r.Header.Get("Es-Secondary-Authorization")
			c := `{"type":"security_exception","reason":"bad header [` + h + `]"}`
			return 401, `{"error":{"root_cause":[` + c + `],"type":"security_exception","reason":"header [` + h + `] refused",` +
				`"caused_by":` + c + `},"status":401}`
		},
		"decoded credentials": func(r *http.Request) (int, string) {
			user, pass, _ := r.BasicAuth()
			return 403, "user " + user + " with password " + pass + " and key part " + keyPart + " and token " + token
		},
	}
	for _, kind := range kinds {
		for name, echo := range echoes {
			t.Run(kind.name+"/"+name, func(t *testing.T) {
				srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					status, body := echo(r)
					w.WriteHeader(status)
					fmt.Fprint(w, body)
				}))
				cfg := esapikey.Config{Addresses: []string{srv.URL}, DisableRetry: true}
				kind.cfg(&cfg, srv.URL)
				c := newClient(t, cfg)

				_, err := c.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID}, kind.opts...)

				var e *esapikey.Error
				require.ErrorAs(t, err, &e)
				assert.Contains(t, err.Error(), "****", "the place of the credentials is still shown")
				for _, s := range kind.secrets {
					for _, verb := range formatVerbs {
						assert.NotContains(t, fmt.Sprintf(verb, err), s, "error formatted with %s", verb)
						assert.NotContains(t, fmt.Sprintf(verb, *e), s, "fields formatted with %s", verb)
					}
				}
			})
		}
	}
}

// A 2xx answer that cannot be read keeps an excerpt of its body: without
// the credentials it echoes.
func TestDecodeError_echoedCredentialsAreMasked(t *testing.T) {
	const password = "Pa55-w0rd-echoed-in-a-200"
	basic := base64.StdEncoding.EncodeToString([]byte("alice:" + password))
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<html>welcome, "+r.Header.Get("Authorization")+"</html>")
	}))
	c := newClient(t, esapikey.Config{Addresses: []string{srv.URL}, Username: "alice", Password: password, DisableRetry: true})

	_, err := c.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})

	var de *esapikey.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "<html>welcome, Basic ****</html>", de.Body)
	for _, verb := range formatVerbs {
		assert.NotContains(t, fmt.Sprintf(verb, err), basic, "error formatted with %s", verb)
	}
}
