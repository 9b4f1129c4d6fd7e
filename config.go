package esapikey

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/elastic/elastic-transport-go/v8/elastictransport"
)

// Config configures NewClient. The zero value talks to ELASTICSEARCH_URL, or
// to http://localhost:9200 when it is unset, without credentials.
type Config struct {
	// Addresses are the node URLs, such as "https://es:9200" or, behind a
	// proxy, "https://proxy/es". Credentials in a URL are used as Username
	// and Password. Default: the comma-separated ELASTICSEARCH_URL, else
	// http://localhost:9200.
	Addresses []string
	// CloudID is the Cloud ID of an Elastic Cloud deployment
	// ("name:base64"), decoded to the deployment's Elasticsearch URL as
	// go-elasticsearch decodes it. Set it or Addresses, not both.
	CloudID string

	// Username and Password authenticate with HTTP Basic. They are the API
	// key owner's, or a user's that runs as the owner (WithRunAs).
	Username string
	Password string
	// Token is sent as "Authorization: Bearer": a service account token or
	// an access token.
	Token string
	// APIKey is an encoded API key (the "encoded" value Elasticsearch
	// returns on creation: base64 of id:api_key), sent as
	// "Authorization: ApiKey <APIKey>". Elasticsearch refuses updates from an
	// API key as itself; one that runs as a user (WithRunAs, with the run_as
	// privilege) may update that user's keys.
	//
	// Set one of Username/Password, Token and APIKey.
	APIKey string

	// Header is sent with every request.
	Header http.Header

	// CACert is a PEM bundle of certificate authorities to trust, for a
	// cluster with a self-signed certificate.
	CACert []byte
	// CertificateFingerprint is the hex SHA-256 fingerprint of the cluster's
	// CA certificate (colons allowed), as Elasticsearch prints it on first start.
	CertificateFingerprint string

	// Transport carries the HTTP requests; default: a clone of
	// http.DefaultTransport that keeps up to 64 idle connections per node,
	// which Client.Close releases. A Transport given here stays the
	// caller's: Close leaves its connections alone.
	// CACert and CertificateFingerprint need an *http.Transport or none.
	Transport http.RoundTripper

	// MaxRetries is how many times a request is retried after a network
	// error or a RetryOnStatus status; default 3. A retried update may answer
	// "updated": false when its first attempt had already applied it.
	MaxRetries int
	// DisableRetry sends each request once.
	DisableRetry bool
	// RetryOnStatus lists the statuses to retry; default 502, 503, 504.
	RetryOnStatus []int
	// RetryBackoff returns the wait before retry attempt (from 1); default:
	// no wait.
	RetryBackoff func(attempt int) time.Duration

	// Logger receives one record per request (method, URL, status, duration)
	// and the transport's own events. Bodies and credentials are not logged.
	Logger *slog.Logger

	// Instrumentation traces calls, for example
	// elasticsearch.NewOpenTelemetryInstrumentation from go-elasticsearch.
	Instrumentation elastictransport.Instrumentation

	// UserAgent replaces the default, which names this library and its version.
	UserAgent string
}

// Format prints the config with its secrets masked, whatever the verb, so
// that logging a Config never leaks a password or token.
func (c Config) Format(f fmt.State, _ rune) {
	masked := func(s string) string {
		if s == "" {
			return `""`
		}
		return "****"
	}
	fmt.Fprintf(f, "esapikey.Config{Addresses:%q", redactAll(c.Addresses))
	if c.CloudID != "" {
		fmt.Fprintf(f, " CloudID:%q", c.CloudID)
	}
	fmt.Fprintf(f, " Username:%q Password:%s Token:%s APIKey:%s",
		c.Username, masked(c.Password), masked(c.Token), masked(c.APIKey))
	if len(c.Header) > 0 {
		fmt.Fprintf(f, " Header:%d keys", len(c.Header))
	}
	if c.CertificateFingerprint != "" {
		io.WriteString(f, " CertificateFingerprint:set")
	}
	if len(c.CACert) > 0 {
		io.WriteString(f, " CACert:set")
	}
	io.WriteString(f, "}")
}

// redactAll hides passwords written into URLs.
func redactAll(addrs []string) []string {
	out := make([]string, len(addrs))
	for i, a := range addrs {
		if u, err := url.Parse(a); err == nil {
			out[i] = u.Redacted()
		} else {
			out[i] = "(invalid URL)"
		}
	}
	return out
}

