package jsontree

// slab hands out nodes and the exactly sized key and value slices of containers from chunks, so that
// a body of many small values costs a few large allocations instead of one per value. A chunk grows
// with what the parse has used so far, up to maxChunk, so that a small body costs little and the
// unused end of the last chunk of a large one is no more than maxChunk entries.
type slab struct {
	nodes []Node
	ptrs  []*Node
	strs  []string
	used  int // nodes handed out so far
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
	n.Kind, n.Off = k, off
	return n
}

// vals copies a container's values into the slab; an empty container gets nil, as before.
func (s *slab) vals(v []*Node) []*Node {
	if len(v) == 0 {
		return nil
	}
	if len(v) > len(s.ptrs) {
		if len(v) >= chunk(s.used) {
			return append([]*Node(nil), v...)
		}
		s.ptrs = make([]*Node, chunk(s.used))
	}
	out := s.ptrs[:len(v):len(v)]
	s.ptrs = s.ptrs[len(v):]
	copy(out, v)
	return out
}

func (s *slab) names(k []string) []string {
	if len(k) == 0 {
		return nil
	}
	if len(k) > len(s.strs) {
		if len(k) >= chunk(s.used) {
			return append([]string(nil), k...)
		}
		s.strs = make([]string, chunk(s.used))
	}
	out := s.strs[:len(k):len(k)]
	s.strs = s.strs[len(k):]
	copy(out, k)
	return out
}
