package esapikeytest_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// Getting and invalidating API keys, and the compatible-with versions of a request, as Elasticsearch's
// source has them. Each test names the class whose behaviour it pins.

// keyIDs returns the ids of the keys of a get answer.
func keyIDs(r *reply) []string {
	keys, _ := r.obj["api_keys"].([]any)
	ids := make([]string, 0, len(keys))
	for _, k := range keys {
		id, _ := k.(map[string]any)["id"].(string)
		ids = append(ids, id)
	}
	return ids
}

// stillValid asserts that a key was not invalidated.
func (tg *target) stillValid(id string) {
	tg.t.Helper()
	assert.Equal(tg.t, false, tg.get(id)["invalidated"], "key %s", id)
}

// keyManager is a user who may manage every key (manage_api_key), with two keys of its own that inherit
// that privilege; ka's credentials are returned.
func (tg *target) keyManager() (ka, kb string, asKa cred) {
	tg.t.Helper()
	manager := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
	ka, asKa = tg.key(manager, `{"name":"ka"}`)
	kb, _ = tg.key(manager, `{"name":"kb"}`)
	return ka, kb, asKa
}

func TestConformanceQ1GetByIDAndName_GetApiKeyRequest(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		name := tg.prefix + "_k1"
		id, _ := tg.key(tg.owner(), `{"name":"`+name+`"}`)
		tg.call(tg.admin, "GET", "/_security/api_key?id="+id+"&name="+name, noBody).isError(t, 400, validation,
			"Validation Failed: 1: only one of [api key id, api key name] can be specified;")

		// A blank parameter is no parameter (GetApiKeyRequest.textOrNull): the name alone selects.
		r := tg.call(tg.admin, "GET", "/_security/api_key?name="+name+"&id=%20", noBody).ok(t)
		assert.Equal(t, []string{id}, keyIDs(r), string(r.raw))
	})
}

func TestConformanceQ2GetByIDWithUsername_GetApiKeyRequest(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		name := tg.prefix + "_k"
		id, _ := tg.key(owner, `{"name":"`+name+`"}`)
		const msg = "Validation Failed: 1: username or realm name must not be specified when the api key id or api key name is specified;"
		tg.call(tg.admin, "GET", "/_security/api_key?id="+id+"&username="+owner.user, noBody).isError(t, 400, validation, msg)
		tg.call(tg.admin, "GET", "/_security/api_key?name="+name+"&realm_name=default_native", noBody).isError(t, 400, validation, msg)
	})
}

func TestConformanceQ3GetOwnedWithRealm_GetApiKeyRequest(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		tg.call(tg.admin, "GET", "/_security/api_key?owner=true&realm_name=reserved", noBody).isError(t, 400, validation,
			"Validation Failed: 1: neither username nor realm-name may be specified when retrieving owned API keys;")
		// Every rule is checked, in GetApiKeyRequest.validate's order.
		tg.call(tg.admin, "GET", "/_security/api_key?owner=true&id=a&name=b&username=c", noBody).isError(t, 400, validation,
			"Validation Failed: 1: username or realm name must not be specified when the api key id or api key name is specified;"+
				"2: neither username nor realm-name may be specified when retrieving owned API keys;"+
				"3: only one of [api key id, api key name] can be specified;")
	})
}

func TestConformanceQ4GetUnknownIDIsNotFound_RestGetApiKeyAction(t *testing.T) {
	forVersions(t, needs{version.GetActiveOnly}, func(t *testing.T, tg *target) {
		r := tg.call(tg.admin, "GET", "/_security/api_key?id=no-such-key-id", noBody)
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.JSONEq(t, `{"api_keys":[]}`, string(r.raw))

		// So is a key the owner filter or active_only leaves out: the status follows the answer, not the store.
		owner := tg.owner()
		id, _ := tg.key(owner, `{"name":"k"}`)
		assert.Equal(t, http.StatusOK, tg.call(owner, "GET", "/_security/api_key?owner=true&id="+id, noBody).status)
		adminKey, _ := tg.key(tg.admin, `{"name":"admin-key"}`)
		tg.dropKey(adminKey)
		r = tg.call(owner, "GET", "/_security/api_key?owner=true&id="+adminKey, noBody)
		assert.Equal(t, http.StatusNotFound, r.status, string(r.raw))
		invalidated(t, tg.call(owner, "DELETE", "/_security/api_key", `{"ids":["`+id+`"],"owner":true}`), id)
		r = tg.call(owner, "GET", "/_security/api_key?active_only=true&owner=true&id="+id, noBody)
		assert.Equal(t, http.StatusNotFound, r.status, string(r.raw))
		assert.JSONEq(t, `{"api_keys":[]}`, string(r.raw))
		// Without an id, an empty answer is a 200.
		r = tg.call(owner, "GET", "/_security/api_key?active_only=true&owner=true", noBody).ok(t)
		assert.JSONEq(t, `{"api_keys":[]}`, string(r.raw))
	})
}

