// Package jsontree parses a request body into a tree of JSON values that remember where they start,
// so that errors can carry Elasticsearch's [line:col] prefix and name values by Jackson's token names.
//
// The parser reads the body as Elasticsearch's JSON XContent does (JsonXContentImpl: Jackson with
// comments allowed and duplicate names refused) within Jackson's StreamReadConstraints as Elasticsearch
// configures them (see limits.go). It works in one pass with an explicit stack, so no body can exhaust the
// goroutine stack, and it allocates in proportion to the body.
package jsontree

import (
	"bytes"
	"fmt"
	"iter"
	"math"
)

// Kind is the type of a JSON value.
type Kind uint8

// The kinds of JSON value.
const (
	Object Kind = iota
	Array
	String
	Number
	Bool
	Null
)

// Token names the kind as Jackson's JsonToken does in Elasticsearch's parse errors ("START_OBJECT").
func (k Kind) Token() string {
	return [...]string{"START_OBJECT", "START_ARRAY", "VALUE_STRING", "VALUE_NUMBER", "VALUE_BOOLEAN", "VALUE_NULL"}[k]
}

// Node is one parsed JSON value. Nodes of one Doc share their storage; treat them as read-only.
//
// A node is 32 bytes: a scalar, which most values of a large body are, carries no room for keys and
// values, and a container keeps them behind one pointer.
type Node struct {
	Kind Kind
	Bool bool
	off  int32 // byte offset of the value in the body (Parse takes bodies under 2 GiB; a request has at most 100 MB)
	Str  string
	c    *members // nil for a scalar or an empty container
}

// members are the keys and values of an object, or the elements of an array.
type members struct {
	keys []string
	vals []*Node
}

// Off returns the byte offset of the value in the body.
func (n *Node) Off() int { return int(n.off) }

// Keys returns an object's keys, in document order; nil for any other value.
func (n *Node) Keys() []string {
	if n.c == nil {
		return nil
	}
	return n.c.keys
}

// Vals returns an object's values, in the order of its keys, or an array's elements; nil for a scalar.
func (n *Node) Vals() []*Node {
	if n.c == nil {
		return nil
	}
	return n.c.vals
}

// Fields yields an object's keys and their values, in document order; nothing for any other value.
func (n *Node) Fields() iter.Seq2[string, *Node] {
	return func(yield func(string, *Node) bool) {
		for i, k := range n.Keys() {
			if !yield(k, n.c.vals[i]) {
				return
			}
		}
	}
}

// Field returns the value of key k in an object node, or nil.
func (n *Node) Field(k string) *Node {
	for i, key := range n.Keys() {
		if key == k {
			return n.c.vals[i]
		}
	}
	return nil
}

// Doc is a parsed body.
type Doc struct {
	Body []byte
	Root *Node // nil for a blank body
}

// Loc renders the location prefix of a node, e.g. "[1:17]"; a nil node is the start of the body.
func (d *Doc) Loc(n *Node) string {
	off := 0
	if n != nil {
		off = n.Off()
	}
	return LocAt(d.Body, off)
}

// LocAt renders the location prefix of a byte offset in body: Jackson's line and column, both from 1,
// columns counted in bytes as Jackson counts them in a UTF-8 body.
func LocAt(body []byte, off int) string {
	off = max(0, min(off, len(body)))
	line := 1 + bytes.Count(body[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(body[:off], '\n')
	return fmt.Sprintf("[%d:%d]", line, col)
}

// SyntaxError is a body Elasticsearch's parser refuses: Elasticsearch answers it as a 400
// x_content_parse_exception (JsonXContentParser.handleParserException). Msg is the reason: the location
// prefix and Jackson's message, or for a StreamReadConstraints limit Jackson's message alone, since
// Jackson gives that exception no location.
type SyntaxError struct {
	Msg string
	Off int // byte offset the error refers to
}

func (e *SyntaxError) Error() string { return e.Msg }

// Parse parses a body as Elasticsearch's XContent parser reads it: duplicate keys and trailing
// content are errors. A blank body (white space and comments only) gives a Doc with a nil Root.
func Parse(body []byte) (*Doc, error) {
	if len(body) > math.MaxInt32 {
		return nil, &SyntaxError{Msg: "body too large to parse"}
	}
	p := parser{body: body}
	root, err := p.document()
	if err != nil {
		return nil, err
	}
	return &Doc{Body: body, Root: root}, nil
}
