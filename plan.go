package esapikey

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// ChangeKind says how an update changes one role or metadata key.
type ChangeKind string

// The kinds of change.
const (
	ChangeAdded    ChangeKind = "added"
	ChangeRemoved  ChangeKind = "removed"
	ChangeModified ChangeKind = "changed"
)

// RoleChange is one role descriptor an update adds, removes or changes.
type RoleChange struct {
	Name string
	Kind ChangeKind
	// Before is the key's role; nil when the role is added.
	Before *RoleDescriptor
	// After is the role the update sends; nil when the role is removed.
	After *RoleDescriptor
}

// MetadataChange is one top-level metadata key an update adds, removes or
// changes. Before and After hold the values as read and as sent; the one
// that does not exist is nil (which Kind tells apart from a JSON null).
type MetadataChange struct {
	Key    string
	Kind   ChangeKind
	Before any
	After  any
}

// ExpirationChange is the new expiration of an update. Elasticsearch counts
// it from the moment of the update, and always applies it, even when the
// key would expire at the same second.
type ExpirationChange struct {
	// Before is the key's expiration; zero when it never expires.
	Before time.Time
	// After is the duration from the update the key will expire after.
	After Duration
}

// UpdatePlan is what an update would change on a key, field by field: see
// PlanUpdate.
type UpdatePlan struct {
	// ID is the key's id.
	ID string
	// Roles are the changed role descriptors, by name.
	Roles []RoleChange
	// Metadata are the changed top-level metadata keys, by key.
	Metadata []MetadataChange
	// Expiration is the new expiration; nil when the update leaves it.
	Expiration *ExpirationChange

	removesAll bool
}

// PlanUpdate says what req would change on current, a key read with
// GetAPIKey. It compares as Elasticsearch does when it decides whether an
// update changes a key:
//
//   - Roles are compared by name, in any order, each as Elasticsearch parses
//     it: a "names" string equals a list of one, "index" equals "indices",
//     defaults such as "allow_restricted_indices": false or an empty list
//     equal their absence, a query object equals its compact JSON text, and
//     "transient_metadata" is ignored. Lists keep their order: Elasticsearch
//     updates a key whose privileges are only reordered.
//   - Metadata values are compared as the JSON they are sent as, with
//     numbers as Elasticsearch parses them: json.Number("2") read from a
//     cluster equals a Go 2, and 1.0 equals 1.00, but the integer 1 does
//     not equal 1.0.
//   - An expiration is always a change.
//
// So a key read from a cluster and sent back unchanged plans no change.
// NoChange does not promise an answer of {"updated":false}: Elasticsearch
// also updates a key whose owner's permissions changed since the last
// update, and one created without metadata that is sent an empty one.
//
// A nil current plans against a key with no roles, metadata or expiration.
// PlanUpdate does not check req; UpdateAPIKey does.
func PlanUpdate(current *APIKey, req UpdateAPIKeyRequest) *UpdatePlan {
	if current == nil {
		current = &APIKey{}
	}
	p := &UpdatePlan{ID: req.ID}
	if p.ID == "" {
		p.ID = current.ID
	}
	if req.RoleDescriptors != nil {
		p.Roles = planRoles(current.RoleDescriptors, req.RoleDescriptors)
		p.removesAll = len(req.RoleDescriptors) == 0 && len(current.RoleDescriptors) > 0
	}
	if req.Metadata != nil {
		p.Metadata = planMetadata(current.Metadata, req.Metadata)
	}
	if req.Expiration != "" {
		p.Expiration = &ExpirationChange{Before: current.Expiration, After: req.Expiration}
	}
	return p
}

func planRoles(before, after map[string]RoleDescriptor) []RoleChange {
	var out []RoleChange
	for _, name := range unionKeys(before, after) {
		b, inBefore := before[name]
		a, inAfter := after[name]
		switch {
		case !inAfter:
			out = append(out, RoleChange{Name: name, Kind: ChangeRemoved, Before: &b})
		case !inBefore:
			out = append(out, RoleChange{Name: name, Kind: ChangeAdded, After: &a})
		case !sameRole(b, a):
			out = append(out, RoleChange{Name: name, Kind: ChangeModified, Before: &b, After: &a})
		}
	}
	return out
}

func sameRole(a, b RoleDescriptor) bool {
	ca, okA := canonRole(a)
	cb, okB := canonRole(b)
	return okA && okB && reflect.DeepEqual(ca, cb)
}

func planMetadata(before, after Metadata) []MetadataChange {
	var out []MetadataChange
	for _, k := range unionKeys(before, after) {
		b, inBefore := before[k]
		a, inAfter := after[k]
		switch {
		case !inAfter:
			out = append(out, MetadataChange{Key: k, Kind: ChangeRemoved, Before: b})
		case !inBefore:
			out = append(out, MetadataChange{Key: k, Kind: ChangeAdded, After: a})
		case !sameJSON(b, a):
			out = append(out, MetadataChange{Key: k, Kind: ChangeModified, Before: b, After: a})
		}
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// NoChange reports whether the update changes no role, no metadata and no
// expiration of the key.
func (p *UpdatePlan) NoChange() bool {
	return len(p.Roles) == 0 && len(p.Metadata) == 0 && p.Expiration == nil
}

// RemovedMetadataKeys returns the top-level metadata keys the update
// deletes, sorted; nil when none.
func (p *UpdatePlan) RemovedMetadataKeys() []string {
	var keys []string
	for _, c := range p.Metadata {
		if c.Kind == ChangeRemoved {
			keys = append(keys, c.Key)
		}
	}
	return keys
}

// RemovesPrivileges reports whether the update removes every role of a key
// that has some (it sends "role_descriptors": {}): the key then gets its
// owner's full permissions.
func (p *UpdatePlan) RemovesPrivileges() bool { return p.removesAll }

// String gives the plan as a short diff, one line per change; roles and
// values are written as JSON, roles in the form they are compared in.
func (p *UpdatePlan) String() string {
	if p.NoChange() {
		return "no change"
	}
	var b strings.Builder
	for _, c := range p.Roles {
		fmt.Fprintf(&b, "role %q: %s\n", c.Name, c.Kind)
		if c.Before != nil {
			fmt.Fprintf(&b, "  - %s\n", roleText(*c.Before))
		}
		if c.After != nil {
			fmt.Fprintf(&b, "  + %s\n", roleText(*c.After))
		}
	}
	for _, c := range p.Metadata {
		switch c.Kind {
		case ChangeRemoved:
			fmt.Fprintf(&b, "metadata %q: removed (was %s)\n", c.Key, valueText(c.Before))
		case ChangeAdded:
			fmt.Fprintf(&b, "metadata %q: added: %s\n", c.Key, valueText(c.After))
		default:
			fmt.Fprintf(&b, "metadata %q: changed: %s -> %s\n", c.Key, valueText(c.Before), valueText(c.After))
		}
	}
	if e := p.Expiration; e != nil {
		before := "never"
		if !e.Before.IsZero() {
			before = e.Before.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(&b, "expiration: %s -> %s after the update\n", before, e.After)
	}
	if p.removesAll {
		b.WriteString("warning: every role is removed: the key gets its owner's full permissions\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func roleText(rd RoleDescriptor) string {
	m, ok := canonRole(rd)
	if !ok {
		return "(cannot be encoded as JSON)"
	}
	return compactJSON(m)
}

func valueText(v any) string {
	c, ok := canonJSON(v)
	if !ok {
		return "(cannot be encoded as JSON)"
	}
	return compactJSON(c)
}
