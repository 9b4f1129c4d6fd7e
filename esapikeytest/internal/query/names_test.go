package query

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// NameTerms finds the names a query requires, and only where every matching key must have one of them.
func TestNameTerms(t *testing.T) {
	for body, want := range map[string][]string{
		`{"query":{"term":{"name":"alpha"}}}`:                                                        {"alpha"},
		`{"query":{"term":{"name":{"value":"alpha"}}}}`:                                              {"alpha"},
		`{"query":{"terms":{"name":["alpha","beta"]}}}`:                                              {"alpha", "beta"},
		`{"query":{"bool":{"filter":[{"prefix":{"name":"a"}}],"must":[{"term":{"name":"alpha"}}]}}}`: {"alpha"},
		`{"query":{"bool":{"filter":{"bool":{"must":{"terms":{"name":["beta"]}}}}}}}`:                {"beta"},
		`{}`: nil,
		`{"query":{"term":{"name":{"value":"ALPHA","case_insensitive":true}}}}`: nil,
		`{"query":{"term":{"username":"ann"}}}`:                                 nil,
		`{"query":{"bool":{"should":[{"term":{"name":"alpha"}}]}}}`:             nil,
		`{"query":{"bool":{"must_not":[{"term":{"name":"alpha"}}]}}}`:           nil,
		`{"query":{"prefix":{"name":"alpha"}}}`:                                 nil,
		`{"query":{"match":{"name":"alpha"}}}`:                                  nil,
	} {
		req, err := ParseRequest([]byte(body))
		require.Nil(t, err, body)
		names, ok := req.NameTerms()
		assert.Equal(t, want != nil, ok, body)
		assert.Equal(t, want, names, body)
		if !ok {
			continue
		}
		// Over the keys of those names only, the answer is the one over all keys.
		var named []*Doc
		for _, d := range fixture() {
			for _, n := range names {
				if d.Name == n {
					named = append(named, d)
				}
			}
		}
		all, err := req.Run(fixture(), now, false)
		require.Nil(t, err)
		some, err := req.Run(named, now, false)
		require.Nil(t, err)
		assert.Equal(t, ids(all), ids(some), body)
	}
}
