package esapikey

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// marshalBody encodes a request body exactly as json.Marshal does, byte for
// byte, without reflection for the request types of this package and the
// JSON types metadata usually holds. Whatever the encoder does not handle
// itself (a value json.Marshal would refuse, a query with no form set,
// nesting deeper than maxDepth) sends the whole body through json.Marshal,
// so the bytes and the errors are always those of encoding/json.
func marshalBody(v any) ([]byte, error) {
	e := encoders.Get().(*encoder)
	defer e.release()
	switch r := v.(type) {
	case *UpdateAPIKeyRequest:
		e.updateAPIKey(r)
	case *BulkUpdateAPIKeysRequest:
		e.bulkUpdateAPIKeys(r)
	case *UpdateCrossClusterAPIKeyRequest:
		e.updateCrossClusterAPIKey(r)
	default:
		e.failed = true
	}
	if e.failed {
		return json.Marshal(v)
	}
	return bytes.Clone(e.buf), nil
}

var encoders = sync.Pool{New: func() any { return new(encoder) }}

// maxPooled keeps an unusually large body's buffer out of the pool.
const maxPooled = 64 << 10

// maxDepth bounds the nesting of metadata the encoder follows itself;
// deeper values, cyclic ones included, go to json.Marshal.
const maxDepth = 100

type encoder struct {
	buf    []byte
	keys   []string // map keys being written, a stack shared by nested maps
	depth  int
	failed bool
}

func (e *encoder) release() {
	if cap(e.buf) > maxPooled {
		e.buf = nil
	}
	clear(e.keys[:cap(e.keys)]) // keep no caller's strings alive
	e.buf, e.keys, e.depth, e.failed = e.buf[:0], e.keys[:0], 0, false
	encoders.Put(e)
}

// name writes the comma and the name of an object member; first tells
// whether a member was written before it.
func (e *encoder) name(first *bool, name string) {
	if !*first {
		e.buf = append(e.buf, ',')
	}
	*first = false
	e.buf = append(e.buf, '"')
	e.buf = append(e.buf, name...)
	e.buf = append(e.buf, '"', ':')
}

func (e *encoder) updateAPIKey(r *UpdateAPIKeyRequest) {
	e.buf = append(e.buf, '{')
	first := true
	if r.RoleDescriptors != nil {
		e.name(&first, "role_descriptors")
		e.roleDescriptors(r.RoleDescriptors)
	}
	e.commonFields(&first, r.Metadata, r.Expiration)
	e.buf = append(e.buf, '}')
}

func (e *encoder) bulkUpdateAPIKeys(r *BulkUpdateAPIKeysRequest) {
	e.buf = append(e.buf, '{')
	first := true
	e.name(&first, "ids")
	e.strings(r.IDs)
	if r.RoleDescriptors != nil {
		e.name(&first, "role_descriptors")
		e.roleDescriptors(r.RoleDescriptors)
	}
	e.commonFields(&first, r.Metadata, r.Expiration)
	e.buf = append(e.buf, '}')
}

func (e *encoder) updateCrossClusterAPIKey(r *UpdateCrossClusterAPIKeyRequest) {
	e.buf = append(e.buf, '{')
	first := true
	if a := r.Access; a != nil {
		e.name(&first, "access")
		e.buf = append(e.buf, '{')
		f := true
		if len(a.Search) > 0 {
			e.name(&f, "search")
			e.crossClusterIndices(a.Search)
		}
		if len(a.Replication) > 0 {
			e.name(&f, "replication")
			e.crossClusterIndices(a.Replication)
		}
		e.buf = append(e.buf, '}')
	}
	e.commonFields(&first, r.Metadata, r.Expiration)
	if ci := r.CertificateIdentity; !ci.IsZero() {
		e.name(&first, "certificate_identity")
		if ci.Clear {
			e.buf = append(e.buf, "null"...)
		} else {
			e.string(ci.Value)
		}
	}
	e.buf = append(e.buf, '}')
}

// commonFields writes metadata and expiration, omitted when zero.
func (e *encoder) commonFields(first *bool, md Metadata, exp Duration) {
	if md != nil {
		e.name(first, "metadata")
		e.object(md)
	}
	if exp != "" {
		e.name(first, "expiration")
		e.string(string(exp))
	}
}

func (e *encoder) crossClusterIndices(list []CrossClusterIndices) {
	e.buf = append(e.buf, '[')
	for i := range list {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		p := &list[i]
		e.buf = append(e.buf, `{"names":`...)
		e.strings(p.Names)
		first := false
		e.indexOptions(&first, p.FieldSecurity, p.Query, p.AllowRestrictedIndices)
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, ']')
}

func (e *encoder) roleDescriptors(m map[string]RoleDescriptor) {
	start := len(e.keys)
	e.keys = slices.Grow(e.keys, len(m))
	for k := range m {
		e.keys = append(e.keys, k)
	}
	slices.Sort(e.keys[start:])
	e.buf = append(e.buf, '{')
	for i, k := range e.keys[start:] {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.string(k)
		e.buf = append(e.buf, ':')
		rd := m[k]
		e.roleDescriptor(&rd)
	}
	e.buf = append(e.buf, '}')
	e.keys = e.keys[:start]
}

