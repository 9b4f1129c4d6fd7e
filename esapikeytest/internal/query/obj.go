package query

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// KV is one field of an Object.
type KV struct {
	K string
	V any
}

// Object is a JSON object that keeps its field order, so answers read like Elasticsearch's.
type Object []KV

// MarshalJSON renders the fields in order, without HTML escaping, as Elasticsearch writes.
func (o Object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := enc.Encode(f.K); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1) // Encode's newline
		b.WriteByte(':')
		if err := enc.Encode(f.V); err != nil {
			return nil, err
		}
		b.Truncate(b.Len() - 1)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// scalar renders a leaf as Elasticsearch reads it as text: strings as they are, numbers as written.
func scalar(n *jsontree.Node) string {
	switch n.Kind {
	case jsontree.String, jsontree.Number:
		return n.Str
	case jsontree.Bool:
		return fmt.Sprint(n.Bool)
	}
	return ""
}
