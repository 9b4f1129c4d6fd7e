package esapikeytest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

const (
	updateAction  = "cluster:admin/xpack/security/api_key/update"
	grantedByKeys = "manage_own_api_key,manage_api_key,manage_security,all"
	notOwned      = "no API key owned by requesting user found for ID [%s]"
	xParse        = "x_content_parse_exception"
	validation    = "action_request_validation_exception"
	illegalArg    = "illegal_argument_exception"
)

func TestConformanceAuthentication(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		path := "/_security/api_key/some-id"

		r := tg.call(cred{}, "PUT", path, `{}`)
		r.isError(t, 401, "security_exception", "missing authentication credentials for REST request ["+path+"]")
		want := []string{`Basic realm="security", charset="UTF-8"`, `Bearer realm="security"`, "ApiKey"}
		assert.ElementsMatch(t, want, r.header.Values("WWW-Authenticate"))
		assert.ElementsMatch(t, want, r.at("error.header.WWW-Authenticate"))

		owner := tg.owner()
		r = tg.call(cred{user: owner.user, pass: "wrong-password"}, "PUT", path, `{}`)
		r.isError(t, 401, "security_exception", "unable to authenticate user ["+owner.user+"] for REST request ["+path+"]")
		assert.NotEmpty(t, r.header.Values("WWW-Authenticate"))

		// Authentication comes before parsing.
		r = tg.call(cred{}, "PUT", path, `{"unknown":`)
		assert.Equal(t, 401, r.status)
	})
}

func TestConformanceAuthorization(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		role := tg.role(`{"cluster":["monitor"]}`)
		weak := tg.user(role)
		prefix := "action [%s] is unauthorized for user [" + weak.user + "] with effective roles [" + role + "], this action is granted by the cluster privileges [" + grantedByKeys + "]"

		r := tg.call(weak, "PUT", "/_security/api_key/some-id", `{"metadata":{"a":1}}`)
		r.isError(t, 403, "security_exception", sprintf(prefix, updateAction))
		if tg.has(version.RouteBulkUpdate) {
			r = tg.call(weak, "POST", "/_security/api_key/_bulk_update", `{"ids":["some-id"]}`)
			r.isError(t, 403, "security_exception", sprintf(prefix, "cluster:admin/xpack/security/api_key/bulk_update"))
		}

		// Parsing and validation come before authorization.
		r = tg.call(weak, "PUT", "/_security/api_key/some-id", `{"unknown":1}`)
		r.isError(t, 400, xParse, "[1:2] [update_api_key_request_payload] unknown field [unknown]")
		r = tg.call(weak, "PUT", "/_security/api_key/some-id", `{"metadata":{"_reserved":1}}`)
		r.isError(t, 400, validation, "Validation Failed: 1: API key metadata keys may not start with [_];")

		for _, priv := range []string{"manage_own_api_key", "manage_api_key", "manage_security", "all"} {
			u := tg.user(tg.role(`{"cluster":["` + priv + `"]}`))
			r = tg.call(u, "PUT", "/_security/api_key/some-id", noBody)
			r.isError(t, 404, "resource_not_found_exception", sprintf(notOwned, "some-id"))
		}
	})
}

func TestConformanceAPIKeyCaller(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		id, key := tg.key(owner, `{"name":"caller"}`)
		const reason = "authentication via API key not supported: only the owner user can update an API key"

		tg.call(key, "PUT", "/_security/api_key/"+id, noBody).isError(t, 400, illegalArg, reason)
		if tg.has(version.RouteBulkUpdate) {
			tg.call(key, "POST", "/_security/api_key/_bulk_update", `{"ids":["`+id+`"]}`).isError(t, 400, illegalArg, reason)
		}
		// The API-key check comes before the restriction rules.
		if tg.has(version.RoleRestriction) {
			tg.call(key, "PUT", "/_security/api_key/"+id, twoRestricted).isError(t, 400, illegalArg, reason)
		}
	})
}

