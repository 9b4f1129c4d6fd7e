package esapikeytest

import (
	"strings"
	"sync"

	"github.com/esapikey/esapikey/esapikeytest/internal/pathtrie"
	"github.com/esapikey/esapikey/esapikeytest/internal/version"
)

// handlerFunc serves a request its route matched: the answer's status and body, or Elasticsearch's error.
type handlerFunc func(s *Server, c *call) (status int, body any, err *esError)

// route is one REST handler as RestController registers it: a method and a path pattern, the URL
// parameters it reads and the releases that have it.
type route struct {
	method  string
	pattern string // segments separated by '/'; a {name} segment matches any one segment
	handle  handlerFunc
	params  []urlParam // query parameters the route reads beside the common ones
	// feature names the releases that serve the route (version.Has); anyRelease for all of them.
	feature version.Feature
}

// urlParam is a URL parameter a route reads; feature names the releases whose handler reads it.
type urlParam struct {
	name    string
	feature version.Feature
}

// anyRelease stands for the feature of what every release has.
const anyRelease version.Feature = 0

// hasAt reports whether release v has f, anyRelease included.
func hasAt(v version.Version, f version.Feature) bool {
	return f == anyRelease || v.Has(f)
}

// names are parameters every release reads.
func names(list ...string) []urlParam {
	out := make([]urlParam, len(list))
	for i, n := range list {
		out[i] = urlParam{n, anyRelease}
	}
	return out
}

// routes lists the routes of every release. Their order does not matter: a path is looked up as
// Elasticsearch's PathTrie does (internal/pathtrie), so a literal segment such as _bulk_update wins
// over {ids}. A release without a route's feature does not have the route at all, so that the path
// answers what that release answers: another route's 405, or "no handler found".
var routes = []route{
	{"GET", "", (*Server).root, nil, anyRelease},
	{"HEAD", "", (*Server).root, nil, anyRelease},
	{"GET", "_security/_authenticate", (*Server).authenticateRoute, nil, anyRelease},
	{"GET", "_security/user", (*Server).getUsers, nil, anyRelease},
	{"GET", "_security/role", (*Server).getRoles, nil, anyRelease},
	{"POST", "_security/api_key", (*Server).createKey, refresh, anyRelease},
	{"PUT", "_security/api_key", (*Server).createKey, refresh, anyRelease},
	{"GET", "_security/api_key", (*Server).getKeys, getKeyParams, anyRelease},
	{"DELETE", "_security/api_key", (*Server).invalidateKeys, nil, anyRelease},
	{"GET", "_security/_query/api_key", (*Server).queryKeys, queryParams, anyRelease},
	{"POST", "_security/_query/api_key", (*Server).queryKeys, queryParams, anyRelease},
	{"POST", "_security/api_key/_bulk_update", (*Server).bulkUpdate, nil, version.RouteBulkUpdate},
	{"POST", "_security/cross_cluster/api_key", (*Server).createCCKey, nil, version.RouteCrossCluster},
	{"GET", "_security/user/_has_privileges", (*Server).hasPrivileges, nil, anyRelease},
	{"POST", "_security/user/_has_privileges", (*Server).hasPrivileges, nil, anyRelease},
	{"GET", "_security/user/_privileges", (*Server).userPrivileges, nil, anyRelease},
	{"GET", "_security/user/{username}/_has_privileges", (*Server).hasPrivileges, nil, anyRelease},
	{"POST", "_security/user/{username}/_has_privileges", (*Server).hasPrivileges, nil, anyRelease},
	{"PUT", "_security/privilege", (*Server).putPrivileges, refresh, anyRelease},
	{"POST", "_security/privilege", (*Server).putPrivileges, refresh, anyRelease},
	{"GET", "_security/privilege", (*Server).getPrivileges, nil, anyRelease},
	{"GET", "_security/privilege/{application}", (*Server).getPrivileges, nil, anyRelease},
	{"GET", "_security/privilege/{application}/{privilege}", (*Server).getPrivileges, nil, anyRelease},
	{"DELETE", "_security/privilege/{application}/{privilege}", (*Server).deletePrivileges, refresh, anyRelease},
	{"GET", "_security/user/{username}", (*Server).getUsers, nil, anyRelease},
	{"PUT", "_security/user/{username}", (*Server).putUser, refresh, anyRelease},
	{"POST", "_security/user/{username}", (*Server).putUser, refresh, anyRelease},
	{"DELETE", "_security/user/{username}", (*Server).deleteUser, refresh, anyRelease},
	{"GET", "_security/role/{name}", (*Server).getRoles, nil, anyRelease},
	{"PUT", "_security/role/{name}", (*Server).putRole, refresh, anyRelease},
	{"POST", "_security/role/{name}", (*Server).putRole, refresh, anyRelease},
	{"DELETE", "_security/role/{name}", (*Server).deleteRole, refresh, anyRelease},
	{"PUT", "_security/api_key/{ids}", (*Server).updateKey, nil, version.RouteUpdate},
	{"PUT", "_security/cross_cluster/api_key/{id}", (*Server).updateCCKey, nil, version.RouteCrossCluster},
	{"GET", "_cluster/health", (*Server).clusterHealth, names(healthParams...), anyRelease},
	{"GET", "_cluster/health/{index}", (*Server).clusterHealth, names(healthParams...), anyRelease},
	{"POST", "_security/api_key/{ids}/_clear_cache", (*Server).clearKeyCache, nil, anyRelease},
	{"POST", "_security/api_key/grant", (*Server).grantKey, refresh, anyRelease},
	{"PUT", "_security/api_key/grant", (*Server).grantKey, refresh, anyRelease},
	{"POST", "_security/oauth2/token", (*Server).createToken, nil, anyRelease},
}

