package esapikeytest

import (
	"encoding/json"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/esapikey/esapikey/esapikeytest/internal/query"
)

// realm identifies where a user comes from; ownership of a key is username plus realm name.
type realm struct{ name, typ string }

var (
	reservedRealm = realm{"reserved", "reserved"}
	fileRealm     = realm{"default_file", "file"}
	nativeRealm   = realm{"default_native", "native"}
	apiKeyRealm   = realm{"_es_api_key", "_es_api_key"}
)

// realmNamed returns the realm of that name, deriving the type from the default_<type> convention.
func realmNamed(name string) realm {
	if name == reservedRealm.name {
		return reservedRealm
	}
	return realm{name, strings.TrimPrefix(name, "default_")}
}

// user is a stored user. It is never changed once stored: a put stores a new one.
type user struct {
	username string
	realm    realm
	password string
	roles    []string
	fullName *string
	email    *string
	metadata map[string]any
	enabled  bool
}

// details is what Elasticsearch stores of the creator beside the name and realm; a change makes the
// next update of the user's keys an actual update.
func (u *user) details() string {
	return string(canonical([]any{u.fullName, u.email, u.metadata}))
}

// owner is who owns a key: a username in a realm.
type owner struct{ username, realm string }

// apiKey is one version of a stored key. A version is never changed once stored: an update or an
// invalidation stores a new version in its place, so a request may keep reading the version it
// found without holding the store's lock.
type apiKey struct {
	seq          int // creation order, from 1; order[seq-1] holds the current version
	id, name     string
	secret       string
	typ          string // "rest" or "cross_cluster"
	creation     time.Time
	expiration   time.Time // zero: never
	invalidated  bool
	invalidation time.Time
	owner        string
	realm        realm
	metadataJSON string // canonical JSON of the metadata, as GET renders it; "" when never set
	roles        []roleDesc
	limitedBy    []roleDesc
	details      string
	access       *ccAccess
	certIdentity *string
	// flat is the metadata as _query/api_key indexes it, shared by the versions with the same
	// metadata; doc is this version's query document. Both are built on first use.
	flat *lazyFlat
	doc  *lazyDoc
}

type lazyFlat struct {
	once sync.Once
	flat query.Flat
}

type lazyDoc struct {
	once sync.Once
	doc  *query.Doc
}

// next returns a copy of the key to change and store as its next version. The copy gets its own
// query document; the flattened metadata stays shared until the metadata changes.
func (k *apiKey) next() *apiKey {
	n := *k
	n.doc = &lazyDoc{}
	return &n
}

// setMetadata replaces the metadata of a version that is not stored yet by its canonical JSON.
func (k *apiKey) setMetadata(canonicalJSON string) {
	k.metadataJSON, k.flat = canonicalJSON, &lazyFlat{}
}

// metadata decodes the key's metadata, numbers as json.Number with the text GET renders; nil when
// it was never set.
func (k *apiKey) metadata() map[string]any {
	if k.metadataJSON == "" {
		return nil
	}
	var md map[string]any
	dec := json.NewDecoder(strings.NewReader(k.metadataJSON))
	dec.UseNumber()
	_ = dec.Decode(&md) // canonical JSON written by the server
	return md
}

// queryDoc is the key's document for _query/api_key. Its Lucene doc id is its place in creation
// order, as keys are never deleted from the security index; Ref is the same place.
func (k *apiKey) queryDoc() *query.Doc {
	k.doc.once.Do(func() {
		k.flat.once.Do(func() { k.flat.flat = query.Flatten(k.metadata()) })
		d := query.Doc{ID: k.id, Name: k.name, Type: k.typ, Username: k.owner, Realm: k.realm.name,
			Creation: k.creation.UnixMilli(), Invalidated: k.invalidated, Metadata: k.flat.flat,
			Seq: k.seq - 1, Ref: k.seq - 1}
		if !k.expiration.IsZero() {
			d.Expiration, d.HasExpiration = k.expiration.UnixMilli(), true
		}
		if k.invalidated {
			d.Invalidation, d.HasInvalidation = k.invalidation.UnixMilli(), true
		}
		k.doc.doc = &d
	})
	return k.doc.doc
}

// expired is the update check (ApiKeyService: the key is expired once now is after its expiration).
func (k *apiKey) expired(now time.Time) bool {
	return !k.expiration.IsZero() && now.After(k.expiration)
}

// expiredForAuth is the authentication check, which refuses a key from its expiration instant on
// (ApiKeyService.validateApiKeyExpiration: the key is valid only while now is before it).
func (k *apiKey) expiredForAuth(now time.Time) bool {
	return !k.expiration.IsZero() && !now.Before(k.expiration)
}

func (k *apiKey) ownedBy(u *user) bool {
	return k.owner == u.username && k.realm.name == u.realm.name
}

// store holds the security index: users, roles, API keys, tokens and application privileges. Its
// methods hold its lock while they read or write its maps and no longer, and nothing they do can run
// long; the users, roles and key versions they hand out never change afterwards, so callers read them
// without the lock. Work that grows with a request (parsing, compiling roles, evaluating privileges,
// running a query, rendering) happens outside.
type store struct {
	mu     sync.RWMutex
	realms []realm // the realm chain, in authentication order
	users  map[realm]map[string]*user
	roles  map[string]roleDesc
	keys   map[string]*apiKey
	order  []*apiKey // the current version of every key, in creation order
	// byName and byOwner index order, so that by-name and by-owner requests do not scan every key.
	byName  map[string][]int
	byOwner map[owner][]int
	tokens  map[string]*accessToken // by access token
	// refreshTokens are the refresh tokens of password grants.
	refreshTokens map[string]*refreshToken
	// appPrivileges are the application privileges by application and name (PUT /_security/privilege).
	appPrivileges map[string]map[string]*appPrivilege
}

