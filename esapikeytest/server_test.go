package esapikeytest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

func TestThreeLines(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	key, err := srv.CreateAPIKey("elastic", `{"name":"my-api-key"}`)
	require.NoError(t, err)

	req, _ := http.NewRequest("GET", srv.URL+"/_security/_authenticate", nil)
	req.Header.Set("Authorization", "ApiKey "+key.Encoded)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Len(t, key.ID, 20)
	assert.Len(t, key.Key, 22)
	assert.Equal(t, "my-api-key", key.Name)
}

func TestHandlerInProcess(t *testing.T) {
	srv := esapikeytest.NewUnstartedServer(esapikeytest.WithSuperuser("root", "rootpass"))
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	req, _ := http.NewRequest("GET", hs.URL+"/", nil)
	req.SetBasicAuth("root", "rootpass")
	res, err := hs.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "application/json", res.Header.Get("Content-Type"))
}

func TestHelpers(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.PutRole("owner", `{"cluster":["manage_own_api_key"],"indices":[{"names":["*"],"privileges":["all"]}]}`))
	require.NoError(t, srv.AddUser("bob", "bob-password", "owner"))

	key, err := srv.CreateAPIKey("bob", `{"name":"k","role_descriptors":{"r":{"cluster":["monitor"]}},"metadata":{"a":1},"expiration":"1h"}`)
	require.NoError(t, err)
	stored, ok := srv.APIKey(key.ID)
	require.True(t, ok)
	assert.Equal(t, "rest", stored.Type)
	assert.Equal(t, "bob", stored.Owner)
	assert.Equal(t, "default_native", stored.Realm)
	assert.Equal(t, map[string]any{"a": json.Number("1")}, stored.Metadata)
	assert.Contains(t, stored.RoleDescriptors, "r")
	assert.Contains(t, stored.LimitedBy, "owner")
	assert.Equal(t, stored.Creation.Add(time.Hour), stored.Expiration)
	assert.Equal(t, key.Expiration, stored.Expiration)
	assert.False(t, stored.Invalidated)

	require.NoError(t, srv.InvalidateAPIKey(key.ID))
	stored, _ = srv.APIKey(key.ID)
	assert.True(t, stored.Invalidated)

	cc, err := srv.CreateCrossClusterAPIKey("elastic", `{"name":"cc","access":{"replication":[{"names":["logs"]}]}}`)
	require.NoError(t, err)
	stored, _ = srv.APIKey(cc.ID)
	assert.Equal(t, "cross_cluster", stored.Type)
	assert.Empty(t, stored.LimitedBy)
	assert.Nil(t, stored.Metadata, "no metadata given")

	_, ok = srv.APIKey("nope")
	assert.False(t, ok)
}

func TestHelperErrors(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	for name, err := range map[string]error{
		"reserved user":      srv.AddUser("elastic", "password"),
		"short password":     srv.AddUser("bob", "short"),
		"bad role json":      srv.PutRole("r", `{"cluster":`),
		"bad role field":     srv.PutRole("r", `{"description":1}`),
		"unknown privilege":  srv.PutRole("r", `{"cluster":["fly"]}`),
		"unknown owner":      second(srv.CreateAPIKey("nobody", `{"name":"k"}`)),
		"missing name":       second(srv.CreateAPIKey("elastic", `{}`)),
		"empty body":         second(srv.CreateAPIKey("elastic", ``)),
		"bad expiration":     second(srv.CreateAPIKey("elastic", `{"name":"k","expiration":"1M"}`)),
		"cc without access":  second(srv.CreateCrossClusterAPIKey("elastic", `{"name":"k"}`)),
		"invalidate unknown": srv.InvalidateAPIKey("nope"),
	} {
		assert.Error(t, err, name)
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "esapikeytest: "), err.Error())
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestClock(t *testing.T) {
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := esapikeytest.NewServer(esapikeytest.WithClock(func() time.Time { return start }))
	defer srv.Close()
	assert.Equal(t, start, srv.Now())
	srv.Advance(90 * time.Minute)
	assert.Equal(t, start.Add(90*time.Minute), srv.Now())
	later := start.Add(48 * time.Hour)
	srv.SetNow(later)
	assert.Equal(t, later, srv.Now())

	// Expiration is whole seconds from now.
	key, err := srv.CreateAPIKey("elastic", `{"name":"k","expiration":"1500ms"}`)
	require.NoError(t, err)
	assert.Equal(t, later.Add(time.Second), key.Expiration)

	body := `{"metadata":{}}`
	assert.Equal(t, 200, put(t, srv, key.ID, body).StatusCode)
	srv.Advance(time.Second)
	assert.Equal(t, 200, put(t, srv, key.ID, body).StatusCode, "expired only after the expiration instant")
	srv.Advance(time.Millisecond)
	assert.Equal(t, 400, put(t, srv, key.ID, body).StatusCode)
}

func put(t *testing.T, srv *esapikeytest.Server, id, body string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("PUT", srv.URL+"/_security/api_key/"+id, strings.NewReader(body))
	req.SetBasicAuth("elastic", "changeme")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	return res
}

func TestConcurrentUse(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	var wg sync.WaitGroup
	ids := make(chan string, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := fmt.Sprintf("user%d", i)
			assert.NoError(t, srv.AddUser(user, "password", "superuser"))
			for j := range 8 {
				key, err := srv.CreateAPIKey(user, fmt.Sprintf(`{"name":"k%d"}`, j))
				assert.NoError(t, err)
				ids <- key.ID
				res := put(t, srv, key.ID, `{"metadata":{"j":1}}`)
				assert.Equal(t, http.StatusNotFound, res.StatusCode, "owned by %s, not elastic", user)
				srv.Advance(time.Millisecond)
			}
		}()
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		assert.False(t, seen[id], "ids are unique")
		seen[id] = true
	}
	assert.Len(t, seen, 64)
}

func TestPrettyAndHeaders(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/?pretty", nil)
	req.SetBasicAuth("elastic", "changeme")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var v map[string]any
	require.NoError(t, json.NewDecoder(res.Body).Decode(&v))
	assert.Equal(t, esapikeytest.Version, v["version"].(map[string]any)["number"])

	req, _ = http.NewRequest("GET", srv.URL+"/_nope", nil)
	res2, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res2.Body.Close()
	assert.Equal(t, http.StatusBadRequest, res2.StatusCode)
	require.NoError(t, json.NewDecoder(res2.Body).Decode(&v))
	assert.Equal(t, "no handler found for uri [/_nope] and method [GET]", v["error"])
	assert.Equal(t, "Elasticsearch", res2.Header.Get("X-Elastic-Product"))
}
