package jsontree

// slab hands out nodes, container members and the exactly sized key and value slices of containers
// from chunks, so that a body of many small values costs a few large allocations instead of one per
// value. A chunk grows with what the parse has used so far, up to maxChunk, so that a small body costs
// little and the unused end of the last chunk of a large one is no more than maxChunk entries.
type slab struct {
	nodes   []Node
	members []members
	ptrs    []*Node
	strs    []string
	used    int // nodes handed out so far
}

const minChunk, maxChunk = 16, 4096

func chunk(used int) int { return min(maxChunk, max(minChunk, used/4)) }

func (s *slab) node(k Kind, off int) *Node {
	if len(s.nodes) == 0 {
		s.nodes = make([]Node, chunk(s.used))
	}
	n := &s.nodes[0]
	s.nodes = s.nodes[1:]
	s.used++
	n.Kind, n.off = k, int32(off)
	return n
}

// container gives a container of n values its members, with room for n values and, in an object, n
// keys; an empty container keeps none and gets nil.
func (s *slab) container(node *Node, n int) *members {
	if n == 0 {
		return nil
	}
	if len(s.members) == 0 {
		s.members = make([]members, chunk(s.used))
	}
	m := &s.members[0]
	s.members = s.members[1:]
	m.vals = carve(&s.ptrs, n, s.used)
	if node.Kind == Object {
		m.keys = carve(&s.strs, n, s.used)
	}
	node.c = m
	return m
}

// carve cuts a slice of length n from *free, which it refills with a chunk when n does not fit; a
// slice as long as a chunk or longer gets an allocation of its own.
func carve[T any](free *[]T, n, used int) []T {
	if n > len(*free) {
		if n >= chunk(used) {
			return make([]T, n)
		}
		*free = make([]T, chunk(used))
	}
	out := (*free)[:n:n]
	*free = (*free)[n:]
	return out
}