func newStore() *store {
	return &store{
		realms:        []realm{reservedRealm, fileRealm, nativeRealm},
		users:         map[realm]map[string]*user{},
		roles:         map[string]roleDesc{"superuser": superuserRole()},
		keys:          map[string]*apiKey{},
		byName:        map[string][]int{},
		byOwner:       map[owner][]int{},
		tokens:        map[string]*accessToken{},
		refreshTokens: map[string]*refreshToken{},
		appPrivileges: map[string]map[string]*appPrivilege{},
	}
}

// superuserRole is the built-in superuser role descriptor (ReservedRolesStore): the same index
// privileges on every remote cluster, and every supported remote-cluster privilege.
func superuserRole() roleDesc {
	all := []string{"all"}
	readAll := []string{"monitor", "read", "view_index_metadata", "read_cross_cluster"}
	anyCluster := []string{"*"}
	body := ordered{
		{"cluster", all},
		{"indices", []ordered{
			{{"names", []string{"*"}}, {"privileges", all}, {"allow_restricted_indices", false}},
			{{"names", []string{"*"}}, {"privileges", readAll}, {"allow_restricted_indices", true}},
		}},
		{"applications", []ordered{{{"application", "*"}, {"privileges", []string{"*"}}, {"resources", []string{"*"}}}}},
		{"run_as", []string{"*"}},
		{"metadata", map[string]any{"_reserved": true}},
		{"transient_metadata", map[string]any{"enabled": true}},
		{"remote_indices", []ordered{
			{{"names", []string{"*"}}, {"privileges", all}, {"allow_restricted_indices", false}, {"clusters", anyCluster}},
			{{"names", []string{"*"}}, {"privileges", readAll}, {"allow_restricted_indices", true}, {"clusters", anyCluster}},
		}},
		{"remote_cluster", []ordered{{{"privileges", remoteClusterPrivileges}, {"clusters", anyCluster}}}},
	}
	return roleDesc{name: "superuser", cluster: all, runAs: []string{"*"}, privileged: true, body: canonical(body)}
}

// Users.

// putUser stores u, replacing the user of that name in its realm, and reports whether it is new.
func (st *store) putUser(u *user) (created bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if !containsRealm(st.realms, u.realm) {
		st.realms = append(st.realms, u.realm)
	}
	m := st.users[u.realm]
	if m == nil {
		m = map[string]*user{}
		st.users[u.realm] = m
	}
	_, exists := m[u.username]
	m[u.username] = u
	return !exists
}

func containsRealm(list []realm, r realm) bool {
	for _, have := range list {
		if have == r {
			return true
		}
	}
	return false
}

// deleteUser removes a user of a realm and reports whether there was one.
func (st *store) deleteUser(r realm, name string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, ok := st.users[r][name]
	delete(st.users[r], name)
	return ok
}

// user returns the user of that name in a realm, or nil.
func (st *store) user(r realm, name string) *user {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.users[r][name]
}

// lookup finds a user by name along the realm chain.
func (st *store) lookup(name string) *user {
	st.mu.RLock()
	defer st.mu.RUnlock()
	for _, r := range st.realms {
		if u := st.users[r][name]; u != nil {
			return u
		}
	}
	return nil
}

// enabledUsers returns the enabled users of that name along the realm chain, the candidates of a
// password check.
func (st *store) enabledUsers(name string) []*user {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []*user
	for _, r := range st.realms {
		if u := st.users[r][name]; u != nil && u.enabled {
			out = append(out, u)
		}
	}
	return out
}

// usersIn returns the users of the realms, realm by realm, sorted by name.
func (st *store) usersIn(realms ...realm) []*user {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out []*user
	for _, r := range realms {
		for _, name := range sortedKeys(st.users[r]) {
			out = append(out, st.users[r][name])
		}
	}
	return out
}

// Roles.

// putRole stores a role and reports whether it is new.
func (st *store) putRole(rd roleDesc) (created bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, exists := st.roles[rd.name]
	st.roles[rd.name] = rd
	return !exists
}

// deleteRole removes a role and reports whether there was one.
func (st *store) deleteRole(name string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	_, ok := st.roles[name]
	delete(st.roles, name)
	return ok
}

// roleList returns every role, sorted by name.
func (st *store) roleList() []roleDesc {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]roleDesc, 0, len(st.roles))
	for _, name := range sortedKeys(st.roles) {
		out = append(out, st.roles[name])
	}
	return out
}

// rolesOf resolves a user's roles, each name once as Elasticsearch resolves a set of names: the
// descriptors found, sorted by name, and the names not found.
func (st *store) rolesOf(u *user) (found []roleDesc, missing []string) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	seen := make(map[string]bool, len(u.roles))
	for _, name := range u.roles {
		if seen[name] {
			continue
		}
		seen[name] = true
		if rd, ok := st.roles[name]; ok {
			found = append(found, rd)
		} else {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return sortRoles(found), missing
}

func roleMap(rds []roleDesc) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(rds))
	for _, rd := range rds {
		m[rd.name] = rd.body
	}
	return m
}
