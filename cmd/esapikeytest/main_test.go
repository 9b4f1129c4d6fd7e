package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	errc := make(chan error, 1)
	srv := esapikeytest.NewUnstartedServer(esapikeytest.WithSuperuser("admin", "admin-password"))
	go func() { errc <- serve(ctx, ln, &out, srv) }()

	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/", nil)
	req.SetBasicAuth("admin", "admin-password")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)

	cancel()
	require.NoError(t, <-errc)
	assert.True(t, strings.Contains(out.String(), "http://"+ln.Addr().String()), out.String())
	assert.True(t, strings.HasPrefix(out.String(), "esapikeytest 9.3.0 serving on "), out.String())
}

// -version names the release the server imitates; GET / reports it.
func TestNewServerVersion(t *testing.T) {
	srv, err := newServer("8.13.0", esapikeytest.WithSuperuser("admin", "admin-password"))
	require.NoError(t, err)
	assert.Equal(t, "8.13.0", srv.Version())
	req := httptest.NewRequest("GET", "/", nil)
	req.SetBasicAuth("admin", "admin-password")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	assert.Contains(t, rec.Body.String(), `"number":"8.13.0"`)

	_, err = newServer("8.3.0")
	require.ErrorIs(t, err, errUsage)
	assert.Equal(t, "usage: -version 8.3.0: unsupported Elasticsearch release 8.3.0; the supported releases are 8.4.0 to 9.3.x", err.Error())
}

func TestRunRejectsBadFlags(t *testing.T) {
	assert.Error(t, run([]string{"-no-such-flag"}))
	assert.Error(t, run([]string{"-addr", "256.0.0.1:-1"}))
}
