package esapikeytest_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/esapikey/esapikey/esapikeytest"
)

// A key a test creates may be logged whole: its secret is not in the text.
func TestAPIKeyFormatMasksTheSecret(t *testing.T) {
	srv := esapikeytest.NewServer()
	defer srv.Close()
	key, err := srv.CreateAPIKey("elastic", `{"name":"logged"}`)
	require.NoError(t, err)
	require.NotEmpty(t, key.Key)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		for _, v := range []any{key, &key, struct{ K esapikeytest.APIKey }{key}, []esapikeytest.APIKey{key}} {
			s := fmt.Sprintf(verb, v)
			assert.NotContains(t, s, key.Key, verb)
			assert.NotContains(t, s, key.Encoded, verb)
		}
	}
	assert.Contains(t, fmt.Sprintf("%v", key), `ID:"`+key.ID+`" Name:"logged" Key:**** Encoded:****`)
}
