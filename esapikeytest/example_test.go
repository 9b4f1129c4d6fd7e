package esapikeytest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest"
)

// A server, a user and a key in three lines; then the documented update calls over plain net/http.
func Example() {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	_ = srv.PutRole("owner", `{"cluster":["all"],"indices":[{"names":["*"],"privileges":["all"]}]}`)
	_ = srv.AddUser("alice", "alice-password", "owner")
	key, _ := srv.CreateAPIKey("alice", `{"name":"my-api-key","role_descriptors":{"role-a":{"cluster":["all"]}}}`)

	update := func(body string) {
		req, _ := http.NewRequest("PUT", srv.URL+"/_security/api_key/"+key.ID, strings.NewReader(body))
		req.SetBasicAuth("alice", "alice-password")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		fmt.Println(res.StatusCode, string(out))
	}

	update(`{"role_descriptors":{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}},"metadata":{"environment":{"level":2}}}`)
	update(`{"role_descriptors":{}}`)
	update(``)
	_ = srv.PutRole("owner", `{"cluster":["manage_security"],"indices":[{"names":["*"],"privileges":["read"]}]}`)
	update(``)
	update(`{"expiration":"1.5h"}`)

	stored, _ := srv.APIKey(key.ID)
	fmt.Println(len(stored.RoleDescriptors), stored.Metadata)
	// Output:
	// 200 {"updated":true}
	// 200 {"updated":true}
	// 200 {"updated":false}
	// 200 {"updated":true}
	// 400 {"error":{"root_cause":[{"type":"x_content_parse_exception","reason":"Failed to build [update_api_key_request_payload] after last required field arrived"}],"type":"x_content_parse_exception","reason":"Failed to build [update_api_key_request_payload] after last required field arrived","caused_by":{"type":"illegal_argument_exception","reason":"failed to parse [1.5h], fractional time values are not supported"}},"status":400}
	// 0 map[environment:map[level:2]]
}
