// Command typed-v9 is the smallest program that updates an API key with
// the typed client of go-elasticsearch v9; bench/binsize.sh measures its size.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/elastic/go-elasticsearch/v9"
	"github.com/elastic/go-elasticsearch/v9/typedapi/security/updateapikey"
	"github.com/elastic/go-elasticsearch/v9/typedapi/types"
	"github.com/elastic/go-elasticsearch/v9/typedapi/types/enums/indexprivilege"
)

func main() {
	es, err := elasticsearch.NewTyped(elasticsearch.WithBasicAuth("elastic", os.Getenv("ES_PASSWORD")))
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
