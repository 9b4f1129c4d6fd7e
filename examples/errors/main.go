// Command errors shows the errors a caller of UpdateAPIKey meets and how to
// tell them apart with errors.Is and errors.As:
//
//	go run ./examples/errors
//
// Like the quick start, it uses ELASTICSEARCH_URL when set and the embedded
// esapikeytest server otherwise.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/examples/internal/demo"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "errors:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	env, err := demo.Start(w)
	if err != nil {
		return err
	}
	defer env.Close()

	owner := demo.Unique("errors-owner")
	password, err := env.User(owner, `{"cluster":["manage_own_api_key"]}`)
	if err != nil {
		return err
	}
	c, err := env.Client(owner, password, w)
	if err != nil {
		return err
	}
	newKey := func(body string) (demo.Key, error) { return env.CreateKey(owner, password, body) }

	fmt.Fprintln(w, "\nAn id no key of this user has:")
	_, err = c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: "no-such-key"})
	if err := expect(w, err, esapikey.ErrNotFound); err != nil {
		return err
	}

	short, err := newKey(`{"name":"short-lived","expiration":"1s"}`)
	if err != nil {
		return err
	}
	env.Wait(2 * time.Second)
	fmt.Fprintln(w, "\nA key that has expired:")
	_, err = c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: short.ID})
	if err := expect(w, err, esapikey.ErrExpired); err != nil {
		return err
	}

	gone, err := newKey(`{"name":"invalidated"}`)
	if err != nil {
		return err
	}
	if err := env.Call(owner, password, http.MethodDelete, "/_security/api_key", fmt.Sprintf(`{"ids":[%q],"owner":true}`, gone.ID), nil); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nA key that was invalidated:")
	_, err = c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: gone.ID})
	if err := expect(w, err, esapikey.ErrInvalidated); err != nil {
		return err
	}

	own, err := newKey(`{"name":"credentials","role_descriptors":{"r":{"cluster":["manage_own_api_key"]}}}`)
	if err != nil {
		return err
	}
	withKey, err := env.ClientWithAPIKey(own.Encoded, w)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nAuthenticated with an API key instead of the owner's credentials:")
	_, err = withKey.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: own.ID})
	if err := expect(w, err, esapikey.ErrAPIKeyCredentials); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nRefused before sending: an expiration Elasticsearch would reject (nothing is sent):")
	_, err = c.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: own.ID, Expiration: "1.5h"})
	if err := expect(w, err, esapikey.ErrInvalidRequest); err != nil {
		return err
	}
	var ve *esapikey.ValidationError
	if errors.As(err, &ve) {
		fmt.Fprintf(w, "  field %q: %s\n", ve.Field, ve.Reason)
	}

	fmt.Fprintln(w, "\nNo answer at all: a node that is not listening:")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	down, err := esapikey.NewClient(esapikey.Config{Addresses: []string{"http://" + addr}, DisableRetry: true})
	if err != nil {
		return err
	}
	defer down.Close(ctx)
	_, err = down.UpdateAPIKey(ctx, esapikey.UpdateAPIKeyRequest{ID: own.ID})
	var te *esapikey.TransportError
	if !errors.As(err, &te) {
		return fmt.Errorf("got %v, want a *esapikey.TransportError", err)
	}
	fmt.Fprintf(w, "  err: %v\n  errors.As(err, &te) == true: call %s got no answer; whether it was applied is unknown\n", err, te.Op)
	return nil
}

// expect prints err and checks that it matches want.
func expect(w io.Writer, err, want error) error {
	if !errors.Is(err, want) {
		return fmt.Errorf("got %v, want an error matching %v", err, want)
	}
	fmt.Fprintf(w, "  err: %v\n  errors.Is(err, %s) == true\n", err, sentinelName(want))
	var e *esapikey.Error
	if errors.As(err, &e) {
		fmt.Fprintf(w, "  status %d, type %s\n", e.StatusCode, e.Type)
	}
	return nil
}

func sentinelName(err error) string {
	for name, s := range map[string]error{
		"esapikey.ErrNotFound": esapikey.ErrNotFound, "esapikey.ErrExpired": esapikey.ErrExpired,
		"esapikey.ErrInvalidated": esapikey.ErrInvalidated, "esapikey.ErrAPIKeyCredentials": esapikey.ErrAPIKeyCredentials,
		"esapikey.ErrInvalidRequest": esapikey.ErrInvalidRequest,
	} {
		if s == err {
			return name
		}
	}
	return err.Error()
}
