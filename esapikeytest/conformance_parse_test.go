package esapikeytest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

var sprintf = fmt.Sprintf

const (
	twoRestricted = `{"role_descriptors":{
	  "a":{"indices":[{"names":["x"],"privileges":["read"]}],"restriction":{"workflows":["search_application_query"]}},
	  "b":{"indices":[{"names":["y"],"privileges":["read"]}],"restriction":{"workflows":["search_application_query"]}}}}`
	mixedRestricted = `{"role_descriptors":{
	  "a":{"indices":[{"names":["x"],"privileges":["read"]}],"restriction":{"workflows":["search_application_query"]}},
	  "b":{"indices":[{"names":["y"],"privileges":["read"]}]}}}`
	payload = "update_api_key_request_payload"
)

// errorRow is one request and the error Elasticsearch answers it with.
type errorRow struct {
	name, body  string
	typ, reason string
	causeType   string // "" when there is no caused_by to check
	causeReason string
	rootType    string // "" when the root cause is the error itself
	rootReason  string
	status      int             // 400 unless set
	need        version.Feature // the release must have it for the row to apply, when not 0
}

func (row errorRow) check(t *testing.T, r *reply) {
	t.Helper()
	status := row.status
	if status == 0 {
		status = 400
	}
	r.isError(t, status, row.typ, row.reason)
	if row.causeType != "" {
		r.causedBy(t, row.causeType, row.causeReason)
	}
	if row.rootType != "" {
		r.rootCause(t, row.rootType, row.rootReason)
	} else {
		r.rootCause(t, row.typ, row.reason)
	}
}

func wrapped(value, cause string) errorRow {
	return errorRow{
		name: "expiration " + value, body: `{"expiration":"` + value + `"}`,
		typ: xParse, reason: "Failed to build [" + payload + "] after last required field arrived",
		causeType: illegalArg, causeReason: cause, need: version.UpdateExpiration,
	}
}

// appliesAt reports whether the row describes what release v answers.
func (row errorRow) appliesAt(v version.Version) bool {
	return row.need == 0 || v.Has(row.need)
}

var updateErrorRows = []errorRow{
	{name: "metadata key starting with _", body: `{"metadata":{"_x":1,"y":{"_nested":"fine"}}}`,
		typ: validation, reason: "Validation Failed: 1: API key metadata keys may not start with [_];"},
	{need: version.UpdateExpiration, name: "expiration 0", body: `{"expiration":"0"}`, typ: validation, reason: "Validation Failed: 1: API key expiration must be in the future;"},
	{need: version.UpdateExpiration, name: "expiration 0s", body: `{"expiration":"0s"}`, typ: validation, reason: "Validation Failed: 1: API key expiration must be in the future;"},
	{need: version.UpdateExpiration, name: "expiration -1", body: `{"expiration":"-1"}`, typ: validation, reason: "Validation Failed: 1: API key expiration must be in the future;"},
	wrapped("5", "failed to parse setting [expiration] with value [5] as a time value: unit is missing or unrecognized"),
	wrapped("1M", "failed to parse setting [expiration] with value [1M] as a time value: unit is missing or unrecognized"),
	wrapped("abc", "failed to parse setting [expiration] with value [abc] as a time value: unit is missing or unrecognized"),
	wrapped("-2d", "failed to parse setting [expiration] with value [-2d] as a time value: negative durations are not supported"),
	wrapped("1.5h", "failed to parse [1.5h], fractional time values are not supported"),
	{need: version.UpdateExpiration, name: "expiration number", body: `{"expiration":5}`, typ: xParse, reason: "[1:15] [" + payload + "] expiration doesn't support values of type: VALUE_NUMBER"},
	{need: version.UpdateExpiration, name: "expiration null", body: `{"expiration":null}`, typ: xParse, reason: "[1:15] [" + payload + "] expiration doesn't support values of type: VALUE_NULL"},
	{name: "metadata null", body: `{"metadata":null}`, typ: xParse, reason: "[1:13] [" + payload + "] metadata doesn't support values of type: VALUE_NULL"},
	{name: "role_descriptors null", body: `{"role_descriptors":null}`, typ: xParse, reason: "[1:21] [" + payload + "] role_descriptors doesn't support values of type: VALUE_NULL"},
	{name: "unknown top-level field", body: `{"name":"not-on-update"}`, typ: xParse, reason: "[1:2] [" + payload + "] unknown field [name]"},
	{name: "description in a role", body: `{"role_descriptors":{"r":{"description":"no"}}}`,
		typ: xParse, reason: "[1:21] [" + payload + "] failed to parse field [role_descriptors]",
		rootType: "parse_exception", rootReason: "failed to parse role [r]. unexpected field [description]"},
	{name: "unknown field in a role", body: `{"role_descriptors":{"r":{"clusterz":["all"]}}}`,
		typ: xParse, reason: "[1:21] [" + payload + "] failed to parse field [role_descriptors]",
		rootType: "parse_exception", rootReason: "failed to parse role [r]. unexpected field [clusterz]"},
	{name: "role_descriptors array", body: `{"role_descriptors":[{"r":{}}]}`,
		typ: xParse, reason: "[1:21] [" + payload + "] failed to parse field [role_descriptors]",
		causeType: xParse, causeReason: "[1:21] [role_descriptors] doesn't support arrays. Use a single object with multiple fields.",
		rootType: xParse, rootReason: "[1:21] [role_descriptors] doesn't support arrays. Use a single object with multiple fields."},
	{name: "unknown cluster privilege", body: `{"role_descriptors":{"r":{"cluster":["fly"]}}}`, typ: validation},
	{name: "unknown index privilege", body: `{"role_descriptors":{"r":{"indices":[{"names":["*"],"privileges":["fly"]}]}}}`, typ: validation},
	{need: version.RoleRestriction, name: "two restricted roles", body: twoRestricted, typ: illegalArg, reason: "more than one role descriptor with restriction is not supported"},
	{need: version.RoleRestriction, name: "restricted mixed with plain", body: mixedRestricted, typ: illegalArg, reason: "combining role descriptors with and without restriction is not supported"},
}

