package esapikeytest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A query that names the keys it can match reads them from the name index: the owner filter, the
// creation order, the current version of each key and the aggregations are those of a full scan.
func TestQueryByName(t *testing.T) {
	tg := newTarget(t)
	ann, bob := tg.owner(), tg.owner()
	p := tg.prefix
	annID, _ := tg.key(ann, `{"name":"`+p+`-same","metadata":{"v":1}}`)
	tg.key(bob, `{"name":"`+p+`-same"}`)
	tg.key(bob, `{"name":"`+p+`-other"}`)
	tg.call(ann, "PUT", "/_security/api_key/"+annID, `{"metadata":{"v":2}}`).ok(t)

	term := `{"query":{"term":{"name":"` + p + `-same"}}}`
	r := tg.query(ann, term)
	assert.Equal(t, []string{p + "-same"}, r.names())
	assert.Equal(t, annID, r.at("api_keys.0.id"))
	assert.Equal(t, float64(2), r.at("api_keys.0.metadata.v"), "the current version")

	r = tg.query(tg.admin, `{"query":{"bool":{"must":[{"terms":{"name":["`+p+`-other","`+p+`-same","`+p+`-same"]}}]}},`+
		`"aggs":{"owners":{"terms":{"field":"username"}}}}`)
	assert.Equal(t, []string{p + "-same", p + "-same", p + "-other"}, r.names(), "creation order")
	assert.Equal(t, float64(3), r.obj["total"])
	assert.Equal(t, bob.user, r.at("aggregations.owners.buckets.0.key"))
	assert.Equal(t, float64(2), r.at("aggregations.owners.buckets.0.doc_count"))

	r = tg.query(bob, `{"query":{"term":{"name":"`+p+`-none"}},"aggs":{"owners":{"terms":{"field":"username"}}}}`)
	assert.Equal(t, float64(0), r.obj["total"])
	assert.Nil(t, r.obj["aggregations"])
}
