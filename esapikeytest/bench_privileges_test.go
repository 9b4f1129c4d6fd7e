package esapikeytest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/esapikey/esapikey/esapikeytest"
)

// benchKeys creates n keys of an owner with an index role; key i is limited to logs-<i%distinct>-*,
// so distinct sets how many different permissions the server compiles.
func benchKeys(b *testing.B, n, distinct int) (*esapikeytest.Server, []esapikeytest.APIKey) {
	b.Helper()
	srv := esapikeytest.NewServer()
	if err := srv.PutRole("owner", `{"cluster":["manage_own_api_key","monitor"],"indices":[{"names":["logs-*"],"privileges":["all"]}]}`); err != nil {
		b.Fatal(err)
	}
	if err := srv.AddUser("alice", "alice-password", "owner"); err != nil {
		b.Fatal(err)
	}
	keys := make([]esapikeytest.APIKey, n)
	for i := range keys {
		k, err := srv.CreateAPIKey("alice", fmt.Sprintf(`{"name":"k%d","role_descriptors":{"r":{"cluster":["monitor"],"indices":[{"names":["logs-%d-*"],"privileges":["read","write"]}]}}}`, i, i%distinct))
		if err != nil {
			b.Fatal(err)
		}
		keys[i] = k
	}
	return srv, keys
}

// BenchmarkAuthenticate10000 is the floor the has-privileges figures compare with: one
// GET /_security/_authenticate per iteration with the next of the same 10,000 keys, which authenticates
// and answers without evaluating any privilege.
func BenchmarkAuthenticate10000(b *testing.B) {
	srv, keys := benchKeys(b, 10000, 100)
	defer srv.Close()
	client := &http.Client{}
	for i := 0; b.Loop(); i++ {
		req, _ := http.NewRequest("GET", srv.URL+"/_security/_authenticate", nil)
		req.Header.Set("Authorization", "ApiKey "+keys[i%len(keys)].Encoded)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatal(res.Status)
		}
	}
}

// benchHasPrivileges sends one POST /_security/user/_has_privileges per iteration, authenticated with
// the next of 10,000 keys, asking a cluster privilege and three index privileges on two patterns.
func benchHasPrivileges(b *testing.B, distinct int) {
	srv, keys := benchKeys(b, 10000, distinct)
	defer srv.Close()
	client := &http.Client{}
	for i := 0; b.Loop(); i++ {
		k := keys[i%len(keys)]
		body := fmt.Sprintf(`{"cluster":["monitor","manage_own_api_key"],"index":[{"names":["logs-%d-2025","logs-*"],"privileges":["read","index","write"]}]}`, (i%len(keys))%distinct)
		req, _ := http.NewRequest("POST", srv.URL+"/_security/user/_has_privileges", strings.NewReader(body))
		req.Header.Set("Authorization", "ApiKey "+k.Encoded)
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatal(res.Status)
		}
	}
}

// BenchmarkHasPrivileges10000 has 100 distinct key permissions among 10,000 keys (compiled once each).
func BenchmarkHasPrivileges10000(b *testing.B) { benchHasPrivileges(b, 100) }

// BenchmarkHasPrivileges10000Distinct gives every key its own permission, more than the cache holds,
// so each request compiles the key's role descriptors.
func BenchmarkHasPrivileges10000Distinct(b *testing.B) { benchHasPrivileges(b, 10000) }

// BenchmarkAPIKeyCan10000 is the Go helper without HTTP, over the same 10,000 keys.
func BenchmarkAPIKeyCan10000(b *testing.B) {
	srv, keys := benchKeys(b, 10000, 10000)
	defer srv.Close()
	for i := 0; b.Loop(); i++ {
		k := keys[i%len(keys)]
		if _, err := srv.APIKeyCan(k.ID, "write", esapikeytest.Index(fmt.Sprintf("logs-%d-2025", i%len(keys)))); err != nil {
			b.Fatal(err)
		}
	}
}
