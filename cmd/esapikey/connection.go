package main

import (
	"context"
	"encoding/base64"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/esapikey/esapikey"
)

// connFlags are the flags every command takes to reach Elasticsearch.
type connFlags struct {
	url, username       string
	password, token     optString
	passwordFile        string
	tokenFile           string
	caCert, fingerprint string
	runAs, opaqueID     string
	timeout             time.Duration
	dryRun              bool
}

var connFlagNames = map[string]bool{
	"url": true, "username": true, "password": true, "password-file": true, "token": true, "token-file": true,
	"ca-cert": true, "fingerprint": true, "run-as": true, "opaque-id": true, "timeout": true, "dry-run": true,
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.url, "url", "", "Elasticsearch `URL`, or several separated by commas\n(default $ELASTICSEARCH_URL, else http://localhost:9200)")
	fs.StringVar(&c.username, "username", "", "user `NAME` for basic authentication (default $ELASTICSEARCH_USERNAME)")
	fs.StringVar(&c.passwordFile, "password-file", "", "read the password from `FILE` (default: the password in $ELASTICSEARCH_PASSWORD)")
	fs.Var(&c.password, "password", "the `PASSWORD`; other users see it in the process list:\nprefer $ELASTICSEARCH_PASSWORD or --password-file")
	fs.StringVar(&c.tokenFile, "token-file", "", "read a bearer or service account token from `FILE` (default: $ELASTICSEARCH_TOKEN)")
	fs.Var(&c.token, "token", "a bearer or service account `TOKEN`; other users see it in the process list:\nprefer $ELASTICSEARCH_TOKEN or --token-file")
	fs.StringVar(&c.caCert, "ca-cert", "", "trust the PEM certificate authorities in `FILE` (default $ELASTICSEARCH_CA_CERT)")
	fs.StringVar(&c.fingerprint, "fingerprint", "", "trust the CA certificate with this SHA-256 fingerprint, in `HEX`\n(default $ELASTICSEARCH_CERT_FINGERPRINT)")
	fs.StringVar(&c.runAs, "run-as", "", "act as `USER` (header es-security-runas-user) to update that user's keys")
	fs.StringVar(&c.opaqueID, "opaque-id", "", "send `ID` as X-Opaque-Id, to find the call in Elasticsearch's logs")
	fs.DurationVar(&c.timeout, "timeout", time.Minute, "time limit for each request, a `DURATION` such as 30s; 0 for none")
	fs.BoolVar(&c.dryRun, "dry-run", false, "print each request (credentials masked) instead of sending it")
}

// session is a client ready for the calls of one command.
type session struct {
	client *esapikey.Client
	// reader reads keys from the cluster, also in a dry run: a plan needs
	// the key as it is.
	reader  *esapikey.Client
	opts    []esapikey.RequestOption
	timeout time.Duration
	dryRun  bool
	runAs   string
}

// connect builds the client that conn describes. With --dry-run the client
// prints its requests instead of sending them; the configuration is still
// checked in full.
func (a *app) connect(cmd string, conn *connFlags) (*session, error) {
	if conn.timeout < 0 {
		return nil, usagef(cmd, "--timeout must not be negative")
	}
	cfg, err := a.config(cmd, conn)
	if err != nil {
		return nil, err
	}
	reader, err := esapikey.NewClient(cfg)
	if err != nil {
		return nil, usagef(cmd, "%s", a.configError(err, conn, len(cfg.Addresses)))
	}
	client := reader
	if conn.dryRun {
		// The certificates only matter on the wire, and they need the
		// default *http.Transport.
		cfg.CACert, cfg.CertificateFingerprint = nil, ""
		cfg.Transport = &dryRunTransport{w: a.stdout}
		cfg.DisableRetry = true
		if client, err = esapikey.NewClient(cfg); err != nil {
			return nil, usagef(cmd, "%s", strings.TrimPrefix(err.Error(), "esapikey: "))
		}
	}
	s := &session{client: client, reader: reader, timeout: conn.timeout, dryRun: conn.dryRun, runAs: conn.runAs}
	if conn.runAs != "" {
		a.runAs = conn.runAs
		s.opts = append(s.opts, esapikey.WithRunAs(conn.runAs))
	}
	if conn.opaqueID != "" {
		s.opts = append(s.opts, esapikey.WithOpaqueID(conn.opaqueID))
	}
	return s, nil
}

