package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A role descriptor that does not parse is explained in JSON's terms in the
// tool's message too: the field as written, never a Go type.
func TestRoleDescriptorsDecodeErrorInJSONTerms(t *testing.T) {
	for roles, want := range map[string]string{
		`{"r":{"indices":"x"}}`:                                 "field [indices]: expected an array of objects, found a string",
		`{"r":{"indices":[{"names":5,"privileges":["read"]}]}}`: "field [indices.names]: expected a string or an array of strings, found a number",
		`{"r":5}`: "role descriptor: expected an object, found a number",
	} {
		r := runCLI(t, "", "update", "id", "--role-descriptors", roles)
		assert.Equal(t, exitUsage, r.code, roles)
		assert.Contains(t, r.stderr, want, roles)
		for _, internal := range []string{"struct", "esapikey.", "plain", "Go value", "invalid JSON", "esapikey: role"} {
			assert.NotContains(t, r.stderr, internal, roles)
		}
	}
}
