package esapikeytest

import (
	"encoding/json"
	"sort"
	"strings"
	"time"
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

type apiKey struct {
	seq          int
	id, name     string
	secret       string
	typ          string // "rest" or "cross_cluster"
	creation     time.Time
	expiration   time.Time // zero: never
	invalidated  bool
	invalidation time.Time
	owner        string
	realm        realm
	metadata     map[string]any // nil: never set
	metadataJSON string         // canonical form of metadata
	roles        []roleDesc
	limitedBy    []roleDesc
	details      string
	access       *ccAccess
	certIdentity *string
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

// store holds the security index. It is guarded by Server.mu.
type store struct {
	realms []realm // the realm chain, in authentication order
	users  map[realm]map[string]*user
	roles  map[string]roleDesc
	keys   map[string]*apiKey
	order  []*apiKey // creation order
	seq    int
	tokens map[string]*accessToken // by access token; made on first use
	// refreshTokens are the refresh tokens of password grants; made on first use.
	refreshTokens map[string]*refreshToken
	nodeID        string // the id of the one node, made on first use
	// appPrivileges are the application privileges by application and name (PUT /_security/privilege).
	appPrivileges map[string]map[string]*appPrivilege
}

func newStore() *store {
	return &store{
		realms: []realm{reservedRealm, fileRealm, nativeRealm},
		users:  map[realm]map[string]*user{},
		roles:  map[string]roleDesc{"superuser": superuserRole()},
		keys:   map[string]*apiKey{},
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

func (st *store) addRealm(r realm) {
	for _, have := range st.realms {
		if have == r {
			return
		}
	}
	st.realms = append(st.realms, r)
}

func (st *store) putUser(u *user) (created bool) {
	st.addRealm(u.realm)
	m := st.users[u.realm]
	if m == nil {
		m = map[string]*user{}
		st.users[u.realm] = m
	}
	_, exists := m[u.username]
	m[u.username] = u
	return !exists
}

// lookup finds a user by name along the realm chain.
func (st *store) lookup(name string) *user {
	for _, r := range st.realms {
		if u := st.users[r][name]; u != nil {
			return u
		}
	}
	return nil
}

// rolesOf resolves a user's roles: the descriptors found, sorted by name, and the names not found.
func (st *store) rolesOf(u *user) (found []roleDesc, missing []string) {
	for _, name := range u.roles {
		if rd, ok := st.roles[name]; ok {
			found = append(found, rd)
		} else {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	return sortRoles(found), missing
}

func (st *store) addKey(k *apiKey) {
	st.seq++
	k.seq = st.seq
	st.keys[k.id] = k
	st.order = append(st.order, k)
}

// inCreationOrder sorts keys as they were created.
func inCreationOrder(keys []*apiKey) []*apiKey {
	sort.Slice(keys, func(i, j int) bool { return keys[i].seq < keys[j].seq })
	return keys
}

func roleMap(rds []roleDesc) map[string]json.RawMessage {
	m := make(map[string]json.RawMessage, len(rds))
	for _, rd := range rds {
		m[rd.name] = rd.body
	}
	return m
}