func (e *encoder) roleDescriptor(r *RoleDescriptor) {
	e.buf = append(e.buf, '{')
	first := true
	if len(r.Cluster) > 0 {
		e.name(&first, "cluster")
		e.strings(r.Cluster)
	}
	if len(r.Indices) > 0 {
		e.name(&first, "indices")
		e.buf = append(e.buf, '[')
		for i := range r.Indices {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			p := &r.Indices[i]
			e.buf = append(e.buf, `{"names":`...)
			e.strings(p.Names)
			e.buf = append(e.buf, `,"privileges":`...)
			e.strings(p.Privileges)
			f := false
			e.indexOptions(&f, p.FieldSecurity, p.Query, p.AllowRestrictedIndices)
			e.buf = append(e.buf, '}')
		}
		e.buf = append(e.buf, ']')
	}
	if len(r.RemoteIndices) > 0 {
		e.name(&first, "remote_indices")
		e.buf = append(e.buf, '[')
		for i := range r.RemoteIndices {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			p := &r.RemoteIndices[i]
			e.buf = append(e.buf, `{"clusters":`...)
			e.strings(p.Clusters)
			e.buf = append(e.buf, `,"names":`...)
			e.strings(p.Names)
			e.buf = append(e.buf, `,"privileges":`...)
			e.strings(p.Privileges)
			f := false
			e.indexOptions(&f, p.FieldSecurity, p.Query, p.AllowRestrictedIndices)
			e.buf = append(e.buf, '}')
		}
		e.buf = append(e.buf, ']')
	}
	if len(r.RemoteCluster) > 0 {
		e.name(&first, "remote_cluster")
		e.buf = append(e.buf, '[')
		for i, p := range r.RemoteCluster {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = append(e.buf, `{"clusters":`...)
			e.strings(p.Clusters)
			e.buf = append(e.buf, `,"privileges":`...)
			e.strings(p.Privileges)
			e.buf = append(e.buf, '}')
		}
		e.buf = append(e.buf, ']')
	}
	if g := r.Global; g != nil {
		e.name(&first, "global")
		e.buf = append(e.buf, '{')
		f := true
		if g.Application != nil {
			e.name(&f, "application")
			e.buf = append(e.buf, `{"manage":{"applications":`...)
			e.strings(g.Application.Manage.Applications)
			e.buf = append(e.buf, "}}"...)
		}
		if g.Profile != nil {
			e.name(&f, "profile")
			e.buf = append(e.buf, `{"write":{"applications":`...)
			e.strings(g.Profile.Write.Applications)
			e.buf = append(e.buf, "}}"...)
		}
		e.buf = append(e.buf, '}')
	}
	if len(r.Applications) > 0 {
		e.name(&first, "applications")
		e.buf = append(e.buf, '[')
		for i, p := range r.Applications {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = append(e.buf, `{"application":`...)
			e.string(p.Application)
			e.buf = append(e.buf, `,"privileges":`...)
			e.strings(p.Privileges)
			e.buf = append(e.buf, `,"resources":`...)
			e.strings(p.Resources)
			e.buf = append(e.buf, '}')
		}
		e.buf = append(e.buf, ']')
	}
	if len(r.RunAs) > 0 {
		e.name(&first, "run_as")
		e.strings(r.RunAs)
	}
	if len(r.Metadata) > 0 {
		e.name(&first, "metadata")
		e.object(r.Metadata)
	}
	if len(r.TransientMetadata) > 0 {
		e.name(&first, "transient_metadata")
		e.object(r.TransientMetadata)
	}
	if r.Restriction != nil {
		e.name(&first, "restriction")
		e.buf = append(e.buf, `{"workflows":`...)
		e.strings(r.Restriction.Workflows)
		e.buf = append(e.buf, '}')
	}
	e.buf = append(e.buf, '}')
}

// indexOptions writes the optional members shared by the index privilege
// types, after their required ones.
func (e *encoder) indexOptions(first *bool, fs *FieldSecurity, q *Query, allowRestricted bool) {
	if fs != nil {
		e.name(first, "field_security")
		e.buf = append(e.buf, '{')
		f := true
		if fs.Grant != nil {
			e.name(&f, "grant")
			e.strings(fs.Grant)
		}
		if fs.Except != nil {
			e.name(&f, "except")
			e.strings(fs.Except)
		}
		e.buf = append(e.buf, '}')
	}
	if q != nil {
		e.name(first, "query")
		e.query(q)
	}
	if allowRestricted {
		e.name(first, "allow_restricted_indices")
		e.buf = append(e.buf, "true"...)
	}
}

