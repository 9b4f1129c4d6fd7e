package esapikeytest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

// APIKey is a key as Create API key answers it.
type APIKey struct {
	ID   string
	Name string
	// Key is the secret (api_key in the answer); Encoded is base64(ID:Key), for "Authorization: ApiKey <Encoded>".
	Key        string
	Encoded    string
	Expiration time.Time // zero when the key never expires
}

// Format prints the key with its secret masked, whatever the verb, so that a
// test logging a key (t.Logf("%v", key)) never writes the secret to its output;
// use the fields themselves to send it.
func (k APIKey) Format(f fmt.State, _ rune) {
	quoted := func(s string) string {
		if s == "" {
			return `""`
		}
		return s
	}
	fmt.Fprintf(f, "esapikeytest.APIKey{ID:%q Name:%q Key:%s Encoded:%s Expiration:%s}",
		k.ID, k.Name, quoted(maskSecret(k.Key)), quoted(maskSecret(k.Encoded)), k.Expiration.Format(time.RFC3339Nano))
}

// MarshalJSON writes the key with Key and Encoded masked, as Format prints it, so that json.Marshal
// and slog's JSON handler never write its secret; use the fields themselves to send it. The fields
// keep their names and the zero Expiration is written, as without the method.
func (k APIKey) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID, Name, Key, Encoded string
		Expiration             time.Time
	}{k.ID, k.Name, maskSecret(k.Key), maskSecret(k.Encoded), k.Expiration})
}

// maskSecret hides a secret that is set and keeps an empty one empty.
func maskSecret(s string) string {
	if s == "" {
		return ""
	}
	return "****"
}

// StoredKey is a key as the server stores it, for tests that inspect what an update did.
type StoredKey struct {
	ID          string
	Name        string
	Type        string // "rest" or "cross_cluster"
	Owner       string
	Realm       string
	Creation    time.Time
	Expiration  time.Time // zero when the key never expires
	Invalidated bool
	// RoleDescriptors are the key's own descriptors by name, rendered as GET /_security/api_key does;
	// empty when the key inherits its owner's permissions.
	RoleDescriptors map[string]json.RawMessage
	// LimitedBy is the snapshot of the owner's roles taken at creation or the last update.
	LimitedBy map[string]json.RawMessage
	// Metadata is nil when the key was never given metadata, and empty after "metadata": {}. It holds
	// what GET /_security/api_key shows: numbers are json.Number with the text Elasticsearch renders
	// (large integers whole, 1.00 as 1.0), objects map[string]any, arrays []any.
	Metadata            map[string]any
	CertificateIdentity string
}

// helperError turns an Elasticsearch error into the *Error a helper returns: status, type, reason
// and the whole cause chain. A nil error stays an untyped nil.
func helperError(e *esError) error {
	if e == nil {
		return nil
	}
	return exported(e)
}

// AddUser adds (or replaces) a user in the native realm default_native, as PUT /_security/user does.
// Roles need not exist yet. As in Elasticsearch, a reserved username (elastic, kibana_system, …) and a
// password shorter than 6 characters are refused: an *Error with the status, type and reason of PUT
// /_security/user.
func (s *Server) AddUser(name, password string, roles ...string) error {
	if slices.Contains(reservedUsers, name) {
		return helperError(validationFailed([]string{"Username [" + name + "] is reserved and may not be used."}))
	}
	return s.AddUserInRealm(nativeRealm.name, name, password, roles...)
}

// AddUserInRealm adds (or replaces) a user in another realm, e.g. "default_file", to have the same
// username in two realms. The realm type is the name without its "default_" prefix. A password
// shorter than 6 characters is an *Error, as for AddUser.
func (s *Server) AddUserInRealm(realmName, name, password string, roles ...string) error {
	switch {
	case name == "" || realmName == "" || realmName == apiKeyRealm.name:
		return errors.New("esapikeytest: a user needs a name and a realm")
	case len(password) < 6:
		return helperError(validationFailed([]string{"passwords must be at least [6] characters long"}))
	}
	s.st.putUser(&user{username: name, password: password, realm: realmNamed(realmName),
		roles: append([]string{}, roles...), enabled: true})
	return nil
}

