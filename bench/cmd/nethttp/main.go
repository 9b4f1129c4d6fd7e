// Command nethttp is the smallest program that updates an API key with
// net/http and encoding/json alone; bench/binsize.sh measures its size.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
)

func main() {
	body, err := json.Marshal(map[string]any{
		"role_descriptors": map[string]any{"role-a": map[string]any{"indices": []any{map[string]any{"names": []string{"*"}, "privileges": []string{"write"}}}}},
		"metadata":         map[string]any{"environment": map[string]any{"level": 2, "trusted": true, "tags": []string{"production"}}},
	})
	if err != nil {
		panic(err)
	}
	req, err := http.NewRequest(http.MethodPut, "http://localhost:9200/_security/api_key/VuaCfGcBCdbkQm-e5aOx", bytes.NewReader(body))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("elastic", os.Getenv("ES_PASSWORD"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer res.Body.Close()
	var out struct {
		Updated bool `json:"updated"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
		fmt.Fprintln(os.Stderr, res.Status, err)
		os.Exit(1)
	}
	fmt.Println(out.Updated)
}
