package esapikeytest

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
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
		release             string
		accept, contentType *mediaType
		body                bool
		cause               string
	}{
		{"9.3.0", vnd("9"), vnd("9"), true, ""},
		{"9.3.0", vnd("8"), nil, false, ""},
		{"9.3.0", nil, vnd("10"), false, ""},
		{"9.3.0", vnd("10"), nil, false, "Accept version must be either version 9 or 8, but found 10. Accept=application/vnd.elasticsearch+json;compatible-with=10"},
		{"9.3.0", vnd("-1"), nil, false, "Accept version must be either version 9 or 8, but found -1. Accept=application/vnd.elasticsearch+json;compatible-with=-1"},
		{"9.3.0", nil, parseMediaType("application/json"), true, ""},
		// 9.0 dropped REST API version 7; 8.x answers to 8 and 7, and not to 9.
		{"9.0.0", vnd("7"), nil, false, "Accept version must be either version 9 or 8, but found 7. Accept=application/vnd.elasticsearch+json;compatible-with=7"},
		{"8.19.0", vnd("7"), vnd("7"), true, ""},
		{"8.4.0", vnd("9"), nil, false, "Accept version must be either version 8 or 7, but found 9. Accept=application/vnd.elasticsearch+json;compatible-with=9"},
		{"8.12.0", vnd("8"), vnd("7"), true, "A compatible version is required on both Content-Type and Accept headers if either one has requested " +
			"a compatible version and the compatible versions must match. Accept=application/vnd.elasticsearch+json;compatible-with=8, " +
			"Content-Type=application/vnd.elasticsearch+json;compatible-with=7"},
	} {
		v := version.MustCheck(c.release)
		err := compatibleVersionError(v, c.accept, c.contentType, c.body)
		if c.cause == "" {
			assert.Nil(t, err, "%v %v", c.accept, c.contentType)
			continue
		}
		if assert.NotNil(t, err) {
			assert.Equal(t, "media_type_header_exception", err.typ)
			assert.Equal(t, c.cause, err.cause.reason)
			if found, ok := c.accept.compatibleVersion(); ok && strings.HasPrefix(c.cause, "Accept version") {
				assert.Equal(t, strings.ReplaceAll(v.Text(version.MsgCompatibleWith), "<n>", strconv.Itoa(found)),
					strings.SplitN(c.cause, ".", 2)[0], "the table words the versions %s answers to", v)
			}
		}
	}
}