func TestConformanceQ5GetOwnedWithAPIKeyListsOwnersKeys_TransportGetApiKeyAction(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		ka, kb, asKa := tg.keyManager()
		r := tg.call(asKa, "GET", "/_security/api_key?owner=true", noBody).ok(t)
		assert.ElementsMatch(t, []string{ka, kb}, keyIDs(r), string(r.raw))

		// An API key that holds only manage_own_api_key owns no key: owner=true is refused
		// (ManageOwnApiKeyClusterPrivilege).
		own := tg.owner()
		_, asOwnKey := tg.key(own, `{"name":"own"}`)
		r = tg.call(asOwnKey, "GET", "/_security/api_key?owner=true", noBody)
		assert.Equal(t, http.StatusForbidden, r.status, string(r.raw))
	})
}

func TestConformanceQ6InvalidateByIDsAndName_InvalidateApiKeyRequest(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		id, _ := tg.key(owner, `{"name":"k1"}`)
		tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":["`+id+`"],"name":"k1"}`).isError(t, 400, validation,
			"Validation Failed: 1: only one of [api key id(s), api key name] can be specified;")
		tg.stillValid(id)
	})
}

func TestConformanceQ7InvalidateByIDsWithUsername_InvalidateApiKeyRequest(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		id, _ := tg.key(owner, `{"name":"k1"}`)
		const msg = "Validation Failed: 1: username or realm name must not be specified when the api key id(s) or api key name are specified;"
		tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":["`+id+`"],"username":"`+owner.user+`"}`).isError(t, 400, validation, msg)
		tg.call(tg.admin, "DELETE", "/_security/api_key", `{"name":"k1","realm_name":"default_native"}`).isError(t, 400, validation, msg)
		tg.stillValid(id)
	})
}

func TestConformanceQ8InvalidateOwnedWithUsername_InvalidateApiKeyRequest(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		tg.call(tg.admin, "DELETE", "/_security/api_key", `{"owner":true,"username":"elastic"}`).isError(t, 400, validation,
			"Validation Failed: 1: neither username nor realm-name may be specified when invalidating owned API keys;")
		// Every rule is checked, in InvalidateApiKeyRequest.validate's order; a blank name is no name.
		tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":["a"],"name":"b","realm_name":"c","owner":true}`).isError(t, 400, validation,
			"Validation Failed: 1: username or realm name must not be specified when the api key id(s) or api key name are specified;"+
				"2: neither username nor realm-name may be specified when invalidating owned API keys;"+
				"3: only one of [api key id(s), api key name] can be specified;")
		tg.call(tg.admin, "DELETE", "/_security/api_key", `{"name":" ","owner":false}`).isError(t, 400, validation,
			"Validation Failed: 1: One of [api key id(s), api key name, username, realm name] must be specified if [owner] flag is false;")
	})
}

// idsRefused is the parse error of InvalidateApiKeyRequest.validateIds, which the request's constructor
// throws and ConstructingObjectParser wraps.
func idsRefused(t *testing.T, r *reply, msg string) {
	t.Helper()
	const wrapped = "Failed to build [invalidate_api_key] after last required field arrived"
	r.isError(t, 400, xParse, wrapped)
	r.causedBy(t, validation, "Validation Failed: 1: "+msg+";")
	r.rootCause(t, xParse, wrapped)
}

func TestConformanceQ9InvalidateEmptyIDs_InvalidateApiKeyRequest(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		idsRefused(t, tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":[]}`), "Field [ids] cannot be an empty array")
		// The constructor runs before validate(): the other rules are not reached.
		idsRefused(t, tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":[],"name":"k","username":"u"}`),
			"Field [ids] cannot be an empty array")
	})
}

func TestConformanceQ10InvalidateBlankID_InvalidateApiKeyRequest(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		idsRefused(t, tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":[""]}`),
			"Field [ids] must not contain blank id, but got blank id at index position: [0]")
		idsRefused(t, tg.call(tg.admin, "DELETE", "/_security/api_key", `{"ids":["a"," ","b","\t"]}`),
			"Field [ids] must not contain blank ids, but got blank ids at index positions: [1, 3]")
	})
}

