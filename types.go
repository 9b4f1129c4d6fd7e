package esapikey

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Metadata is arbitrary JSON stored with an API key. A nil Metadata leaves the
// key's metadata unchanged; a non-nil empty one clears it. Metadata replaces
// the stored value, it is never merged. Top-level keys must not start with "_".
// Keys and strings must be valid UTF-8: encoding/json would write U+FFFD in
// place of each bad byte (two keys could become one), so a request holding
// one is refused before it is sent.
type Metadata map[string]any

// UnmarshalJSON keeps numbers as json.Number, so that metadata read from a
// cluster is sent back unchanged, large integers included.
func (m *Metadata) UnmarshalJSON(b []byte) error {
	return decodeExact(b, (*map[string]any)(m))
}

// RoleDescriptor is one named role of an API key. An API key's effective
// permissions are the intersection of its role descriptors and its owner's
// roles.
//
// Empty fields are omitted, and an omitted field grants nothing: a key whose
// only role is RoleDescriptor{} can do nothing, whereas a key with no role
// at all (UpdateAPIKeyRequest.RoleDescriptors set to an empty map) gets its
// owner's permissions.
//
// Privilege names are open sets of strings; the constants in this package
// name the common ones.
//
// A descriptor decoded from JSON keeps the members no field takes, at any
// depth (a field of a newer Elasticsearch), and writes them back after its
// fields: a key read with GetAPIKey and sent back loses nothing, and
// PlanUpdate compares those members as they are.
type RoleDescriptor struct {
	Cluster       []string                  `json:"cluster,omitempty"`
	Indices       []IndicesPrivileges       `json:"indices,omitempty"`
	RemoteIndices []RemoteIndicesPrivileges `json:"remote_indices,omitempty"`
	RemoteCluster []RemoteClusterPrivileges `json:"remote_cluster,omitempty"`
	Global        *GlobalPrivileges         `json:"global,omitempty"`
	Applications  []ApplicationPrivileges   `json:"applications,omitempty"`
	RunAs         []string                  `json:"run_as,omitempty"`
	Metadata      Metadata                  `json:"metadata,omitempty"`
	// TransientMetadata is returned by Elasticsearch; it is accepted but
	// ignored on update.
	TransientMetadata map[string]any `json:"transient_metadata,omitempty"`
	// Restriction limits the key to the named workflows.
	Restriction *Restriction `json:"restriction,omitempty"`
	// Description says what a role is for: the role API takes it, and a
	// descriptor read from a role keeps it. Elasticsearch refuses it in an API key's role descriptors,
	// in every version ("unexpected field [description]"), so an update
	// with one is refused before it is sent, naming the field.
	Description string `json:"description,omitempty"`
	// Type is "role" in the role documents Elasticsearch stores, which it
	// accepts and ignores in a request; it is kept so that a descriptor
	// read from such a document is sent back as it was.
	Type string `json:"type,omitempty"`

	unknown members
}

// UnmarshalJSON reads "index" as well as "indices" and "application" as
// well as "applications", as Elasticsearch does; they are sent back under
// the main name. A descriptor that does not parse gives an error naming the
// field as written in the JSON and what it should hold.
func (r *RoleDescriptor) UnmarshalJSON(b []byte) error {
	type plain RoleDescriptor
	var v struct {
		plain
		Index       []IndicesPrivileges     `json:"index"`
		Application []ApplicationPrivileges `json:"application"`
	}
	if err := decodeExact(b, &v); err != nil {
		return roleDescriptorError(err)
	}
	*r = RoleDescriptor(v.plain)
	r.Indices = append(r.Indices, v.Index...)
	r.Applications = append(r.Applications, v.Application...)
	return r.unknown.read(b, roleDescriptorNames)
}

// IndicesPrivileges grants privileges on local indices.
type IndicesPrivileges struct {
	// Names are index names or patterns; required.
	Names []string `json:"names"`
	// Privileges are index privileges such as "read"; required.
	Privileges []string `json:"privileges"`
	// FieldSecurity restricts the fields readable; nil: every field.
	FieldSecurity *FieldSecurity `json:"field_security,omitempty"`
	// Query restricts the documents readable (document-level security).
	Query *Query `json:"query,omitempty"`
	// AllowRestrictedIndices lets Names match restricted indices such as
	// .security-7; false, Elasticsearch's default, is omitted.
	AllowRestrictedIndices bool `json:"allow_restricted_indices,omitempty"`

	unknown members
}

