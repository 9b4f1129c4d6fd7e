package esapikey

import (
	"bytes"
	"encoding/json"
	"slices"
	"sync"
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
			list(e, a.Search, (*encoder).crossClusterIndex)
		}
		if len(a.Replication) > 0 {
			e.name(&f, "replication")
			list(e, a.Replication, (*encoder).crossClusterIndex)
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

// list writes items as a JSON array, each by write.
func list[T any](e *encoder, items []T, write func(*encoder, *T)) {
	e.buf = append(e.buf, '[')
	for i := range items {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		write(e, &items[i])
	}
	e.buf = append(e.buf, ']')
}

func (e *encoder) crossClusterIndex(p *CrossClusterIndices) {
	e.buf = append(e.buf, `{"names":`...)
	e.strings(p.Names)
	first := false
	e.indexOptions(&first, p.FieldSecurity, p.Query, p.AllowRestrictedIndices)
	e.buf = append(e.buf, '}')
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
		list(e, r.Indices, (*encoder).indicesPrivileges)
	}
	if len(r.RemoteIndices) > 0 {
		e.name(&first, "remote_indices")
		list(e, r.RemoteIndices, (*encoder).remoteIndicesPrivileges)
	}
	if len(r.RemoteCluster) > 0 {
		e.name(&first, "remote_cluster")
		list(e, r.RemoteCluster, (*encoder).remoteClusterPrivileges)
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
		list(e, r.Applications, (*encoder).applicationPrivileges)
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

func (e *encoder) indicesPrivileges(p *IndicesPrivileges) {
	e.buf = append(e.buf, `{"names":`...)
	e.strings(p.Names)
	e.buf = append(e.buf, `,"privileges":`...)
	e.strings(p.Privileges)
	first := false
	e.indexOptions(&first, p.FieldSecurity, p.Query, p.AllowRestrictedIndices)
	e.buf = append(e.buf, '}')
}

func (e *encoder) remoteIndicesPrivileges(p *RemoteIndicesPrivileges) {
	e.buf = append(e.buf, `{"clusters":`...)
	e.strings(p.Clusters)
	e.buf = append(e.buf, `,"names":`...)
	e.strings(p.Names)
	e.buf = append(e.buf, `,"privileges":`...)
	e.strings(p.Privileges)
	first := false
	e.indexOptions(&first, p.FieldSecurity, p.Query, p.AllowRestrictedIndices)
	e.buf = append(e.buf, '}')
}

func (e *encoder) remoteClusterPrivileges(p *RemoteClusterPrivileges) {
	e.buf = append(e.buf, `{"clusters":`...)
	e.strings(p.Clusters)
	e.buf = append(e.buf, `,"privileges":`...)
	e.strings(p.Privileges)
	e.buf = append(e.buf, '}')
}

func (e *encoder) applicationPrivileges(p *ApplicationPrivileges) {
	e.buf = append(e.buf, `{"application":`...)
	e.string(p.Application)
	e.buf = append(e.buf, `,"privileges":`...)
	e.strings(p.Privileges)
	e.buf = append(e.buf, `,"resources":`...)
	e.strings(p.Resources)
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
