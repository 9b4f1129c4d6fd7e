package esapikeytest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/esapikey/esapikey/esapikeytest"
)

// BenchmarkBulkUpdate10000 measures one bulk update of 10,000 keys, over HTTP.
func BenchmarkBulkUpdate10000(b *testing.B) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	ids := make([]string, 10000)
	for i := range ids {
		key, err := srv.CreateAPIKey("elastic", `{"name":"bulk"}`)
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = `"` + key.ID + `"`
	}
	for i := 0; b.Loop(); i++ {
		body := fmt.Sprintf(`{"ids":[%s],"metadata":{"run":%d}}`, strings.Join(ids, ","), i)
		req, _ := http.NewRequest("POST", srv.URL+"/_security/api_key/_bulk_update", strings.NewReader(body))
		req.SetBasicAuth("elastic", "changeme")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			b.Fatal(res.Status)
		}
	}
}
