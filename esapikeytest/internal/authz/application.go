package authz

import (
	"regexp"
	"strings"
)

// AppPrivileges looks up the stored application privileges (PUT /_security/privilege): the actions of
// privilege name of application app, and whether it exists.
type AppPrivileges func(app, name string) (actions []string, ok bool)

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

// appEntry is one applications entry of a role (ApplicationPermission): an application name or
// trailing-wildcard pattern, its privilege names or action patterns, and resource patterns.
type appEntry struct {
	app        string
	appSet     Set
	privileges []string
	resources  []string
	resSet     Set
}

func newAppEntry(app string, privileges, resources []string) (appEntry, error) {
	e := appEntry{app: app, privileges: privileges, resources: resources}
	var err error
	if e.appSet, err = Pattern(app); err != nil {
		return e, err
	}
	e.resSet, err = Patterns(resources)
	return e, err
}

// appActions resolves privilege strings for application app: a privilege name contributes the actions
// of the stored privilege (nothing when none is stored), anything else is itself an action pattern
// (ApplicationPrivilege.get).
func appActions(app string, privileges []string, stored AppPrivileges) Set {
	var sets []Set
	for _, p := range privileges {
		if privilegeName.MatchString(p) {
			if stored == nil {
				continue
			}
			if actions, ok := stored(app, p); ok {
				if s, err := Patterns(actions); err == nil {
					sets = append(sets, s)
				}
			}
			continue
		}
		if s, err := Pattern(p); err == nil {
			sets = append(sets, s)
		}
	}
	return Union(sets...)
}

// checkApplication answers whether the entries grant privilege q of application app on resource
// (ApplicationPermission.checkResourcePrivileges): some entry for the application whose actions cover
// q's and whose resources cover the requested resource pattern.
func checkApplication(entries []appEntry, app, q, resource string, stored AppPrivileges) (bool, error) {
	res, err := Pattern(resource)
	if err != nil {
		return false, err
	}
	want := appActions(app, []string{q}, stored)
	for _, e := range entries {
		if !e.appSet.Matches(app) || !Subset(res, e.resSet) {
			continue
		}
		if e.app == app && len(sortedUnique(e.privileges)) == 1 && e.privileges[0] == q {
			return true, nil // the very privilege asked (ApplicationPrivilege.equals), stored or not
		}
		have := appActions(app, e.privileges, stored)
		if have.IsTotal() || !want.IsEmpty() && !have.IsEmpty() && Subset(want, have) {
			return true, nil
		}
	}
	return false, nil
}
