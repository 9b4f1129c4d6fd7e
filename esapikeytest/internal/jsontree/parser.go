package jsontree

// parser builds the tree in one pass. Open containers live on an explicit stack, so depth costs heap
// (bounded by maxDepth), never goroutine stack; the values and keys of open containers wait on two
// shared pending stacks and move, exactly sized, into slabs when their container closes.
type parser struct {
	body []byte
	pos  int

	stack []frame
	kids  pending[*Node]  // values of the open containers
	keys  pending[string] // keys of the open objects

	slab  slab
	buf   []byte // scratch for strings with escapes
	small [8]frame
}

type frame struct {
	n    *Node
	kids int                 // where this container's values start in parser.kids
	keys int                 // where this object's keys start in parser.keys
	seen map[string]struct{} // keys of a large object, for duplicate detection
}

// dupScan is how many keys an object has before duplicates are found through a map rather than by
// comparing with every earlier key.
const dupScan = 16

func (p *parser) document() (*Node, error) {
	if len(p.body) >= 3 && p.body[0] == 0xEF && p.body[1] == 0xBB && p.body[2] == 0xBF {
		p.pos = 3 // a UTF-8 byte order mark, which Jackson's ByteSourceJsonBootstrapper skips
	}
	if err := p.skipSpace(); err != nil {
		return nil, err
	}
	if p.pos == len(p.body) {
		return nil, nil
	}
	p.stack = p.small[:0]
	root, err := p.tree()
	if err != nil {
		return nil, err
	}
	if err := p.skipSpace(); err != nil {
		return nil, err
	}
	if p.pos < len(p.body) {
		return nil, &SyntaxError{Off: p.pos, Msg: LocAt(p.body, p.pos) + " Unexpected character after the end of the object"}
	}
	return root, nil
}

// tree parses one value and everything inside it.
func (p *parser) tree() (*Node, error) {
	for {
		n, err := p.open()
		if err != nil {
			return nil, err
		}
		if n == nil {
			continue // a container opened and its first value follows
		}
		for {
			if len(p.stack) == 0 {
				return n, nil
			}
			p.kids.push(n)
			more, err := p.next()
			if err != nil {
				return nil, err
			}
			if more {
				break
			}
			n = p.close()
		}
	}
}

// open parses the value at the current position: a scalar or an empty container, returned whole, or
// the start of a container, pushed on the stack (with its first key read), for which it returns nil.
func (p *parser) open() (*Node, error) {
	if err := p.skipSpace(); err != nil {
		return nil, err
	}
	if p.pos >= len(p.body) {
		return nil, p.eof()
	}
	off := p.pos
	switch c := p.body[off]; c {
	case '{', '[':
		if len(p.stack) >= maxDepth {
			return nil, depthError(len(p.stack)+1, off)
		}
		kind := Object
		if c == '[' {
			kind = Array
		}
		n := p.slab.node(kind, off)
		p.pos++
		p.stack = append(p.stack, frame{n: n, kids: p.kids.n, keys: p.keys.n})
		if err := p.skipSpace(); err != nil {
			return nil, err
		}
		if p.pos >= len(p.body) {
			return nil, p.eof()
		}
		switch p.body[p.pos] {
		case ']', '}':
			if err := p.closer(); err != nil {
				return nil, err
			}
			return p.close(), nil
		}
		if kind == Object {
			return nil, p.key()
		}
		return nil, nil
	case '"':
		s, err := p.str("string value")
		if err != nil {
			return nil, err
		}
		n := p.slab.node(String, off)
		n.Str = s
		return n, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		lit, err := p.number()
		if err != nil {
			return nil, err
		}
		n := p.slab.node(Number, off)
		n.Str = lit
		return n, nil
	case 't', 'f', 'n':
		return p.literal()
	}
	return nil, p.unexpectedValue()
}

// next reads what follows a value inside the innermost container: a comma (and, in an object, the
// next key), for which it returns true, or the container's end.
func (p *parser) next() (bool, error) {
	if err := p.skipSpace(); err != nil {
		return false, err
	}
	if p.pos >= len(p.body) {
		return false, p.eof()
	}
	switch p.body[p.pos] {
	case ']', '}':
		return false, p.closer()
	case ',':
		p.pos++
		if p.stack[len(p.stack)-1].n.Kind == Object {
			return true, p.key()
		}
		return true, nil
	}
	top := p.stack[len(p.stack)-1].n
	return false, p.unexpectedChar(p.pos, rune(p.body[p.pos]), "was expecting comma to separate "+typeDesc(top)+" entries")
}

