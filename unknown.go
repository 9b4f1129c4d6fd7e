package esapikey

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
)

// members are the members of a JSON object that no field of its type
// takes: a field of a newer Elasticsearch, read with a role descriptor.
// They are written back after the fields, so that a descriptor read from a
// cluster and sent back loses nothing, and PlanUpdate compares them as
// they are.
type members map[string]json.RawMessage

// read keeps the members of the object b that encoding/json gave to no
// field of a type whose JSON names are known. encoding/json matches names
// case-insensitively, so only a name that matches none of them is kept.
func (m *members) read(b []byte, known []string) error {
	*m = nil
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	for name, v := range all {
		if slices.ContainsFunc(known, func(k string) bool { return strings.EqualFold(k, name) }) {
			continue
		}
		if *m == nil {
			*m = members{}
		}
		(*m)[name] = v
	}
	return nil
}

// write encodes v, the fields of a type, followed by the members, sorted
// by name.
func (m members) write(v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(m) == 0 {
		return b, err
	}
	var out bytes.Buffer
	out.Write(b[:len(b)-1]) // the object without its "}"
	first := len(b) == 2    // "{}"
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !first {
			out.WriteByte(',')
		}
		first = false
		key, err := json.Marshal(name)
		if err != nil {
			return nil, err
		}
		out.Write(key)
		out.WriteByte(':')
		out.Write(m[name])
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// jsonNames lists the JSON names of the fields of T, and aliases it reads
// too.
func jsonNames[T any](aliases ...string) []string {
	t := reflect.TypeFor[T]()
	names := append([]string{}, aliases...)
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "-" {
			if name == "" {
				name = f.Name
			}
			names = append(names, name)
		}
	}
	return names
}

// readPlain decodes b into v, the plain form (without methods) of a type of
// the role model, as decodeExact does, and keeps the members no field
// takes.
func readPlain[P any](b []byte, v *P, unknown *members, known []string) error {
	*v = *new(P)
	if err := decodeExact(b, v); err != nil {
		return err
	}
	return unknown.read(b, known)
}

// The JSON names of the role model: what encoding/json gives to a field,
// aliases included.
var (
	roleDescriptorNames              = jsonNames[RoleDescriptor]("index", "application")
	indicesPrivilegesNames           = jsonNames[IndicesPrivileges]()
	remoteIndicesPrivilegesNames     = jsonNames[RemoteIndicesPrivileges]()
	remoteClusterPrivilegesNames     = jsonNames[RemoteClusterPrivileges]()
	applicationPrivilegesNames       = jsonNames[ApplicationPrivileges]()
	fieldSecurityNames               = jsonNames[FieldSecurity]()
	globalPrivilegesNames            = jsonNames[GlobalPrivileges]()
	globalApplicationPrivilegesNames = jsonNames[GlobalApplicationPrivileges]()
	globalProfilePrivilegesNames     = jsonNames[GlobalProfilePrivileges]()
	globalRolePrivilegesNames        = jsonNames[GlobalRolePrivileges]()
	globalManageRolesNames           = jsonNames[GlobalManageRoles]()
	globalRoleIndicesNames           = jsonNames[GlobalRoleIndices]()
	applicationNamesNames            = jsonNames[ApplicationNames]()
	restrictionNames                 = jsonNames[Restriction]()
	roleTemplateNames                = jsonNames[RoleTemplate]()
	crossClusterAccessNames          = jsonNames[CrossClusterAccess]()
	crossClusterIndicesNames         = jsonNames[CrossClusterIndices]()
)

// Every type of the role model writes the members it was read with after
// its fields. Those whose reader is not in types.go, for an alias or a
// single string, read them here.

