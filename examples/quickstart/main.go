// Command quickstart walks through the documented uses of the Update API key
// endpoint with esapikey, printing each request and its result:
//
//	go run ./examples/quickstart
//
// With no ELASTICSEARCH_URL it starts the embedded esapikeytest server; with
// ELASTICSEARCH_URL (and ELASTICSEARCH_USERNAME, ELASTICSEARCH_PASSWORD of an
// administrator) it does the same on that cluster and removes what it
// created.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/examples/internal/demo"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	env, err := demo.Start(w)
	if err != nil {
		return err
	}
	defer env.Close()

	owner := demo.Unique("quickstart-owner")
	ownerRole := `{"cluster":["manage_own_api_key","monitor"],"indices":[{"names":["*"],"privileges":["all"]}]}`
	password, err := env.User(owner, ownerRole)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nUser %s (role: manage_own_api_key, all on *) creates the documented key:\n", owner)
	key, err := env.CreateKey(owner, password, demo.DocumentedKey)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  key id %s, role-a reads index-a*, metadata environment.level 1\n", key.ID)

	c, err := env.Client(owner, password, w)
	if err != nil {
		return err
	}

	steps := []struct {
		title string
		req   esapikey.UpdateAPIKeyRequest
		want  bool
	}{
		{
			title: "1. New role descriptors and metadata: role-a may write to every index",
			req: esapikey.UpdateAPIKeyRequest{
				ID: key.ID,
				RoleDescriptors: map[string]esapikey.RoleDescriptor{
					"role-a": {Indices: []esapikey.IndicesPrivileges{
						{Names: []string{"*"}, Privileges: []string{esapikey.IndexWrite}},
					}},
				},
				Metadata: esapikey.Metadata{
					"environment": map[string]any{"level": 2, "trusted": true, "tags": []string{"production"}},
				},
			},
			want: true,
		},
		{
			title: "2. Remove the key's own privileges with an empty map: it inherits its owner's",
			req:   esapikey.UpdateAPIKeyRequest{ID: key.ID, RoleDescriptors: map[string]esapikey.RoleDescriptor{}},
			want:  true,
		},
		{
			title: "3. Nothing set: no body; nothing changed since, so nothing to do",
			req:   esapikey.UpdateAPIKeyRequest{ID: key.ID},
			want:  false,
		},
	}
	for _, s := range steps {
		if err := update(ctx, w, c, s.title, s.req, s.want); err != nil {
			return err
		}
	}

	fmt.Fprintf(w, "\nThe owner's role changes (all on * becomes read on logs-*):\n")
	if err := env.Admin(http.MethodPut, "/_security/role/"+owner,
		`{"cluster":["manage_own_api_key"],"indices":[{"names":["logs-*"],"privileges":["read"]}]}`, nil); err != nil {
		return err
	}
	err = update(ctx, w, c, "4. Nothing set again: the snapshot of the owner's permissions is refreshed",
		esapikey.UpdateAPIKeyRequest{ID: key.ID}, true)
	if err != nil {
		return err
	}

	stored, err := env.GetKey(owner, password, key.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThe key now: role_descriptors %v, metadata %v\n", stored["role_descriptors"], stored["metadata"])
	fmt.Fprintln(w, "Done: 4 updates as documented.")
	return nil
}

func update(ctx context.Context, w io.Writer, c *esapikey.Client, title string, req esapikey.UpdateAPIKeyRequest, want bool) error {
	fmt.Fprintf(w, "\n%s\n", title)
	res, err := c.UpdateAPIKey(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  res.Updated = %v\n", res.Updated)
	if res.Updated != want {
		return fmt.Errorf("%s: updated is %v, want %v", title, res.Updated, want)
	}
	return nil
}
