package esapikeytest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

// rootVersion is the version object of GET / on srv.
func rootVersion(t *testing.T, srv *esapikeytest.Server) map[string]any {
	t.Helper()
	res, body := send(t, srv, "GET", "/", "", "")
	require.Equal(t, http.StatusOK, res.StatusCode, body)
	var v struct {
		Version map[string]any `json:"version"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &v), body)
	return v.Version
}

// Without WithVersion the server is 9.3.0, and GET / says so as 9.3.0 does.
func TestVersionDefault(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	assert.Equal(t, "9.3.0", esapikeytest.Version)
	assert.Equal(t, esapikeytest.Version, srv.Version())
	v := rootVersion(t, srv)
	assert.Equal(t, "9.3.0", v["number"])
	assert.Equal(t, "10.3.2", v["lucene_version"])
	assert.Equal(t, "8.19.0", v["minimum_wire_compatibility_version"])
	assert.Equal(t, "8.0.0", v["minimum_index_compatibility_version"])
}

// GET / reports the release WithVersion names, with that release's Lucene and compatibility versions.
func TestWithVersionReportedAtRoot(t *testing.T) {
	for _, c := range []struct{ number, lucene, wire, index string }{
		{"8.4.0", "9.3.0", "7.17.0", "7.0.0"},
		{"8.12.1", "9.9.2", "7.17.0", "7.0.0"},
		{"8.13.0", "9.10.0", "7.17.0", "7.0.0"},
		{"8.17.2", "9.12.0", "7.17.0", "7.0.0"},
		{"9.0.0", "10.1.0", "8.18.0", "8.0.0"},
		{"9.1.2", "10.2.2", "8.19.0", "8.0.0"},
		{"9.3.4", "10.3.2", "8.19.0", "8.0.0"},
	} {
		srv := esapikeytest.NewServer(esapikeytest.WithVersion(c.number))
		assert.Equal(t, c.number, srv.Version())
		v := rootVersion(t, srv)
		assert.Equal(t, c.number, v["number"])
		assert.Equal(t, c.lucene, v["lucene_version"], c.number)
		assert.Equal(t, c.wire, v["minimum_wire_compatibility_version"], c.number)
		assert.Equal(t, c.index, v["minimum_index_compatibility_version"], c.number)
		srv.Close()
	}
}

// A release the server does not imitate is a setup error: NewServer panics and says which releases it
// imitates, before it listens.
func TestWithVersionUnsupportedPanics(t *testing.T) {
	for _, c := range []struct{ v, msg string }{
		{"8.3.3", `esapikeytest: WithVersion("8.3.3"): unsupported Elasticsearch release 8.3.3; the supported releases are 8.4.0 to 9.3.x`},
		{"9.4.0", `esapikeytest: WithVersion("9.4.0"): unsupported Elasticsearch release 9.4.0; the supported releases are 8.4.0 to 9.3.x`},
		{"8.13", `esapikeytest: WithVersion("8.13"): malformed Elasticsearch release "8.13": want major.minor.patch, such as "8.13.0"; ` +
			`the supported releases are 8.4.0 to 9.3.x`},
		{"", `esapikeytest: WithVersion(""): malformed Elasticsearch release "": want major.minor.patch, such as "8.13.0"; ` +
			`the supported releases are 8.4.0 to 9.3.x`},
		{"9.3.0-SNAPSHOT", `esapikeytest: WithVersion("9.3.0-SNAPSHOT"): malformed Elasticsearch release "9.3.0-SNAPSHOT": ` +
			`want major.minor.patch, such as "8.13.0"; the supported releases are 8.4.0 to 9.3.x`},
	} {
		assert.PanicsWithValue(t, c.msg, func() { esapikeytest.NewServer(esapikeytest.WithVersion(c.v)) }, c.v)
		assert.PanicsWithValue(t, c.msg, func() { esapikeytest.NewUnstartedServer(esapikeytest.WithVersion(c.v)) }, c.v)
	}
}

func ExampleWithVersion() {
	srv := esapikeytest.NewServer(esapikeytest.WithVersion("8.13.0"))
	defer srv.Close()
	fmt.Println(srv.Version())
	// Output: 8.13.0
}
