// Package jsontree parses a request body into a tree of JSON values that remember where they start,
// so that errors can carry Elasticsearch's [line:col] prefix and name values by Jackson's token names.
package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
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

// Node is one parsed JSON value.
type Node struct {
	Kind Kind
	Off  int    // byte offset of the value in the body
	Str  string // string value, or number literal as written
	Bool bool
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

// LocAt renders the location prefix of a byte offset in body.
func LocAt(body []byte, off int) string {
	off = min(off, len(body))
	line := 1 + bytes.Count(body[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(body[:off], '\n')
	return fmt.Sprintf("[%d:%d]", line, col)
}

// SyntaxError is a body Elasticsearch's parser refuses (an x_content_parse_exception); its message
// starts with the location.
type SyntaxError struct{ Msg string }

func (e *SyntaxError) Error() string { return e.Msg }

// Parse parses a body as Elasticsearch's XContent parser reads it: duplicate keys and trailing
// content are errors. A blank body gives a Doc with a nil Root.
func Parse(body []byte) (*Doc, error) {
	d := &Doc{Body: body}
	if len(bytes.TrimSpace(body)) == 0 {
		return d, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	root, err := d.value(dec)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = &SyntaxError{LocAt(body, int(dec.InputOffset())) + " Unexpected character after the end of the object"}
		}
	}
	if err != nil {
		return nil, d.syntaxError(err)
	}
	d.Root = root
	return d, nil
}

func (d *Doc) syntaxError(err error) *SyntaxError {
	var (
		se  *json.SyntaxError
		own *SyntaxError
	)
	switch {
	case errors.As(err, &own):
		return own
	case errors.As(err, &se):
		return &SyntaxError{LocAt(d.Body, int(se.Offset)) + " " + se.Error()}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &SyntaxError{LocAt(d.Body, len(d.Body)) + " Unexpected end-of-input"}
	}
	return &SyntaxError{err.Error()}
}

// start skips the separators between the decoder's offset and the next token, which is where
// Jackson places the token.
func (d *Doc) start(off int) int {
	for off < len(d.Body) && strings.IndexByte(" \t\r\n:,", d.Body[off]) >= 0 {
		off++
	}
	return off
}

func (d *Doc) value(dec *json.Decoder) (*Node, error) {
	off := d.start(int(dec.InputOffset()))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	n := &Node{Off: off}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return n, d.object(dec, n)
		}
		n.Kind = Array
		for dec.More() {
			v, err := d.value(dec)
			if err != nil {
				return nil, err
			}
			n.Vals = append(n.Vals, v)
		}
		_, err = dec.Token()
		return n, err
	case string:
		n.Kind, n.Str = String, t
	case json.Number:
		n.Kind, n.Str = Number, t.String()
	case bool:
		n.Kind, n.Bool = Bool, t
	default:
		n.Kind = Null
	}
	return n, nil
}

func (d *Doc) object(dec *json.Decoder, n *Node) error {
	n.Kind = Object
	seen := map[string]bool{}
	for dec.More() {
		koff := d.start(int(dec.InputOffset()))
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if seen[key] {
			return &SyntaxError{fmt.Sprintf("%s Duplicate field '%s'", LocAt(d.Body, koff), key)}
		}
		seen[key] = true
		v, err := d.value(dec)
		if err != nil {
			return err
		}
		n.Keys = append(n.Keys, key)
		n.Vals = append(n.Vals, v)
	}
	_, err := dec.Token()
	return err
}
