package main

import (
	"strings"
	"testing"
)

func TestRunOnTheEmbeddedServer(t *testing.T) {
	t.Setenv("ELASTICSEARCH_URL", "")
	var out strings.Builder
	if err := run(t.Context(), &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		`metadata "application": removed (was "my-application")`,
		"it would remove [application]: not sent",
		"res.Updated = true",
		"  no change",
		"RemovesPrivileges() = true",
		"Done.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
