package query

import "slices"

// topK keeps the k least of the items offered, by cmp, in a heap whose root is the greatest kept.
type topK[T any] struct {
	k    int
	cmp  func(x, y T) int
	heap []T
}

func newTopK[T any](k int, cmp func(x, y T) int) *topK[T] {
	return &topK[T]{k: k, cmp: cmp, heap: make([]T, 0, k)}
}

// offer keeps x if it is among the k least so far. It returns the item it let go, x itself or the
// one x displaced, so that the caller may reuse what that item holds; none when x was simply added.
func (t *topK[T]) offer(x T) (out T, dropped bool) {
	switch {
	case t.k == 0:
	case len(t.heap) < t.k:
		t.heap = append(t.heap, x)
		t.up(len(t.heap) - 1)
		return out, false
	case t.cmp(x, t.heap[0]) < 0:
		out = t.heap[0]
		t.heap[0] = x
		t.down(0)
		return out, true
	}
	return x, true
}

// sorted returns the kept items, least first.
func (t *topK[T]) sorted() []T {
	out := slices.Clone(t.heap)
	slices.SortFunc(out, t.cmp)
	return out
}

func (t *topK[T]) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if t.cmp(t.heap[i], t.heap[parent]) <= 0 {
			return
		}
		t.heap[i], t.heap[parent] = t.heap[parent], t.heap[i]
		i = parent
	}
}

func (t *topK[T]) down(i int) {
	for {
		big, l, r := i, 2*i+1, 2*i+2
		if l < len(t.heap) && t.cmp(t.heap[l], t.heap[big]) > 0 {
			big = l
		}
		if r < len(t.heap) && t.cmp(t.heap[r], t.heap[big]) > 0 {
			big = r
		}
		if big == i {
			return
		}
		t.heap[i], t.heap[big] = t.heap[big], t.heap[i]
		i = big
	}
}