// MarshalJSON writes the fields, then the members read that no field takes.
func (r RoleDescriptor) MarshalJSON() ([]byte, error) {
	type plain RoleDescriptor
	return r.unknown.write(plain(r))
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (p IndicesPrivileges) MarshalJSON() ([]byte, error) {
	type plain IndicesPrivileges
	return p.unknown.write(plain(p))
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (p RemoteIndicesPrivileges) MarshalJSON() ([]byte, error) {
	type plain RemoteIndicesPrivileges
	return p.unknown.write(plain(p))
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (p RemoteClusterPrivileges) MarshalJSON() ([]byte, error) {
	type plain RemoteClusterPrivileges
	return p.unknown.write(plain(p))
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (p ApplicationPrivileges) MarshalJSON() ([]byte, error) {
	type plain ApplicationPrivileges
	return p.unknown.write(plain(p))
}

// UnmarshalJSON reads the fields, keeping the members no field takes.
func (p *ApplicationPrivileges) UnmarshalJSON(b []byte) error {
	type plain ApplicationPrivileges
	return readPlain(b, (*plain)(p), &p.unknown, applicationPrivilegesNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (f FieldSecurity) MarshalJSON() ([]byte, error) {
	type plain FieldSecurity
	return f.unknown.write(plain(f))
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (g GlobalPrivileges) MarshalJSON() ([]byte, error) {
	type plain GlobalPrivileges
	return g.unknown.write(plain(g))
}

// UnmarshalJSON reads the fields, keeping the members no field takes.
func (g *GlobalPrivileges) UnmarshalJSON(b []byte) error {
	type plain GlobalPrivileges
	return readPlain(b, (*plain)(g), &g.unknown, globalPrivilegesNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (g GlobalApplicationPrivileges) MarshalJSON() ([]byte, error) {
	type plain GlobalApplicationPrivileges
	return g.unknown.write(plain(g))
}

// UnmarshalJSON reads the fields, keeping the members no field takes.
func (g *GlobalApplicationPrivileges) UnmarshalJSON(b []byte) error {
	type plain GlobalApplicationPrivileges
	return readPlain(b, (*plain)(g), &g.unknown, globalApplicationPrivilegesNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (g GlobalProfilePrivileges) MarshalJSON() ([]byte, error) {
	type plain GlobalProfilePrivileges
	return g.unknown.write(plain(g))
}

// UnmarshalJSON reads the fields, keeping the members no field takes.
func (g *GlobalProfilePrivileges) UnmarshalJSON(b []byte) error {
	type plain GlobalProfilePrivileges
	return readPlain(b, (*plain)(g), &g.unknown, globalProfilePrivilegesNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (g GlobalRolePrivileges) MarshalJSON() ([]byte, error) {
	type plain GlobalRolePrivileges
	return g.unknown.write(plain(g))
}

// UnmarshalJSON reads the fields, keeping the members no field takes.
func (g *GlobalRolePrivileges) UnmarshalJSON(b []byte) error {
	type plain GlobalRolePrivileges
	return readPlain(b, (*plain)(g), &g.unknown, globalRolePrivilegesNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (g GlobalManageRoles) MarshalJSON() ([]byte, error) {
	type plain GlobalManageRoles
	return g.unknown.write(plain(g))
}

// UnmarshalJSON reads the fields, keeping the members no field takes.
func (g *GlobalManageRoles) UnmarshalJSON(b []byte) error {
	type plain GlobalManageRoles
	return readPlain(b, (*plain)(g), &g.unknown, globalManageRolesNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (g GlobalRoleIndices) MarshalJSON() ([]byte, error) {
	type plain GlobalRoleIndices
	return g.unknown.write(plain(g))
}

// UnmarshalJSON reads the fields, keeping the members no field takes.
func (g *GlobalRoleIndices) UnmarshalJSON(b []byte) error {
	type plain GlobalRoleIndices
	return readPlain(b, (*plain)(g), &g.unknown, globalRoleIndicesNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (a ApplicationNames) MarshalJSON() ([]byte, error) {
	type plain ApplicationNames
	return a.unknown.write(plain(a))
}

// UnmarshalJSON reads the fields, keeping the members no field takes.
func (a *ApplicationNames) UnmarshalJSON(b []byte) error {
	type plain ApplicationNames
	return readPlain(b, (*plain)(a), &a.unknown, applicationNamesNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (r Restriction) MarshalJSON() ([]byte, error) {
	type plain Restriction
	return r.unknown.write(plain(r))
}

// UnmarshalJSON reads the fields, keeping the members no field takes.
func (r *Restriction) UnmarshalJSON(b []byte) error {
	type plain Restriction
	return readPlain(b, (*plain)(r), &r.unknown, restrictionNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (t RoleTemplate) MarshalJSON() ([]byte, error) {
	type plain RoleTemplate
	return t.unknown.write(plain(t))
}

// UnmarshalJSON reads the fields, with numbers of Source and Params as
// json.Number, keeping the members no field takes.
func (t *RoleTemplate) UnmarshalJSON(b []byte) error {
	type plain RoleTemplate
	return readPlain(b, (*plain)(t), &t.unknown, roleTemplateNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (a CrossClusterAccess) MarshalJSON() ([]byte, error) {
	type plain CrossClusterAccess
	return a.unknown.write(plain(a))
}

// UnmarshalJSON reads the fields, keeping the members no field takes.
func (a *CrossClusterAccess) UnmarshalJSON(b []byte) error {
	type plain CrossClusterAccess
	return readPlain(b, (*plain)(a), &a.unknown, crossClusterAccessNames)
}

// MarshalJSON writes the fields, then the members read that no field takes.
func (p CrossClusterIndices) MarshalJSON() ([]byte, error) {
	type plain CrossClusterIndices
	return p.unknown.write(plain(p))
}