// transportOptions checks the config and turns it into options, with the
// *http.Transport it built, if any, for Close to release.
func (c Config) transportOptions() ([]elastictransport.Option, *http.Transport, error) {
	urls, user, pass, err := c.urls()
	if err != nil {
		return nil, nil, err
	}
	if c.Username != "" || c.Password != "" {
		user, pass = c.Username, c.Password
	}
	fingerprint := strings.ReplaceAll(c.CertificateFingerprint, ":", "")
	if err := c.check(user, pass, fingerprint); err != nil {
		return nil, nil, err
	}
	transport, own, err := c.httpTransport(fingerprint)
	if err != nil {
		return nil, nil, err
	}
	ua := c.UserAgent
	if ua == "" {
		ua = "esapikey/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	}
	opts := []elastictransport.Option{
		elastictransport.WithURLs(urls...),
		elastictransport.WithUserAgent(ua),
	}
	var interceptors []elastictransport.InterceptorFunc
	if slices.ContainsFunc(urls, func(u *url.URL) bool { return u.Path != "" }) {
		interceptors = append(interceptors, PathInterceptor)
	}
	if user != "" {
		opts = append(opts, elastictransport.WithBasicAuth(user, pass))
	}
	if c.Token != "" {
		opts = append(opts, elastictransport.WithServiceToken(c.Token))
	}
	header := c.Header.Clone()
	if c.APIKey != "" {
		// The transport would spell the scheme "APIKey"; Elasticsearch
		// matches it case-insensitively (ApiKeyService), and documents it as
		// "ApiKey". Set here, the transport adds no credentials of its own.
		if header == nil {
			header = make(http.Header)
		}
		header.Set("Authorization", "ApiKey "+c.APIKey)
	}
	if len(header) > 0 {
		opts = append(opts, elastictransport.WithHeader(header))
	}
	if len(c.CACert) > 0 {
		opts = append(opts, elastictransport.WithCACert(c.CACert))
	}
	if fingerprint != "" {
		opts = append(opts, elastictransport.WithCertificateFingerprint(fingerprint))
	}
	opts = append(opts, elastictransport.WithTransport(transport))
	opts = append(opts, c.retryOptions()...)
	if c.Logger != nil {
		opts = append(opts, elastictransport.WithLeveledLogger(&elastictransport.SlogLogger{Logger: c.Logger}))
		interceptors = append(interceptors, elastictransport.LoggingInterceptor(false, false))
	}
	if c.Instrumentation != nil {
		opts = append(opts, elastictransport.WithInstrumentation(c.Instrumentation))
	}
	if len(interceptors) > 0 {
		opts = append(opts, elastictransport.WithInterceptors(interceptors...))
	}
	return opts, own, nil
}

// retryOptions leaves the transport's defaults where the config has none.
func (c Config) retryOptions() []elastictransport.Option {
	if c.DisableRetry {
		return []elastictransport.Option{elastictransport.WithDisableRetry()}
	}
	var opts []elastictransport.Option
	if c.MaxRetries > 0 {
		opts = append(opts, elastictransport.WithMaxRetries(c.MaxRetries))
	}
	if len(c.RetryOnStatus) > 0 {
		opts = append(opts, elastictransport.WithRetryOnStatus(c.RetryOnStatus...))
	}
	if c.RetryBackoff != nil {
		opts = append(opts, elastictransport.WithRetryBackoff(c.RetryBackoff))
	}
	return opts
}

// isEncodedAPIKey tells an encoded API key (base64 of "id:api_key", with or
// without padding, as Elasticsearch decodes it) from a bare api_key or id.
func isEncodedAPIKey(s string) bool {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		b, err = base64.RawStdEncoding.DecodeString(s)
	}
	id, key, ok := bytes.Cut(b, []byte{':'})
	return err == nil && ok && len(id) > 0 && len(key) > 0
}

// addrFromCloudID decodes a Cloud ID as go-elasticsearch does: after the
// deployment name and ":", base64 of "host$elasticsearch-id$kibana-id"
// gives https://elasticsearch-id.host.
func addrFromCloudID(id string) (string, error) {
	const want = `want "name:base64(host$elasticsearch-id$…)"`
	_, enc, ok := strings.Cut(id, ":")
	if !ok || strings.Contains(enc, ":") {
		return "", errors.New("not a Cloud ID: " + want)
	}
	data, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return "", errors.New("not a Cloud ID: the part after \":\" is not base64")
	}
	parts := strings.Split(string(data), "$")
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return "", errors.New("not a Cloud ID: no host and Elasticsearch id: " + want)
	}
	return "https://" + parts[1] + "." + parts[0], nil
}

