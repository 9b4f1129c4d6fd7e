package esapikeytest_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

// loadWorker is one client of the load test: it owns the keys it creates, so it knows what each of
// them must hold after every acknowledged request.
type loadWorker struct {
	t     *testing.T
	srv   *esapikeytest.Server
	n     int
	auth  string
	keys  []string          // its keys, in creation order
	enc   map[string]string // key id to encoded credentials
	want  map[string]int    // the last acknowledged metadata value of each key
	gone  map[string]bool   // invalidated keys
	fails []string
}

func (w *loadWorker) do(method, path, auth, body string) (int, map[string]any) {
	req, err := http.NewRequest(method, w.srv.URL+path, strings.NewReader(body))
	if err != nil {
		w.fails = append(w.fails, err.Error())
		return 0, nil
	}
	req.Header.Set("Authorization", auth)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		w.fails = append(w.fails, err.Error())
		return 0, nil
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var obj map[string]any
	_ = json.Unmarshal(raw, &obj)
	if res.StatusCode != http.StatusOK {
		w.fails = append(w.fails, fmt.Sprintf("%s %s: %d %s", method, path, res.StatusCode, raw))
	}
	return res.StatusCode, obj
}

// live returns one of the worker's keys that is not invalidated, or "".
func (w *loadWorker) live(i int) string {
	for j := range w.keys {
		if id := w.keys[(i+j)%len(w.keys)]; !w.gone[id] {
			return id
		}
	}
	return ""
}

func (w *loadWorker) step(i int) {
	name := fmt.Sprintf("w%02d-k%02d", w.n, i)
	if status, obj := w.do("POST", "/_security/api_key", w.auth, `{"name":"`+name+`","metadata":{"v":0}}`); status == http.StatusOK {
		id := obj["id"].(string)
		w.keys = append(w.keys, id)
		w.enc[id], w.want[id] = obj["encoded"].(string), 0
	}
	if id := w.live(i); id != "" {
		if status, _ := w.do("PUT", "/_security/api_key/"+id, w.auth, fmt.Sprintf(`{"metadata":{"v":%d}}`, 100+i)); status == http.StatusOK {
			w.want[id] = 100 + i
		}
		status, obj := w.do("GET", "/_security/api_key?owner=true&id="+id, w.auth, "")
		if keys, _ := obj["api_keys"].([]any); status == http.StatusOK && len(keys) == 1 {
			md := keys[0].(map[string]any)["metadata"].(map[string]any)
			if got := md["v"].(float64); int(got) != w.want[id] {
				w.fails = append(w.fails, fmt.Sprintf("GET %s: metadata v %v, acknowledged %d", id, got, w.want[id]))
			}
		}
		status, obj = w.do("POST", "/_security/user/_has_privileges", "ApiKey "+w.enc[id], `{"cluster":["manage_own_api_key"]}`)
		if status == http.StatusOK && obj["has_all_requested"] != true {
			w.fails = append(w.fails, "a live key lost manage_own_api_key")
		}
	}
	var live []string
	for _, id := range w.keys {
		if !w.gone[id] {
			live = append(live, id)
		}
	}
	ids, _ := json.Marshal(live)
	if status, obj := w.do("POST", "/_security/api_key/_bulk_update", w.auth, fmt.Sprintf(`{"ids":%s,"metadata":{"v":%d}}`, ids, 200+i)); status == http.StatusOK {
		for _, id := range obj["updated"].([]any) {
			w.want[id.(string)] = 200 + i
		}
		if obj["errors"] != nil {
			w.fails = append(w.fails, fmt.Sprintf("bulk update of live keys failed: %v", obj["errors"]))
		}
	}
	status, obj := w.do("POST", "/_security/_query/api_key", w.auth, `{"query":{"term":{"name":"`+name+`"}}}`)
	if status == http.StatusOK && obj["total"] != float64(1) {
		w.fails = append(w.fails, fmt.Sprintf("query for %s found %v keys", name, obj["total"]))
	}
	if i%3 == 2 {
		if id := w.live(i); id != "" {
			if status, _ := w.do("DELETE", "/_security/api_key", w.auth, `{"owner":true,"ids":["`+id+`"]}`); status == http.StatusOK {
				w.gone[id] = true
			}
		}
	}
}

// TestLoad runs 64 clients at once, each creating, updating, bulk-updating, reading, querying,
// checking privileges with and invalidating its own keys, and then checks that nothing any of them
// was told had happened is lost or changed by another: every key exists with its owner, the last
// acknowledged metadata, and its invalidation. Run under -race it also checks the server's locking.
func TestLoad(t *testing.T) {
	const workers, steps, users = 64, 8, 8
	srv := esapikeytest.NewServer()
	defer srv.Close()
	require.NoError(t, srv.PutRole("owner", `{"cluster":["manage_own_api_key"]}`))
	for u := range users {
		require.NoError(t, srv.AddUser(fmt.Sprintf("load-%d", u), "load-password", "owner"))
	}
	ws := make([]*loadWorker, workers)
	var wg sync.WaitGroup
	for n := range ws {
		user := fmt.Sprintf("load-%d", n%users)
		w := &loadWorker{t: t, srv: srv, n: n, enc: map[string]string{}, want: map[string]int{}, gone: map[string]bool{},
			auth: "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":load-password"))}
		ws[n] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range steps {
				w.step(i)
			}
		}()
	}
	wg.Wait()
	total := 0
	for n, w := range ws {
		if len(w.fails) > 0 {
			t.Errorf("worker %d: %d failed requests, the first: %s", n, len(w.fails), w.fails[0])
		}
		for _, id := range w.keys {
			total++
			k, ok := srv.APIKey(id)
			if !assert.True(t, ok, "acknowledged key %s is lost", id) {
				continue
			}
			assert.Equal(t, fmt.Sprintf("load-%d", n%users), k.Owner)
			assert.Equal(t, w.gone[id], k.Invalidated, "key %s", id)
			assert.Equal(t, json.Number(fmt.Sprint(w.want[id])), k.Metadata["v"], "key %s", id)
		}
	}
	assert.Equal(t, workers*steps, total)
}