// closer consumes the end marker at the current position, which must end the innermost container.
func (p *parser) closer() error {
	c := p.body[p.pos]
	top := p.stack[len(p.stack)-1].n
	if want := endMarker(top.Kind); c != want {
		return p.mismatchedEnd(c, want, top)
	}
	p.pos++
	return nil
}

// close pops the innermost container and gives it its keys and values.
func (p *parser) close() *Node {
	f := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if m := p.slab.container(f.n, p.kids.n-f.kids); m != nil {
		p.kids.take(f.kids, m.vals)
		p.keys.take(f.keys, m.keys) // an array has no keys waiting: nothing to take
	}
	return f.n
}

// key reads an object key and the colon after it; Jackson's STRICT_DUPLICATE_DETECTION, which
// JsonXContentImpl enables, refuses a key the object already has.
func (p *parser) key() error {
	if err := p.skipSpace(); err != nil {
		return err
	}
	if p.pos >= len(p.body) {
		return p.eof()
	}
	off := p.pos
	if p.body[off] != '"' {
		c, _, err := p.charForError(off)
		if err != nil {
			return err
		}
		return p.unexpectedChar(off, c, "was expecting double-quote to start field name")
	}
	name, err := p.str("name")
	if err != nil {
		return err
	}
	if p.duplicate(name) {
		return &SyntaxError{Off: off, Msg: LocAt(p.body, off) + " Duplicate field '" + name + "'"}
	}
	p.keys.push(name)
	if err := p.skipSpace(); err != nil {
		return err
	}
	if p.pos >= len(p.body) {
		return p.eof()
	}
	if p.body[p.pos] != ':' {
		return p.unexpectedChar(p.pos, rune(p.body[p.pos]), "was expecting a colon to separate field name and value")
	}
	p.pos++
	return nil
}

// duplicate reports whether the innermost object already has key name.
func (p *parser) duplicate(name string) bool {
	f := &p.stack[len(p.stack)-1]
	if f.seen == nil && p.keys.n-f.keys < dupScan {
		for i := f.keys; i < p.keys.n; i++ {
			if p.keys.at(i) == name {
				return true
			}
		}
		return false
	}
	if f.seen == nil {
		f.seen = make(map[string]struct{}, 2*(p.keys.n-f.keys))
		for i := f.keys; i < p.keys.n; i++ {
			f.seen[p.keys.at(i)] = struct{}{}
		}
	}
	if _, ok := f.seen[name]; ok {
		return true
	}
	f.seen[name] = struct{}{}
	return false
}

// literal reads true, false or null as Jackson's _matchToken does.
func (p *parser) literal() (*Node, error) {
	off := p.pos
	word, kind := "null", Null
	switch p.body[off] {
	case 't':
		word, kind = "true", Bool
	case 'f':
		word, kind = "false", Bool
	}
	for i := 1; i < len(word); i++ {
		if off+i >= len(p.body) || p.body[off+i] != word[i] {
			p.pos = off + i
			return nil, p.invalidToken(word[:i])
		}
	}
	p.pos = off + len(word)
	if p.pos < len(p.body) {
		if c := p.body[p.pos]; c >= '0' && c != ']' && c != '}' {
			r, _, err := p.charForError(p.pos)
			if err != nil {
				return nil, err
			}
			if javaIdentifierPart(r) {
				return nil, p.invalidToken(word)
			}
		}
	}
	n := p.slab.node(kind, off)
	n.Bool = word == "true"
	return n, nil
}

func endMarker(k Kind) byte {
	if k == Object {
		return '}'
	}
	return ']'
}

// typeDesc names a container as Jackson's JsonStreamContext.typeDesc does.
func typeDesc(n *Node) string {
	switch {
	case n == nil:
		return "root"
	case n.Kind == Object:
		return "Object"
	}
	return "Array"
}
