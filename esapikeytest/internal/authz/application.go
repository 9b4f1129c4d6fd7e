package authz

import (
	"regexp"
	"slices"
	"strings"
)

// AppPrivileges returns the application privileges stored with PUT /_security/privilege for the
// applications a name or a trailing-wildcard pattern matches: application, then privilege name,
// to its actions (NativePrivilegeStore.getPrivileges).
type AppPrivileges func(application string) map[string]map[string][]string

var (
	appPrefix     = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)
	privilegeName = regexp.MustCompile(`^[a-z][a-zA-Z0-9_.-]*$`)
	invalidSuffix = `\/*?"<>|, #:`
)

// ValidateApplicationName returns why name cannot be an application name, or "" (ApplicationPrivilege.
// validateApplicationName). With wildcard, a trailing '*' is allowed, as in a role.
func ValidateApplicationName(name string, wildcard bool) string {
	if name == "" {
		return "Application names cannot be blank"
	}
	stripped := false
	if strings.Contains(name, "*") {
		switch {
		case !wildcard:
			return "Application names may not contain '*' (found '" + name + "')"
		case strings.Index(name, "*") != len(name)-1:
			return "Application name patterns only support trailing wildcards (found '" + name + "')"
		case name == "*":
			return ""
		}
		name, stripped = strings.TrimSuffix(name, "*"), true
	}
	if strings.ContainsAny(name, " \t\n\r\f\v") {
		return "Application names may not contain whitespace (found '" + name + "')"
	}
	prefix, suffix, hasSuffix := name, "", false
	if i := strings.IndexAny(name, "-_"); i >= 0 {
		prefix, suffix, hasSuffix = name[:i], name[i+1:], true
	}
	if !appPrefix.MatchString(prefix) {
		return "An application name prefix must match the pattern ^[a-z][A-Za-z0-9]*$ (found '" + prefix + "')"
	}
	if len(prefix) < 3 && !(stripped && !hasSuffix) {
		return "An application name prefix must be at least 3 characters long (found '" + prefix + "')"
	}
	if hasSuffix && strings.ContainsAny(suffix, invalidSuffix) {
		return "An application name suffix may not contain any of the characters '" + invalidSuffix + "' (found '" + suffix + "')"
	}
	return ""
}

// ValidatePrivilegeName returns why name cannot be an application privilege name, or "".
func ValidatePrivilegeName(name string) string {
	if privilegeName.MatchString(name) {
		return ""
	}
	return "Application privilege names must match the pattern ^[a-z][a-zA-Z0-9_.-]*$ (found '" + name + "')"
}

// ValidateActionName returns why action cannot be an application action, or "": printable ASCII
// without whitespace (ApplicationPrivilege.validateActionName; the newer text of this message is not
// known, so the older one is used).
func ValidateActionName(action string) string {
	if strings.IndexFunc(action, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
		return "Application privilege names and actions must match the pattern ^\\p{Graph}*$ (found '" + action + "')"
	}
	return ""
}

// appPrivilege is an ApplicationPrivilege: an application (or pattern), the privilege names it was
// asked by, and the action patterns they resolve to; equal when all three are
// (ApplicationPrivilege.equals).
type appPrivilege struct {
	app     string
	names   []string // sorted
	actions []string // sorted
	auto    *automaton
}

func (p *appPrivilege) equal(o *appPrivilege) bool {
	return p.app == o.app && slices.Equal(p.names, o.names) && slices.Equal(p.actions, o.actions)
}

