package esapikeytest

import (
	"slices"
	"strings"
)

// The tokens and application privileges of the store.

func (st *store) addToken(tok string, t *accessToken) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.tokens[tok] = t
}

// token returns the access token's record, or nil.
func (st *store) token(tok string) *accessToken {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.tokens[tok]
}

func (st *store) addRefreshToken(tok string, rt *refreshToken) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.refreshTokens[tok] = rt
}

// useRefreshToken spends a refresh token for client and returns its user, or TokenService's reason
// for refusing it. A token is spent once, whoever asks second.
func (st *store) useRefreshToken(tok, client string) (*user, string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	rt := st.refreshTokens[tok]
	switch {
	case rt == nil:
		return nil, "could not refresh the requested token"
	case rt.client != client:
		return nil, "tokens must be refreshed by the creating client"
	case rt.refreshed:
		return nil, "token has already been refreshed"
	}
	st.refreshTokens[tok] = &refreshToken{user: rt.user, client: rt.client, refreshed: true}
	return rt.user, ""
}

// putAppPrivileges stores application privileges, each replacing the one of its application and
// name, and reports for each whether it is new.
func (st *store) putAppPrivileges(privs []*appPrivilege) []bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	created := make([]bool, len(privs))
	for i, p := range privs {
		m := st.appPrivileges[p.application]
		if m == nil {
			m = map[string]*appPrivilege{}
			st.appPrivileges[p.application] = m
		}
		_, exists := m[p.name]
		m[p.name] = p
		created[i] = !exists
	}
	return created
}

// appPrivilegeActions returns the actions of the stored application privileges of the applications
// name matches: the application itself, or with a trailing '*' every application with that prefix
// (NativePrivilegeStore.getPrivileges).
func (st *store) appPrivilegeActions(name string) map[string]map[string][]string {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := map[string]map[string][]string{}
	prefix, wildcard := strings.CutSuffix(name, "*")
	for app, privs := range st.appPrivileges {
		if app != name && !(wildcard && strings.HasPrefix(app, prefix)) {
			continue
		}
		m := make(map[string][]string, len(privs))
		for n, p := range privs {
			m[n] = p.actions
		}
		out[app] = m
	}
	return out
}

// appPrivilegeList returns the stored privileges of app (every application when app is ""), by
// application and then name, limited to names when there are any.
func (st *store) appPrivilegeList(app string, names []string) []*appPrivilege {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []*appPrivilege
	for _, a := range sortedKeys(st.appPrivileges) {
		if app != "" && a != app {
			continue
		}
		for _, n := range sortedKeys(st.appPrivileges[a]) {
			if len(names) == 0 || slices.Contains(names, n) {
				out = append(out, st.appPrivileges[a][n])
			}
		}
	}
	return out
}

// deleteAppPrivileges removes the named privileges of app and reports for each whether it existed.
func (st *store) deleteAppPrivileges(app string, names []string) []bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	found := make([]bool, len(names))
	for i, n := range names {
		if _, ok := st.appPrivileges[app][n]; ok {
			delete(st.appPrivileges[app], n)
			found[i] = true
		}
	}
	return found
}