func TestConformanceOwnership(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		other := tg.owner()
		id, _ := tg.key(owner, `{"name":"mine"}`)

		tg.call(other, "PUT", "/_security/api_key/"+id, noBody).isError(t, 404, "resource_not_found_exception", sprintf(notOwned, id))
		tg.call(tg.admin, "PUT", "/_security/api_key/"+id, noBody).isError(t, 404, "resource_not_found_exception", sprintf(notOwned, id))
		tg.call(owner, "PUT", "/_security/api_key/does-not-exist", noBody).isError(t, 404, "resource_not_found_exception", sprintf(notOwned, "does-not-exist"))
	})
}

// The same username in another realm does not own the key. Only the in-memory server can put a user
// in the file realm over its Go API; on a real cluster the test is skipped.
func TestConformanceSameUsernameOtherRealm(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		if tg.real() {
			t.Skip("needs a file-realm user; not reachable over REST")
		}
		role := tg.role(`{"cluster":["manage_own_api_key"]}`)
		owner := tg.user(role)
		id, _ := tg.key(owner, `{"name":"native-owned"}`)
		if err := tg.srv.AddUserInRealm("default_file", owner.user, "file-password", role); err != nil {
			t.Fatal(err)
		}
		fileUser := cred{user: owner.user, pass: "file-password"}
		r := tg.call(fileUser, "GET", "/_security/_authenticate", noBody).ok(t)
		assert.Equal(t, "default_file", r.at("authentication_realm.name"))
		tg.call(fileUser, "PUT", "/_security/api_key/"+id, noBody).isError(t, 404, "resource_not_found_exception", sprintf(notOwned, id))
	})
}

func TestConformanceKeyState(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.user(tg.role(`{"cluster":["manage_security"]}`))

		id, _ := tg.key(owner, `{"name":"to-invalidate"}`)
		r := tg.call(owner, "DELETE", "/_security/api_key", `{"ids":["`+id+`"]}`).ok(t)
		assert.Equal(t, []any{id}, r.obj["invalidated_api_keys"])
		assert.Equal(t, []any{}, r.obj["previously_invalidated_api_keys"])
		assert.Equal(t, float64(0), r.obj["error_count"])
		tg.call(owner, "PUT", "/_security/api_key/"+id, noBody).isError(t, 400, illegalArg, "cannot update invalidated API key ["+id+"]")

		expired := tg.expiredKey(owner)
		tg.call(owner, "PUT", "/_security/api_key/"+expired, noBody).isError(t, 400, illegalArg, "cannot update expired API key ["+expired+"]")

		if tg.has(version.RouteBulkUpdate) {
			r = tg.call(owner, "POST", "/_security/api_key/_bulk_update", `{"ids":["`+id+`","`+expired+`"]}`).ok(t)
			assert.Equal(t, float64(2), r.at("errors.count"))
			assert.Equal(t, "cannot update invalidated API key ["+id+"]", r.at("errors.details."+id+".reason"))
			assert.Equal(t, "cannot update expired API key ["+expired+"]", r.at("errors.details."+expired+".reason"))
		}
		if !tg.has(version.RouteCrossCluster) {
			return
		}
		r = tg.call(owner, "POST", "/_security/cross_cluster/api_key", `{"name":"cc","access":{"search":[{"names":["logs*"]}]}}`).ok(t)
		cc, _ := r.obj["id"].(string)
		tg.call(owner, "PUT", "/_security/api_key/"+cc, `{"metadata":{}}`).
			isError(t, 400, illegalArg, "cannot update API key of type [cross_cluster] while expected type is [rest]")
		rest, _ := tg.key(owner, `{"name":"rest"}`)
		tg.call(owner, "PUT", "/_security/cross_cluster/api_key/"+rest, `{"metadata":{}}`).
			isError(t, 400, illegalArg, "cannot update API key of type [rest] while expected type is [cross_cluster]")
		assert.True(t, tg.updateCC(owner, cc, `{"access":{"search":[{"names":["metrics*"]}]},"metadata":{"env":"prod"}}`))
		assert.False(t, tg.updateCC(owner, cc, `{"metadata":{"env":"prod"}}`))
		assert.Equal(t, "cross_cluster", tg.get(cc)["type"])

		r = tg.call(owner, "POST", "/_security/api_key/_bulk_update", `{"ids":["`+cc+`"]}`).ok(t)
		assert.Equal(t, float64(1), r.at("errors.count"))
		assert.Equal(t, illegalArg, r.at("errors.details."+cc+".type"))
	})
}

