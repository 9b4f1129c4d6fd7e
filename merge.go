package esapikey

import (
	"bytes"
	"encoding/json"
)

// MergeMetadata applies patch to current as a JSON merge patch (RFC 7386)
// and returns the result, for an update that changes some metadata keys
// and keeps the others (Elasticsearch replaces metadata as a whole):
//
//   - a key of patch sets or replaces that key;
//   - a value that encodes to JSON null deletes it: nil, and also a nil
//     map, slice or pointer, at any depth;
//   - an object merges into the object it replaces, by the same rules;
//   - arrays and scalars replace the value whole.
//
// Neither input is modified, and the result shares no map or slice with
// them: values are copied as the JSON they encode to (a struct or a
// map[string]string becomes a map[string]any), so the result says what an
// update sends, and equals the merge of the patch's own JSON. A value that
// cannot be encoded is kept as it is, for the update to refuse. The result
// is never nil: an empty result is {}, which clears the key's metadata when
// sent.
//
// Reading a key, merging and updating it is not atomic: a change made by
// someone else between the read and the update is overwritten.
func MergeMetadata(current, patch Metadata) Metadata {
	out := make(Metadata, len(current)+len(patch))
	for k, v := range current {
		out[k] = copyJSON(v)
	}
	mergeObject(out, patch)
	return out
}

// mergeObject applies patch to target, which it owns.
func mergeObject(target map[string]any, patch map[string]any) {
	for k, pv := range patch {
		pv = copyJSON(pv)
		if pv == nil {
			delete(target, k)
			continue
		}
		po, ok := pv.(map[string]any)
		if !ok {
			target[k] = pv
			continue
		}
		to, ok := target[k].(map[string]any)
		if !ok {
			to = map[string]any{}
		}
		mergeObject(to, po)
		target[k] = to
	}
}

// copyJSON returns a copy of v that shares nothing with it, made of the
// values encoding/json decodes into: map[string]any for every object,
// []any for every array, nil for every value that encodes to null (a typed
// nil map or slice, a nil pointer), so that a typed nil in a patch deletes
// as the null of its JSON does. Immutable values are returned as they are.
func copyJSON(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case string, bool, json.Number,
		int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return v
	case map[string]any:
		return copyObject(v)
	case Metadata:
		return copyObject(v)
	case []any:
		if v == nil {
			return nil // a nil slice encodes as null
		}
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = copyJSON(e)
		}
		return out
	}
	// Anything else (a struct, a typed map or slice, a pointer) becomes the
	// JSON it encodes to, which is what an update would send.
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if dec.Decode(&out) != nil {
		return v
	}
	return out
}

// copyObject copies a map; a nil map, which encodes as null, is an untyped
// nil.
func copyObject(m map[string]any) any {
	if m == nil {
		return nil
	}
	out := make(map[string]any, len(m))
	for k, e := range m {
		out[k] = copyJSON(e)
	}
	return out
}
