package authz

import (
	"slices"
	"sort"
	"strings"
)

// Privileges is what a has-privileges request asks (AuthorizationEngine.PrivilegesToCheck).
type Privileges struct {
	Cluster     []string
	Index       []IndexCheck
	Application []AppCheck
}

// IndexCheck asks for privileges on index names or patterns.
type IndexCheck struct {
	Names, Privileges []string
	AllowRestricted   bool
}

// AppCheck asks for privileges of an application on resources.
type AppCheck struct {
	Application           string
	Privileges, Resources []string
}

// Validate returns the validation messages of the request (PrivilegesToCheck.validate), and refuses
// index names with a "::" selector, which the has-privileges API does not take (its failure-store
// privileges are asked by name instead).
func (q Privileges) Validate() []string {
	var msgs []string
	for _, ic := range q.Index {
		for _, n := range ic.Names {
			if strings.Contains(n, "::") {
				msgs = append(msgs, "selectors [::] are not allowed in the index name expression ["+n+"]")
			}
		}
	}
	for _, a := range q.Application {
		if m := ValidateApplicationName(a.Application, false); m != "" {
			msgs = append(msgs, m)
		}
	}
	if len(q.Cluster) == 0 && len(q.Index) == 0 && len(q.Application) == 0 {
		msgs = append(msgs, "must specify at least one privilege")
	}
	return msgs
}

// Answer is one privilege and whether it is granted.
type Answer struct {
	Privilege string
	Granted   bool
}

// ResourceAnswers are the answers for one resource (an index pattern or an application resource).
type ResourceAnswers struct {
	Resource string
	Answers  []Answer
}

// AppAnswers are the answers for one application, by resource.
type AppAnswers struct {
	Application string
	Resources   []ResourceAnswers
}

// Result is a has-privileges answer (HasPrivilegesResponse). Elasticsearch collects the cluster
// answers, each resource's answers and the applications in java.util.HashMaps and writes them in
// their iteration order, which these lists keep; resources are sorted, as its TreeSets sort them.
type Result struct {
	All         bool
	Cluster     []Answer
	Index       []ResourceAnswers
	Application []AppAnswers
}

// HasPrivileges answers a has-privileges request like RBACEngine.checkPrivileges. Unknown cluster
// or index privileges, and patterns Elasticsearch cannot build, fail the whole request.
func (p Permission) HasPrivileges(q Privileges, stored AppPrivileges) (Result, error) {
	res := Result{All: true}
	var cluster answers
	for _, name := range q.Cluster {
		ok, err := p.ClusterGranted(name)
		if err != nil {
			return Result{}, err
		}
		cluster.put(name, ok)
		res.All = res.All && ok
	}
	res.Cluster = cluster.ordered()
	var index resources
	for _, ic := range q.Index {
		privs := make([]indexPrivilege, 0, len(ic.Privileges))
		names := hashSet(ic.Privileges)
		for _, name := range names {
			priv, err := ResolveIndex(name)
			if err != nil {
				return Result{}, err
			}
			privs = append(privs, priv)
		}
		for _, pattern := range hashSet(ic.Names) {
			req, err := requestIndex(pattern, ic.AllowRestricted)
			if err != nil {
				return Result{}, err
			}
			for i, priv := range privs {
				ok, err := p.checkIndex(req, priv)
				if err != nil {
					return Result{}, err
				}
				index.put(pattern, names[i], ok)
				res.All = res.All && ok
			}
		}
	}
	res.Index = index.sorted()
	var apps []string
	for _, ac := range q.Application {
		apps = appendNew(apps, ac.Application)
	}
	permissions := map[*Role][]*appEntry{}
	for _, app := range hashOrderStrings(apps) {
		var byResource resources
		for _, ac := range q.Application {
			if ac.Application != app {
				continue
			}
			for _, resource := range hashSet(ac.Resources) {
				for _, priv := range hashSet(ac.Privileges) {
					ok, err := p.applicationGranted(app, priv, resource, stored, permissions)
					if err != nil {
						return Result{}, err
					}
					byResource.put(resource, priv, ok)
					res.All = res.All && ok
				}
			}
		}
		res.Application = append(res.Application, AppAnswers{Application: app, Resources: byResource.sorted()})
	}
	return res, nil
}

// checkIndex asks every role of the permission (LimitedRole: both must grant).
func (p Permission) checkIndex(q requestedIndex, priv indexPrivilege) (bool, error) {
	if len(p.roles) == 0 {
		return false, nil
	}
	for _, r := range p.roles {
		ok, err := r.checkIndex(q, priv)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// applicationGranted is ApplicationPermission.checkResourcePrivileges for one privilege and resource,
// on every role: the privilege is resolved against the stored ones like ApplicationPrivilege.get.
// Each role's ApplicationPermission is built once per request, in permissions.
func (p Permission) applicationGranted(app, privilege, resource string, stored AppPrivileges, permissions map[*Role][]*appEntry) (ok bool, err error) {
	defer catch(&err, resource)
	res, err := compilePattern(resource)
	if err != nil {
		return false, err
	}
	asked, err := resolveAppPrivileges(app, []string{privilege}, stored)
	if err != nil {
		return false, err
	}
	if len(p.roles) == 0 {
		return false, nil
	}
	for _, r := range p.roles {
		entries, ok := permissions[r]
		if !ok {
			if entries, err = appPermission(r.apps, stored); err != nil {
				return false, err
			}
			permissions[r] = entries
		}
		for _, a := range asked {
			if !grantsApp(entries, a, res) {
				return false, nil
			}
		}
	}
	return true, nil
}

// hashSet returns the distinct strings of list in the iteration order of the HashSet Elasticsearch
// collects them in (Sets.newHashSet), which decides the order it then inserts them elsewhere.
func hashSet(list []string) []string {
	var set []string
	for _, s := range list {
		set = appendNew(set, s)
	}
	return hashOrderStrings(set)
}

// answers is a HashMap of privilege to answer: a key put again keeps its place.
type answers struct {
	keys []string
	vals map[string]bool
}

func (a *answers) put(k string, v bool) {
	if a.vals == nil {
		a.vals = map[string]bool{}
	}
	if _, ok := a.vals[k]; !ok {
		a.keys = append(a.keys, k)
	}
	a.vals[k] = v
}

func (a *answers) ordered() []Answer {
	out := make([]Answer, 0, len(a.keys))
	for _, k := range hashOrderStrings(a.keys) {
		out = append(out, Answer{k, a.vals[k]})
	}
	return out
}

// resources are the answers by resource; the same privilege asked twice on one resource is granted
// only if every answer grants it (ResourcePrivileges.Builder.addPrivilege).
type resources struct {
	keys []string
	by   map[string]*answers
}

func (r *resources) put(resource, priv string, ok bool) {
	if r.by == nil {
		r.by = map[string]*answers{}
	}
	a := r.by[resource]
	if a == nil {
		a = &answers{}
		r.by[resource] = a
		r.keys = append(r.keys, resource)
	}
	if prev, seen := a.vals[priv]; seen {
		ok = ok && prev
	}
	a.put(priv, ok)
}

func (r *resources) sorted() []ResourceAnswers {
	keys := slices.Clone(r.keys)
	sort.Strings(keys)
	out := make([]ResourceAnswers, 0, len(keys))
	for _, k := range keys {
		out = append(out, ResourceAnswers{Resource: k, Answers: r.by[k].ordered()})
	}
	return out
}
