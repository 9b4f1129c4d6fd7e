package esapikeytest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

// bodyRoutes are the routes that read a body, with the ids of a fresh fixture filled in.
func bodyRoutes(keyID string) []struct{ method, path string } {
	return []struct{ method, path string }{
		{"POST", "/_security/api_key"}, {"PUT", "/_security/api_key/" + keyID}, {"POST", "/_security/api_key/_bulk_update"},
		{"DELETE", "/_security/api_key"}, {"POST", "/_security/_query/api_key"}, {"POST", "/_security/cross_cluster/api_key"},
		{"PUT", "/_security/cross_cluster/api_key/" + keyID}, {"POST", "/_security/user/_has_privileges"},
		{"POST", "/_security/user/elastic/_has_privileges"}, {"PUT", "/_security/privilege"}, {"PUT", "/_security/user/u1"},
		{"PUT", "/_security/role/r1"}, {"POST", "/_security/api_key/grant"}, {"POST", "/_security/oauth2/token"},
	}
}

// Careless bodies (blank, comments only, a bare value, cut short) get an answer that is not a server error on every
// route that reads a body (a 4xx, or for a blank body where a body is optional, the answer to none),
// and the server goes on answering, over REST and in the Go helpers. A body of three spaces once panicked the
// _has_privileges parser while the store was locked, which hung every later request.
func TestCarelessBodiesAnswer4xx(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	key, err := srv.CreateAPIKey("elastic", `{"name":"k"}`)
	require.NoError(t, err)
	for _, rt := range bodyRoutes(key.ID) {
		for _, body := range []string{"   ", "\n", "null", "1", "true", `"x"`, "[]", "[{}]", "{", "}", `{"a":`, "{}}", "\x00", "\xff", "//", "/* */ "} {
			res, _ := send(t, srv, rt.method, rt.path, "application/json", body)
			assert.Less(t, res.StatusCode, 500, "%s %s %q: %s", rt.method, rt.path, body, res.Status)
		}
	}
	_, err = srv.CreateAPIKey("elastic", `{"name":"after"}`)
	require.NoError(t, err)
	ok, err := srv.APIKeyCan(key.ID, "manage_own_api_key", esapikeytest.Cluster())
	require.NoError(t, err)
	assert.True(t, ok)
}

// RoleDescriptor.parsePrivilegesToCheck: a blank body reads as a first token of null.
func TestBlankHasPrivilegesBody(t *testing.T) {
	tg := newTarget(t)
	r := tg.call(tg.admin, "POST", "/_security/user/_has_privileges", "   ")
	r.isError(t, http.StatusBadRequest, "parse_exception",
		fmt.Sprintf("failed to parse privileges check [%s/has_privileges]. expected an object but found [null] instead", tg.admin.user))
}

// ObjectParser.throwExpectedStartObject: a body whose value is not an object is refused, at the
// value, before any field is read.
func TestBodyNotAnObject_ObjectParser(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	for _, c := range []struct{ method, path, parser string }{
		{"POST", "/_security/api_key", "api_key_request"},
		{"POST", "/_security/api_key/grant", "grant_api_key_request"},
		{"DELETE", "/_security/api_key", "invalidate_api_key"},
		{"POST", "/_security/oauth2/token", "token_request"},
	} {
		do(t, srv, c.method, c.path, "[]").esError(t, 400, "x_content_parse_exception",
			"[1:1] ["+c.parser+"] Expected START_OBJECT but was: START_ARRAY")
		do(t, srv, c.method, c.path, ` "x"`).esError(t, 400, "x_content_parse_exception",
			"[1:2] ["+c.parser+"] Expected START_OBJECT but was: VALUE_STRING")
	}
}

// Requests whose size is in their lists (many ids, many role descriptors) cost time in proportion
// to them. Comparing a key's descriptors with an update's was quadratic, under the store's lock:
// 5 s more for these 50,000, and four times that for twice as many.
func TestLongListsAnswerPromptly(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	key, err := srv.CreateAPIKey("elastic", `{"name":"k"}`)
	require.NoError(t, err)
	post := func(method, path, body string) int {
		res, _ := send(t, srv, method, path, "application/json", body)
		return res.StatusCode
	}
	var ids strings.Builder
	for i := range 200_000 {
		fmt.Fprintf(&ids, `"%s-%d",`, key.ID, i%7)
	}
	list := "[" + ids.String() + `"` + key.ID + `"]`
	assert.Equal(t, http.StatusOK, post("POST", "/_security/api_key/_bulk_update", `{"ids":`+list+`,"metadata":{"bulk":1}}`))
	assert.Equal(t, http.StatusOK, post("DELETE", "/_security/api_key", `{"ids":`+list+`}`))

	var roles strings.Builder
	for i := range 50_000 {
		fmt.Fprintf(&roles, `"r%d":{"cluster":["monitor"]},`, i)
	}
	body := `{"name":"many","role_descriptors":{` + roles.String() + `"last":{}}}`
	many, err := srv.CreateAPIKey("elastic", body)
	require.NoError(t, err)
	update := strings.Replace(body, `"name":"many",`, "", 1)
	assert.Equal(t, http.StatusOK, post("PUT", "/_security/api_key/"+many.ID, update))
}
