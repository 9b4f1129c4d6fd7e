package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	"io"
	"net/http"
	"strings"
	"sync"

	es8 "github.com/elastic/go-elasticsearch/v8"
	es8uak "github.com/elastic/go-elasticsearch/v8/typedapi/security/updateapikey"
	es8types "github.com/elastic/go-elasticsearch/v8/typedapi/types"
	es8ip "github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/indexprivilege"
	es9 "github.com/elastic/go-elasticsearch/v9"
	es9uak "github.com/elastic/go-elasticsearch/v9/typedapi/security/updateapikey"
	es9types "github.com/elastic/go-elasticsearch/v9/typedapi/types"
	es9ip "github.com/elastic/go-elasticsearch/v9/typedapi/types/enums/indexprivilege"

	"github.com/esapikey/esapikey"
)

// The documented update (reference/elasticsearch-update-api-key-api.txt, example 1).
const (
	keyID        = "VuaCfGcBCdbkQm-e5aOx"
	documented   = `{"role_descriptors":{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}},"metadata":{"environment":{"level":2,"trusted":true,"tags":["production"]}}}`
	updatedTrue  = `{"updated":true}`
	user, passwd = "elastic", "changeme"
)

// updater is one client set up to make the documented call.
type updater struct {
	name   string
	update func(ctx context.Context) error
}

// clients returns every client under test, each over its own
// http.RoundTripper made by rt and pointed at url.
func clients(url string, rt func() http.RoundTripper) []updater {
	return []updater{
		{"esapikey", esapikeyUpdater(url, rt())},
		{"nethttp", netHTTPUpdater(url, rt())},
		{"typed-v9", typedV9Updater(url, rt())},
		{"esapi-v9", esapiV9Updater(url, rt())},
		{"typed-v8", typedV8Updater(url, rt())},
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// Request values are built once, as a service would hold them; each call
// then pays only for what its client does with them.

var (
	esapikeyRoles = map[string]esapikey.RoleDescriptor{
		"role-a": {Indices: []esapikey.IndicesPrivileges{{Names: []string{"*"}, Privileges: []string{esapikey.IndexWrite}}}},
	}
	metadata = map[string]any{"environment": map[string]any{"level": 2, "trusted": true, "tags": []string{"production"}}}
)

func esapikeyUpdater(url string, rt http.RoundTripper) func(context.Context) error {
	c := must(esapikey.NewClient(esapikey.Config{Addresses: []string{url}, Username: user, Password: passwd, Transport: rt}))
	return func(ctx context.Context) error {
		res, err := c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: keyID, RoleDescriptors: esapikeyRoles, Metadata: metadata})
		if err == nil && !res.Updated {
			err = errors.New("not updated")
		}
		return err
	}
}

// netHTTPUpdater is the call as one would write it by hand: own types,
// encoding/json, http.Client, a status check.
func netHTTPUpdater(url string, rt http.RoundTripper) func(context.Context) error {
	type indices struct {
		Names      []string `json:"names"`
		Privileges []string `json:"privileges"`
	}
	type role struct {
		Indices []indices `json:"indices"`
	}
	type body struct {
		RoleDescriptors map[string]role `json:"role_descriptors,omitempty"`
		Metadata        map[string]any  `json:"metadata,omitempty"`
	}
	payload := body{
		RoleDescriptors: map[string]role{"role-a": {Indices: []indices{{Names: []string{"*"}, Privileges: []string{"write"}}}}},
		Metadata:        metadata,
	}
	hc := &http.Client{Transport: rt}
	endpoint := url + "/_security/api_key/" + keyID
	return func(ctx context.Context) error {
		b, err := json.Marshal(payload)
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPut, endpoint, bytes.NewReader(b))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.SetBasicAuth(user, passwd)
		res, err := hc.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			_, _ = io.Copy(io.Discard, res.Body)
			return fmt.Errorf("status %d", res.StatusCode)
		}
		var out struct {
			Updated bool `json:"updated"`
		}
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		if !out.Updated {
			return errors.New("not updated")
		}
		return nil
	}
}

func rawMetadata() map[string]json.RawMessage {
	return map[string]json.RawMessage{"environment": must(json.Marshal(metadata["environment"]))}
}

