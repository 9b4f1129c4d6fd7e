package esapikeytest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Application privileges: put (created, then replaced whole), get by application and names, delete
// (RestPutPrivilegesAction, RestGetPrivilegesAction, RestDeletePrivilegesAction; privileges/10_basic.yml).
func TestConformanceApplicationPrivileges(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		app := "esk" + tg.prefix[4:]
		t.Cleanup(func() { tg.call(tg.admin, "DELETE", "/_security/privilege/"+app+"/p1,p2,p3", noBody) })

		r := tg.call(tg.admin, "PUT", "/_security/privilege?refresh=true", `{"`+app+`":{
		  "p1":{"application":"`+app+`","name":"p1","actions":["data:read/*","action:login"],"metadata":{"key1":"val1"}},
		  "p2":{"actions":["data:write/*"],"metadata":{"key2":"val2"}}}}`).ok(t)
		assert.Equal(t, decode(t, `{"`+app+`":{"p1":{"created":true},"p2":{"created":true}}}`), r.obj)

		r = tg.call(tg.admin, "POST", "/_security/privilege/", `{"`+app+`":{"p1":{"actions":["data:read/*"],"metadata":{"key3":"val3"}},"p3":{"actions":["*"]}}}`).ok(t)
		assert.Equal(t, decode(t, `{"`+app+`":{"p1":{"created":false},"p3":{"created":true}}}`), r.obj)

		r = tg.call(tg.admin, "GET", "/_security/privilege/"+app+"/p1", noBody).ok(t)
		assert.Equal(t, decode(t, `{"`+app+`":{"p1":{"application":"`+app+`","name":"p1","actions":["data:read/*"],"metadata":{"key3":"val3"}}}}`), r.obj,
			"a put replaces the privilege whole")
		r = tg.call(tg.admin, "GET", "/_security/privilege/"+app, noBody).ok(t)
		assert.Len(t, r.at(app), 3)
		assert.Equal(t, decode(t, `{}`), r.at(app+".p3.metadata"))
		r = tg.call(tg.admin, "GET", "/_security/privilege", noBody).ok(t)
		assert.Len(t, r.at(app), 3)

		r = tg.call(tg.admin, "GET", "/_security/privilege/"+app+"/nope", noBody)
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.Equal(t, "{}", string(r.raw))

		r = tg.call(tg.admin, "DELETE", "/_security/privilege/"+app+"/p2,nope", noBody).ok(t)
		assert.Equal(t, decode(t, `{"`+app+`":{"p2":{"found":true},"nope":{"found":false}}}`), r.obj)
		r = tg.call(tg.admin, "DELETE", "/_security/privilege/"+app+"/p2", noBody)
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.Equal(t, decode(t, `{"`+app+`":{"p2":{"found":false}}}`), r.obj)
	})
}

// PutPrivilegesRequest.validate collects every message; the parser checks the inner names first.
func TestConformanceApplicationPrivilegesErrors(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		put := func(body string) *reply { return tg.call(tg.admin, "PUT", "/_security/privilege", body) }

		put(`{}`).isError(t, 400, validation, "Validation Failed: 1: At least one application privilege must be provided;")
		put(`{"ab":{"Read":{"actions":[]}}}`).isError(t, 400, validation, "Validation Failed: 1: An application name prefix must be at least 3 characters long (found 'ab');"+
			"2: Application privilege names must match the pattern ^[a-z][a-zA-Z0-9_.-]*$ (found 'Read');3: Application privileges must have at least one action;")
		put(`{"myapp":{"read":{"actions":["data:read/*"],"metadata":{"_x":1}}}}`).isError(t, 400, validation,
			"Validation Failed: 1: metadata keys may not start with [_] (in privilege myapp read);")
		put(`{"myapp":{"read":{"application":"other","actions":["a:b"]}}}`).isError(t, 400, illegalArg,
			"privilege application [other] in source does not match the provided application [myapp]")
		put(`{"myapp":{"read":{"name":"write","actions":["a:b"]}}}`).isError(t, 400, illegalArg,
			"privilege name [write] in source does not match the provided name [read]")
		put(`{"myapp":[]}`).isError(t, 400, "parse_exception", "expected the value for myapp to be an object, but found START_ARRAY instead")

		weak := tg.user(tg.role(`{"cluster":["manage_api_key"]}`))
		tg.call(weak, "PUT", "/_security/privilege", `{"myapp":{"read":{"actions":["data:read/*"]}}}`).isError(t, 403, "security_exception",
			"action [cluster:admin/xpack/security/privilege/put] is unauthorized for user ["+weak.user+"] with effective roles ["+
				tg.rolesOf(weak)+"], this action is granted by the cluster privileges [manage_security,all]")
	})
}
