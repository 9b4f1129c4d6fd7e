// Command esapikey is the smallest program that updates an API key with
// esapikey; bench/binsize.sh measures its size.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/esapikey/esapikey"
)

func main() {
	c, err := esapikey.NewClient(esapikey.Config{Username: "elastic", Password: os.Getenv("ES_PASSWORD")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	res, err := c.UpdateAPIKey(context.Background(), esapikey.UpdateAPIKeyRequest{
		ID: "VuaCfGcBCdbkQm-e5aOx",
		RoleDescriptors: map[string]esapikey.RoleDescriptor{
			"role-a": {Indices: []esapikey.IndicesPrivileges{{Names: []string{"*"}, Privileges: []string{"write"}}}},
		},
		Metadata: esapikey.Metadata{"environment": map[string]any{"level": 2, "trusted": true, "tags": []string{"production"}}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(res.Updated)
}
