package esapikey_test

import (
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey"
	"github.com/esapikey/esapikey/esapikeytest"
)

func TestDurationOf(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want esapikey.Duration
	}{
		{90 * time.Minute, "90m"},
		{36 * time.Hour, "36h"},
		{48 * time.Hour, "2d"},
		{30 * 24 * time.Hour, "30d"},
		{1500 * time.Millisecond, "1500ms"},
		{time.Second, "1s"},
		{61 * time.Second, "61s"},
		{time.Nanosecond, "1nanos"},
		{2 * time.Microsecond, "2micros"},
		{1001 * time.Microsecond, "1001micros"},
		{math.MaxInt64, "9223372036854775807nanos"},
		{0, "0s"},
		{-time.Minute, "-1m"},
	}
	for _, tt := range tests {
		t.Run(tt.d.String(), func(t *testing.T) {
			assert.Equal(t, tt.want, esapikey.DurationOf(tt.d))
		})
	}
}

func TestDuration_TimeDuration(t *testing.T) {
	for _, d := range []time.Duration{
		time.Nanosecond, 2 * time.Microsecond, 1500 * time.Millisecond, time.Second, 90 * time.Minute,
		36 * time.Hour, 48 * time.Hour, 365 * 24 * time.Hour, math.MaxInt64,
	} {
		got, err := esapikey.DurationOf(d).TimeDuration()
		require.NoError(t, err, d)
		assert.Equal(t, d, got)
	}
	tests := []struct {
		in   esapikey.Duration
		want time.Duration
	}{
		{"1D", 24 * time.Hour}, {"2H", 2 * time.Hour}, {"10MS", 10 * time.Millisecond}, {"3S", 3 * time.Second},
		{"7NANOS", 7}, {"106751d", 106751 * 24 * time.Hour},
	}
	for _, tt := range tests {
		got, err := tt.in.TimeDuration()
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	for in, want := range map[esapikey.Duration]time.Duration{
		"+30d": 30 * 24 * time.Hour, " 30 d ": 30 * 24 * time.Hour, "030m": 30 * time.Minute, "30 MS": 30 * time.Millisecond,
		"٣٠d": 30 * 24 * time.Hour, "30Micros": 30 * time.Microsecond,
	} {
		got, err := in.TimeDuration()
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, d := range []esapikey.Duration{"", "0s", "-1m", "1M", "1.5h", "106752d", "99999999999999999999s", "30m "} {
		_, err := d.TimeDuration()
		if assert.Error(t, err, d) {
			assert.True(t, strings.HasPrefix(err.Error(), "esapikey: duration "), err.Error())
		}
	}
}

// Accepted expirations are sent as they are.
func TestExpiration_accepted(t *testing.T) {
	for _, exp := range []esapikey.Duration{
		"30d", "1D", "12h", "90m", "5s", "100ms", "10micros", "7nanos", "1H", "2S", "1NANOS", "1MICROS", "3MS",
		esapikey.DurationOf(90 * time.Minute),
		// Elasticsearch (TimeValue.parseTimeValue) trims the text and the
		// number, lower-cases the unit and reads the number with
		// Long.parseLong: a sign, leading zeros and spaces are fine.
		"+30d", " 30d", "30d ", "30 d", "030d", "30D", "30 m", "\t30d\n", " 30 MS ", "30mS", "30Nanos",
		"٣٠d", // Arabic-Indic digits: Long.parseLong reads any script's
		"9223372036854775807nanos",
	} {
		t.Run(string(exp), func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":true}`)
			_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID, Expiration: exp})
			require.NoError(t, err)
			assertJSONRequest(t, rec.only(t), http.MethodPut, updatePath, `{"expiration":`+marshal(t, string(exp))+`}`)
		})
	}
}

