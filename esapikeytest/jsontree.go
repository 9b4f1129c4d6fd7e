package esapikeytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// kind is the type of a JSON value, named after the token Elasticsearch reports in its parse errors.
type kind uint8

const (
	kObject kind = iota
	kArray
	kString
	kNumber
	kBool
	kNull
)

func (k kind) token() string {
	return [...]string{"START_OBJECT", "START_ARRAY", "VALUE_STRING", "VALUE_NUMBER", "VALUE_BOOLEAN", "VALUE_NULL"}[k]
}

// node is one parsed JSON value that remembers where it started, so errors can carry a [line:col] prefix.
type node struct {
	kind kind
	off  int    // byte offset of the value in the body
	s    string // string value, or number literal
	b    bool
	keys []string // object keys, in document order
	vals []*node  // object values or array elements
}

// field returns the value of key k in an object node.
func (n *node) field(k string) *node {
	for i, key := range n.keys {
		if key == k {
			return n.vals[i]
		}
	}
	return nil
}

// jsonDoc is a parsed request body.
type jsonDoc struct {
	body []byte
	root *node
}

// loc renders the Elasticsearch location prefix of a node, e.g. "[1:17]".
func (d *jsonDoc) loc(n *node) string {
	off := 0
	if n != nil {
		off = n.off
	}
	return locAt(d.body, off)
}

func locAt(body []byte, off int) string {
	if off > len(body) {
		off = len(body)
	}
	line := 1 + bytes.Count(body[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(body[:off], '\n')
	return fmt.Sprintf("[%d:%d]", line, col)
}

// parseDoc parses a request body. An empty (or blank) body gives a nil root.
func parseDoc(body []byte) (*jsonDoc, *esError) {
	d := &jsonDoc{body: body}
	if len(bytes.TrimSpace(body)) == 0 {
		return d, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	root, err := d.readValue(dec)
	if err == nil {
		if _, terr := dec.Token(); terr != io.EOF {
			err = fmt.Errorf("%s Unexpected character after the end of the object", locAt(body, int(dec.InputOffset())))
		}
	}
	if err != nil {
		return nil, d.syntaxError(err)
	}
	d.root = root
	return d, nil
}

func (d *jsonDoc) syntaxError(err error) *esError {
	var se *json.SyntaxError
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		msg = locAt(d.body, int(se.Offset)) + " " + se.Error()
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		msg = locAt(d.body, len(d.body)) + " Unexpected end-of-input"
	}
	return newError(400, "x_content_parse_exception", msg)
}

// start skips the separators between the decoder's offset and the next token.
func (d *jsonDoc) start(off int) int {
	for off < len(d.body) && strings.IndexByte(" \t\r\n:,", d.body[off]) >= 0 {
		off++
	}
	return off
}

func (d *jsonDoc) readValue(dec *json.Decoder) (*node, error) {
	off := d.start(int(dec.InputOffset()))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	n := &node{off: off}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return n, d.readObject(dec, n)
		}
		n.kind = kArray
		for dec.More() {
			v, err := d.readValue(dec)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
		}
		_, err = dec.Token()
		return n, err
	case string:
		n.kind, n.s = kString, t
	case json.Number:
		n.kind, n.s = kNumber, t.String()
	case bool:
		n.kind, n.b = kBool, t
	default:
		n.kind = kNull
	}
	return n, nil
}

func (d *jsonDoc) readObject(dec *json.Decoder, n *node) error {
	n.kind = kObject
	seen := map[string]bool{}
	for dec.More() {
		koff := d.start(int(dec.InputOffset()))
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if seen[key] {
			return fmt.Errorf("%s Duplicate field '%s'", locAt(d.body, koff), key)
		}
		seen[key] = true
		v, err := d.readValue(dec)
		if err != nil {
			return err
		}
		n.keys = append(n.keys, key)
		n.vals = append(n.vals, v)
	}
	_, err := dec.Token()
	return err
}

// toAny converts a node to plain Go values; numbers stay json.Number so that 42 and 42.0 differ, as in Java.
func toAny(n *node) any {
	switch n.kind {
	case kObject:
		m := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			m[k] = toAny(n.vals[i])
		}
		return m
	case kArray:
		a := make([]any, len(n.vals))
		for i, v := range n.vals {
			a[i] = toAny(v)
		}
		return a
	case kString:
		return n.s
	case kNumber:
		return json.Number(n.s)
	case kBool:
		return n.b
	}
	return nil
}

// canonical renders a value as JSON with sorted object keys, for storage and equality checks.
func canonical(v any) json.RawMessage {
	b, err := marshalNoEscape(v)
	if err != nil {
		panic(err) // values come from parsed JSON, so they always marshal
	}
	return b
}
