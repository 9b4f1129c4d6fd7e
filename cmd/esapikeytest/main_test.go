package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
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
	go func() { errc <- serve(ctx, ln, &out, esapikeytest.WithSuperuser("admin", "admin-password")) }()

	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/", nil)
	req.SetBasicAuth("admin", "admin-password")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)

	cancel()
	require.NoError(t, <-errc)
	assert.True(t, strings.Contains(out.String(), "http://"+ln.Addr().String()), out.String())
}

func TestRunRejectsBadFlags(t *testing.T) {
	assert.Error(t, run([]string{"-no-such-flag"}))
	assert.Error(t, run([]string{"-addr", "256.0.0.1:-1"}))
}
