package authz

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// collated is the union of a role's index entries over one set of names, with or without
// allow_restricted_indices (CompositeRolesStore's MergeableIndicesPrivilege): privileges unioned,
// field security groups unioned, queries unioned unless one entry has none, which lifts document
// level security.
type collated struct {
	names           []string // as first given
	privileges      []string
	fls             []FieldSecurity
	queries         []string
	noQuery         bool
	allowRestricted bool
	clusters        []string // remote_indices only
}

// collate is MergeableIndicesPrivilege.collatePrivilegesByIndices over every descriptor, without
// then with allow_restricted_indices, each in the iteration order of the HashMap it fills (keyed by
// the set of names). A descriptor whose indices are one entry starting with "none" is an explicit
// denial and adds nothing. Remote entries are kept apart by their clusters too.
func collate(ds []descriptor, entries func(descriptor) []indicesEntry) []collated {
	var out []collated
	for _, restricted := range []bool{false, true} {
		var part []collated
		var hashes []int32
		for _, d := range ds {
			es := entries(d)
			if len(es) == 1 && len(es[0].Privileges) > 0 && strings.EqualFold(es[0].Privileges[0], "none") {
				continue
			}
			for _, e := range es {
				if e.AllowRestricted != restricted {
					continue
				}
				names := sortedUnique(e.Names)
				clusters := sortedUnique(e.Clusters)
				i := slices.IndexFunc(part, func(c collated) bool {
					return slices.Equal(sortedUnique(c.names), names) && slices.Equal(c.clusters, clusters)
				})
				if i < 0 {
					part = append(part, collated{names: e.Names, allowRestricted: restricted, clusters: clusters})
					hashes = append(hashes, javaSetHash(names))
					i = len(part) - 1
				}
				part[i].merge(e)
			}
		}
		for _, i := range hashOrder(hashes) {
			out = append(out, part[i])
		}
	}
	return out
}

func (c *collated) merge(e indicesEntry) {
	for _, p := range e.Privileges {
		c.privileges = appendNew(c.privileges, p)
	}
	fls := FieldSecurity{}
	if e.FieldSecurity != nil {
		fls = *e.FieldSecurity
	}
	if !slices.ContainsFunc(c.fls, func(o FieldSecurity) bool { return o.equal(fls) }) {
		c.fls = append(c.fls, fls)
	}
	q := queryText(e.Query)
	if q == "" {
		c.noQuery = true
	} else {
		c.queries = appendNew(c.queries, q)
	}
}

// queryText is a role query as Elasticsearch keeps it: a string as given, an object as its JSON.
func queryText(raw []byte) string {
	s := string(raw)
	if s == "" || s == "null" {
		return ""
	}
	var text string
	if s[0] == '"' && jsonUnquote(raw, &text) {
		return text
	}
	return s
}

func (f FieldSecurity) equal(o FieldSecurity) bool {
	return slices.Equal(f.Grant, o.Grant) && (f.Grant == nil) == (o.Grant == nil) &&
		slices.Equal(f.Except, o.Except) && (f.Except == nil) == (o.Except == nil)
}

// hasFieldLevelSecurity is FieldPermissions.hasFieldLevelSecurity over the merged groups: the union of
// what each grants (its grant, "*" or none meaning every field, metadata fields "_*" always, minus its
// except) is not the automaton of every string.
func (c collated) hasFieldLevelSecurity() (bool, error) {
	var automata []*automaton
	var err error
	func() {
		defer catch(&err, "field_security")
		for _, g := range c.fls {
			automata = append(automata, permittedFields(g))
		}
	}()
	if err != nil || len(automata) == 0 {
		return false, err
	}
	var total bool
	func() {
		defer catch(&err, "field_security")
		total = isTotal(unionAndDeterminize(automata))
	}()
	return !total, err
}

// permittedFields is FieldPermissions.buildPermittedFieldsAutomaton.
func permittedFields(g FieldSecurity) *automaton {
	granted := matchAll
	if g.Grant != nil && !slices.Contains(g.Grant, "*") {
		meta := concatenate([]*automaton{makeChar('_'), makeAnyString()})
		granted = determinize(union([]*automaton{mustCompile(g.Grant), meta}), defaultWorkLimit)
	}
	denied := emptyAutomaton
	if len(g.Except) > 0 {
		denied = mustCompile(g.Except)
	}
	return minusAndDeterminize(granted, denied)
}

