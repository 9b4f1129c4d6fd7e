package esapikeytest

import (
	"encoding/json"
	"errors"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// parseDoc parses a request body; a body Elasticsearch's parser refuses is its 400 x_content_parse_exception.
func parseDoc(body []byte) (*jsontree.Doc, *esError) {
	d, err := jsontree.Parse(body)
	if err != nil {
		var se *jsontree.SyntaxError
		if errors.As(err, &se) {
			return nil, newError(400, "x_content_parse_exception", se.Msg)
		}
		return nil, newError(400, "x_content_parse_exception", err.Error())
	}
	return d, nil
}

// toAny converts a node to plain Go values; numbers stay json.Number as written, so that 42 and 42.0
// differ, as in Java.
func toAny(n *jsontree.Node) any {
	return convert(n, func(lit string) json.Number { return json.Number(lit) })
}

// javaValue converts a node like toAny, with numbers as Jackson reads them and XContentBuilder writes
// them back (see javaNumber), so two metadata objects compare equal exactly when Elasticsearch's parsed
// maps are equal.
func javaValue(n *jsontree.Node) any { return convert(n, javaNumber) }

func convert(n *jsontree.Node, number func(lit string) json.Number) any {
	switch n.Kind {
	case jsontree.Object:
		m := make(map[string]any, len(n.Keys))
		for i, k := range n.Keys {
			m[k] = convert(n.Vals[i], number)
		}
		return m
	case jsontree.Array:
		a := make([]any, len(n.Vals))
		for i, v := range n.Vals {
			a[i] = convert(v, number)
		}
		return a
	case jsontree.String:
		return n.Str
	case jsontree.Number:
		return number(n.Str)
	case jsontree.Bool:
		return n.Bool
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
