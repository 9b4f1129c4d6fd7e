package version

// Feature is one version-dependent part of the surface: a route, a request field, a URL parameter,
// a role-descriptor field, an answer field, a rule or a message. The table holds one or more rows for
// each; a release has a feature when one of its rows holds at that release.
type Feature int

// Kind says what part of the surface a row is about, and so which part of the server consults it.
type Kind int

// The kinds of rows.
const (
	// Route: a path and method the release serves (the router).
	Route Kind = iota + 1
	// Field: a field of a request body (the body parsers).
	Field
	// Param: a URL parameter a route accepts (the router's unrecognized-parameter check).
	Param
	// RoleField: a field or value of a role descriptor (the role parser and validator).
	RoleField
	// Answer: a field of an answer (the renderers).
	Answer
	// Query: a part of the query API key request: body fields, query types, queryable fields.
	Query
	// Rule: a check, default or outcome that changed (the handler that applies it).
	Rule
	// Wording: a message whose text changed; every supported release has a row, with its own Text.
	Wording
)

// Row says that a feature holds from Since (included) until Until (excluded).
type Row struct {
	Feature Feature
	Kind    Kind
	// Since is the first release the row holds at. The zero Version means no release: the row records
	// something no release of Range does (description in an API key's role descriptors).
	Since Version
	// Until is the first release the row no longer holds at; the zero Version means it still holds
	// at Newest.
	Until Version
	// What names the part of the surface, as a request or an answer shows it.
	What string
	// Text is what a release of the row says or renders, where a handler needs its exact words (the
	// message of a Wording row, the error of a Rule row that refuses something).
	Text string
	// Otherwise is what a release outside every row of the feature answers instead, with
	// Elasticsearch's status, type and reason ("<name>" and "[L:C]" mark what the request fills in).
	Otherwise string
	// Evidence is where the row comes from: Elasticsearch's source (class and constant), its release
	// notes and pull requests, the specification. A row read from indirect evidence says
	// "Unconfirmed:" and which reading was chosen.
	Evidence string
}

// Holds reports whether the row holds at release v.
func (r Row) Holds(v Version) bool {
	return !r.Since.IsZero() && v.AtLeast(r.Since) && (r.Until.IsZero() || v.Before(r.Until))
}

// byFeature indexes the table.
var byFeature = index()

func index() map[Feature][]Row {
	m := map[Feature][]Row{}
	for _, r := range table {
		m[r.Feature] = append(m[r.Feature], r)
	}
	return m
}

// Has reports whether release v has feature f.
func (v Version) Has(f Feature) bool {
	_, ok := v.row(f)
	return ok
}

// Text returns the Text of the row of f that holds at v, or "" when none holds. For a Wording
// feature it is the message release v uses.
func (v Version) Text(f Feature) string {
	r, _ := v.row(f)
	return r.Text
}

func (v Version) row(f Feature) (Row, bool) {
	for _, r := range byFeature[f] {
		if r.Holds(v) {
			return r, true
		}
	}
	return Row{}, false
}

// Rows returns the rows of f, oldest first.
func Rows(f Feature) []Row {
	return append([]Row(nil), byFeature[f]...)
}

// Otherwise returns what a release without f answers instead (the Otherwise of f's rows).
func Otherwise(f Feature) string {
	for _, r := range byFeature[f] {
		if r.Otherwise != "" {
			return r.Otherwise
		}
	}
	return ""
}
