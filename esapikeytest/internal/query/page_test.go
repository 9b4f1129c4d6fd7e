package query

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A page kept by the bounded heap is the page of a full stable sort, for every from, size, order and
// search_after, with many ties (the heap lends the sort keys of the rows it lets go to the next row).
func TestPageIsFullSortPage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	docs := make([]*Doc, 200)
	for i := range docs {
		docs[i] = &Doc{ID: fmt.Sprint("d", i), Name: fmt.Sprint("n", rng.IntN(20)), Username: fmt.Sprint("u", rng.IntN(3)), Seq: i}
	}
	for _, order := range []string{"asc", "desc"} {
		for _, page := range [][2]int{{0, 1}, {0, 10}, {3, 7}, {150, 100}, {0, 500}, {199, 1}, {0, 0}} {
			for _, after := range []string{"", `,"search_after":["n7","u1"]`} {
				if after != "" && page[0] > 0 {
					continue
				}
				body := fmt.Sprintf(`{"from":%d,"size":%d,"sort":[{"name":{"order":%q}},{"username":{"order":"asc"}}]%s}`, page[0], page[1], order, after)
				res, err := result(t, body, docs)
				require.Nil(t, err, body)
				want := slices.Clone(docs)
				slices.SortStableFunc(want, func(a, b *Doc) int {
					c := strings.Compare(a.Name, b.Name)
					if order == "desc" {
						c = -c
					}
					if c == 0 {
						c = strings.Compare(a.Username, b.Username)
					}
					return c
				})
				if after != "" {
					want = slices.DeleteFunc(want, func(d *Doc) bool {
						c := strings.Compare(d.Name, "n7")
						if order == "desc" {
							c = -c
						}
						return c < 0 || c == 0 && d.Username <= "u1"
					})
				}
				want = want[min(page[0], len(want)):]
				want = want[:min(page[1], len(want))]
				got := make([]string, len(res.Hits))
				for i, h := range res.Hits {
					got[i] = h.Doc.ID + "/" + fmt.Sprint(h.Sort)
				}
				exp := make([]string, len(want))
				for i, d := range want {
					exp[i] = d.ID + "/" + fmt.Sprint([]any{d.Name, d.Username})
				}
				assert.Equal(t, exp, got, body)
			}
		}
	}
}