// reserved are literal paths Elasticsearch serves and this server does not (yet). They sit in the
// trie without methods, so they answer "no handler found" like an unknown path instead of falling
// through to a {name} route: POST /_security/user/_has_privileges must never be put-user.
var reserved = []string{
	"_security/user/_has_privileges",
	"_security/user/{username}/_has_privileges",
	"_security/user/_privileges",
	"_security/user/_password",
	"_security/user/{username}/_password",
	"_security/_query/api_key",
	"_security/privilege",
	"_security/privilege/_builtin",
	"_security/privilege/{application}",
	"_security/privilege/{application}/{privilege}",
	"_security/privilege/{application}/_clear_cache",
	"_security/role/{name}/_clear_cache",
}

var refresh = names("refresh")

// getKeyParams are the parameters of RestGetApiKeyAction, each from the release that reads it.
var getKeyParams = append(names("id", "name", "username", "realm_name", "owner"),
	urlParam{"with_limited_by", version.GetWithLimitedBy},
	urlParam{"active_only", version.GetActiveOnly},
	urlParam{"with_profile_uid", version.GetWithProfileUID})

// queryParams are the parameters of RestQueryApiKeyAction, each from the release that reads it.
var queryParams = []urlParam{
	{"with_limited_by", version.QueryWithLimitedBy},
	{"with_profile_uid", version.QueryWithProfileUID},
	{"typed_keys", version.QueryTypedKeys},
}

// commonParams are read for every request: error_trace by RestController, the others by the
// answer's channel. (Elasticsearch's channel also reads format, which picks the answer's content
// type; this server answers JSON only and does not read it.)
var commonParams = []string{"pretty", "human", "error_trace", "filter_path"}

// methodOrder is the order of Elasticsearch's RestRequest.Method, used to list allowed methods.
var methodOrder = []string{"GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT"}

// methodHandlers are the routes of one path by method, like RestController's MethodHandlers.
type methodHandlers map[string]*route

// paramsAt are the URL parameters the route's handler reads at release v, which are those a request
// may give: the route's own, its path's {names} (PathTrie puts them among the request's
// parameters, where the handler reads them) and the common ones.
func (rt *route) paramsAt(v version.Version) []string {
	var out []string
	for _, p := range rt.params {
		if hasAt(v, p.feature) {
			out = append(out, p.name)
		}
	}
	for _, seg := range strings.Split(rt.pattern, "/") {
		if name, ok := strings.CutPrefix(seg, "{"); ok {
			out = append(out, strings.TrimSuffix(name, "}"))
		}
	}
	return append(out, commonParams...)
}

// routeTries holds a trie for each set of routes a release serves, keyed by which routes those are:
// a handful of releases differ in their routes, and servers are made by the thousand in test suites.
var routeTries sync.Map // string -> *pathtrie.Trie[methodHandlers]

// routesAt returns the trie of the routes release v serves, with the reserved paths.
func routesAt(v version.Version) *pathtrie.Trie[methodHandlers] {
	key := make([]byte, len(routes))
	for i := range routes {
		key[i] = '0'
		if hasAt(v, routes[i].feature) {
			key[i] = '1'
		}
	}
	if t, ok := routeTries.Load(string(key)); ok {
		return t.(*pathtrie.Trie[methodHandlers])
	}
	t, _ := routeTries.LoadOrStore(string(key), buildTrie(v))
	return t.(*pathtrie.Trie[methodHandlers])
}

func buildTrie(v version.Version) *pathtrie.Trie[methodHandlers] {
	t := pathtrie.New[methodHandlers]()
	merge := func(old, add methodHandlers) methodHandlers {
		out := methodHandlers{}
		for _, m := range []methodHandlers{old, add} {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}
	for _, p := range reserved {
		t.Update("/"+p, methodHandlers{}, merge)
	}
	for i := range routes {
		if rt := &routes[i]; hasAt(v, rt.feature) {
			t.Update("/"+rt.pattern, methodHandlers{rt.method: rt}, merge)
		}
	}
	return t
}
