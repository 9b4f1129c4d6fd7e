package esapikeytest

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"

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

func convert(n *jsontree.Node, number func(lit string) json.Number) any {
	switch n.Kind {
	case jsontree.Object:
		m := make(map[string]any, len(n.Keys()))
		for k, v := range n.Fields() {
			m[k] = convert(v, number)
		}
		return m
	case jsontree.Array:
		a := make([]any, len(n.Vals()))
		for i, v := range n.Vals() {
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

// javaJSON writes a node as canonical(javaValue(n)) would, in one pass and without building Go
// values: object keys sorted, numbers as Jackson reads and XContentBuilder writes them. A key's
// metadata is kept in this form, so its size costs once what the body costs.
func javaJSON(n *jsontree.Node) json.RawMessage { return appendJavaJSON(nil, n) }

func appendJavaJSON(b []byte, n *jsontree.Node) []byte {
	switch n.Kind {
	case jsontree.Object:
		keys, vals := n.Keys(), n.Vals()
		order := make([]int, len(keys))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(i, j int) int { return strings.Compare(keys[i], keys[j]) })
		b = append(b, '{')
		for i, at := range order {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJavaJSON(append(appendString(b, keys[at]), ':'), vals[at])
		}
		return append(b, '}')
	case jsontree.Array:
		b = append(b, '[')
		for i, v := range n.Vals() {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJavaJSON(b, v)
		}
		return append(b, ']')
	case jsontree.String:
		return appendString(b, n.Str)
	case jsontree.Number:
		return append(b, javaNumber(n.Str)...)
	case jsontree.Bool:
		return strconv.AppendBool(b, n.Bool)
	}
	return append(b, "null"...)
}

// canonical renders a value as JSON with sorted object keys, for storage and equality checks.
func canonical(v any) json.RawMessage {
	b, err := marshalNoEscape(v)
	if err != nil {
		panic(err) // values come from parsed JSON, so they always marshal
	}
	return b
}
