package esapikey_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/url"
	"time"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/esapikeytest"
)

// exampleServer starts an in-memory Elasticsearch with a user "alice" who
// owns one API key, and returns a client logged in as alice.
func exampleServer() (*esapikeytest.Server, *esapikey.Client, string) {
	srv := esapikeytest.NewServer()
	if err := srv.PutRole("key-owner", `{"cluster":["manage_own_api_key"],"indices":[{"names":["*"],"privileges":["all"]}]}`); err != nil {
		log.Fatal(err)
	}
	if err := srv.AddUser("alice", "alice-password", "key-owner"); err != nil {
		log.Fatal(err)
	}
	key, err := srv.CreateAPIKey("alice", `{"name":"ingest","metadata":{"team":"ingest"}}`)
	if err != nil {
		log.Fatal(err)
	}
	c, err := esapikey.NewClient(esapikey.Config{
		Addresses: []string{srv.URL},
		Username:  "alice",
		Password:  "alice-password",
	})
	if err != nil {
		log.Fatal(err)
	}
	return srv, c, key.ID
}

func Example() {
	srv, c, id := exampleServer()
	defer srv.Close()
	ctx := context.Background()

	res, err := c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{
		ID: id,
		RoleDescriptors: map[string]esapikey.RoleDescriptor{
			"role-a": {Indices: []esapikey.IndicesPrivileges{
				{Names: []string{"logs-*"}, Privileges: []string{esapikey.IndexWrite}},
			}},
		},
		Metadata:   esapikey.Metadata{"environment": map[string]any{"level": 2, "tags": []string{"production"}}},
		Expiration: esapikey.DurationOf(30 * 24 * time.Hour),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("updated:", res.Updated)

	// The same role descriptors and metadata again, without an expiration:
	// nothing changes.
	res, err = c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{
		ID: id,
		RoleDescriptors: map[string]esapikey.RoleDescriptor{
			"role-a": {Indices: []esapikey.IndicesPrivileges{
				{Names: []string{"logs-*"}, Privileges: []string{esapikey.IndexWrite}},
			}},
		},
		Metadata: esapikey.Metadata{"environment": map[string]any{"level": 2, "tags": []string{"production"}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("updated:", res.Updated)
	// Output:
	// updated: true
	// updated: false
}

// An empty, non-nil map removes the key's own privileges: it then inherits
// its owner's. A nil map would leave them unchanged.
func ExampleClient_UpdateAPIKey_removePrivileges() {
	srv, c, id := exampleServer()
	defer srv.Close()

	res, err := c.UpdateAPIKey(context.Background(), esapikey.UpdateAPIKeyRequest{
		ID:              id,
		RoleDescriptors: map[string]esapikey.RoleDescriptor{},
		Metadata:        esapikey.Metadata{},
	})
	if err != nil {
		log.Fatal(err)
	}
	stored, _ := srv.APIKey(id)
	fmt.Println("updated:", res.Updated)
	fmt.Println("own role descriptors:", len(stored.RoleDescriptors))
	fmt.Println("metadata:", stored.Metadata)
	// Output:
	// updated: true
	// own role descriptors: 0
	// metadata: map[]
}

func ExampleClient_UpdateAPIKey_errors() {
	srv, c, id := exampleServer()
	defer srv.Close()
	ctx := context.Background()

	_, err := c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: "no-such-key"})
	fmt.Println("not found:", errors.Is(err, esapikey.ErrNotFound))

	if err := srv.InvalidateAPIKey(id); err != nil {
		log.Fatal(err)
	}
	_, err = c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: id})
	fmt.Println("invalidated:", errors.Is(err, esapikey.ErrInvalidated))
	var e *esapikey.Error
	if errors.As(err, &e) {
		fmt.Println("status:", e.StatusCode, e.Type)
	}

	// Refused before anything is sent.
	_, err = c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: id, Expiration: "1M"})
	fmt.Println(err)
	// Output:
	// not found: true
	// invalidated: true
	// status: 400 illegal_argument_exception
	// esapikey: invalid request: expiration: "1M": unit "M" (months) is not supported; use "m" for minutes
}

// A bulk update answers 200 even when single ids fail: always check Err.
func ExampleClient_BulkUpdateAPIKeys() {
	srv, c, id := exampleServer()
	defer srv.Close()

	res, err := c.BulkUpdateAPIKeys(context.Background(), esapikey.BulkUpdateAPIKeysRequest{
		IDs:      []string{id, "no-such-key"},
		Metadata: esapikey.Metadata{"team": "search"},
	})
	if err != nil {
		log.Fatal(err) // the call as a whole failed
	}
	fmt.Println("updated:", len(res.Updated), "noops:", len(res.Noops))
	if err := res.Err(); err != nil {
		fmt.Println(err)
		fmt.Println("not found:", errors.Is(err, esapikey.ErrNotFound))
	}
	// Output:
	// updated: 1 noops: 0
	// esapikey: api key [no-such-key]: resource_not_found_exception: no API key owned by requesting user found for ID [no-such-key]
	// not found: true
}

func ExampleDurationOf() {
	fmt.Println(esapikey.DurationOf(90 * time.Minute))
	fmt.Println(esapikey.DurationOf(36 * time.Hour))
	fmt.Println(esapikey.DurationOf(48 * time.Hour))
	fmt.Println(esapikey.DurationOf(1500 * time.Millisecond))
	// Output:
	// 90m
	// 36h
	// 2d
	// 1500ms
}

// A client embedded in another SDK shares its transport. The interceptor
// keeps ids with "/" in one path segment behind a node URL with a path.
func ExampleNewWithTransport() {
	srv, _, id := exampleServer()
	defer srv.Close()

	u, _ := url.Parse(srv.URL)
	tp, err := elastictransport.NewClient(
		elastictransport.WithURLs(u),
		elastictransport.WithBasicAuth("alice", "alice-password"),
		elastictransport.WithInterceptors(esapikey.PathInterceptor),
	)
	if err != nil {
		log.Fatal(err)
	}
	c := esapikey.NewWithTransport(tp)
	res, err := c.UpdateAPIKey(context.Background(), esapikey.UpdateAPIKeyRequest{ID: id, Metadata: esapikey.Metadata{"v": 2}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("updated:", res.Updated)
	// Output:
	// updated: true
}
