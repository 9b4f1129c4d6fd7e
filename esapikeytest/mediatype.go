package esapikeytest

import (
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
	"github.com/esapikey/esapikey/internal/java"
)

// The media types of requests and answers: the body types read, the REST API version a request asks
// for with compatible-with, and the Content-Type of the answer.

// contentTypeError is the message for a body whose Content-Type is not read, or "". Elasticsearch
// also parses YAML, CBOR and SMILE bodies; this server reads JSON only, so it refuses those with
// Elasticsearch's 406 for an unsupported type and says why, instead of failing later with a JSON
// parse error about bytes that were never JSON.
func contentTypeError(r *http.Request, body []byte) string {
	if len(body) == 0 {
		return ""
	}
	header := r.Header.Get("Content-Type")
	if header == "" {
		return "Content-Type header is missing"
	}
	mt, _, err := mime.ParseMediaType(header)
	mt = strings.ToLower(mt)
	switch {
	case err == nil && slices.Contains(jsonMediaTypes, mt):
		return ""
	case err == nil && slices.Contains(otherMediaTypes, mt):
		return "Content-Type header [" + header + "] is not supported: esapikeytest reads request bodies as JSON only " +
			"(application/json); Elasticsearch also reads YAML, CBOR and SMILE"
	}
	return "Content-Type header [" + header + "] is not supported"
}

// jsonMediaTypes are the JSON body types Elasticsearch parses (XContentType.JSON and VND_JSON).
var jsonMediaTypes = []string{"application/json", "application/x-ndjson", "application/vnd.elasticsearch+json",
	"application/vnd.elasticsearch+x-ndjson"}

// otherMediaTypes are the body types Elasticsearch parses and this server does not.
var otherMediaTypes = []string{"application/smile", "application/yaml", "application/cbor",
	"application/vnd.elasticsearch+smile", "application/vnd.elasticsearch+yaml", "application/vnd.elasticsearch+cbor"}

// mediaType is an Accept or Content-Type header as ParsedMediaType reads it: the type and its
// parameters lower-cased, and the header as it was sent, which messages quote.
type mediaType struct {
	header, typ string // typ is "type/subtype"
	params      []param
}

type param struct{ name, value string }

// parseMediaType is ParsedMediaType.parseMediaType. No header, a list of types and */* give nil; so
// does a header Elasticsearch refuses as malformed, which this server leaves to its other checks.
func parseMediaType(header string) *mediaType {
	if header == "" || header == "*/*" || strings.Contains(header, ",") {
		return nil
	}
	elements := strings.Split(strings.ToLower(header), ";")
	typ, sub, ok := strings.Cut(elements[0], "/")
	typ, sub = java.Trim(typ), java.Trim(sub)
	if !ok || !isToken(typ) || !isToken(sub) {
		return nil
	}
	mt := &mediaType{header: header, typ: typ + "/" + sub}
	for _, e := range elements[1:] {
		e = java.Trim(e)
		if e == "" {
			continue
		}
		name, value, ok := strings.Cut(e, "=")
		last, _ := utf8.DecodeLastRuneInString(name)
		first, _ := utf8.DecodeRuneInString(value)
		// Spaces may surround a parameter, not its '='.
		if !ok || name == "" || value == "" || strings.Contains(value, "=") || javaWhitespace(last) || javaWhitespace(first) {
			return nil
		}
		mt.params = append(mt.params, param{java.Trim(name), java.Trim(value)})
	}
	return mt
}

// String is the header as sent, or null for none, as RestCompatibleVersionHelper's messages print it.
func (mt *mediaType) String() string {
	if mt == nil {
		return "null"
	}
	return mt.header
}

// param returns the value of a parameter.
func (mt *mediaType) param(name string) (string, bool) {
	if mt != nil {
		for _, p := range mt.params {
			if p.name == name {
				return p.value, true
			}
		}
	}
	return "", false
}

// isToken is RFC 7230's token, the TCHAR_PATTERN of ParsedMediaType.
func isToken(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("!#$%&'*+-.^_`|~", r))
	})
}

