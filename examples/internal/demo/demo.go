// Package demo sets up what the examples need: a cluster (the one named by
// ELASTICSEARCH_URL, else an embedded esapikeytest server), users and keys
// created over REST exactly as on a real cluster, and a client that shows
// each request it sends.
package demo

import (
	"bytes"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/esapikeytest"
)

// Env is the cluster an example runs against.
type Env struct {
	URL      string
	embedded *esapikeytest.Server
	admin    [2]string
	http     *http.Client
	caCert   []byte
	cleanup  []func()
}

// Start connects to ELASTICSEARCH_URL with ELASTICSEARCH_USERNAME and
// ELASTICSEARCH_PASSWORD (default elastic / changeme) and, when set, the CA
// file ELASTICSEARCH_CA_CERT; without ELASTICSEARCH_URL it starts an
// embedded esapikeytest server.
func Start(w io.Writer) (*Env, error) {
	e := &Env{admin: [2]string{env("ELASTICSEARCH_USERNAME", "elastic"), env("ELASTICSEARCH_PASSWORD", "changeme")}}
	e.URL = strings.TrimRight(os.Getenv("ELASTICSEARCH_URL"), "/")
	if e.URL == "" {
		e.embedded = esapikeytest.NewServer(esapikeytest.WithSuperuser(e.admin[0], e.admin[1]))
		e.URL = e.embedded.URL
		fmt.Fprintf(w, "No ELASTICSEARCH_URL: using the embedded esapikeytest server at %s\n", e.URL)
	} else {
		fmt.Fprintf(w, "Using the cluster at %s\n", e.URL)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if path := os.Getenv("ELASTICSEARCH_CA_CERT"); path != "" {
		pem, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		e.caCert = pem
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("ELASTICSEARCH_CA_CERT: no PEM certificate in %s", path)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	e.http = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	return e, nil
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// Embedded is the in-memory server, or nil on a real cluster.
func (e *Env) Embedded() *esapikeytest.Server { return e.embedded }

// Close removes what the example created and stops the embedded server.
func (e *Env) Close() {
	for i := len(e.cleanup) - 1; i >= 0; i-- {
		e.cleanup[i]()
	}
	if e.embedded != nil {
		e.embedded.Close()
	}
}

// Unique returns name with a random suffix, so that runs against a shared
// cluster do not collide.
func Unique(name string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return name + "-" + hex.EncodeToString(b)
}

// Admin sends a REST request as the administrator and decodes the answer.
func (e *Env) Admin(method, path, body string, out any) error {
	return e.Call(e.admin[0], e.admin[1], method, path, body, out)
}

// Call sends a REST request as user and decodes the answer into out.
func (e *Env) Call(user, password, method, path, body string, out any) error {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.URL+path, rd)
	if err != nil {
		return err
	}
	req.SetBasicAuth(user, password)
	req.Header.Set("Content-Type", "application/json")
	res, err := e.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// User creates a role from roleJSON and a user with it, both removed on
// Close. It returns the user's password.
func (e *Env) User(name, roleJSON string) (string, error) {
	password := Unique("pw")
	if err := e.Admin(http.MethodPut, "/_security/role/"+name, roleJSON, nil); err != nil {
		return "", err
	}
	e.cleanup = append(e.cleanup, func() { _ = e.Admin(http.MethodDelete, "/_security/role/"+name, "", nil) })
	body := fmt.Sprintf(`{"password":%q,"roles":[%q]}`, password, name)
	if err := e.Admin(http.MethodPut, "/_security/user/"+name, body, nil); err != nil {
		return "", err
	}
	e.cleanup = append(e.cleanup, func() { _ = e.Admin(http.MethodDelete, "/_security/user/"+name, "", nil) })
	return password, nil
}

// Key is an API key as Create API key answers it.
type Key struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Encoded string `json:"encoded"`
}

// DocumentedKey is the create body of the key in Elasticsearch's reference
// page of the update API: role-a may read index-a*, with the documented
// metadata.
const DocumentedKey = `{
  "name": "my-api-key",
  "role_descriptors": {"role-a": {"cluster": ["all"], "indices": [{"names": ["index-a*"], "privileges": ["read"]}]}},
  "metadata": {"application": "my-application", "environment": {"level": 1, "trusted": true, "tags": ["dev", "staging"]}}
}`

// CreateKey creates an API key as user from a Create API key body; it is
// invalidated on Close.
func (e *Env) CreateKey(user, password, body string) (Key, error) {
	var k Key
	if err := e.Call(user, password, http.MethodPost, "/_security/api_key", body, &k); err != nil {
		return k, err
	}
	e.cleanup = append(e.cleanup, func() {
		_ = e.Admin(http.MethodDelete, "/_security/api_key", fmt.Sprintf(`{"ids":[%q]}`, k.ID), nil)
	})
	return k, nil
}

// GetKey returns a key as GET /_security/api_key shows it to its owner.
func (e *Env) GetKey(user, password, id string) (map[string]any, error) {
	var v struct {
		APIKeys []map[string]any `json:"api_keys"`
	}
	if err := e.Call(user, password, http.MethodGet, "/_security/api_key?owner=true&id="+id, "", &v); err != nil {
		return nil, err
	}
	if len(v.APIKeys) != 1 {
		return nil, fmt.Errorf("key %s: %d keys found", id, len(v.APIKeys))
	}
	return v.APIKeys[0], nil
}

// Wait lets d pass: on the embedded server by moving its clock, on a real
// cluster by sleeping.
func (e *Env) Wait(d time.Duration) {
	if e.embedded != nil {
		e.embedded.Advance(d)
		return
	}
	time.Sleep(d)
}

// Client returns an esapikey client for user that prints every request
// and answer to w.
func (e *Env) Client(user, password string, w io.Writer) (*esapikey.Client, error) {
	return esapikey.NewClient(esapikey.Config{
		Addresses:    []string{e.URL},
		Username:     user,
		Password:     password,
		CACert:       e.caCert,
		DisableRetry: true,
		Transport:    &printer{w: w, next: e.http.Transport},
	})
}

// ClientWithAPIKey returns a client that authenticates with an API key.
func (e *Env) ClientWithAPIKey(encoded string, w io.Writer) (*esapikey.Client, error) {
	return esapikey.NewClient(esapikey.Config{
		Addresses:    []string{e.URL},
		CACert:       e.caCert,
		DisableRetry: true,
		Header:       http.Header{"Authorization": {"ApiKey " + encoded}},
		Transport:    &printer{w: w, next: e.http.Transport},
	})
}

// printer shows each request line and body and each answer, without
// headers, so no credential is printed.
type printer struct {
	w    io.Writer
	next http.RoundTripper
}

func (p *printer) RoundTrip(req *http.Request) (*http.Response, error) {
	fmt.Fprintf(p.w, "  → %s %s", req.Method, req.URL.RequestURI())
	if req.GetBody != nil {
		if body, err := req.GetBody(); err == nil {
			b, _ := io.ReadAll(body)
			fmt.Fprintf(p.w, " %s", b)
		}
	} else {
		fmt.Fprint(p.w, " (no body)")
	}
	fmt.Fprintln(p.w)
	res, err := p.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(b))
	fmt.Fprintf(p.w, "  ← %d %s\n", res.StatusCode, bytes.TrimSpace(b))
	return res, nil
}