// Refused expirations never reach the server, on any endpoint.
func TestExpiration_refused(t *testing.T) {
	for _, exp := range []esapikey.Duration{
		"5", "1M", "abc", "1.5h", "1,5h", "-2d", "0", "0s", "00d", "-1", "d", "1y", "1w", "1dd",
		"99999999999999999999d", esapikey.DurationOf(0), esapikey.DurationOf(-time.Minute),
		// Minutes are looked for in the raw text: nothing may follow "m".
		"30m ", "30m\t", "30M", "30 M",
		"-1d", "-0d", "+-1d", "1 0d", "1e3s", "++1d", "+", "+d", "9223372036854775808nanos", "𝟑𝟎d",
	} {
		t.Run(string(exp), func(t *testing.T) {
			client, mux := setup(t)
			rec := answer(mux, http.StatusOK, `{"updated":true}`)

			_, err := client.UpdateAPIKey(t.Context(), esapikey.UpdateAPIKeyRequest{ID: testID, Expiration: exp})
			assertInvalid(t, err, "expiration")
			_, err = client.BulkUpdateAPIKeys(t.Context(), esapikey.BulkUpdateAPIKeysRequest{IDs: []string{testID}, Expiration: exp})
			assertInvalid(t, err, "expiration")
			_, err = client.UpdateCrossClusterAPIKey(t.Context(), esapikey.UpdateCrossClusterAPIKeyRequest{ID: testID, Access: searchLogs, Expiration: exp})
			assertInvalid(t, err, "expiration")

			assert.Empty(t, rec.calls())
		})
	}
}

// Duration and esapikeytest read an expiration as TimeValue.parseTimeValue
// does: the text is trimmed with String.trim, which strips every character
// up to U+0020 and nothing else (not U+00A0), and the number is read with
// Long.parseLong, which takes a decimal digit of any script that is one
// UTF-16 unit (Character.digit: Arabic-Indic and fullwidth digits, not
// U+1D7CF). 0 and -1 without a unit parse, as TimeValue.ZERO and
// MINUS_ONE, and are refused as not in the future. The two sides agree on
// every one, and say "must be in the future" alike.
func TestDuration_readAsElasticsearchReadsIt(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	for _, tc := range []struct {
		exp    string
		ok     bool
		future bool // refused as "must be in the future"
	}{
		{"\u00a01d", false, false}, {"1\u00a0d", false, false}, {"1d\u00a0", false, false}, {"1\u2003d", false, false},
		{"\x001d", true, false}, {"1d\x00", true, false}, {"\x1f1\x01d\x7f", false, false}, {"\t1 d\n", true, false},
		{"١d", true, false}, {"１d", true, false}, {"٣٠d", true, false}, {"+１h", true, false}, {"𝟏d", false, false},
		{"0", false, true}, {"-1", false, true}, {"-01", false, true}, {"000", false, true}, {" 0 ", false, true},
		{"\x000\x00", false, true}, {"0d", false, true}, {"-1d", false, true}, {"٠d", false, true},
		{"+0", false, false}, {"٠", false, false}, {"-2", false, false}, {"1", false, false},
	} {
		t.Run(tc.exp, func(t *testing.T) {
			clientErr := esapikey.UpdateAPIKeyRequest{ID: testID, Expiration: esapikey.Duration(tc.exp)}
			_, err := esapikey.NewWithTransport(refuseAll{}).UpdateAPIKey(t.Context(), clientErr)
			var ve *esapikey.ValidationError
			if tc.ok {
				assert.ErrorIs(t, err, errRefused, "the client sends it")
			} else {
				require.ErrorAs(t, err, &ve, "the client refuses it")
				assert.Equal(t, tc.future, strings.HasSuffix(ve.Reason, "must be in the future"), ve.Reason)
			}

			body, _ := json.Marshal(map[string]string{"name": "k", "expiration": tc.exp})
			_, err = srv.CreateAPIKey("elastic", string(body))
			if tc.ok {
				assert.NoError(t, err, "esapikeytest takes it")
			} else {
				require.Error(t, err, "esapikeytest refuses it")
				assert.Equal(t, tc.future, strings.Contains(err.Error(), "API key expiration must be in the future"), err.Error())
			}
		})
	}
}

var errRefused = errors.New("not sent")

// refuseAll is a transport that sends nothing.
type refuseAll struct{}

func (refuseAll) Perform(*http.Request) (*http.Response, error) { return nil, errRefused }
