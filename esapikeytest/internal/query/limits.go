package query

import "strconv"

// Elasticsearch's limits on what a query may ask, with their defaults. Each bounds work or memory that
// would otherwise grow with the request, and each is answered with Elasticsearch's own error.
const (
	// maxNestedDepth is indices.query.bool.max_nested_depth (SearchModule.INDICES_MAX_NESTED_DEPTH_SETTING):
	// AbstractQueryBuilder.parseTopLevelQuery counts every query object on the way down, leaves included.
	maxNestedDepth = 30
	// maxClauseCount is IndexSearcher.maxClauseCount as a node sets it at start (NodeConstruction):
	// SearchUtils.calculateMaxClauseValue gives 64 clauses per MiB of heap, divided by the search threads,
	// and never less than SearchUtils.DEFAULT_MAX_CLAUSE_COUNT (1024). The deprecated setting
	// indices.query.bool.max_clause_count is not read. The limit thus depends on the node; 4096 is that of
	// a node with 1 GiB of heap and 16 search threads (10 processors).
	maxClauseCount = 4096
	// maxTermsCount is index.max_terms_count (IndexSettings.MAX_TERMS_COUNT_SETTING), which the security
	// index leaves at its default.
	maxTermsCount = 65536
	// maxBuckets is search.max_buckets (MultiBucketConsumerService.DEFAULT_MAX_BUCKETS).
	maxBuckets = 65536
	// maxEdits is LevenshteinAutomata.MAXIMUM_SUPPORTED_DISTANCE: fuzzy queries allow at most two edits.
	maxEdits = 2
)

func nestedDepthError() *Error {
	return illegalArgument("The nested depth of the query exceeds the maximum nested depth for queries set in [indices.query.bool.max_nested_depth]")
}

// createQueryError is an exception raised while the shard builds the Lucene query, which
// SearchExecutionContext.toQuery wraps in a QueryShardException.
func createQueryError(cause *Error) *Error {
	return &Error{Status: 400, Type: "query_shard_exception", Search: true, Reason: "failed to create query: " + cause.Reason, Cause: cause}
}

// tooManyClauses is Lucene's IndexSearcher.TooManyClauses, thrown by BooleanQuery.Builder.add when one
// boolean query would get more than maxClauseCount clauses.
func tooManyClauses() *Error {
	return createQueryError(&Error{Status: 500, Type: "too_many_clauses", Reason: "maxClauseCount is set to " + strconv.Itoa(maxClauseCount)})
}

// tooManyNestedClauses is IndexSearcher.TooManyNestedClauses, thrown when the rewritten query holds more
// leaf clauses than maxClauseCount in all; ContextIndexSearcher.rewrite turns it into an
// IllegalArgumentException so that the search fails with a 400 (since 8.16).
func tooManyNestedClauses() *Error {
	e := searchError(illegalArgument("Query rewrite failed: too many clauses"))
	e.Cause = &Error{Status: 500, Type: "too_many_nested_clauses", Reason: "Query contains too many nested clauses; maxClauseCount is set to " + strconv.Itoa(maxClauseCount)}
	return e
}

// tooManyTerms is TermsQueryBuilder.doToQuery's check of index.max_terms_count.
func tooManyTerms(n int) *Error {
	return createQueryError(illegalArgument("The number of terms [%d] used in the Terms Query request has exceeded the allowed maximum of [%d]. "+
		"This maximum can be set by changing the [index.max_terms_count] index level setting.", n, maxTermsCount))
}

// tooManyBuckets is MultiBucketConsumerService.TooManyBucketsException, raised while the shard builds
// its aggregations; it carries the limit as its max_buckets field.
func tooManyBuckets() *Error {
	return &Error{Status: 400, Type: "too_many_buckets_exception", Search: true,
		Reason: "Trying to create too many buckets. Must be less than or equal to: [" + strconv.Itoa(maxBuckets) +
			"] but this number of buckets was exceeded. This limit can be set by changing the [search.max_buckets] cluster level setting.",
		Fields: []KV{{"max_buckets", maxBuckets}}}
}
