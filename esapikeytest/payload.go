package esapikeytest

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp/syntax"
	"slices"
	"sort"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// payload is a parsed request body of the API-key endpoints. The has* flags tell an omitted field
// from an empty one: "role_descriptors": {} is not the same as no role_descriptors.
type payload struct {
	name                                string
	roles                               []roleDesc
	metadataJSON                        string // canonical (javaJSON), as stored and compared
	metadataKeys                        []string
	expiration                          timeValue
	rawExpiration                       string
	ids                                 []string
	access                              *ccAccess
	certIdentity                        *string
	hasName, hasRoles, hasMetadata      bool
	hasExpiration, hasIDs, hasCertIdent bool
}

// payloadSpec names a parser, as it appears in parse errors, and the fields it declares.
type payloadSpec struct {
	name     string
	fields   []specField
	required []string
}

// specField is a field a parser declares; feature names the releases whose parser declares it.
type specField struct {
	name    string
	feature version.Feature
}

// declared are fields every release's parser declares.
func declared(list ...string) []specField {
	out := make([]specField, len(list))
	for i, n := range list {
		out[i] = specField{n, anyRelease}
	}
	return out
}

// fieldsAt are the fields the parser declares at release v: any other is its unknown field.
func (s payloadSpec) fieldsAt(v version.Version) []string {
	out := make([]string, 0, len(s.fields))
	for _, f := range s.fields {
		if hasAt(v, f.feature) {
			out = append(out, f.name)
		}
	}
	return out
}

var (
	createSpec = payloadSpec{name: "api_key_request", fields: declared("name", "role_descriptors", "expiration", "metadata")}
	updateSpec = payloadSpec{name: "update_api_key_request_payload",
		fields: append(declared("role_descriptors", "metadata"), specField{"expiration", version.UpdateExpiration})}
	bulkSpec = payloadSpec{name: "bulk_update_api_key_request",
		fields:   append(declared("ids", "role_descriptors", "metadata"), specField{"expiration", version.UpdateExpiration}),
		required: []string{"ids"}}
	createCCSpec = payloadSpec{name: "cross_cluster_api_key_request",
		fields:   append(declared("name", "access", "expiration", "metadata"), specField{"certificate_identity", version.CertificateIdentity}),
		required: []string{"name", "access"}}
	updateCCSpec = payloadSpec{name: "update_cross_cluster_api_key_request_payload",
		fields: append(declared("access", "metadata"), specField{"expiration", version.UpdateExpiration},
			specField{"certificate_identity", version.CertificateIdentity})}
	accessParserName = "cross_cluster_api_key_request_access"
)

// parsePayload parses a body like Elasticsearch's ConstructingObjectParser of release v: field by
// field in document order, then the required fields, then the built values (expiration), whose
// failures are wrapped.
func parsePayload(d *jsontree.Doc, spec payloadSpec, v version.Version) (*payload, *esError) {
	p := &payload{}
	root := d.Root
	if root == nil {
		return p, nil
	}
	if root.Kind != jsontree.Object {
		return nil, notAnObject(d, spec.name)
	}
	fields := spec.fieldsAt(v)
	for key, val := range root.Fields() {
		if !slices.Contains(fields, key) {
			return nil, unknownField(d, val, spec.name, key, fields)
		}
		if err := p.field(d, v, spec.name, key, val); err != nil {
			return nil, err
		}
	}
	var missing []string
	for _, f := range spec.required {
		if root.Field(f) == nil {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, illegalArgument("Required [%s]", strings.Join(missing, ", "))
	}
	if p.hasExpiration {
		exp, err := parseTimeValue(p.rawExpiration, "expiration")
		if err != nil {
			return nil, badRequest("x_content_parse_exception", "Failed to build [%s] after last required field arrived", spec.name).
				causedBy(illegalArgument("%s", err.Error()))
		}
		p.expiration = exp
	}
	// Creating builds the descriptor in the parser's constructing function, so its errors are wrapped.
	if spec.name == createCCSpec.name && p.access != nil {
		if err := p.access.build(v); err != nil {
			return nil, badRequest("x_content_parse_exception", "Failed to build [%s] after last required field arrived", spec.name).causedBy(err)
		}
	}
	return p, nil
}

func (p *payload) field(d *jsontree.Doc, rel version.Version, parser, key string, v *jsontree.Node) *esError {
	typeErr := func() *esError {
		return badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.Loc(v), parser, key, v.Kind.Token())
	}
	fieldErr := func(cause *esError) *esError {
		return badRequest("x_content_parse_exception", "%s [%s] failed to parse field [%s]", d.Loc(v), parser, key).causedBy(cause)
	}
	switch key {
	case "name", "expiration":
		if v.Kind != jsontree.String {
			return typeErr()
		}
		if key == "name" {
			p.name, p.hasName = v.Str, true
		} else {
			p.rawExpiration, p.hasExpiration = v.Str, true
		}
	case "metadata":
		if v.Kind != jsontree.Object {
			return typeErr()
		}
		// The canonical form takes about what the body spends on the value, which is at most the rest
		// of the body: room for that spares a large metadata the copies of a growing buffer.
		canon := appendJavaJSON(make([]byte, 0, len(d.Body)-v.Off()), v)
		p.metadataJSON, p.metadataKeys, p.hasMetadata = string(canon), v.Keys(), true
	case "certificate_identity":
		switch v.Kind {
		case jsontree.String:
			if !validJavaRegex(v.Str) {
				// CertificateIdentity's constructor, called by the field's parser.
				return fieldErr(illegalArgument("Invalid certificate_identity format: [%s]. Must be a valid regex.", v.Str))
			}
			p.certIdentity = &v.Str
		case jsontree.Null:
		default:
			return typeErr()
		}
		p.hasCertIdent = true
	case "ids":
		ids, err := stringOrArray(d, parser, key, v)
		if err != nil {
			return err
		}
		p.ids, p.hasIDs = ids, true
	case "role_descriptors":
		switch v.Kind {
		case jsontree.Array:
			return fieldErr(badRequest("x_content_parse_exception", "%s [%s] doesn't support arrays. Use a single object with multiple fields.", d.Loc(v), key))
		case jsontree.Object:
		default:
			return typeErr()
		}
		p.roles, p.hasRoles = make([]roleDesc, 0, len(v.Keys())), true
		for name, val := range v.Fields() {
			rd, err := parseRoleDescriptor(d, name, val, roleContext{forAPIKey: true, v: rel})
			if err != nil {
				return fieldErr(err)
			}
			p.roles = append(p.roles, rd)
		}
	case "access":
		if v.Kind != jsontree.Object {
			return typeErr()
		}
		a, err := parseAccess(d, v)
		if err != nil {
			return fieldErr(err)
		}
		p.access = a
	}
	return nil
}