// restAPIVersions are the REST API versions release v answers to (RestApiVersion.current and
// minimumSupported): its major and the one before, compatible-with=9 and 8 on 9.x, 8 and 7 on 8.x
// (the rows of version.MsgCompatibleWith).
func restAPIVersions(v version.Version) (current, minimum int) {
	return v.Major, v.Major - 1
}

// compatibleVersion is the compatible-with version a media type asks for. A value Byte.parseByte
// refuses is taken as none.
func (mt *mediaType) compatibleVersion() (int, bool) {
	v, ok := mt.param("compatible-with")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 8)
	return int(n), err == nil
}

// requestedVersion is the compatible-with version of a request the release serves, or 0 for its
// own: the Accept header's, since a Content-Type asks for one only beside an Accept that asks for
// the same (or the request was refused), and a request without a body has only its Accept looked at.
func requestedVersion(accept *mediaType) int {
	v, _ := accept.compatibleVersion()
	return v
}

// compatibleVersionError is RestCompatibleVersionHelper.getCompatibleVersion's refusal, at release v,
// of the request's Accept and Content-Type, wrapped as RestRequest wraps it; nil when the versions are
// served. A Content-Type is looked at only when the request has a body.
func compatibleVersionError(v version.Version, accept, contentType *mediaType, hasBody bool) *esError {
	restAPICurrent, restAPIMinimum := restAPIVersions(v)
	a, aok := accept.compatibleVersion()
	if !aok {
		a = restAPICurrent
	}
	ct, cok := contentType.compatibleVersion()
	if !cok {
		ct = restAPICurrent
	}
	var msg string
	switch {
	case a > restAPICurrent || a < restAPIMinimum:
		msg = fmt.Sprintf("Accept version must be either version %d or %d, but found %d. Accept=%s", restAPICurrent, restAPIMinimum, a, accept)
	case !hasBody:
	case ct > restAPICurrent || ct < restAPIMinimum:
		msg = fmt.Sprintf("Content-Type version must be either version %d or %d, but found %d. Content-Type=%s",
			restAPICurrent, restAPIMinimum, ct, contentType)
	case ct != a:
		msg = fmt.Sprintf("A compatible version is required on both Content-Type and Accept headers if either one has requested "+
			"a compatible version and the compatible versions must match. Accept=%s, Content-Type=%s", accept, contentType)
	case aok != cok:
		msg = fmt.Sprintf("A compatible version is required on both Content-Type and Accept headers if either one has requested "+
			"a compatible version. Accept=%s, Content-Type=%s", accept, contentType)
	}
	if msg == "" {
		return nil
	}
	// A MediaTypeHeaderException is no Elasticsearch exception, so it is its own root cause. It names
	// the headers of a Java Set.of, whose order changes from one JVM to the next; this is one of them.
	e := badRequest("media_type_header_exception", "Invalid media-type value on headers [Accept, Content-Type]").
		causedBy(badRequest("status_exception", "%s", msg))
	e.roots = []*esError{e}
	return e
}

// responseContentType is the Content-Type of an answer, as AbstractRestChannel.newBuilder picks it: the
// JSON type the Accept header names, else the one of the request's Content-Type, else
// application/json, followed by the parameters of the Accept header
// (ParsedMediaType.responseContentTypeHeader). This server writes JSON only, so a header naming YAML,
// CBOR or SMILE counts as naming none.
func responseContentType(accept, contentType *mediaType) string {
	typ := jsonResponseType(accept)
	if typ == "" {
		typ = jsonResponseType(contentType)
	}
	if typ == "" {
		typ = "application/json"
	}
	if accept != nil {
		for _, p := range accept.params {
			typ += ";" + p.name + "=" + p.value
		}
	}
	return typ
}

// jsonResponseType is the media type of the JSON XContentType that mt names (MediaTypeRegistry), or "".
func jsonResponseType(mt *mediaType) string {
	if mt == nil {
		return ""
	}
	switch mt.typ {
	case "application/json", "application/x-ndjson", "application/*":
		return "application/json"
	case "application/vnd.elasticsearch+json", "application/vnd.elasticsearch+x-ndjson":
		// VND_JSON declares compatible-with as digits: with another value the header names no type.
		if v, ok := mt.param("compatible-with"); ok && strings.Trim(v, "0123456789") != "" {
			return ""
		}
		return "application/vnd.elasticsearch+json"
	}
	return ""
}
