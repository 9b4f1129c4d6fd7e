package esapikey_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
)

// peer listens on the loopback and serves each connection with serve.
func peer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				serve(conn)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// readRequest reads the head of one request from conn.
func readRequest(conn net.Conn) {
	r := bufio.NewReader(conn)
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == "\r\n" {
			return
		}
	}
}

// Every failure to get an answer, whatever its cause, is a
// *esapikey.TransportError naming the call, and still matches the
// underlying network or context error.
func TestTransportError(t *testing.T) {
	refused := func(t *testing.T) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		ln.Close()
		return "http://" + addr
	}
	cases := []struct {
		name  string
		addr  func(t *testing.T) string
		ctx   func(t *testing.T) context.Context
		check func(t *testing.T, err error)
	}{
		{"bytes that are not HTTP", func(t *testing.T) string {
			return peer(t, func(c net.Conn) { readRequest(c); _, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6\r\n\r\n")) })
		}, nil, func(t *testing.T, err error) { assert.Contains(t, err.Error(), "malformed HTTP") }},
		{"connection refused", refused, nil, func(t *testing.T, err error) {
			var op *net.OpError
			assert.ErrorAs(t, err, &op)
		}},
		{"closed before the answer", func(t *testing.T) string {
			return peer(t, func(c net.Conn) { readRequest(c) })
		}, nil, nil},
		{"answer cut short", func(t *testing.T) string {
			return peer(t, func(c net.Conn) {
				readRequest(c)
				_, _ = c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"upd"))
			})
		}, nil, func(t *testing.T, err error) { assert.ErrorIs(t, err, io.ErrUnexpectedEOF) }},
		{"deadline", func(t *testing.T) string {
			return peer(t, func(c net.Conn) { readRequest(c); _, _ = io.Copy(io.Discard, c) }) // until the client gives up
		}, func(t *testing.T) context.Context {
			ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
			t.Cleanup(cancel)
			return ctx
		}, func(t *testing.T, err error) { assert.ErrorIs(t, err, context.DeadlineExceeded) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newClient(t, esapikey.Config{Addresses: []string{tc.addr(t)}, DisableRetry: true})
			ctx := t.Context()
			if tc.ctx != nil {
				ctx = tc.ctx(t)
			}

			_, err := c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: testID})

			var te *esapikey.TransportError
			require.ErrorAs(t, err, &te, "%v", err)
			assert.Equal(t, "security.update_api_key", te.Op)
			assert.True(t, strings.HasPrefix(err.Error(), "esapikey: security.update_api_key: "), err.Error())
			var e *esapikey.Error
			var de *esapikey.DecodeError
			assert.False(t, errors.As(err, &e))
			assert.False(t, errors.As(err, &de))
			assert.NotErrorIs(t, err, esapikey.ErrInvalidRequest)
			if tc.check != nil {
				tc.check(t, err)
			}
		})
	}
}

// An answer, however bad, is not a transport failure; neither is a request
// refused before sending.
func TestTransportError_notForAnswers(t *testing.T) {
	client, mux := setup(t)
	answer(mux, http.StatusBadGateway, "<html>bad gateway</html>")
	_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID})
	var te *esapikey.TransportError
	assert.False(t, errors.As(err, &te))
	_, err = client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{})
	assert.False(t, errors.As(err, &te))
}
