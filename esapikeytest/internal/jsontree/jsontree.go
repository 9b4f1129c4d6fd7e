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
type Node struct {
	Kind Kind
	Bool bool
	Off  int      // byte offset of the value in the body
	Str  string   // string value, or number literal as written
	Keys []string // object keys, in document order
	Vals []*Node  // object values or array elements
}

// Field returns the value of key k in an object node, or nil.
func (n *Node) Field(k string) *Node {
	for i, key := range n.Keys {
		if key == k {
			return n.Vals[i]
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
		off = n.Off
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
	p := parser{body: body}
	root, err := p.document()
	if err != nil {
		return nil, err
	}
	return &Doc{Body: body, Root: root}, nil
}
