package esapikey

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
)

// The checks here refuse, before anything is sent, what Elasticsearch would
// refuse for its form: missing required fields, reserved metadata keys,
// expirations it cannot parse or rejects. Privilege names are not checked:
// the set is open and grows with every release.
//
// Each check reports fields relative to the value it checks; callers prefix
// the path only when there is an error, so a valid request costs nothing.

func validateID(field, id string) error {
	switch id {
	case "":
		return invalid(field, "required")
	case ".", "..":
		return invalid(field, "%q would not stay one path segment", id)
	}
	return nil
}

// Maps are checked in one pass without sorting; when several entries are
// wrong, the one with the smallest key is reported, so the same request
// always gets the same error.

func validateMetadata(field string, md Metadata) error {
	bad, found := "", false
	for k := range md {
		if strings.HasPrefix(k, "_") && (!found || k < bad) {
			bad, found = k, true
		}
	}
	if found {
		return invalid(field, "key %q: keys starting with \"_\" are reserved", bad)
	}
	return nil
}

func validateRoleDescriptors(rds map[string]RoleDescriptor) error {
	var first error
	firstName := ""
	for name, rd := range rds {
		if first != nil && name > firstName {
			continue
		}
		if err := rd.validate(); err != nil {
			first, firstName = err, name
		}
	}
	if first != nil {
		return at(first, "role_descriptors[%s]", firstName)
	}
	return nil
}

func (r *RoleDescriptor) validate() error {
	for i := range r.Indices {
		if err := r.Indices[i].validate(); err != nil {
			return at(err, "indices[%d]", i)
		}
	}
	for i, p := range r.RemoteIndices {
		local := IndicesPrivileges{Names: p.Names, Privileges: p.Privileges, Query: p.Query}
		if err := cmp.Or(present("clusters", p.Clusters), local.validate()); err != nil {
			return at(err, "remote_indices[%d]", i)
		}
	}
	for i, p := range r.RemoteCluster {
		if err := cmp.Or(required("clusters", p.Clusters), privilegeNames("privileges", p.Privileges)); err != nil {
			return at(err, "remote_cluster[%d]", i)
		}
	}
	for i, p := range r.Applications {
		if err := p.validate(); err != nil {
			return at(err, "applications[%d]", i)
		}
	}
	if g := r.Global; g != nil {
		if g.Application != nil {
			if err := present("global.application.manage.applications", g.Application.Manage.Applications); err != nil {
				return err
			}
		}
		if g.Profile != nil {
			if err := present("global.profile.write.applications", g.Profile.Write.Applications); err != nil {
				return err
			}
		}
		if err := g.Role.validate(); err != nil {
			return err
		}
	}
	if r.Restriction != nil {
		if err := privilegeNames("restriction.workflows", r.Restriction.Workflows); err != nil {
			return err
		}
	}
	if err := validateMetadata("metadata", r.Metadata); err != nil {
		return err
	}
	if r.Description != "" {
		// ApiKeyService parses role descriptors without allowDescription, in
		// every version: a description would be lost if dropped, so say it.
		return invalid("description", "Elasticsearch refuses a description in an API key's role descriptor "+
			"(\"unexpected field [description]\"); only roles take one")
	}
	return nil
}

// validate refuses only what would be sent as null: the entries are
// Elasticsearch's to judge (ManageRolesPrivilege). nil is fine (omitted).
func (r *GlobalRolePrivileges) validate() error {
	if r == nil {
		return nil
	}
	if err := present("global.role.manage.indices", r.Manage.Indices); err != nil {
		return err
	}
	for i, p := range r.Manage.Indices {
		if err := cmp.Or(present("names", p.Names), present("privileges", p.Privileges)); err != nil {
			return at(err, "global.role.manage.indices[%d]", i)
		}
	}
	return nil
}

func (p *IndicesPrivileges) validate() error {
	if err := cmp.Or(required("names", p.Names), privilegeNames("privileges", p.Privileges)); err != nil {
		return err
	}
	if p.Query != nil && p.Query.forms() != 1 {
		return invalid("query", "set exactly one of Text, Object and Template")
	}
	return nil
}

func (p *ApplicationPrivileges) validate() error {
	if p.Application == "" {
		return invalid("application", "required")
	}
	return cmp.Or(privilegeNames("privileges", p.Privileges), required("resources", p.Resources))
}

// required checks a list Elasticsearch wants at least one entry in. The
// entries themselves are not checked: Elasticsearch accepts "" as an index
// name, a cluster alias or a bulk id (it then answers for it as for any
// other name).
func required(field string, list []string) error {
	if len(list) == 0 {
		return invalid(field, "required")
	}
	return nil
}

// present checks a list that must be sent but may be empty: nil would be
// sent as null, while [] is valid (remote_indices clusters, global
// application names).
func present[T any](field string, list []T) error {
	if list == nil {
		return invalid(field, "required (a non-nil empty list is sent as [])")
	}
	return nil
}

// privilegeNames checks a required list of privilege or workflow names.
// Names are not checked against a list, which grows with every release, but
// Elasticsearch knows no empty one.
func privilegeNames(field string, list []string) error {
	if err := required(field, list); err != nil {
		return err
	}
	for i, s := range list {
		if s == "" {
			return invalid(fmt.Sprintf("%s[%d]", field, i), "must not be empty")
		}
	}
	return nil
}

// at prefixes the field path of a *ValidationError; nil stays nil.
func at(err error, format string, args ...any) error {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	ve.Field = fmt.Sprintf(format, args...) + "." + ve.Field
	return ve
}