// resolveAppPrivileges is ApplicationPrivilege.get: a name that is a valid privilege name contributes
// the actions stored for it (nothing when none is stored), anything else is itself an action
// pattern; an application with '*' is one privilege per stored application it matches that stores
// one of these names, or itself when there is none.
func resolveAppPrivileges(app string, names []string, stored AppPrivileges) ([]*appPrivilege, error) {
	var byApp map[string]map[string][]string
	if stored != nil {
		byApp = stored(app)
	}
	if !strings.Contains(app, "*") {
		p, err := newAppPrivilege(app, names, byApp[app])
		return []*appPrivilege{p}, err
	}
	var out []*appPrivilege
	for _, a := range sortedKeys(byApp) {
		if !slices.ContainsFunc(names, func(n string) bool { _, ok := byApp[a][n]; return ok }) {
			continue
		}
		p, err := newAppPrivilege(a, names, byApp[a])
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		p, err := newAppPrivilege(app, names, nil)
		return []*appPrivilege{p}, err
	}
	return out, nil
}

func newAppPrivilege(app string, names []string, stored map[string][]string) (*appPrivilege, error) {
	p := &appPrivilege{app: app, names: sortedUnique(names)}
	for _, n := range p.names {
		if privilegeName.MatchString(n) {
			p.actions = append(p.actions, stored[n]...)
		} else {
			p.actions = append(p.actions, n)
		}
	}
	p.actions = sortedUnique(p.actions)
	var err error
	p.auto, err = compilePatterns(p.actions)
	return p, err
}

// appEntry is one entry of an ApplicationPermission: a privilege and the resources it is granted on,
// the resources of entries with an equal privilege unioned.
type appEntry struct {
	priv      *appPrivilege
	appMatch  *automaton
	resources []string
	resAuto   *automaton
}

// matchesPrivilege is PermissionEntry.matchesPrivilege: the same privilege, or one of the entry's
// application whose actions the entry's cover (all of them when the entry's are total).
func (e *appEntry) matchesPrivilege(o *appPrivilege) bool {
	if e.priv.equal(o) {
		return true
	}
	if !e.appMatch.run(o.app) {
		return false
	}
	if isTotal(e.priv.auto) {
		return true
	}
	return !isEmpty(e.priv.auto) && !isEmpty(o.auto) && subsetOf(o.auto, e.priv.auto)
}

// appGrant is one applications entry of a role, after CompositeRolesStore merged the entries of one
// application over the same resources (their privilege names unioned).
type appGrant struct {
	app       string
	names     []string
	resources []string
}

// appPermission builds the role's ApplicationPermission against the privileges stored now: each
// grant resolved to its privileges, entries of an equal privilege merged with their resources
// unioned.
func appPermission(grants []appGrant, stored AppPrivileges) (entries []*appEntry, err error) {
	defer catch(&err, "application privileges")
	for _, g := range grants {
		privs, err := resolveAppPrivileges(g.app, g.names, stored)
		if err != nil {
			return nil, err
		}
		for _, p := range privs {
			i := slices.IndexFunc(entries, func(e *appEntry) bool { return e.priv.equal(p) })
			if i < 0 {
				appMatch, err := compilePattern(p.app)
				if err != nil {
					return nil, err
				}
				entries = append(entries, &appEntry{priv: p, appMatch: appMatch})
				i = len(entries) - 1
			}
			e := entries[i]
			e.resources = sortedUnique(append(slices.Clip(e.resources), g.resources...))
			if e.resAuto, err = compilePatterns(e.resources); err != nil {
				return nil, err
			}
		}
	}
	return entries, nil
}

// grantsApp is ApplicationPermission.grants: some entry matches the privilege and its resources
// cover the requested resource pattern.
func grantsApp(entries []*appEntry, p *appPrivilege, resource *automaton) bool {
	for _, e := range entries {
		if e.matchesPrivilege(p) && subsetOf(resource, e.resAuto) {
			return true
		}
	}
	return false
}

// resourcePatterns is ApplicationPermission.getResourcePatterns: the resources of every entry whose
// privilege matches p, an implying privilege's included.
func resourcePatterns(entries []*appEntry, p *appPrivilege) []string {
	var out []string
	for _, e := range entries {
		if e.matchesPrivilege(p) {
			out = append(out, e.resources...)
		}
	}
	return sortedUnique(out)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