func TestConformanceQ11InvalidateIDFieldUnknown_RestInvalidateApiKeyAction(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.owner(), `{"name":"k"}`)
		tg.call(tg.admin, "DELETE", "/_security/api_key", `{"id":"`+id+`"}`).isError(t, 400, xParse,
			"[1:2] [invalidate_api_key] unknown field [id] did you mean [ids]?")
		tg.stillValid(id)
	})
}

func TestConformanceQ12InvalidateTwiceReportsNothing_ApiKeyService(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		id, _ := tg.key(owner, `{"name":"k"}`)
		body := `{"ids":["` + id + `"],"owner":true}`
		invalidated(t, tg.call(owner, "DELETE", "/_security/api_key", body), id)
		r := tg.call(owner, "DELETE", "/_security/api_key", body).ok(t)
		assert.JSONEq(t, `{"invalidated_api_keys":[],"previously_invalidated_api_keys":[],"error_count":0}`, string(r.raw))
		// Selection by owner skips the invalidated key as well.
		other, _ := tg.key(owner, `{"name":"k2"}`)
		invalidated(t, tg.call(owner, "DELETE", "/_security/api_key", `{"owner":true}`), other)
	})
}

func TestConformanceQ13CrossClusterKeyNeedsManageSecurity_TransportInvalidateApiKeyAction(t *testing.T) {
	forVersions(t, needs{version.RouteCrossCluster}, func(t *testing.T, tg *target) {
		cc := tg.ccKey(`{"name":"cc","access":{"search":[{"names":["logs*"]}]}}`)
		tg.dropKey(cc)
		manager := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		if !tg.has(version.InvalidateCCKeyNeedsManageSecurity) {
			// Before 8.14, manage_api_key invalidates a cross-cluster key as any other.
			invalidated(t, tg.call(manager, "DELETE", "/_security/api_key", `{"ids":["`+cc+`"]}`), cc)
			return
		}
		r := tg.call(manager, "DELETE", "/_security/api_key", `{"ids":["`+cc+`"]}`).ok(t)
		assert.Equal(t, []any{}, r.obj["invalidated_api_keys"], string(r.raw))
		assert.Equal(t, []any{}, r.obj["previously_invalidated_api_keys"], string(r.raw))
		assert.Equal(t, float64(1), r.obj["error_count"], string(r.raw))
		assert.Equal(t, "security_exception", r.at("error_details.0.type"), string(r.raw))
		assert.Equal(t, "Cannot invalidate cross-cluster API key ["+cc+"]. This requires [manage_security] cluster privilege or higher",
			r.at("error_details.0.reason"), string(r.raw))
		tg.stillValid(cc)

		security := tg.user(tg.role(`{"cluster":["manage_security"]}`))
		invalidated(t, tg.call(security, "DELETE", "/_security/api_key", `{"ids":["`+cc+`"]}`), cc)
	})
}

func TestConformanceQ14InvalidateOwnedWithAPIKeyInvalidatesOwnersKeys_TransportInvalidateApiKeyAction(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		ka, kb, asKa := tg.keyManager()
		invalidated(t, tg.call(asKa, "DELETE", "/_security/api_key", `{"owner":true}`), ka, kb)
	})
}

func TestConformanceQ20ActiveOnlyAtExpiration_ApiKeyService(t *testing.T) {
	forVersions(t, needs{version.GetActiveOnly}, func(t *testing.T, tg *target) {
		if tg.real() {
			t.Skip("lands on the expiration instant with the server's clock")
		}
		tg.srv.SetNow(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		id, _ := tg.key(tg.admin, `{"name":"edge","expiration":"1d"}`)
		k, ok := tg.srv.APIKey(id)
		require.True(t, ok)

		tg.srv.SetNow(k.Expiration.Add(-time.Millisecond))
		r := tg.call(tg.admin, "GET", "/_security/api_key?active_only=true&name=edge", noBody).ok(t)
		assert.Equal(t, []string{id}, keyIDs(r))
		// findApiKeys keeps expiration_time > now: at the instant itself the key is no longer active.
		tg.srv.SetNow(k.Expiration)
		r = tg.call(tg.admin, "GET", "/_security/api_key?active_only=true&name=edge", noBody).ok(t)
		assert.JSONEq(t, `{"api_keys":[]}`, string(r.raw))
	})
}

func TestConformanceA1APIKeyReadsItself_RBACEngine(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		other, _ := tg.key(owner, `{"name":"other"}`)
		id, self := tg.key(owner, `{"name":"reader","role_descriptors":{"r":{"indices":[{"names":["logs-*"],"privileges":["read"]}]}}}`)

		// checkSameUserPermissions grants a GetApiKeyRequest for the key's own id, whatever its privileges.
		r := tg.call(self, "GET", "/_security/api_key?id="+id, noBody).ok(t)
		assert.Equal(t, []string{id}, keyIDs(r), string(r.raw))
		// Not its limited-by descriptors, not another key, not a listing.
		paths := []string{"?id=" + other, "?name=reader", ""}
		if tg.has(version.GetWithLimitedBy) {
			paths = append(paths, "?id="+id+"&with_limited_by=true")
		}
		for _, path := range paths {
			r = tg.call(self, "GET", "/_security/api_key"+path, noBody)
			assert.Equal(t, http.StatusForbidden, r.status, "%s: %s", path, r.raw)
		}
	})
}

