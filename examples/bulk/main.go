// Command bulk updates many keys in one call and shows why a bulk result
// must always be checked with Err: the call answers 200 even when some ids
// fail.
//
//	go run ./examples/bulk
//
// Like the quick start, it uses ELASTICSEARCH_URL when set and the embedded
// esapikeytest server otherwise.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/examples/internal/demo"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bulk:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	env, err := demo.Start(w)
	if err != nil {
		return err
	}
	defer env.Close()

	owner := demo.Unique("bulk-owner")
	password, err := env.User(owner, `{"cluster":["manage_own_api_key"]}`)
	if err != nil {
		return err
	}
	var ids []string
	for i := range 3 {
		k, err := env.CreateKey(owner, password, fmt.Sprintf(`{"name":"batch-%d"}`, i))
		if err != nil {
			return err
		}
		ids = append(ids, k.ID)
	}
	c, err := env.Client(owner, password, w)
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "\nTag three keys and one id that does not exist:")
	res, err := c.BulkUpdateAPIKeys(ctx, esapikey.BulkUpdateAPIKeysRequest{
		IDs:      append(ids, "no-such-key"),
		Metadata: esapikey.Metadata{"team": "search"},
	})
	if err != nil {
		return err // the call itself failed: nothing was updated
	}
	fmt.Fprintf(w, "  err == nil, yet not every id succeeded:\n  updated %v\n  noops %v\n", res.Updated, res.Noops)
	failed := res.Err()
	if failed == nil {
		return errors.New("expected a per-id failure")
	}
	fmt.Fprintf(w, "  res.Err(): %v\n", failed)
	fmt.Fprintf(w, "  errors.Is(res.Err(), esapikey.ErrNotFound) == %v\n", errors.Is(failed, esapikey.ErrNotFound))

	fmt.Fprintln(w, "\nThe same update again changes nothing:")
	res, err = c.BulkUpdateAPIKeys(ctx, esapikey.BulkUpdateAPIKeysRequest{IDs: ids, Metadata: esapikey.Metadata{"team": "search"}})
	if err != nil {
		return err
	}
	if err := res.Err(); err != nil {
		return err
	}
	fmt.Fprintf(w, "  updated %v, noops %d ids, res.Err() == nil\n", res.Updated, len(res.Noops))
	return nil
}