func TestConformanceUpdateErrors(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		id, _ := tg.key(owner, `{"name":"target"}`)
		for _, row := range updateErrorRows {
			if !row.appliesAt(tg.v) {
				continue
			}
			t.Run(row.name, func(t *testing.T) {
				r := tg.call(owner, "PUT", "/_security/api_key/"+id, row.body)
				if row.reason == "" { // privilege rows: the reason lists every known privilege
					assert.Equal(t, 400, r.status, string(r.raw))
					assert.Equal(t, row.typ, r.at("error.type"))
					assert.Regexp(t, `^Validation Failed: 1: unknown (cluster|index) privilege \[fly\]\. .*;$`, r.at("error.reason"))
					return
				}
				row.check(t, r)
			})
		}
		if !tg.has(version.UpdateExpiration) {
			const body = `{"expiration":"1d"}`
			tg.call(owner, "PUT", "/_security/api_key/"+id, body).isError(t, 400, xParse, unknownAt(body, payload, "expiration"))
		}
		// Nothing above changed the key.
		assert.False(t, tg.update(owner, id, noBody))
	})
}

func TestConformanceBulkErrors(t *testing.T) {
	forVersions(t, needs{version.RouteBulkUpdate}, func(t *testing.T, tg *target) {
		owner := tg.owner()
		id, _ := tg.key(owner, `{"name":"target"}`)
		const bulk = "bulk_update_api_key_request"
		for _, row := range []errorRow{
			{name: "no body", body: noBody, typ: "parse_exception", reason: "request body is required"},
			{name: "no ids", body: `{"metadata":{}}`, typ: illegalArg, reason: "Required [ids]"},
			{name: "empty ids", body: `{"ids":[]}`, typ: validation, reason: "Validation Failed: 1: Field [ids] cannot be empty;"},
			{name: "unknown field", body: `{"ids":["` + id + `"],"id":"x"}`, typ: xParse, reason: "[1:30] [" + bulk + "] unknown field [id] did you mean [ids]?"},
			{name: "ids null", body: `{"ids":null}`, typ: xParse, reason: "[1:8] [" + bulk + "] ids doesn't support values of type: VALUE_NULL"},
			{need: version.UpdateExpiration, name: "expiration", body: `{"ids":["` + id + `"],"expiration":"1M"}`, typ: xParse,
				reason:    "Failed to build [" + bulk + "] after last required field arrived",
				causeType: illegalArg, causeReason: "failed to parse setting [expiration] with value [1M] as a time value: unit is missing or unrecognized"},
			{need: version.RoleRestriction, name: "restriction", body: `{"ids":["` + id + `"],` + twoRestricted[1:], typ: illegalArg, reason: "more than one role descriptor with restriction is not supported"},
		} {
			if !row.appliesAt(tg.v) {
				continue
			}
			t.Run(row.name, func(t *testing.T) {
				row.check(t, tg.call(owner, "POST", "/_security/api_key/_bulk_update", row.body))
			})
		}
	})
}

