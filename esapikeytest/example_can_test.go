package esapikeytest_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest"
)

// After an update that drops write, the key can still read logs-* and can no longer write to it.
func ExampleServer_APIKeyCan() {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	_ = srv.PutRole("owner", `{"cluster":["manage_own_api_key"],"indices":[{"names":["logs-*"],"privileges":["all"]}]}`)
	_ = srv.AddUser("alice", "alice-password", "owner")
	key, _ := srv.CreateAPIKey("alice", `{"name":"ingest","role_descriptors":{"logs":{"indices":[{"names":["logs-*"],"privileges":["read","write"]}]}}}`)

	canWrite, _ := srv.APIKeyCan(key.ID, "write", esapikeytest.Index("logs-2025"))
	fmt.Println("before: write", canWrite)

	body := `{"role_descriptors":{"logs":{"indices":[{"names":["logs-*"],"privileges":["read"]}]}}}`
	req, _ := http.NewRequest("PUT", srv.URL+"/_security/api_key/"+key.ID, strings.NewReader(body))
	req.SetBasicAuth("alice", "alice-password")
	req.Header.Set("Content-Type", "application/json")
	if res, err := http.DefaultClient.Do(req); err == nil {
		res.Body.Close()
	}

	canRead, _ := srv.APIKeyCan(key.ID, "read", esapikeytest.Index("logs-2025"))
	canWrite, _ = srv.APIKeyCan(key.ID, "write", esapikeytest.Index("logs-2025"))
	canIndex, _ := srv.APIKeyCan(key.ID, "index", esapikeytest.Index("logs-2025"))
	canManage, _ := srv.APIKeyCan(key.ID, "manage_own_api_key", esapikeytest.Cluster())
	fmt.Println("after: read", canRead, "write", canWrite, "index", canIndex, "manage_own_api_key", canManage)
	// Output:
	// before: write true
	// after: read true write false index false manage_own_api_key false
}