func (a *app) config(cmd string, conn *connFlags) (esapikey.Config, error) {
	var cfg esapikey.Config
	addrs := first(conn.url, a.getenv("ELASTICSEARCH_URL"), "http://localhost:9200")
	for _, addr := range strings.Split(addrs, ",") {
		addr = strings.TrimSpace(addr)
		if u, err := url.Parse(addr); err == nil && u.User != nil {
			a.urlUser = true
			if p, ok := u.User.Password(); ok {
				a.urlSecrets(addr, u.User.Username(), p)
				a.secrets = append(a.secrets, u.User.String())
			}
		}
		cfg.Addresses = append(cfg.Addresses, addr)
	}
	if err := a.credentials(cmd, conn, &cfg); err != nil {
		return cfg, err
	}
	if path := first(conn.caCert, a.getenv("ELASTICSEARCH_CA_CERT")); path != "" {
		pem, err := os.ReadFile(path)
		if err != nil {
			return cfg, usagef(cmd, "--ca-cert: %v", err)
		}
		cfg.CACert = pem
	}
	cfg.CertificateFingerprint = first(conn.fingerprint, a.getenv("ELASTICSEARCH_CERT_FINGERPRINT"))
	return cfg, nil
}

// urlSecrets adds the forms of the credentials of a URL an output could
// show: the password, decoded and as written, the user information as
// written, and the Basic header they are sent as.
func (a *app) urlSecrets(addr, user, pass string) {
	a.secrets = append(a.secrets, pass, base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
	_, rest, _ := strings.Cut(addr, "://")
	if end := strings.IndexAny(rest, "/?#"); end >= 0 {
		rest = rest[:end]
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		info := rest[:at]
		_, rawPass, _ := strings.Cut(info, ":")
		a.secrets = append(a.secrets, info, rawPass)
	}
}

// configError names, in an error of the library's Config ("esapikey:
// config: CertificateFingerprint: ..."), the flag or variable the value came
// from instead of the Go field.
func (a *app) configError(err error, conn *connFlags, addresses int) string {
	msg := strings.TrimPrefix(err.Error(), "esapikey: ")
	rest, ok := strings.CutPrefix(msg, "config: ")
	if !ok {
		return msg
	}
	field, reason, ok := strings.Cut(rest, ": ")
	if !ok {
		return rest
	}
	from := func(flagValue, flagName, env string) string {
		if flagValue != "" {
			return flagName
		}
		return env
	}
	var where string
	switch name, index, _ := strings.Cut(strings.TrimSuffix(field, "]"), "["); name {
	case "Addresses":
		where = from(conn.url, "--url", "ELASTICSEARCH_URL")
		if n, err := strconv.Atoi(index); err == nil && addresses > 1 {
			where += fmt.Sprintf(": address %d", n+1)
		}
	case "CACert":
		where = from(conn.caCert, "--ca-cert", "ELASTICSEARCH_CA_CERT")
	case "CertificateFingerprint":
		where = from(conn.fingerprint, "--fingerprint", "ELASTICSEARCH_CERT_FINGERPRINT")
	case "Username":
		where = from(conn.username, "--username", "ELASTICSEARCH_USERNAME")
	default:
		return rest
	}
	return where + ": " + reason
}

// credentials sets the username and password, or the token. Flags win over
// the environment as a whole: --token ignores ELASTICSEARCH_USERNAME, and
// --username ignores ELASTICSEARCH_TOKEN.
func (a *app) credentials(cmd string, conn *connFlags, cfg *esapikey.Config) error {
	if conn.password.set && conn.passwordFile != "" {
		return usagef(cmd, "give --password or --password-file, not both")
	}
	if conn.token.set && conn.tokenFile != "" {
		return usagef(cmd, "give --token or --token-file, not both")
	}
	basicFlags := conn.username != "" || conn.password.set || conn.passwordFile != ""
	tokenFlags := conn.token.set || conn.tokenFile != ""
	if basicFlags && tokenFlags {
		return usagef(cmd, "give a token or a username and password, not both")
	}
	if !tokenFlags {
		cfg.Username = first(conn.username, a.getenv("ELASTICSEARCH_USERNAME"))
		pass, err := a.secret(cmd, "password", conn.password, conn.passwordFile, "ELASTICSEARCH_PASSWORD")
		if err != nil {
			return err
		}
		cfg.Password = pass
	}
	if !basicFlags {
		token, err := a.secret(cmd, "token", conn.token, conn.tokenFile, "ELASTICSEARCH_TOKEN")
		if err != nil {
			return err
		}
		cfg.Token = token
	}
	a.secrets = append(a.secrets, cfg.Password, cfg.Token)
	if cfg.Username != "" && cfg.Password != "" {
		a.secrets = append(a.secrets, base64.StdEncoding.EncodeToString([]byte(cfg.Username+":"+cfg.Password)))
	}
	switch {
	case cfg.Token != "" && (cfg.Username != "" || cfg.Password != ""):
		return usagef(cmd, "both a token and a username or password are set (check ELASTICSEARCH_TOKEN, "+
			"ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD): give one")
	case cfg.Password != "" && cfg.Username == "":
		return usagef(cmd, "a password needs a username: --username or ELASTICSEARCH_USERNAME")
	case cfg.Username != "" && cfg.Password == "":
		return usagef(cmd, "user %q needs a password: ELASTICSEARCH_PASSWORD or --password-file", cfg.Username)
	}
	a.anonymous = cfg.Token == "" && cfg.Username == "" && !a.urlUser
	return nil
}

// secret reads a password or token from its flag, its file or the
// environment, in that order.
func (a *app) secret(cmd, name string, flagValue optString, file, env string) (string, error) {
	switch {
	case flagValue.set:
		a.errorf("esapikey: warning: --%s is visible to other users in the process list; prefer %s or --%s-file",
			name, env, name)
		if flagValue.value == "" {
			return "", usagef(cmd, "--%s is empty", name)
		}
		return flagValue.value, nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", usagef(cmd, "--%s-file: %v", name, err)
		}
		s := strings.TrimRight(string(b), "\r\n")
		a.secrets = append(a.secrets, s)
		if s == "" || strings.ContainsAny(s, "\r\n") {
			return "", usagef(cmd, "--%s-file %s: want the %s alone on one line", name, file, name)
		}
		return s, nil
	}
	return a.getenv(env), nil
}

// call runs one request within --timeout.
func call[T any](a *app, s *session, f func(ctx context.Context) (T, error)) (T, error) {
	ctx := a.ctx
	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	return f(ctx)
}

// update runs a call that changes keys: from then on, an interruption may
// come after Elasticsearch applied it. A dry run sends nothing.
func update[T any](a *app, s *session, f func(ctx context.Context) (T, error)) (T, error) {
	if !s.dryRun {
		a.sent = true
	}
	return call(a, s, f)
}

// first returns the first non-empty value.
func first(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

// runOne connects, makes one call and prints its answer.
func runOne[T any](a *app, cmd string, conn *connFlags, f func(ctx context.Context, s *session) (*T, error)) error {
	s, err := a.connect(cmd, conn)
	if err != nil {
		return err
	}
	res, err := update(a, s, func(ctx context.Context) (*T, error) { return f(ctx, s) })
	if err != nil {
		return err
	}
	return a.result(s, res)
}