// CheckFieldSecurity is RoleDescriptor.checkIfExceptFieldsIsSubsetOfGrantedFields: the fields
// excepted must be among those granted. It returns Elasticsearch's message, or "" when they are.
func CheckFieldSecurity(grant, except []string) (msg string, err error) {
	defer catch(&err, "field_security")
	granted := matchAll
	if grant != nil && !slices.Contains(grant, "*") {
		meta := concatenate([]*automaton{makeChar('_'), makeAnyString()})
		granted = determinize(union([]*automaton{mustCompile(grant), meta}), defaultWorkLimit)
	}
	denied := emptyAutomaton
	if len(except) > 0 {
		denied = determinize(mustCompile(except), defaultWorkLimit)
	}
	if !subsetOf(denied, granted) {
		return "Exceptions for field permissions must be a subset of the granted fields but " + strings.Join(except, ",") +
			" is not a subset of " + strings.Join(grant, ","), nil
	}
	return "", nil
}

// indexGroup is an IndicesPermission.Group: index names and one selector partition of privileges.
// Its name matcher is built with it, as Elasticsearch builds it with the role; the automaton of its
// names, which only pattern questions need, when first asked.
type indexGroup struct {
	names           []string
	privilege       indexPrivilege
	allowRestricted bool
	match           *matcher
	once            sync.Once
	auto            *automaton
	autoErr         error
}

func newIndexGroup(names []string, p indexPrivilege, allowRestricted bool) (*indexGroup, error) {
	// The group's names are a HashSet in Elasticsearch, and its messages list them in that order.
	var set []string
	for _, n := range names {
		set = appendNew(set, n)
	}
	names = hashOrderStrings(set)
	m, err := newMatcher(names)
	if err != nil {
		return nil, err
	}
	return &indexGroup{names: names, privilege: p, allowRestricted: allowRestricted, match: m}, nil
}

// covers reports whether the group holds the concrete index name (its matcher, and not a restricted
// name unless the group allows them).
func (g *indexGroup) covers(name string) bool {
	return g.match.matches(name) && (g.allowRestricted || !isRestricted(name))
}

// automaton is Group.getIndexMatcherAutomaton: the names, minus the restricted ones unless allowed.
func (g *indexGroup) automaton() (*automaton, error) {
	g.once.Do(func() {
		defer catch(&g.autoErr, strings.Join(g.names, ","))
		a := mustCompile(g.names)
		if !g.allowRestricted {
			a = minusAndDeterminize(a, restricted)
		}
		g.auto = a
	})
	return g.auto, g.autoErr
}

// requestedIndex is a requested index pattern as IndicesPermission.checkResourcePrivileges reads it.
type requestedIndex struct {
	concrete string     // set for a plain name, which is checked without its automaton
	auto     *automaton // the pattern's language, minus restricted names unless asked for
}

// isConcreteName reports whether a requested name can be checked as a string: no wildcard, escape or
// regular expression, and nothing a UTF-16 reading would split (Automatons.wildcard reads UTF-16).
func isConcreteName(p string) bool {
	return p != "" && !strings.ContainsAny(p, "*?\\") && !strings.HasPrefix(p, "/") &&
		!strings.ContainsFunc(p, func(r rune) bool { return r > 0xFFFF })
}

func requestIndex(p string, allowRestricted bool) (requestedIndex, error) {
	if isConcreteName(p) {
		return requestedIndex{concrete: p}, nil
	}
	a, err := compilePattern(p)
	if err != nil {
		return requestedIndex{}, err
	}
	// isConcreteRestrictedIndex: no '*' (Regex.isSimpleMatchPattern), not a regular expression, and
	// restricted itself.
	concreteRestricted := !strings.Contains(p, "*") && !isLuceneRegex(p) && isRestricted(p)
	if !allowRestricted && !concreteRestricted {
		err = func() (err error) {
			defer catch(&err, p)
			a = minusAndDeterminize(a, restricted)
			return nil
		}()
	}
	return requestedIndex{auto: a}, err
}

