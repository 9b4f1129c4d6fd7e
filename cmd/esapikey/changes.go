package main

import (
	"flag"

	"github.com/esapikey/esapikey"
)

// changeFlags are the flags that say what an update changes.
type changeFlags struct {
	roles            optString
	removePrivileges bool
	metadata         optString
	clearMetadata    bool
	expiration       optString
}

func (c *changeFlags) registerRoles(fs *flag.FlagSet) {
	fs.Var(&c.roles, "role-descriptors", "replace the key's roles with those in `FILE` (- for stdin, or inline JSON):\n"+
		`{"role-name":{"cluster":[...],"indices":[{"names":[...],"privileges":[...]}]}}`)
	fs.BoolVar(&c.removePrivileges, "remove-privileges", false,
		"remove the key's roles (sends \"role_descriptors\":{}): the key gets its owner's full permissions")
}

func (c *changeFlags) registerMetadata(fs *flag.FlagSet) {
	fs.Var(&c.metadata, "metadata", "replace the key's metadata with this `JSON` object, or @FILE, or - for stdin")
	fs.BoolVar(&c.clearMetadata, "clear-metadata", false, "replace the key's metadata with {}")
	fs.Var(&c.expiration, "expiration", "expire the key this `DURATION` from now: a whole number and a unit\n"+
		"of nanos, micros, ms, s, m, h, d, such as 30d or 12h (an expiration cannot be removed)")
}

// roleDescriptors returns nil (unchanged), an empty map (remove) or the
// roles read from --role-descriptors.
func (a *app) roleDescriptors(cmd string, c *changeFlags) (map[string]esapikey.RoleDescriptor, error) {
	switch {
	case c.roles.set && c.removePrivileges:
		return nil, usagef(cmd, "give --role-descriptors or --remove-privileges, not both")
	case c.removePrivileges:
		return map[string]esapikey.RoleDescriptor{}, nil
	case !c.roles.set:
		return nil, nil
	}
	data, err := a.readJSONArg(cmd, "role-descriptors", c.roles.value, true)
	if err != nil {
		return nil, err
	}
	var rds map[string]esapikey.RoleDescriptor
	if err := decodeExact(cmd, "role-descriptors", data, &rds); err != nil {
		return nil, err
	}
	if len(rds) == 0 {
		// {} gives the key its owner's full permissions: say it with a flag.
		return nil, usagef(cmd, "--role-descriptors: no roles; to remove them all, which gives the key "+
			"its owner's full permissions, use --remove-privileges")
	}
	return rds, nil
}

// metadataChange returns nil (unchanged), an empty map (clear) or the
// metadata of --metadata.
func (a *app) metadataChange(cmd string, c *changeFlags) (esapikey.Metadata, error) {
	switch {
	case c.metadata.set && c.clearMetadata:
		return nil, usagef(cmd, "give --metadata or --clear-metadata, not both")
	case c.clearMetadata:
		return esapikey.Metadata{}, nil
	case !c.metadata.set:
		return nil, nil
	}
	data, err := a.readJSONArg(cmd, "metadata", c.metadata.value, false)
	if err != nil {
		return nil, err
	}
	md := esapikey.Metadata{}
	if err := decodeObject(cmd, "metadata", data, &md); err != nil {
		return nil, err
	}
	return md, nil
}

// expirationChange returns --expiration; the library checks its form.
func expirationChange(cmd string, c *changeFlags) (esapikey.Duration, error) {
	if c.expiration.set && c.expiration.value == "" {
		return "", usagef(cmd, "--expiration is empty; an expiration can be changed, not removed")
	}
	return esapikey.Duration(c.expiration.value), nil
}
