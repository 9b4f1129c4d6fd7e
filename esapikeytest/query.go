package esapikeytest

import (
	"net/http"
	"slices"
	"strings"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/query"
)

// actionQueryKey is QueryApiKeyAction.NAME.
const actionQueryKey = "cluster:admin/xpack/security/api_key/query"

// queryKeys serves GET|POST /_security/_query/api_key, in Elasticsearch's order: parse the body
// (RestQueryApiKeyAction), validate it (QueryApiKeyRequest.validate), authorize, then translate and
// run the query over the keys the caller may see (TransportQueryApiKeyAction).
func (s *Server) queryKeys(c *call) (int, any, *esError) {
	if _, err := c.doc(); err != nil {
		return 0, nil, err
	}
	req, qerr := query.ParseRequestAt(c.body, queryRelease(s.version))
	if qerr != nil {
		return 0, nil, s.fromQueryError(qerr)
	}
	if msgs := req.Validate(); len(msgs) > 0 {
		return 0, nil, validationFailed(msgs)
	}
	withLimitedBy := c.flag("with_limited_by")
	ownKey := c.sub.key != nil && c.sub.runAs == ""
	filtered := false
	if err := s.authorize(c.sub, authz.Request{Action: actionQueryKey}); err != nil {
		// AuthorizationService retries a denied query with the owner filter, which manage_own_api_key
		// grants; an API key may not see limited-by roles that way.
		if withLimitedBy && ownKey {
			return 0, nil, err
		}
		if err := s.authorize(c.sub, authz.Request{Action: actionQueryKey, OwnKeys: true}); err != nil {
			return 0, nil, err
		}
		filtered = true
	}
	keyOf, docs := s.queryDocs(c.sub, filtered, ownKey, req)
	res, qerr := req.Run(docs, s.now().UnixMilli(), c.flag("typed_keys"))
	if qerr != nil {
		return 0, nil, s.fromQueryError(qerr)
	}
	list := make([]ordered, 0, len(res.Hits))
	for _, h := range res.Hits {
		o := keyInfo(s.version, keyOf(h.Doc.Ref), withLimitedBy)
		if h.Sort != nil {
			o = append(o, kv{"_sort", h.Sort})
		}
		list = append(list, o)
	}
	out := ordered{{"total", res.Total}, {"count", len(list)}, {"api_keys", list}}
	if res.Aggregations != nil {
		out = append(out, kv{"aggregations", res.Aggregations})
	}
	return http.StatusOK, out, nil
}

// queryDocs returns the query documents of the keys the caller may see, in creation (index) order,
// and the key of each document's Ref. When the query names the keys it can match, only the keys of
// those names are read, from the store's name index; otherwise every key is.
func (s *Server) queryDocs(sub *subject, filtered, ownKey bool, req *query.Request) (func(ref int) *apiKey, []*query.Doc) {
	visible := func(d *query.Doc) bool {
		// A document holds its key's id, owner and realm name.
		switch {
		case !filtered:
			return true
		case ownKey:
			return d.ID == sub.key.id
		}
		return d.Username == sub.user.username && d.Realm == sub.user.realm.name
	}
	if keys, ok := s.keysNamed(req); ok {
		byRef := make(map[int]*apiKey, len(keys))
		docs := make([]*query.Doc, 0, len(keys))
		for _, k := range keys {
			if d := k.queryDoc(); visible(d) {
				byRef[d.Ref] = k
				docs = append(docs, d)
			}
		}
		return func(ref int) *apiKey { return byRef[ref] }, docs
	}
	snap := s.docSnapshot()
	keyOf := func(ref int) *apiKey { return snap.keys[ref] }
	if !filtered {
		return keyOf, snap.docs
	}
	docs := make([]*query.Doc, 0)
	for _, d := range snap.docs {
		if visible(d) {
			docs = append(docs, d)
		}
	}
	return keyOf, docs
}

// keysNamed returns the current versions of the keys whose names the query requires, in creation
// order, when it requires some. A name ending in * is a prefix to the store's index, so such a query
// reads every key.
func (s *Server) keysNamed(req *query.Request) ([]*apiKey, bool) {
	names, ok := req.NameTerms()
	if !ok {
		return nil, false
	}
	for _, n := range names {
		if n == "" || strings.HasSuffix(n, "*") {
			return nil, false
		}
	}
	var keys []*apiKey
	for _, n := range slices.Compact(slices.Sorted(slices.Values(names))) {
		keys = append(keys, s.st.candidates(keyFilter{name: n})...)
	}
	slices.SortFunc(keys, func(a, b *apiKey) int { return a.seq - b.seq })
	return keys, true
}

// docSnapshot is the current version of every key, in creation order, with its query document.
// Neither slice changes once made, so requests share them.
type docSnapshot struct {
	keys []*apiKey
	docs []*query.Doc
}

// docSnapshot returns the documents of the current key versions. It compares them by pointer with
// those of the last snapshot, which it returns when none changed, and otherwise reads a key only when
// it is new or changed: a query over many keys reads arrays in order instead of every key's version
// and lazily built document.
func (s *Server) docSnapshot() *docSnapshot {
	prev := s.qdocs.Load()
	if prev != nil && s.st.current(prev.keys) {
		return prev
	}
	if prev == nil {
		prev = &docSnapshot{}
	}
	all := s.st.allKeys()
	docs := make([]*query.Doc, len(all))
	for i, k := range all {
		if i < len(prev.keys) && prev.keys[i] == k {
			docs[i] = prev.docs[i]
		} else {
			docs[i] = k.queryDoc()
		}
	}
	snap := &docSnapshot{keys: all, docs: docs}
	s.qdocs.Store(snap)
	return snap
}

func (s *Server) fromQueryError(e *query.Error) *esError {
	out := newError(e.Status, e.Type, e.Reason)
	for _, f := range e.Fields {
		out.fields = append(out.fields, kv{f.K, f.V})
	}
	if e.Cause != nil {
		out.cause = s.fromQueryError(e.Cause)
	}
	if e.Search {
		return searchFailure(out, s.nodeID)
	}
	return out
}

// searchFailure is how Elasticsearch reports an error of the search itself, raised on the one shard
// of the security index: a failed query phase (SearchPhaseExecutionException) whose root cause and
// cause are the shard's error.
func searchFailure(cause *esError, nodeID string) *esError {
	e := newError(cause.status, "search_phase_execution_exception", "all shards failed")
	e.fields = ordered{{"phase", "query"}, {"grouped", true}, {"failed_shards", []ordered{{
		{"shard", 0}, {"index", securityIndex}, {"node", nodeID}, {"reason", cause.object(true)},
	}}}}
	e.cause, e.roots = cause, []*esError{cause}
	return e
}