// PutRole adds or replaces a role from its JSON body, as PUT /_security/role/{name} does. A body
// Elasticsearch would refuse is an *Error with its status, error type, reason and causes.
func (s *Server) PutRole(name, roleJSON string) error {
	d, err := parseDoc([]byte(roleJSON))
	if err != nil {
		return helperError(err)
	}
	if d.Root == nil {
		return helperError(badRequest("parse_exception", "request body is required"))
	}
	rd, err := parseRoleDescriptor(d, name, d.Root, roleContext{})
	if err != nil {
		return helperError(err)
	}
	if msgs := validateRole(rd); len(msgs) > 0 {
		return helperError(validationFailed(msgs))
	}
	s.st.putRole(rd)
	return nil
}

// CreateAPIKey creates a key for owner from a Create API key body (name, role_descriptors, metadata,
// expiration), as if owner had called POST /_security/api_key. A body Elasticsearch would refuse is
// an *Error with its status, error type, reason and causes (a role that does not parse names its
// field in a cause); an owner that is not a user of the server is a plain error.
func (s *Server) CreateAPIKey(owner, body string) (APIKey, error) {
	return s.createHelper(owner, body, createSpec, "rest")
}

// CreateCrossClusterAPIKey creates a cross-cluster key for owner from a body with name, access,
// expiration and metadata, as POST /_security/cross_cluster/api_key does. Errors are as for
// CreateAPIKey.
func (s *Server) CreateCrossClusterAPIKey(owner, body string) (APIKey, error) {
	return s.createHelper(owner, body, createCCSpec, "cross_cluster")
}

func (s *Server) createHelper(owner, body string, spec payloadSpec, typ string) (APIKey, error) {
	c := &call{body: []byte(body)}
	p, err := c.parse(spec, true)
	if err != nil {
		return APIKey{}, helperError(err)
	}
	if msgs := append(p.validateName(), p.validateKeyRequest()...); len(msgs) > 0 {
		return APIKey{}, helperError(validationFailed(msgs))
	}
	if err := checkRestrictions(p.roles); err != nil {
		return APIKey{}, helperError(err)
	}
	u := s.st.lookup(owner)
	if u == nil {
		return APIKey{}, fmt.Errorf("esapikeytest: no user [%s]", owner)
	}
	var limitedBy []roleDesc
	if typ == "rest" {
		limitedBy, _ = s.st.rolesOf(u)
	} else {
		p.roles = []roleDesc{p.access.descriptor()}
	}
	k := s.newKey(u, typ, p, limitedBy)
	return APIKey{ID: k.id, Name: k.name, Key: k.secret, Encoded: encoded(k), Expiration: k.expiration}, nil
}

// InvalidateAPIKey invalidates a key, as DELETE /_security/api_key does. Invalidating twice is not an
// error; an id with no key is.
func (s *Server) InvalidateAPIKey(id string) error {
	now := s.now()
	errs := s.st.change([]string{id}, func(id string, k *apiKey) (*apiKey, *esError) {
		switch {
		case k == nil:
			return nil, notFound("no API key [%s]", id)
		case k.invalidated:
			return nil, nil
		}
		return k.invalidatedAt(now), nil
	})
	if errs[0] != nil {
		return fmt.Errorf("esapikeytest: no API key [%s]", id)
	}
	return nil
}

// APIKey returns the stored state of a key, and false if there is no key with that id.
func (s *Server) APIKey(id string) (StoredKey, bool) {
	k := s.st.key(id)
	if k == nil {
		return StoredKey{}, false
	}
	sk := StoredKey{
		ID: k.id, Name: k.name, Type: k.typ, Owner: k.owner, Realm: k.realm.name,
		Creation: k.creation, Expiration: k.expiration, Invalidated: k.invalidated,
		RoleDescriptors: roleMap(k.roles), LimitedBy: roleMap(k.limitedBy),
	}
	// Decoded afresh, so a test cannot change the store through the map; numbers are json.Number
	// with the text GET /_security/api_key shows.
	sk.Metadata = k.metadata()
	if k.certIdentity != nil {
		sk.CertificateIdentity = *k.certIdentity
	}
	return sk, true
}