func (tg *target) updateCC(c cred, id, body string) bool {
	tg.t.Helper()
	r := tg.call(c, "PUT", "/_security/cross_cluster/api_key/"+id, body).ok(tg.t)
	updated, _ := r.obj["updated"].(bool)
	return updated
}

func TestConformanceWrongMethod(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		for _, c := range []struct{ method, path, allowed string }{
			{"GET", "/_security/api_key/some-id", "PUT"},
			{"POST", "/_security/api_key/some-id", "PUT"},
		} {
			r := tg.call(tg.admin, c.method, c.path, noBody)
			assert.Equal(t, http.StatusMethodNotAllowed, r.status, string(r.raw))
			assert.Equal(t, "Incorrect HTTP method for uri ["+c.path+"] and method ["+c.method+"], allowed: ["+c.allowed+"]", r.obj["error"])
			assert.Equal(t, float64(405), r.obj["status"])
		}
		// Before 8.5 the path of bulk updates is the update route's; before 8.10 no route has the
		// cross-cluster path.
		allowed := "PUT"
		if tg.has(version.RouteBulkUpdate) {
			allowed = "POST"
		}
		r := tg.call(tg.admin, "GET", "/_security/api_key/_bulk_update", noBody)
		assert.Equal(t, http.StatusMethodNotAllowed, r.status)
		assert.Equal(t, "Incorrect HTTP method for uri [/_security/api_key/_bulk_update] and method [GET], allowed: ["+allowed+"]", r.obj["error"])
		const ccPath = "/_security/cross_cluster/api_key/some-id"
		r = tg.call(tg.admin, "DELETE", ccPath, noBody)
		if tg.has(version.RouteCrossCluster) {
			assert.Equal(t, http.StatusMethodNotAllowed, r.status, string(r.raw))
			assert.Equal(t, "Incorrect HTTP method for uri ["+ccPath+"] and method [DELETE], allowed: [PUT]", r.obj["error"])
		} else {
			assert.Equal(t, http.StatusBadRequest, r.status, string(r.raw))
			assert.Equal(t, "no handler found for uri ["+ccPath+"] and method [DELETE]", r.obj["error"])
		}
	})
}

func TestConformanceRequestChecks(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		path := "/_security/api_key/some-id"

		req, _ := http.NewRequest("PUT", tg.url+path, strings.NewReader(`{}`))
		req.SetBasicAuth(tg.admin.user, tg.admin.pass)
		req.Header.Set("Content-Type", "text/plain")
		res, err := tg.client.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		assert.Equal(t, http.StatusNotAcceptable, res.StatusCode)
		var body map[string]any
		require.NoError(t, json.NewDecoder(res.Body).Decode(&body))
		assert.Equal(t, "Content-Type header [text/plain] is not supported", body["error"])

		r := tg.call(tg.admin, "PUT", path+"?refresh=true", noBody)
		r.isError(t, 400, illegalArg, "request ["+path+"] contains unrecognized parameter: [refresh]")
		r = tg.call(tg.admin, "GET", "/_security/api_key?owner=true&pretty&error_trace=true", noBody).ok(t)
		assert.Contains(t, string(r.raw), "\n  \"api_keys\"")
	})
}
