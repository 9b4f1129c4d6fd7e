package esapikeytest_test

import (
	"net/http"
	"testing"
)

// AuthenticatorChain.finishAuthentication: authentication fails when the effective (run-as) user is
// disabled, with DefaultAuthenticationFailureHandler's 401 naming the authenticating principal.
func TestConformanceRunAsDisabledUser(t *testing.T) {
	tg := newTarget(t)
	bob := tg.user(tg.role(`{"cluster":["manage_own_api_key"]}`))
	bobKey, _ := tg.key(bob, `{"name":"bob-key"}`)
	alice := tg.user(tg.role(`{"cluster":["manage_own_api_key"],"run_as":["` + bob.user + `"]}`))
	asBob := cred{user: alice.user, pass: alice.pass, runAs: bob.user}
	tg.call(asBob, "GET", "/_security/_authenticate", noBody).ok(t)

	tg.putUser(bob.user, `{"roles":[],"enabled":false}`)
	r := tg.call(asBob, "GET", "/_security/_authenticate", noBody)
	r.isError(t, http.StatusUnauthorized, "security_exception",
		"unable to authenticate user ["+alice.user+"] for REST request [/_security/_authenticate]")
	r = tg.call(asBob, "PUT", "/_security/api_key/"+bobKey, `{"metadata":{"changed":true}}`)
	r.isError(t, http.StatusUnauthorized, "security_exception",
		"unable to authenticate user ["+alice.user+"] for REST request [/_security/api_key/"+bobKey+"]")
	if md, _ := tg.get(bobKey)["metadata"].(map[string]any); md["changed"] != nil {
		t.Errorf("a request run as a disabled user changed the key: %v", md)
	}
}
