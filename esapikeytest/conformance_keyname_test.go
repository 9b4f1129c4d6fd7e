package esapikeytest_test

import (
	"net/url"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The name filter of GET and DELETE /_security/api_key is not a glob: "*"
// alone matches every key, a trailing "*" is a prefix, and any other "*" is
// part of the name (ApiKeyService: prefixQuery for a trailing "*", termQuery
// otherwise).
func TestConformanceKeyNameFilter_ApiKeyServicePrefixOrTerm(t *testing.T) {
	forVersions(t, nil, func(t *testing.T, tg *target) {
		owner := tg.owner()
		for _, name := range []string{"ab", "a*b", "a-x-b", "ba"} {
			tg.key(owner, `{"name":"`+name+`"}`)
		}
		names := func(filter string) []string {
			t.Helper()
			r := tg.call(owner, "GET", "/_security/api_key?owner=true&name="+url.QueryEscape(filter), noBody)
			if r.status == 404 {
				return nil // no key of that name: Elasticsearch answers 404 with an empty list
			}
			r.ok(t)
			keys, _ := r.at("api_keys").([]any)
			var out []string
			for _, k := range keys {
				if m, ok := k.(map[string]any); ok {
					n, _ := m["name"].(string)
					out = append(out, n)
				}
			}
			sort.Strings(out)
			return out
		}
		assert.Equal(t, []string{"a*b"}, names("a*b"), "an inner * is literal")
		assert.Equal(t, []string{"a*b", "a-x-b", "ab"}, names("a*"), "a trailing * is a prefix")
		assert.Equal(t, []string{"a*b", "a-x-b", "ab", "ba"}, names("*"))
		assert.Equal(t, []string{"ab"}, names("ab"))
		assert.Nil(t, names("*b"), "a leading * is literal too")

		// Invalidation selects keys the same way.
		r := tg.call(owner, "DELETE", "/_security/api_key", `{"name":"a*b","owner":true}`).ok(t)
		assert.Len(t, r.at("invalidated_api_keys"), 1)
	})
}
