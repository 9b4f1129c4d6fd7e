package esapikey_test

import (
	"context"
	"fmt"
	"log"

	"github.com/esapikey/esapikey"
)

// Read the key, see what an update would change, and update only when it
// loses nothing by accident.
func ExamplePlanUpdate() {
	srv, c, id := exampleServer() // alice's key has metadata {"team":"ingest"}
	defer srv.Close()
	ctx := context.Background()

	key, err := c.GetAPIKey(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	req := esapikey.UpdateAPIKeyRequest{ID: id, Metadata: esapikey.Metadata{"environment": "production"}}
	plan := esapikey.PlanUpdate(key, req)
	fmt.Println(plan)
	if removed := plan.RemovedMetadataKeys(); len(removed) > 0 {
		fmt.Println("not sent: it would remove", removed)
	}

	// Merge instead: the key keeps "team".
	req.Metadata = esapikey.MergeMetadata(key.Metadata, req.Metadata)
	if _, err := c.UpdateAPIKey(ctx, req); err != nil {
		log.Fatal(err)
	}
	key, err = c.GetAPIKey(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(key.Metadata)
	fmt.Println(esapikey.PlanUpdate(key, req))
	// Output:
	// metadata "environment": added: "production"
	// metadata "team": removed (was "ingest")
	// not sent: it would remove [team]
	// map[environment:production team:ingest]
	// no change
}

func ExampleMergeMetadata() {
	current := esapikey.Metadata{"team": "a", "owner": "x", "env": map[string]any{"level": 1, "tags": []string{"dev"}}}
	patch := esapikey.Metadata{"team": "b", "owner": nil, "env": map[string]any{"level": 2}}

	fmt.Println(esapikey.MergeMetadata(current, patch))
	// Output:
	// map[env:map[level:2 tags:[dev]] team:b]
}