// urls parses the addresses, taking out credentials written into them.
func (c Config) urls() (urls []*url.URL, user, pass string, err error) {
	addrs := c.Addresses
	switch {
	case c.CloudID != "" && len(addrs) > 0:
		return nil, "", "", configError("CloudID", "set CloudID or Addresses, not both")
	case c.CloudID != "":
		a, err := addrFromCloudID(c.CloudID)
		if err != nil {
			return nil, "", "", configError("CloudID", err.Error())
		}
		addrs = []string{a}
	case len(addrs) == 0:
		addrs = []string{"http://localhost:9200"}
		if env := os.Getenv("ELASTICSEARCH_URL"); env != "" {
			addrs = strings.Split(env, ",")
		}
	}
	for i, a := range addrs {
		field := fmt.Sprintf("Addresses[%d]", i)
		u, err := url.Parse(strings.TrimSpace(a))
		if err != nil {
			return nil, "", "", configError(field, "not a URL")
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return nil, "", "", configError(field, "scheme must be http or https")
		}
		if u.Host == "" {
			return nil, "", "", configError(field, "no host")
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return nil, "", "", configError(field, "must not have a query or fragment")
		}
		if u.User != nil {
			user = u.User.Username()
			pass, _ = u.User.Password()
			u.User = nil
		}
		// A trailing "/" would double the slash before every request path.
		u.Path = strings.TrimRight(u.Path, "/")
		u.RawPath = ""
		urls = append(urls, u)
	}
	return urls, user, pass, nil
}

func configError(field, reason string) error {
	return fmt.Errorf("esapikey: config: %s: %s", field, reason)
}

// check refuses settings that contradict each other or cannot be used,
// naming the field at fault.
func (c Config) check(user, pass, fingerprint string) error {
	switch {
	case user == "" && pass != "":
		return configError("Username", "required with Password")
	case user != "" && c.Token != "":
		return configError("Token", "set Token or Username/Password, not both")
	case c.APIKey != "" && (user != "" || c.Token != ""):
		return configError("APIKey", "set APIKey, Token or Username/Password, only one")
	case c.APIKey != "" && !isEncodedAPIKey(c.APIKey):
		return configError("APIKey", `must be the encoded key, base64 of "id:api_key"`)
	case c.MaxRetries < 0:
		return configError("MaxRetries", "must not be negative")
	}
	for _, s := range c.RetryOnStatus {
		if s < 100 || s > 599 {
			return configError("RetryOnStatus", fmt.Sprintf("%d is not an HTTP status", s))
		}
	}
	if len(c.CACert) > 0 && !x509.NewCertPool().AppendCertsFromPEM(c.CACert) {
		return configError("CACert", "no PEM certificate found")
	}
	if fingerprint != "" {
		if b, err := hex.DecodeString(fingerprint); err != nil || len(b) != 32 {
			return configError("CertificateFingerprint", "must be a hex SHA-256 fingerprint")
		}
	}
	return nil
}

// httpTransport returns the transport to send with and, when it built one,
// the *http.Transport for Close to release.
func (c Config) httpTransport(fingerprint string) (http.RoundTripper, *http.Transport, error) {
	var own *http.Transport
	transport := c.Transport
	if transport == nil {
		// http.DefaultTransport keeps 2 idle connections per host: a service
		// calling from many goroutines would dial anew for nearly every call.
		own = http.DefaultTransport.(*http.Transport).Clone()
		own.MaxIdleConnsPerHost = defaultIdleConnsPerHost
		transport = own
	} else if len(c.CACert) > 0 || fingerprint != "" {
		switch t := transport.(type) {
		case *http.Transport:
			own = t.Clone() // the TLS settings are applied to it: never change the caller's
			transport = own
		default:
			field := "CACert"
			if fingerprint != "" {
				field = "CertificateFingerprint"
			}
			return nil, nil, configError(field, fmt.Sprintf("needs Transport to be an *http.Transport or nil, not %T", t))
		}
	}
	return transport, own, nil
}
