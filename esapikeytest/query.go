package esapikeytest

import (
	"net/http"

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
	if req.HasAggregations() {
		out = append(out, kv{"aggregations", res.Aggregations})
	}
	return http.StatusOK, out, nil
}

// queryDocs returns every key in creation (index) order, and the query documents of those the
// caller may see; a document's Ref is its key's place in the first list.
func (s *Server) queryDocs(sub *subject, filtered, ownKey bool) ([]*apiKey, []*query.Doc) {
	all := s.st.allKeys()
	docs := make([]*query.Doc, 0, len(all))
	for _, k := range all {
		switch {
		case filtered && ownKey && k.id != sub.key.id,
			filtered && !ownKey && !k.ownedBy(sub.user):
			continue
		}
		docs = append(docs, k.queryDoc())
	}
	return all, docs
}

func (s *Server) fromQueryError(e *query.Error) *esError {
	out := newError(e.Status, e.Type, e.Reason)
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