// groupClass is the groups of a role that hold one privilege: IndicesPermission.indexGroupAutomatons
// keys groups by their privilege's automaton, which IndexPrivilege caches by the set of names, and
// unions their index automata, so that groups with the same privileges cover a pattern together.
type groupClass struct {
	groups  []int
	once    sync.Once
	auto    *automaton
	autoErr error
}

// groupClasses partitions the groups by privilege: the same names (as a set) and selector.
func groupClasses(groups []*indexGroup) []*groupClass {
	var out []*groupClass
	var keys []string
	for i, g := range groups {
		key := strconv.Itoa(int(g.privilege.sel)) + "\x00" + strings.Join(sortedUnique(g.privilege.names), "\x00")
		j := slices.Index(keys, key)
		if j < 0 {
			keys = append(keys, key)
			out = append(out, &groupClass{})
			j = len(out) - 1
		}
		out[j].groups = append(out[j].groups, i)
	}
	return out
}

// automaton is the union of the class's groups' automata, built when first asked.
func (c *groupClass) automaton(groups []*indexGroup) (*automaton, error) {
	c.once.Do(func() {
		var list []*automaton
		for _, i := range c.groups {
			a, err := groups[i].automaton()
			if err != nil {
				c.autoErr = err
				return
			}
			list = append(list, a)
		}
		if len(list) == 1 {
			c.auto = list[0]
			return
		}
		defer catch(&c.autoErr, "index names")
		c.auto = unionAndDeterminize(list)
	})
	return c.auto, c.autoErr
}

// coveringGroups returns the groups whose names cover the request, as a key of the set: for a
// concrete name each group that matches it, for a pattern each group of a class whose union of names
// holds the pattern's language (IndicesPermission.checkResourcePrivileges).
func (r *Role) coveringGroups(q requestedIndex) (out []int, err error) {
	if q.concrete != "" {
		for i, g := range r.groups {
			if g.covers(q.concrete) {
				out = append(out, i)
			}
		}
		return out, nil
	}
	for _, c := range r.classes {
		a, err := c.automaton(r.groups)
		if err != nil {
			return nil, err
		}
		var sub bool
		func() {
			defer catch(&err, "index names")
			sub = subsetOf(q.auto, a)
		}()
		if err != nil {
			return nil, err
		}
		if sub {
			out = append(out, c.groups...)
		}
	}
	slices.Sort(out)
	return out, nil
}

// heldActions is the union of the actions of the covering groups that reach component c
// (IndicesPermission.checkResourcePrivileges' allowedIndexPrivilegesAutomaton), memoised by the set.
func (r *Role) heldActions(groups []int, c selector) (*automaton, error) {
	var key strings.Builder
	key.WriteString(strconv.Itoa(int(c)))
	var list []*automaton
	for _, i := range groups {
		if g := r.groups[i]; g.privilege.sel.reaches(c) {
			key.WriteString("," + strconv.Itoa(i))
			list = append(list, g.privilege.actions)
		}
	}
	if len(list) == 0 {
		return nil, nil
	}
	r.mu.Lock()
	a, ok := r.unions[key.String()]
	r.mu.Unlock()
	if ok {
		return a, nil
	}
	var err error
	func() {
		defer catch(&err, "index privileges")
		a = unionAndDeterminize(list)
	}()
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	if r.unions == nil || len(r.unions) >= maxUnions {
		r.unions = map[string]*automaton{}
	}
	r.unions[key.String()] = a
	r.mu.Unlock()
	return a, nil
}

// checkIndex answers one requested index privilege for one role: for each component the privilege
// reaches, its actions are among those of the covering groups that reach that component.
func (r *Role) checkIndex(q requestedIndex, priv indexPrivilege) (bool, error) {
	if q.auto != nil && isEmpty(q.auto) {
		return false, nil
	}
	groups, err := r.coveringGroups(q)
	if err != nil || len(groups) == 0 {
		return false, err
	}
	for _, c := range []selector{selData, selFailures} {
		if !priv.sel.reaches(c) {
			continue
		}
		held, err := r.heldActions(groups, c)
		if err != nil || held == nil || !subsetOf(priv.actions, held) {
			return false, err
		}
	}
	return true, nil
}

func jsonUnquote(raw []byte, out *string) bool { return json.Unmarshal(raw, out) == nil }