// stringOrArray reads a field declared as a string array, which also accepts a single string.
// Like XContentParser.text(), numbers and booleans are read as their text.
func stringOrArray(d *jsontree.Doc, parser, key string, v *jsontree.Node) ([]string, *esError) {
	elems := []*jsontree.Node{v}
	switch v.Kind {
	case jsontree.Array:
		elems = v.Vals()
	case jsontree.String:
	default:
		// ValueType.STRING_ARRAY takes a string or an array; only the elements are read as text.
		return nil, badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.Loc(v), parser, key, v.Kind.Token())
	}
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		switch e.Kind {
		case jsontree.String, jsontree.Number:
			out = append(out, e.Str)
		case jsontree.Bool:
			out = append(out, fmt.Sprint(e.Bool))
		default:
			return nil, badRequest("x_content_parse_exception", "%s [%s] %s doesn't support values of type: %s", d.Loc(e), parser, key, e.Kind.Token())
		}
	}
	return out, nil
}

// validJavaRegex reports whether java.util.regex.Pattern would compile s, as far as Go's parser can
// tell: it refuses only for errors Java's syntax shares (unbalanced groups or classes, a dangling
// repetition, a trailing backslash), so lookarounds and backreferences, which Go lacks, pass.
func validJavaRegex(s string) bool {
	_, err := syntax.Parse(s, syntax.Perl)
	var se *syntax.Error
	if !errors.As(err, &se) {
		return true
	}
	switch se.Code {
	case syntax.ErrMissingParen, syntax.ErrUnexpectedParen, syntax.ErrMissingBracket,
		syntax.ErrMissingRepeatArgument, syntax.ErrTrailingBackslash:
		return false
	}
	return true
}

// validateKeyRequest returns the validation messages shared by create, update and bulk update at
// release v. An expiration of 0 or less is refused from the release that refuses it on create; the
// update requests have an expiration only from that release on (8.13), so the one gate serves all.
func (p *payload) validateKeyRequest(v version.Version) []string {
	var msgs []string
	for _, k := range p.metadataKeys {
		if strings.HasPrefix(k, "_") {
			msgs = append(msgs, "API key metadata keys may not start with [_]")
			break
		}
	}
	for _, rd := range p.roles {
		msgs = append(msgs, validateRole(rd, v)...)
	}
	if p.hasExpiration && !p.expiration.positive() && v.Has(version.CreateRefusesNonPositiveExpiration) {
		msgs = append(msgs, v.Text(version.CreateRefusesNonPositiveExpiration))
	}
	return msgs
}

// validateName returns the validation messages for an API key name on create.
func (p *payload) validateName() []string {
	switch {
	case strings.TrimSpace(p.name) == "":
		return []string{"api key name is required"}
	case len(p.name) > 256:
		return []string{"api key name may not be more than [256] characters long"}
	case strings.HasPrefix(p.name, "_"):
		return []string{"api key name may not begin with an underscore"}
	}
	return nil
}

// checkRestrictions applies the rules for role descriptors with a restriction.
func checkRestrictions(rds []roleDesc) *esError {
	restricted := 0
	for _, rd := range rds {
		if rd.restricted {
			restricted++
		}
	}
	switch {
	case restricted > 1:
		return illegalArgument("more than one role descriptor with restriction is not supported")
	case restricted == 1 && len(rds) > 1:
		return illegalArgument("combining role descriptors with and without restriction is not supported")
	}
	return nil
}

// roleSet is a set of descriptors by name (names are unique in a role_descriptors object and in a
// user's roles), to compare lists in any order in time proportional to their length.
type roleSet map[string]json.RawMessage

func newRoleSet(rds []roleDesc) roleSet {
	s := make(roleSet, len(rds))
	for _, rd := range rds {
		s[rd.name] = rd.body
	}
	return s
}

// equals reports whether rds holds the same descriptors, by name and content, in any order.
func (s roleSet) equals(rds []roleDesc) bool {
	if len(rds) != len(s) {
		return false
	}
	for _, rd := range rds {
		if body, ok := s[rd.name]; !ok || string(body) != string(rd.body) {
			return false
		}
	}
	return true
}

func sortRoles(rds []roleDesc) []roleDesc {
	sort.Slice(rds, func(i, j int) bool { return rds[i].name < rds[j].name })
	return rds
}
