package jsontree

// pending holds the values (or the keys) of the open containers, innermost last, until their container
// closes and takes them. It keeps them in chunks of chunkLen entries, so that it grows without copying:
// a doubling slice would, for a body that is one long array, allocate twice its final size and leave
// the earlier copies to the collector, while the tree is still growing.
type pending[T any] struct {
	chunks [][]T // full but for the one holding the top; chunks above it are empty, kept for reuse
	n      int
}

const chunkLen = 1 << 14

func (s *pending[T]) push(v T) {
	c := s.n / chunkLen
	if c == len(s.chunks) {
		size := chunkLen
		if c == 0 {
			size = 64 // the first chunk grows as a slice does, so that a small body stays small
		}
		s.chunks = append(s.chunks, make([]T, 0, size))
	}
	s.chunks[c] = append(s.chunks[c], v)
	s.n++
}

func (s *pending[T]) at(i int) T { return s.chunks[i/chunkLen][i%chunkLen] }

// take moves the entries from the from'th on into dst, which has room for exactly them.
func (s *pending[T]) take(from int, dst []T) {
	for i := from; i < s.n; {
		c, o := i/chunkLen, i%chunkLen
		part := s.chunks[c][o:]
		copy(dst[i-from:], part)
		clear(part)
		s.chunks[c] = s.chunks[c][:o]
		i += len(part)
	}
	s.n = from
}
