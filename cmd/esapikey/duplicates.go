package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// duplicateField finds the first object key that appears twice in one
// object of data, as Elasticsearch's parser refuses it (Jackson's strict
// duplicate detection: "Duplicate field 'a'"); encoding/json would keep the
// last value silently. It returns "" when there is none; syntax errors are
// left to the decoder, which reports them with their place.
func duplicateField(data []byte) string {
	type frame struct {
		object    bool
		keys      map[string]bool
		expectKey bool
	}
	var stack []*frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].expectKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return ""
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{':
				stack = append(stack, &frame{object: true, keys: map[string]bool{}, expectKey: true})
			case '[':
				stack = append(stack, &frame{})
			default:
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].expectKey {
				top := stack[n-1]
				if top.keys[v] {
					return fmt.Sprintf("Duplicate field '%s' (%s)", v, place(data, dec.InputOffset()))
				}
				top.keys[v], top.expectKey = true, false
				continue
			}
			valueDone()
		default:
			valueDone()
		}
	}
}

// place gives the line and column of the byte before offset.
func place(data []byte, offset int64) string {
	off := min(max(offset, 1), int64(len(data)))
	line := 1 + bytes.Count(data[:off-1], []byte("\n"))
	col := off - 1 - int64(bytes.LastIndexByte(data[:off-1], '\n'))
	return fmt.Sprintf("line %d, column %d", line, col)
}