// query follows Query.MarshalJSON.
func (e *encoder) query(q *Query) {
	switch {
	case q.Text != "":
		e.string(q.Text)
	case q.Object != nil:
		e.object(q.Object)
	case q.Template != nil:
		t := q.Template
		e.buf = append(e.buf, `{"template":{`...)
		first := true
		if t.Source != nil {
			e.name(&first, "source")
			e.value(t.Source)
		}
		if t.ID != "" {
			e.name(&first, "id")
			e.string(t.ID)
		}
		if len(t.Params) > 0 {
			e.name(&first, "params")
			e.object(t.Params)
		}
		if t.Lang != "" {
			e.name(&first, "lang")
			e.string(t.Lang)
		}
		if len(t.Opts) > 0 {
			e.name(&first, "options")
			e.stringMap(t.Opts)
		}
		e.buf = append(e.buf, "}}"...)
	default:
		e.failed = true // json.Marshal reports the error of MarshalJSON
	}
}

// object writes a JSON object; nil is null, as for any map.
func (e *encoder) object(m map[string]any) {
	if m == nil {
		e.buf = append(e.buf, "null"...)
		return
	}
	if e.depth++; e.depth > maxDepth {
		e.failed = true
		return
	}
	start := len(e.keys)
	e.keys = slices.Grow(e.keys, len(m))
	for k := range m {
		e.keys = append(e.keys, k)
	}
	slices.Sort(e.keys[start:])
	e.buf = append(e.buf, '{')
	// Nested maps push their keys past these, and may move the stack.
	for i, k := range e.keys[start : start+len(m)] {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.string(k)
		e.buf = append(e.buf, ':')
		e.value(m[k])
		if e.failed {
			break
		}
	}
	e.buf = append(e.buf, '}')
	e.keys = e.keys[:start]
	e.depth--
}

func (e *encoder) stringMap(m map[string]string) {
	if m == nil {
		e.buf = append(e.buf, "null"...)
		return
	}
	start := len(e.keys)
	e.keys = slices.Grow(e.keys, len(m))
	for k := range m {
		e.keys = append(e.keys, k)
	}
	slices.Sort(e.keys[start:])
	e.buf = append(e.buf, '{')
	for i, k := range e.keys[start:] {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.string(k)
		e.buf = append(e.buf, ':')
		e.string(m[k])
	}
	e.buf = append(e.buf, '}')
	e.keys = e.keys[:start]
}

// value writes a metadata value. The JSON types and what a decoded
// document holds are written here; any other type by json.Marshal, whose
// output for a value is the same alone as inside a document.
func (e *encoder) value(v any) {
	switch v := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
	case string:
		e.string(v)
	case bool:
		e.buf = strconv.AppendBool(e.buf, v)
	case float64:
		e.float(v, 64)
	case float32:
		e.float(float64(v), 32)
	case int:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case int64:
		e.buf = strconv.AppendInt(e.buf, v, 10)
	case int32:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case int16:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case int8:
		e.buf = strconv.AppendInt(e.buf, int64(v), 10)
	case uint32:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uint16:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uint8:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uintptr:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case uint64:
		e.buf = strconv.AppendUint(e.buf, v, 10)
	case uint:
		e.buf = strconv.AppendUint(e.buf, uint64(v), 10)
	case map[string]any:
		e.object(v)
	case Metadata:
		e.object(v)
	case []any:
		if v == nil {
			e.buf = append(e.buf, "null"...)
			return
		}
		if e.depth++; e.depth > maxDepth {
			e.failed = true
			return
		}
		e.buf = append(e.buf, '[')
		for i, x := range v {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.value(x)
		}
		e.buf = append(e.buf, ']')
		e.depth--
	case json.Number:
		e.number(v)
	case []string:
		e.strings(v)
	case map[string]string:
		e.stringMap(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			e.failed = true
			return
		}
		e.buf = append(e.buf, b...)
	}
}

// float writes f as encoding/json does: like ES6 number formatting.
func (e *encoder) float(f float64, bits int) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		e.failed = true
		return
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (bits == 64 && (abs < 1e-6 || abs >= 1e21) ||
		bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21)) {
		format = 'e'
	}
	b := strconv.AppendFloat(e.buf, f, format, -1, bits)
	if n := len(b); format == 'e' && n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		// e-07 is written e-7.
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	e.buf = b
}

// number writes n as it stands, as encoding/json does; "" is 0.
func (e *encoder) number(n json.Number) {
	s := string(n)
	if s == "" {
		s = "0"
	}
	if !validNumber(s) {
		e.failed = true
		return
	}
	e.buf = append(e.buf, s...)
}

// validNumber reports whether s is a JSON number literal.
func validNumber(s string) bool {
	digits := func(i int) int {
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i
	}
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i = digits(i + 1)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(s)
}

// strings writes a list of strings; nil is null, as json.Marshal writes it.
func (e *encoder) strings(list []string) {
	if list == nil {
		e.buf = append(e.buf, "null"...)
		return
	}
	e.buf = append(e.buf, '[')
	for i, s := range list {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.string(s)
	}
	e.buf = append(e.buf, ']')
}

// string writes s quoted with the escapes of json.Marshal: HTML characters
// as \u003c, invalid UTF-8 as \ufffd, U+2028 and U+2029 escaped.
func (e *encoder) string(s string) {
	const hex = "0123456789abcdef"
	b := append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	e.buf = append(b, '"')
}
