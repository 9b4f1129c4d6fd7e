package query

import (
	"bytes"
	"encoding/json"
	"fmt"
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

// node is a parsed JSON value that remembers its offset, for the [line:col] prefix of parse errors.
type node struct {
	kind kind
	off  int
	s    string // string value or number literal
	b    bool
	keys []string
	vals []*node
}

// scalar renders a leaf as Elasticsearch reads it as text: strings as they are, numbers as written.
func (n *node) scalar() string {
	switch n.kind {
	case kString, kNumber:
		return n.s
	case kBool:
		return fmt.Sprint(n.b)
	}
	return ""
}

// tree is a parsed body; the caller has already refused malformed JSON and duplicate keys.
type tree struct{ body []byte }

func (t *tree) loc(n *node) string {
	off := min(n.off, len(t.body))
	line := 1 + bytes.Count(t.body[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(t.body[:off], '\n')
	return fmt.Sprintf("[%d:%d]", line, col)
}

func (t *tree) parse() (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(t.body))
	dec.UseNumber()
	return t.value(dec)
}

func (t *tree) skip(off int) int {
	for off < len(t.body) && strings.IndexByte(" \t\r\n:,", t.body[off]) >= 0 {
		off++
	}
	return off
}

func (t *tree) value(dec *json.Decoder) (*node, error) {
	n := &node{off: t.skip(int(dec.InputOffset()))}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case json.Delim:
		n.kind = kArray
		if v == '{' {
			n.kind = kObject
		}
		for dec.More() {
			if n.kind == kObject {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := kt.(string)
				n.keys = append(n.keys, key)
			}
			c, err := t.value(dec)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, c)
		}
		_, err = dec.Token()
		return n, err
	case string:
		n.kind, n.s = kString, v
	case json.Number:
		n.kind, n.s = kNumber, v.String()
	case bool:
		n.kind, n.b = kBool, v
	default:
		n.kind = kNull
	}
	return n, nil
}
