// Command merge shows read-then-write with esapikey: read an API key, see
// what an update would change before sending it, and merge metadata
// instead of replacing it (Elasticsearch replaces metadata as a whole):
//
//	go run ./examples/merge
//
// With no ELASTICSEARCH_URL it starts the embedded esapikeytest server; with
// ELASTICSEARCH_URL (and ELASTICSEARCH_USERNAME, ELASTICSEARCH_PASSWORD of an
// administrator) it does the same on that cluster and removes what it
// created.
//
// Reading, merging and writing is not atomic: a change another client makes
// between the read and the update is overwritten.
package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/examples/internal/demo"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "merge:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	env, err := demo.Start(w)
	if err != nil {
		return err
	}
	defer env.Close()

	owner := demo.Unique("merge-owner")
	password, err := env.User(owner, `{"cluster":["manage_own_api_key"],"indices":[{"names":["*"],"privileges":["all"]}]}`)
	if err != nil {
		return err
	}
	created, err := env.CreateKey(owner, password, demo.DocumentedKey)
	if err != nil {
		return err
	}
	c, err := env.Client(owner, password, w)
	if err != nil {
		return err
	}

	fmt.Fprintf(w, "\n1. Read the key\n")
	key, err := c.GetAPIKey(ctx, created.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  metadata: %v\n", key.Metadata)

	// The documented update sends environment only: application would go.
	patch := esapikey.Metadata{"environment": map[string]any{"level": 2, "tags": []string{"production"}}}
	fmt.Fprintf(w, "\n2. Plan the update as documented (metadata replaces):\n")
	plan := esapikey.PlanUpdate(key, esapikey.UpdateAPIKeyRequest{ID: key.ID, Metadata: patch})
	fmt.Fprintln(w, indent(plan.String()))
	fmt.Fprintf(w, "  it would remove %v: not sent\n", plan.RemovedMetadataKeys())

	fmt.Fprintf(w, "\n3. Merge the change into the metadata read, plan and send it:\n")
	req := esapikey.UpdateAPIKeyRequest{ID: key.ID, Metadata: esapikey.MergeMetadata(key.Metadata, patch)}
	plan = esapikey.PlanUpdate(key, req)
	fmt.Fprintln(w, indent(plan.String()))
	if removed := plan.RemovedMetadataKeys(); len(removed) > 0 {
		return fmt.Errorf("the merged update still removes %v", removed)
	}
	res, err := c.UpdateAPIKey(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  res.Updated = %v\n", res.Updated)

	fmt.Fprintf(w, "\n4. Read again: the same request plans no change\n")
	key, err = c.GetAPIKey(ctx, created.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  metadata: %v\n", key.Metadata)
	again := esapikey.PlanUpdate(key, req)
	fmt.Fprintln(w, indent(again.String()))
	if !again.NoChange() {
		return fmt.Errorf("the update did not converge:\n%s", again)
	}

	fmt.Fprintf(w, "\n5. Plan removing the key's roles (role_descriptors {}):\n")
	plan = esapikey.PlanUpdate(key, esapikey.UpdateAPIKeyRequest{ID: key.ID, RoleDescriptors: map[string]esapikey.RoleDescriptor{}})
	fmt.Fprintln(w, indent(plan.String()))
	fmt.Fprintf(w, "  RemovesPrivileges() = %v: not sent\n", plan.RemovesPrivileges())
	fmt.Fprintln(w, "\nDone.")
	return nil
}

func indent(s string) string {
	out := "  "
	for _, r := range s {
		out += string(r)
		if r == '\n' {
			out += "  "
		}
	}
	return out
}
