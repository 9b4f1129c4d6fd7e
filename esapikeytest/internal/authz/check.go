package authz

import "sort"

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

// Validate returns the validation messages of the request (PrivilegesToCheck.validate).
func (q Privileges) Validate() []string {
	var msgs []string
	if len(q.Cluster) == 0 && len(q.Index) == 0 && len(q.Application) == 0 {
		msgs = append(msgs, "must specify at least one privilege")
	}
	for _, a := range q.Application {
		if m := ValidateApplicationName(a.Application, false); m != "" {
			msgs = append(msgs, m)
		}
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

// Result is a has-privileges answer (HasPrivilegesResponse).
type Result struct {
	All         bool
	Cluster     []Answer
	Index       []ResourceAnswers // sorted by resource
	Application []AppAnswers      // sorted by application, resources sorted
}

// HasPrivileges answers a has-privileges request. Unknown cluster or index privileges fail the whole
// request, as RBACEngine.checkPrivileges does.
func (p Permission) HasPrivileges(q Privileges, stored AppPrivileges) (Result, error) {
	res := Result{All: true}
	for _, name := range q.Cluster {
		ok, err := p.ClusterGranted(name)
		if err != nil {
			return Result{}, err
		}
		res.Cluster = setAnswer(res.Cluster, name, ok, false)
		res.All = res.All && ok
	}
	for _, ic := range q.Index {
		for _, name := range ic.Names {
			for _, priv := range ic.Privileges {
				ok, err := p.IndexGranted(name, priv, ic.AllowRestricted)
				if err != nil {
					return Result{}, err
				}
				res.Index = addResource(res.Index, name, priv, ok)
				res.All = res.All && ok
			}
		}
	}
	for _, ac := range q.Application {
		i := 0
		for i < len(res.Application) && res.Application[i].Application != ac.Application {
			i++
		}
		if i == len(res.Application) {
			res.Application = append(res.Application, AppAnswers{Application: ac.Application})
		}
		for _, resource := range ac.Resources {
			for _, priv := range ac.Privileges {
				ok, err := p.ApplicationGranted(ac.Application, priv, resource, stored)
				if err != nil {
					return Result{}, err
				}
				res.Application[i].Resources = addResource(res.Application[i].Resources, resource, priv, ok)
				res.All = res.All && ok
			}
		}
	}
	for _, a := range res.Application {
		sortResources(a.Resources)
	}
	sort.SliceStable(res.Application, func(i, j int) bool { return res.Application[i].Application < res.Application[j].Application })
	sortResources(res.Index)
	return res, nil
}

// setAnswer records an answer; a privilege asked twice is granted only if every answer grants it
// (ResourcePrivileges.Builder.addPrivilege), and for cluster entries the last answer wins.
func setAnswer(list []Answer, priv string, ok, and bool) []Answer {
	for i := range list {
		if list[i].Privilege == priv {
			if and {
				list[i].Granted = list[i].Granted && ok
			} else {
				list[i].Granted = ok
			}
			return list
		}
	}
	return append(list, Answer{priv, ok})
}

func addResource(list []ResourceAnswers, resource, priv string, ok bool) []ResourceAnswers {
	for i := range list {
		if list[i].Resource == resource {
			list[i].Answers = setAnswer(list[i].Answers, priv, ok, true)
			return list
		}
	}
	return append(list, ResourceAnswers{Resource: resource, Answers: []Answer{{priv, ok}}})
}

func sortResources(list []ResourceAnswers) {
	sort.SliceStable(list, func(i, j int) bool { return list[i].Resource < list[j].Resource })
}
