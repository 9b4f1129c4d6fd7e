// Command esapi-v9 is the smallest program that updates an API key with the
// esapi package of go-elasticsearch v9; bench/binsize.sh measures its size.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/elastic/go-elasticsearch/v9"
)

func main() {
	es, err := elasticsearch.New(elasticsearch.WithBasicAuth("elastic", os.Getenv("ES_PASSWORD")))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	body := `{"role_descriptors":{"role-a":{"indices":[{"names":["*"],"privileges":["write"]}]}},"metadata":{"environment":{"level":2,"trusted":true,"tags":["production"]}}}`
	res, err := es.Security.UpdateAPIKey("VuaCfGcBCdbkQm-e5aOx", es.Security.UpdateAPIKey.WithBody(strings.NewReader(body)))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer res.Body.Close()
	var out struct {
		Updated bool `json:"updated"`
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.IsError() {
		fmt.Fprintln(os.Stderr, res.Status(), err)
		os.Exit(1)
	}
	fmt.Println(out.Updated)
}