// "Test bulk update api keys" of Elasticsearch's 30_update.yml.
func TestConformanceBulk(t *testing.T) {
	forVersions(t, needs{version.RouteBulkUpdate}, func(t *testing.T, tg *target) {
		owner := tg.owner()
		k1, _ := tg.key(owner, `{"name":"api-key-1","role_descriptors":{"role-a":{"cluster":["none"],"index":[{"names":["index-a"],"privileges":["read"]}]}}}`)
		k2, _ := tg.key(owner, `{"name":"api-key-2","role_descriptors":{"role-a":{"cluster":["monitor"]}}}`)
		update := `"role_descriptors":{"role-a":{"cluster":["all"],"index":[{"names":["index-a"],"privileges":["write"]},{"names":["index-b"],"privileges":["read"]}]}},"metadata":{"letter":"a","number":42}`

		r := tg.call(owner, "POST", "/_security/api_key/_bulk_update", `{"ids":["`+k2+`","`+k1+`"],`+update+`}`).ok(t)
		assert.Equal(t, []any{k1, k2}, r.obj["updated"], string(r.raw))
		assert.Equal(t, []any{}, r.obj["noops"])

		r = tg.call(owner, "POST", "/_security/api_key/_bulk_update", `{"ids":["`+k1+`","`+k2+`"]}`).ok(t)
		assert.Equal(t, []any{}, r.obj["updated"])
		assert.Equal(t, []any{k1, k2}, r.obj["noops"])
		assert.NotContains(t, r.obj, "errors")

		r = tg.call(owner, "GET", "/_security/api_key?owner=true", noBody).ok(t)
		keys, _ := r.obj["api_keys"].([]any)
		assert.Len(t, keys, 2)
		for _, k := range keys {
			assert.Equal(t, decode(t, `{"letter":"a","number":42}`), k.(map[string]any)["metadata"])
		}
	})
}

func TestConformanceBulkResults(t *testing.T) {
	forVersions(t, needs{version.RouteBulkUpdate}, func(t *testing.T, tg *target) {
		owner := tg.owner()
		k1, _ := tg.key(owner, `{"name":"api-key-1","metadata":{"n":1}}`)
		k2, _ := tg.key(owner, `{"name":"api-key-2","metadata":{"n":2}}`)
		k3, _ := tg.key(owner, `{"name":"api-key-3","metadata":{"n":1}}`)
		bulk := func(body string) *reply { return tg.call(owner, "POST", "/_security/api_key/_bulk_update", body).ok(t) }

		r := bulk(`{"ids":["` + k3 + `","` + k2 + `","` + k1 + `","` + k3 + `"],"metadata":{"n":1}}`)
		assert.Equal(t, []any{k2}, r.obj["updated"], string(r.raw))
		assert.Equal(t, []any{k1, k3}, r.obj["noops"], string(r.raw))
		assert.NotContains(t, r.obj, "errors")

		r = bulk(`{"ids":"` + k2 + `"}`)
		assert.Equal(t, []any{}, r.obj["updated"], "both lists are always present")
		assert.Equal(t, []any{k2}, r.obj["noops"])

		r = bulk(`{"ids":["missing-1","` + k2 + `","missing-2"],"metadata":{"n":3}}`)
		assert.Equal(t, []any{k2}, r.obj["updated"])
		assert.Equal(t, []any{}, r.obj["noops"])
		assert.Equal(t, float64(2), r.at("errors.count"))
		assert.Equal(t, "resource_not_found_exception", r.at("errors.details.missing-1.type"))
		assert.Equal(t, sprintf(notOwned, "missing-2"), r.at("errors.details.missing-2.reason"))
	})
}
