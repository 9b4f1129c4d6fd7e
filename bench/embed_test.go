package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
	elasticsearch8 "github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v9"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/esapikeytest"
)

// TestEmbedInGoElasticsearch checks that the clients of go-elasticsearch work
// as they are as the transport of esapikey, ids with "/" included, also
// behind a path prefix when the PathInterceptor is installed.
func TestEmbedInGoElasticsearch(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	// The second server sits behind a proxy that mounts it under /es.
	prefixed := esapikeytest.NewUnstartedServer()
	proxy := httptest.NewServer(http.StripPrefix("/es", prefixed.Handler()))
	defer proxy.Close()

	newV9 := func(addr string) *elasticsearch.Client {
		es, err := elasticsearch.New(
			elasticsearch.WithAddresses(addr), elasticsearch.WithBasicAuth("elastic", "changeme"),
			elasticsearch.WithTransportOptions(elastictransport.WithInterceptors(esapikey.PathInterceptor)),
		)
		if err != nil {
			t.Fatal(err)
		}
		return es
	}
	typed, err := elasticsearch.NewTyped(elasticsearch.WithAddresses(srv.URL), elasticsearch.WithBasicAuth("elastic", "changeme"))
	if err != nil {
		t.Fatal(err)
	}
	v8, err := elasticsearch8.NewClient(elasticsearch8.Config{Addresses: []string{srv.URL}, Username: "elastic", Password: "changeme"})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name string
		srv  *esapikeytest.Server
		c    *esapikey.Client
	}{
		{"v9 Client", srv, esapikey.NewWithTransport(newV9(srv.URL))},
		{"v9 TypedClient", srv, esapikey.NewWithTransport(typed)},
		{"v8 Client", srv, esapikey.NewWithTransport(v8)},
		{"v9 Client behind a path prefix", prefixed, esapikey.NewWithTransport(newV9(proxy.URL + "/es"))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			key, err := tc.srv.CreateAPIKey("elastic", `{"name":"embedded"}`)
			if err != nil {
				t.Fatal(err)
			}
			res, err := tc.c.UpdateAPIKey(context.Background(), esapikey.UpdateAPIKeyRequest{
				ID: key.ID, Metadata: esapikey.Metadata{"via": tc.name},
			})
			if err != nil {
				t.Fatal(err)
			}
			if !res.Updated {
				t.Error("updated = false, want true")
			}
			stored, _ := tc.srv.APIKey(key.ID)
			if stored.Metadata["via"] != tc.name {
				t.Errorf("stored metadata = %v", stored.Metadata)
			}
		})
	}
}
