package query

// NameTerms returns the names a key must have to match the request's query, when the query requires
// its name to be one of a known few: a term or terms query on name, alone or among the required
// clauses (must, filter) of a bool query. ok is false otherwise. Keys of other names cannot match,
// so a caller may run the request over the keys of these names only, found by an index, and get the
// same answer, aggregations included.
func (r *Request) NameTerms() (names []string, ok bool) {
	return requiredNames(r.query)
}

func requiredNames(c clause) ([]string, bool) {
	switch q := c.(type) {
	case *termLike:
		if q.query == "term" && q.name == "name" && !q.fold {
			return []string{scalar(q.value)}, true
		}
	case *termsQuery:
		if q.name == "name" && !q.lookup {
			return q.values, true
		}
	case *boolQuery:
		for _, m := range q.must {
			if names, ok := requiredNames(m); ok {
				return names, true
			}
		}
	}
	return nil, false
}