// UnmarshalJSON accepts "names" as one string, as Elasticsearch does.
func (p *IndicesPrivileges) UnmarshalJSON(b []byte) error {
	type plain IndicesPrivileges
	var v struct {
		plain
		Names oneOrMany `json:"names"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = IndicesPrivileges(v.plain)
	p.Names = v.Names
	return p.unknown.read(b, indicesPrivilegesNames)
}

// RemoteIndicesPrivileges grants privileges on indices of remote clusters.
type RemoteIndicesPrivileges struct {
	// Clusters are remote cluster aliases or patterns; required.
	Clusters []string `json:"clusters"`
	// Names are index names or patterns; required.
	Names []string `json:"names"`
	// Privileges are index privileges such as "read"; required.
	Privileges             []string       `json:"privileges"`
	FieldSecurity          *FieldSecurity `json:"field_security,omitempty"`
	Query                  *Query         `json:"query,omitempty"`
	AllowRestrictedIndices bool           `json:"allow_restricted_indices,omitempty"`

	unknown members
}

// UnmarshalJSON accepts "clusters" and "names" as one string each.
func (p *RemoteIndicesPrivileges) UnmarshalJSON(b []byte) error {
	type plain RemoteIndicesPrivileges
	var v struct {
		plain
		Clusters oneOrMany `json:"clusters"`
		Names    oneOrMany `json:"names"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = RemoteIndicesPrivileges(v.plain)
	p.Clusters, p.Names = v.Clusters, v.Names
	return p.unknown.read(b, remoteIndicesPrivilegesNames)
}

// RemoteClusterPrivileges grants cluster privileges on remote clusters.
type RemoteClusterPrivileges struct {
	// Clusters are remote cluster aliases or patterns; required.
	Clusters []string `json:"clusters"`
	// Privileges such as "monitor_enrich"; required.
	Privileges []string `json:"privileges"`

	unknown members
}

// UnmarshalJSON accepts "clusters" as one string.
func (p *RemoteClusterPrivileges) UnmarshalJSON(b []byte) error {
	type plain RemoteClusterPrivileges
	var v struct {
		plain
		Clusters oneOrMany `json:"clusters"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = RemoteClusterPrivileges(v.plain)
	p.Clusters = v.Clusters
	return p.unknown.read(b, remoteClusterPrivilegesNames)
}

// ApplicationPrivileges grants privileges on resources of an application.
// All three fields are required.
type ApplicationPrivileges struct {
	Application string   `json:"application"`
	Privileges  []string `json:"privileges"`
	Resources   []string `json:"resources"`

	unknown members
}

// FieldSecurity restricts the fields readable (field-level security). A nil
// Grant or Except is omitted; a non-nil empty one is sent as [].
type FieldSecurity struct {
	Grant  []string `json:"grant,omitzero"`
	Except []string `json:"except,omitzero"`

	unknown members
}

// UnmarshalJSON accepts "grant" and "except" as one string each.
func (f *FieldSecurity) UnmarshalJSON(b []byte) error {
	var v struct {
		Grant  *oneOrMany `json:"grant"`
		Except *oneOrMany `json:"except"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = FieldSecurity{}
	if v.Grant != nil {
		f.Grant = append([]string{}, *v.Grant...)
	}
	if v.Except != nil {
		f.Except = append([]string{}, *v.Except...)
	}
	return f.unknown.read(b, fieldSecurityNames)
}

// GlobalPrivileges are the configurable global privileges of a role.
type GlobalPrivileges struct {
	// Application is {"manage":{"applications":[...]}}.
	Application *GlobalApplicationPrivileges `json:"application,omitempty"`
	// Profile is {"write":{"applications":[...]}}.
	Profile *GlobalProfilePrivileges `json:"profile,omitempty"`
	// Role is {"manage":{"indices":[...]}}: lets the role manage roles whose
	// index privileges stay within these (Elasticsearch 8.16 and later).
	Role *GlobalRolePrivileges `json:"role,omitempty"`

	unknown members
}

// GlobalApplicationPrivileges lets a role manage the privileges of the named
// applications.
type GlobalApplicationPrivileges struct {
	Manage ApplicationNames `json:"manage"`

	unknown members
}

// GlobalProfilePrivileges lets a role write user profile data of the named
// applications.
type GlobalProfilePrivileges struct {
	Write ApplicationNames `json:"write"`

	unknown members
}

// GlobalRolePrivileges lets a role create and update roles whose index
// privileges fall within Manage.
type GlobalRolePrivileges struct {
	Manage GlobalManageRoles `json:"manage"`

	unknown members
}

// GlobalManageRoles lists the index privileges the roles managed may grant.
type GlobalManageRoles struct {
	Indices []GlobalRoleIndices `json:"indices"`

	unknown members
}

// GlobalRoleIndices is a group of index patterns and the privileges a
// managed role may grant on them; both are required.
type GlobalRoleIndices struct {
	Names      []string `json:"names"`
	Privileges []string `json:"privileges"`

	unknown members
}

// ApplicationNames names applications by name or pattern; required.
type ApplicationNames struct {
	Applications []string `json:"applications"`

	unknown members
}

// Restriction limits where a role applies.
type Restriction struct {
	// Workflows such as "search_application_query"; required.
	Workflows []string `json:"workflows"`

	unknown members
}

// Query is a document-level security query, in exactly one of three forms.
// Elasticsearch returns queries as JSON text; a Query read from a cluster
// keeps its form when sent back.
type Query struct {
	// Text is the query as JSON text, sent as a JSON string:
	// `{"match":{"category":"click"}}`.
	Text string
	// Object is the query as a JSON object, sent as one.
	Object map[string]any
	// Template is a role template query, rendered per user by Elasticsearch.
	Template *RoleTemplate
}

// RoleTemplate is a mustache template that renders a query, for queries that
// depend on the user ({{_user.username}}).
type RoleTemplate struct {
	// Source is the template: JSON text (a string) or a JSON object.
	Source any               `json:"source,omitempty"`
	ID     string            `json:"id,omitempty"`
	Params map[string]any    `json:"params,omitempty"`
	Lang   string            `json:"lang,omitempty"`
	Opts   map[string]string `json:"options,omitempty"`

	unknown members
}

// MarshalJSON writes the one form that is set.
func (q Query) MarshalJSON() ([]byte, error) {
	switch {
	case q.Text != "":
		return json.Marshal(q.Text)
	case q.Object != nil:
		return json.Marshal(q.Object)
	case q.Template != nil:
		return json.Marshal(struct {
			Template *RoleTemplate `json:"template"`
		}{q.Template})
	}
	return nil, errors.New("esapikey: query has no form set")
}

// UnmarshalJSON reads JSON text, a role template or a query object.
func (q *Query) UnmarshalJSON(b []byte) error {
	*q = Query{}
	if len(b) > 0 && b[0] == '"' {
		return json.Unmarshal(b, &q.Text)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return err
	}
	if raw, ok := obj["template"]; ok && len(obj) == 1 {
		q.Template = new(RoleTemplate)
		return q.Template.UnmarshalJSON(raw)
	}
	return decodeExact(b, &q.Object)
}

// decodeExact decodes numbers inside free-form values (metadata, queries,
// template params) as json.Number, so that a large integer read from a
// cluster is sent back unchanged rather than rounded through float64.
func decodeExact(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("esapikey: unexpected data after the JSON value")
	}
	return nil
}

// forms counts the forms set, for validation.
func (q *Query) forms() int {
	n := 0
	for _, set := range []bool{q.Text != "", q.Object != nil, q.Template != nil} {
		if set {
			n++
		}
	}
	return n
}

// oneOrMany decodes a JSON string or an array of strings.
type oneOrMany []string

func (s *oneOrMany) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var one string
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*s = oneOrMany{one}
		return nil
	}
	return json.Unmarshal(b, (*[]string)(s))
}