// mediaTypeRefused is the 400 of a compatible-with version a node does not serve: RestRequest wraps
// the RestCompatibleVersionHelper error in a MediaTypeHeaderException naming both headers, in the
// iteration order of a Java Set.of, which differs from one JVM to the next.
func mediaTypeRefused(t *testing.T, r *reply, cause string) {
	t.Helper()
	require.Equal(t, http.StatusBadRequest, r.status, string(r.raw))
	assert.Equal(t, "media_type_header_exception", r.at("error.type"), string(r.raw))
	assert.Contains(t, []any{"Invalid media-type value on headers [Accept, Content-Type]", "Invalid media-type value on headers [Content-Type, Accept]"},
		r.at("error.reason"), string(r.raw))
	assert.Equal(t, "media_type_header_exception", r.at("error.root_cause.0.type"), string(r.raw))
	assert.Equal(t, "status_exception", r.at("error.caused_by.type"), string(r.raw))
	assert.Equal(t, cause, r.at("error.caused_by.reason"), string(r.raw))
	assert.Equal(t, "application/json", r.header.Get("Content-Type"))
}

func TestConformanceC1CompatibleWithVersions_RestCompatibleVersionHelper(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		id, _ := tg.key(owner, `{"name":"k"}`)
		get := "/_security/api_key?owner=true&id=" + id
		vnd := func(v string) string { return "application/vnd.elasticsearch+json;compatible-with=" + v }
		// A release answers to its major's REST API and the one before (version.MsgCompatibleWith).
		cur, prev, old := strconv.Itoa(tg.v.Major), strconv.Itoa(tg.v.Major-1), strconv.Itoa(tg.v.Major-2)
		either := "version must be either version " + cur + " or " + prev + ", but found " + old

		for _, v := range []string{cur, prev} {
			r := tg.callWith(owner, "GET", get, noBody, map[string]string{"Accept": vnd(v)}).ok(t)
			assert.Equal(t, vnd(v), r.header.Get("Content-Type"), "the negotiated type")
			r = tg.callWith(owner, "POST", "/_security/api_key", `{"name":"k`+v+`"}`,
				map[string]string{"Accept": vnd(v), "Content-Type": vnd(v)}).ok(t)
			assert.Equal(t, vnd(v), r.header.Get("Content-Type"))
		}
		r := tg.call(owner, "GET", get, noBody).ok(t)
		assert.Equal(t, "application/json", r.header.Get("Content-Type"))

		mediaTypeRefused(t, tg.callWith(owner, "GET", get, noBody, map[string]string{"Accept": vnd(old)}),
			"Accept "+either+". Accept="+vnd(old))
		mediaTypeRefused(t, tg.callWith(owner, "POST", "/_security/api_key", `{"name":"k"}`, map[string]string{"Accept": vnd(cur), "Content-Type": vnd(old)}),
			"Content-Type "+either+". Content-Type="+vnd(old))
		mediaTypeRefused(t, tg.callWith(owner, "POST", "/_security/api_key", `{"name":"k"}`, map[string]string{"Content-Type": vnd(cur)}),
			"A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version. "+
				"Accept=null, Content-Type="+vnd(cur))
		mediaTypeRefused(t, tg.callWith(owner, "POST", "/_security/api_key", `{"name":"k"}`, map[string]string{"Accept": vnd(prev), "Content-Type": vnd(cur)}),
			"A compatible version is required on both Content-Type and Accept headers if either one has requested a compatible version "+
				"and the compatible versions must match. Accept="+vnd(prev)+", Content-Type="+vnd(cur))
		// Without a body, the Content-Type's version is not looked at.
		tg.callWith(owner, "GET", get, noBody, map[string]string{"Content-Type": vnd(old)}).ok(t)

		// Authentication comes first: the version is checked once the request is authenticated.
		tg.callWith(cred{}, "GET", get, noBody, map[string]string{"Accept": vnd(old)}).isError(t, 401, "security_exception",
			"missing authentication credentials for REST request ["+get+"]")
	})
}
