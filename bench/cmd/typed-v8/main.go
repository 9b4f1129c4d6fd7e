// Command typed-v8 is the smallest program that updates an API key with
// the typed client of go-elasticsearch v8; bench/binsize.sh measures its size.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/typedapi/security/updateapikey"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types"
	"github.com/elastic/go-elasticsearch/v8/typedapi/types/enums/indexprivilege"
)

func main() {
	es, err := elasticsearch.NewTypedClient(elasticsearch.Config{Username: "elastic", Password: os.Getenv("ES_PASSWORD")})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	res, err := es.Security.UpdateApiKey("VuaCfGcBCdbkQm-e5aOx").Request(&updateapikey.Request{
		RoleDescriptors: map[string]types.RoleDescriptor{
			"role-a": {Indices: []types.IndicesPrivileges{{Names: []string{"*"}, Privileges: []indexprivilege.IndexPrivilege{indexprivilege.Write}}}},
		},
		Metadata: types.Metadata{"environment": json.RawMessage(`{"level":2,"trusted":true,"tags":["production"]}`)},
	}).Do(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(res.Updated)
}
