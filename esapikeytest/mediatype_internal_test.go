package esapikeytest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// ParsedMediaType lower-cases types and parameters, ignores media ranges, and the answer's
// Content-Type is the JSON type named with the Accept header's parameters.
func TestMediaTypeNegotiation(t *testing.T) {
	for _, c := range []struct{ accept, contentType, want string }{
		{"", "", "application/json"},
		{"application/json", "", "application/json"},
		{"Application/VND.Elasticsearch+JSON; Compatible-With=8", "", "application/vnd.elasticsearch+json;compatible-with=8"},
		{"application/vnd.elasticsearch+x-ndjson;compatible-with=9", "", "application/vnd.elasticsearch+json;compatible-with=9"},
		{"application/json, text/plain, */*", "", "application/json"},
		{"*/*", "application/vnd.elasticsearch+json;compatible-with=9", "application/vnd.elasticsearch+json"},
		{"application/json; charset=UTF-8", "", "application/json;charset=utf-8"},
		{"application/yaml", "", "application/json"},
		{"application/vnd.elasticsearch+json;compatible-with=x", "", "application/json;compatible-with=x"},
		{"application/json;charset =utf-8", "", "application/json"},
	} {
		got := responseContentType(parseMediaType(c.accept), parseMediaType(c.contentType))
		assert.Equal(t, c.want, got, "Accept %q, Content-Type %q", c.accept, c.contentType)
	}
}

func TestCompatibleVersionErrorReasons(t *testing.T) {
	vnd := func(v string) *mediaType {
		return parseMediaType("application/vnd.elasticsearch+json;compatible-with=" + v)
	}
	for _, c := range []struct {
		accept, contentType *mediaType
		body                bool
		cause               string
	}{
		{vnd("9"), vnd("9"), true, ""},
		{vnd("8"), nil, false, ""},
		{nil, vnd("10"), false, ""},
		{vnd("10"), nil, false, "Accept version must be either version 9 or 8, but found 10. Accept=application/vnd.elasticsearch+json;compatible-with=10"},
		{vnd("-1"), nil, false, "Accept version must be either version 9 or 8, but found -1. Accept=application/vnd.elasticsearch+json;compatible-with=-1"},
		{nil, parseMediaType("application/json"), true, ""},
	} {
		err := compatibleVersionError(c.accept, c.contentType, c.body)
		if c.cause == "" {
			assert.Nil(t, err, "%v %v", c.accept, c.contentType)
			continue
		}
		if assert.NotNil(t, err) {
			assert.Equal(t, "media_type_header_exception", err.typ)
			assert.Equal(t, c.cause, err.cause.reason)
		}
	}
}