func typedV9Updater(url string, rt http.RoundTripper) func(context.Context) error {
	c := must(es9.NewTyped(es9.WithAddresses(url), es9.WithBasicAuth(user, passwd), es9.WithTransportOptions(elastictransport.WithTransport(rt))))
	roles := map[string]es9types.RoleDescriptor{
		"role-a": {Indices: []es9types.IndicesPrivileges{{Names: []string{"*"}, Privileges: []es9ip.IndexPrivilege{es9ip.Write}}}},
	}
	md := es9types.Metadata(rawMetadata())
	return func(ctx context.Context) error {
		res, err := c.Security.UpdateApiKey(keyID).Request(&es9uak.Request{RoleDescriptors: roles, Metadata: md}).Do(ctx)
		if err == nil && !res.Updated {
			err = errors.New("not updated")
		}
		return err
	}
}

func typedV8Updater(url string, rt http.RoundTripper) func(context.Context) error {
	c := must(es8.NewTypedClient(es8.Config{Addresses: []string{url}, Username: user, Password: passwd, Transport: rt}))
	roles := map[string]es8types.RoleDescriptor{
		"role-a": {Indices: []es8types.IndicesPrivileges{{Names: []string{"*"}, Privileges: []es8ip.IndexPrivilege{es8ip.Write}}}},
	}
	md := es8types.Metadata(rawMetadata())
	return func(ctx context.Context) error {
		res, err := c.Security.UpdateApiKey(keyID).Request(&es8uak.Request{RoleDescriptors: roles, Metadata: md}).Do(ctx)
		if err == nil && !res.Updated {
			err = errors.New("not updated")
		}
		return err
	}
}

// esapiV9Updater uses the low-level esapi: the body is the caller's to
// encode and the answer the caller's to decode.
func esapiV9Updater(url string, rt http.RoundTripper) func(context.Context) error {
	c := must(es9.New(es9.WithAddresses(url), es9.WithBasicAuth(user, passwd), es9.WithTransportOptions(elastictransport.WithTransport(rt))))
	payload := map[string]any{
		"role_descriptors": map[string]any{"role-a": map[string]any{"indices": []any{map[string]any{"names": []string{"*"}, "privileges": []string{"write"}}}}},
		"metadata":         metadata,
	}
	return func(ctx context.Context) error {
		b, err := json.Marshal(payload)
		if err != nil {
			return err
		}
		res, err := c.Security.UpdateAPIKey(keyID, c.Security.UpdateAPIKey.WithBody(bytes.NewReader(b)), c.Security.UpdateAPIKey.WithContext(ctx))
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if res.IsError() {
			return fmt.Errorf("status %d", res.StatusCode)
		}
		var out struct {
			Updated bool `json:"updated"`
		}
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			return err
		}
		if !out.Updated {
			return errors.New("not updated")
		}
		return nil
	}
}

// memTransport answers every request in memory, as Elasticsearch answers
// the documented update, so that only the client's own work is measured.
// It reads the whole request body, as a server would.
type memTransport struct {
	mu   sync.Mutex
	last []byte // the last request body, when record is set
	rec  bool
}

var memHeader = http.Header{
	"Content-Type":      {"application/json"},
	"X-Elastic-Product": {"Elasticsearch"},
}

func (t *memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		if t.rec {
			b, err := io.ReadAll(req.Body)
			if err != nil {
				return nil, err
			}
			t.mu.Lock()
			t.last = b
			t.mu.Unlock()
		} else if _, err := io.Copy(io.Discard, req.Body); err != nil {
			return nil, err
		}
		_ = req.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Status:        "200 OK",
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        memHeader,
		Body:          io.NopCloser(strings.NewReader(updatedTrue)),
		ContentLength: int64(len(updatedTrue)),
		Request:       req,
	}, nil
}

// esHandler answers the documented update over HTTP.
func esHandler(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	h := w.Header()
	h["Content-Type"] = memHeader["Content-Type"]
	h["X-Elastic-Product"] = memHeader["X-Elastic-Product"]
	h["Content-Length"] = []string{"16"}
	_, _ = io.WriteString(w, updatedTrue)
}
