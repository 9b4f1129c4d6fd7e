package esapikeytest

import (
	"net/http"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
	"github.com/esapikey/esapikey/esapikeytest/internal/query"
)

// actionQueryKey is QueryApiKeyAction.NAME.
const actionQueryKey = "cluster:admin/xpack/security/api_key/query"

// metaIndex is a key's document for _query/api_key, kept between queries so that a query allocates
// nothing per key; its metadata is indexed again only after the metadata changed.
type metaIndex struct {
	json string
	doc  query.Doc
}

// queryKeys serves GET|POST /_security/_query/api_key, in Elasticsearch's order: parse the body
// (RestQueryApiKeyAction), validate it (QueryApiKeyRequest.validate), authorize, then translate and
// run the query over the keys the caller may see (TransportQueryApiKeyAction).
func (s *Server) queryKeys(c *call) (int, any, *esError) {
	if _, err := c.doc(); err != nil {
		return 0, nil, err
	}
	req, qerr := query.ParseRequest(c.body)
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
	keys, docs := s.queryDocs(c.sub, filtered, ownKey)
	res, qerr := req.Run(docs, s.now().UnixMilli(), c.flag("typed_keys"))
	if qerr != nil {
		return 0, nil, s.fromQueryError(qerr)
	}
	list := make([]ordered, 0, len(res.Hits))
	for _, h := range res.Hits {
		o := keyInfo(keys[h.Doc.Ref], withLimitedBy)
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

// queryDocs lists the keys the caller may see, in creation (index) order, as query documents whose
// Ref indexes the returned keys. Callers hold mu.
func (s *Server) queryDocs(sub *subject, filtered, ownKey bool) ([]*apiKey, []*query.Doc) {
	keys := make([]*apiKey, 0, len(s.st.order))
	for _, k := range s.st.order {
		switch {
		case filtered && ownKey && k != sub.key,
			filtered && !ownKey && !k.ownedBy(sub.user):
			continue
		}
		keys = append(keys, k)
	}
	ptrs := make([]*query.Doc, len(keys))
	for i, k := range keys {
		ptrs[i] = k.queryDoc()
		ptrs[i].Ref = i
	}
	return keys, ptrs
}

// queryDoc refreshes the key's query document from its current state. Its Lucene doc id is its place
// in creation order, as keys are never deleted from the security index.
func (k *apiKey) queryDoc() *query.Doc {
	if k.meta == nil || k.meta.json != k.metadataJSON {
		k.meta = &metaIndex{json: k.metadataJSON, doc: query.Doc{Metadata: query.Flatten(k.metadata)}}
	}
	d := &k.meta.doc
	*d = query.Doc{ID: k.id, Name: k.name, Type: k.typ, Username: k.owner, Realm: k.realm.name,
		Creation: k.creation.UnixMilli(), Invalidated: k.invalidated, Metadata: d.Metadata, Seq: k.seq - 1}
	if !k.expiration.IsZero() {
		d.Expiration, d.HasExpiration = k.expiration.UnixMilli(), true
	}
	if k.invalidated {
		d.Invalidation, d.HasInvalidation = k.invalidation.UnixMilli(), true
	}
	return d
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
		return searchFailure(out, s.nodeID())
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
