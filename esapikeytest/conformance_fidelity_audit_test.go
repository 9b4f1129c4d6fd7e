package esapikeytest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// Fidelity items whose client half had tests and whose server half had none: the stand-in must
// accept what Elasticsearch accepts here, or a user's test of the client passes against a server
// that would refuse the same bytes.

// D5: TimeValue.parseTimeValue trims the text and the number, lower-cases the unit and reads the
// number with Long.parseLong; only "m" is looked for in the raw text.
func TestConformanceD5ExpirationSpellings_TimeValueParseTimeValue(t *testing.T) {
	forVersions(t, needs{version.UpdateExpiration}, func(t *testing.T, tg *target) {
		id, _ := tg.key(tg.admin, `{"name":"k"}`)
		for v, d := range map[string]time.Duration{
			"+30d": 30 * 24 * time.Hour, " 30d": 30 * 24 * time.Hour, "30d ": 30 * 24 * time.Hour, "30 d": 30 * 24 * time.Hour,
			"030d": 30 * 24 * time.Hour, "30D": 30 * 24 * time.Hour, "30 m": 30 * time.Minute,
		} {
			now := time.Now()
			if !tg.real() {
				now = tg.srv.Now()
			}
			tg.update(tg.admin, id, `{"expiration":`+jsonString(v)+`}`)
			assert.InDelta(t, now.Add(d).UnixMilli(), tg.expiration(id), float64(time.Minute.Milliseconds()), v)
		}
		r := tg.call(tg.admin, "PUT", "/_security/api_key/"+id, `{"expiration":"30m "}`)
		r.isError(t, 400, xParse, "Failed to build [update_api_key_request_payload] after last required field arrived")
		r.innermost(t, illegalArg, "failed to parse setting [expiration] with value [30m ] as a time value: unit is missing or unrecognized")
	})
}

// D15: what the client now sends, Elasticsearch accepts: an empty id among bulk ids (answered in the
// per-id errors), an empty index name, remote_indices on no cluster.
func TestConformanceD15EmptyNamesAccepted_BulkUpdateApiKeyRequest(t *testing.T) {
	forVersions(t, needs{version.RouteBulkUpdate, version.AnswerRoleDescriptors, version.RoleRemoteIndices}, func(t *testing.T, tg *target) {
		owner := tg.owner()
		id, _ := tg.key(owner, `{"name":"k"}`)
		r := tg.call(owner, "POST", "/_security/api_key/_bulk_update", `{"ids":["`+id+`",""]}`).ok(t)
		assert.Equal(t, []any{id}, r.obj["noops"], string(r.raw))
		assert.Equal(t, float64(1), r.at("errors.count"), string(r.raw))
		details, _ := r.at("errors.details").(map[string]any)
		require.Contains(t, details, "", string(r.raw))
		assert.Equal(t, decode(t, `{"type":"resource_not_found_exception","reason":"no API key owned by requesting user found for ID []"}`), details[""])

		assert.True(t, tg.update(owner, id, `{"role_descriptors":{"r":{"indices":[{"names":[""],"privileges":["read"]}]}}}`))
		assert.Equal(t, decode(t, `[""]`), at(tg.get(id), "role_descriptors.r.indices.0.names"))
		assert.True(t, tg.update(owner, id, `{"role_descriptors":{"r":{"remote_indices":[{"clusters":[],"names":["a"],"privileges":["read"]}]}}}`))
	})
}
