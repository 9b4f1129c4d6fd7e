// Command esapikey updates Elasticsearch API keys: their role descriptors,
// metadata and expiration, one key at a time, in bulk, or for cross-cluster
// keys. It is a thin layer over the esapikey package and refuses what the
// package refuses, before anything is sent.
//
// Install it with
//
//	go install github.com/esapikey/esapikey/cmd/esapikey@latest
//
// # Commands
//
//	esapikey update <id> [--role-descriptors FILE|-] [--remove-privileges]
//	                     [--metadata JSON|@FILE | --merge-metadata JSON|@FILE|-]
//	                     [--clear-metadata] [--expiration 30d] [--yes]
//	esapikey bulk-update [<id>...] [--role-descriptors FILE|-] [--remove-privileges]
//	                     [--metadata JSON|@FILE] [--clear-metadata] [--expiration 30d]
//	                     [--chunk-size 1000] [--yes]
//	esapikey update-cross-cluster <id> [--access FILE|JSON] [--metadata JSON|@FILE]
//	                     [--clear-metadata] [--expiration 30d]
//	                     [--certificate-identity DN | --clear-certificate-identity]
//	esapikey help [command]
//	esapikey version
//
// update with no flags changes nothing but refreshes the snapshot of the
// owner's permissions that limits the key. Elasticsearch replaces metadata
// as a whole; update --merge-metadata reads the key and merges a JSON merge
// patch into its metadata instead (read-then-write, not atomic: a change made
// between the read and the update is overwritten). When stdin and stderr are
// both terminals, an update that removes metadata keys or every role of the
// key shows what it loses and asks first; --yes skips the question, and
// scripts, pipes and cron jobs are never asked. update-cross-cluster changes
// what its flags name: access, metadata and the certificate identity are
// each enough, an expiration alone is refused by Elasticsearch. bulk-update reads the ids from its
// arguments or, when there are none (or the one argument "-"), one per line
// from stdin; it sends them --chunk-size at a time and prints the merged
// result of all chunks; on a terminal, it asks before it removes every role
// of the keys or replaces their metadata, as update does. An id that starts
// with "-" goes after "--":
// esapikey update -- -Xy3...
//
// JSON arguments (--role-descriptors, --metadata, --access) are given inline
// ('{"env":"prod"}'), as @FILE, or as "-" (or "@-") for stdin;
// --role-descriptors and --access also take a bare FILE. An empty role
// descriptor object is refused: --remove-privileges says so explicitly. A
// field the client does not know (most likely a misspelling, such as
// "field_securty") is refused with its path before anything is sent. A flag
// given twice is refused too, whichever it is: the last one never silently
// wins.
//
// # Connection flags and environment
//
// Every command takes these flags; a flag wins over its variable.
//
//	--url URL                 ELASTICSEARCH_URL (comma-separated nodes; default http://localhost:9200)
//	--username NAME           ELASTICSEARCH_USERNAME
//	--password-file FILE      ELASTICSEARCH_PASSWORD (the password itself)
//	--password PASSWORD       visible in the process list: a warning is printed
//	--token-file FILE         ELASTICSEARCH_TOKEN (a bearer or service account token)
//	--token TOKEN             visible in the process list: a warning is printed
//	--ca-cert FILE            ELASTICSEARCH_CA_CERT (PEM bundle to trust)
//	--fingerprint HEX         ELASTICSEARCH_CERT_FINGERPRINT (SHA-256 of the CA certificate)
//	--run-as USER             update the keys of USER (es-security-runas-user)
//	--opaque-id ID            X-Opaque-Id, to find the call in Elasticsearch's logs
//	--timeout DURATION        time limit for each request (default 1m; 0: none)
//	--dry-run                 print the requests instead of sending them
//
// Updates must be made with the key owner's own credentials (or --run-as the
// owner); Elasticsearch refuses API-key credentials for them.
//
// --dry-run prints each request as it would go on the wire: method, URL with
// the escaped id, headers with credentials masked (and the password of URL
// user information), and the exact JSON body. The request passes through the
// same validation and transport as a real one; nothing is sent. update
// --dry-run first reads the key, when the caller may, and prints the plan of
// the update: what changes, which metadata keys are removed, and whether the
// key gets its owner's full permissions.
//
// # Interrupting
//
// Ctrl-C (SIGINT) and SIGTERM stop the command at once, also while it reads
// a value or an answer from the terminal, and it says what it knows: that
// nothing was sent, when it stopped before sending an update (reading input,
// reading the key, at the confirmation prompt), or that the update may
// already have been applied, when it stopped after sending one.
//
// # Output
//
// stdout gets the JSON answer: {"updated":true} for update and
// update-cross-cluster; for bulk-update the merged result of every chunk,
// {"updated":[...],"noops":[...],"errors":{"count":N,"details":{...}}}, where
// "errors" appears only when some ids failed. Errors go to stderr.
// Credentials never appear in either.
//
// # Exit codes
//
//	0  success
//	1  other or unexpected error, or interrupted (Ctrl-C, SIGTERM)
//	2  usage or invalid input: bad flags, a request the client refuses
//	   (esapikey.ErrInvalidRequest) or Elasticsearch refuses as malformed (400)
//	3  API key not found (esapikey.ErrNotFound)
//	4  key expired, invalidated or of the other type (ErrExpired,
//	   ErrInvalidated, ErrWrongKeyType)
//	5  not authenticated or not allowed (ErrUnauthorized, ErrForbidden,
//	   ErrAPIKeyCredentials)
//	6  network, timeout or server error (5xx, 429, an answer that cannot be
//	   decoded)
//
// bulk-update answers HTTP 200 even when some ids fail: it then prints the
// failures on stderr and exits with their code (3 when ids were not found);
// when they differ, with the highest. When a whole chunk fails, the merged
// result of the chunks done so far is printed and the command stops with
// that chunk's code.
package main
