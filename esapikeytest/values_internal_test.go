package esapikeytest

import (
	"testing"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"

	"github.com/stretchr/testify/assert"
)

// javaValue converts a node like toAny, with numbers as Jackson reads them and XContentBuilder writes
// them back (see javaNumber), so two metadata objects compare equal exactly when Elasticsearch's parsed
// maps are equal.
func javaValue(n *jsontree.Node) any { return convert(n, javaNumber) }

// FuzzJavaJSON: metadata written in one pass reads exactly as the Go values it replaces rendered.
func FuzzJavaJSON(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":[1.00,10E-1,-0,1e400,"x<\u2028>"],"c":{"z":null,"y":true}}`, `[]`, `"s"`, `-0.0`, `{"":{"":[]}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		d, err := parseDoc([]byte(body))
		if err != nil || d.Root == nil {
			return
		}
		assert.Equal(t, string(canonical(javaValue(d.Root))), string(javaJSON(d.Root)))
	})
}
