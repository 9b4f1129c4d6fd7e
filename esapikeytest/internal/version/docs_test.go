package version

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The client (the module's root package) tells its users which Elasticsearch release each endpoint and
// field needs, in its godoc and in the compatibility table of README.md. These tests hold those notes
// to the table of this package, so that the two cannot disagree.
//
// A note is checked by the release numbers it writes ("8.13", "9.3.0"), each read with the words
// around it:
//   - "X or later", "X and later", and the first release of a README row's "Elasticsearch" cell, say
//     that the note's first feature holds from X on: a row of it starts at X and holds up to the newest
//     release;
//   - "before X" says the first feature changes at X: a row of it starts or ends there;
//   - any other release must be a boundary of one of the note's features: a release a row starts or
//     ends at, or the minor line just before a row starts ("8.4 does not report them").
//
// A README cell of a feature no release has starts with "never". A release written in the godoc of an
// identifier the maps below do not name, or in a README row they do not name, fails the test: a new
// note needs its features here.

// rootDir is the module's root, where the client's package and README.md are.
const rootDir = "../../.."

// godocFeatures names, for each identifier of the root package whose godoc gives a release, the
// features its note speaks of, the one it is about first. Methods are Type.Method, fields
// Type.Field, a const or var group its first name.
var godocFeatures = map[string][]Feature{
	"Client.BulkUpdateAPIKeys":                            {RouteBulkUpdate},
	"Client.UpdateCrossClusterAPIKey":                     {RouteCrossCluster},
	"UpdateAPIKeyRequest.Expiration":                      {UpdateExpiration},
	"BulkUpdateAPIKeysRequest.Expiration":                 {UpdateExpiration},
	"UpdateCrossClusterAPIKeyRequest.Expiration":          {UpdateExpiration},
	"UpdateCrossClusterAPIKeyRequest.CertificateIdentity": {CertificateIdentity},
	"APIKey.Type":                {AnswerType},
	"APIKey.RoleDescriptors":     {AnswerRoleDescriptors},
	"RoleDescriptor.Description": {APIKeyRoleDescription, RoleDescription},
	"GlobalPrivileges.Role":      {GlobalRoleManage},
	"CrossClusterIndices":        {CCSearchSecurityWithReplicationRefused, RouteCrossCluster},
	"reasonNothingToUpdate":      {MsgCCNothingToUpdate},
}

// readmeFeatures names, for each row of README.md's compatibility table (by its first cell), the
// features the row speaks of, the one it is about first.
var readmeFeatures = map[string][]Feature{
	"`UpdateAPIKey` (`PUT /_security/api_key/{id}`)":                                                           {RouteUpdate},
	"`BulkUpdateAPIKeys` (`POST /_security/api_key/_bulk_update`)":                                             {RouteBulkUpdate},
	"`GetAPIKey` returning the key's `RoleDescriptors` (what `PlanUpdate` and `--dry-run` compare roles with)": {AnswerRoleDescriptors},
	"`UpdateCrossClusterAPIKey` (`PUT /_security/cross_cluster/api_key/{id}`)":                                 {RouteCrossCluster},
	"`Expiration` on any of the three":                                                                         {UpdateExpiration},
	"`CertificateIdentity` (set, or clear with `null`)":                                                        {CertificateIdentity},
	"`RoleDescriptor.RemoteIndices`":                                                                           {RoleRemoteIndices},
	"`RoleDescriptor.RemoteCluster`":                                                                           {RoleRemoteCluster},
	"`monitor_stats` in `RemoteClusterPrivileges.Privileges`":                                                  {RemoteClusterMonitorStats, RoleRemoteCluster},
	"`RoleDescriptor.Restriction` (workflows)":                                                                 {RoleRestriction},
	"`RoleDescriptor.Description`":                                                                             {APIKeyRoleDescription, RoleDescription},
	"`GlobalPrivileges.Role` (`global.role.manage`)":                                                           {GlobalRoleManage},
	"`CrossClusterIndices.AllowRestrictedIndices` in replication entries":                                      {RouteCrossCluster},
	"`Query` or `FieldSecurity` in `CrossClusterAccess.Search` beside `Replication` entries":                   {CCSearchSecurityWithReplicationRefused, RouteCrossCluster},
}

// releaseText finds release numbers: dotted numbers of two or three parts whose major is 8 or 9.
var releaseText = regexp.MustCompile(`\d+(?:\.\d+)+`)

// mention is one release written in a note.
type mention struct {
	v            Version
	text         string
	since, after bool // "X or later" / "X and later"; "before X"
}

func mentions(note string) []mention {
	var out []mention
	for _, loc := range releaseText.FindAllStringIndex(note, -1) {
		text := note[loc[0]:loc[1]]
		parts := strings.Split(text, ".")
		if len(parts) > 3 || (parts[0] != "8" && parts[0] != "9") {
			continue
		}
		if len(parts) == 2 {
			text += ".0"
		}
		v, err := Parse(text)
		if err != nil {
			continue
		}
		rest, before := note[loc[1]:], note[:loc[0]]
		out = append(out, mention{v: v, text: note[loc[0]:loc[1]],
			since: strings.HasPrefix(rest, " or later") || strings.HasPrefix(rest, " and later"),
			after: strings.HasSuffix(before, "before ")})
	}
	return out
}

// boundaries are the releases at which the rows of fs start or end, and the minor lines just before
// a row starts.
func boundaries(fs []Feature) []Version {
	var out []Version
	for _, f := range fs {
		for _, r := range Rows(f) {
			if !r.Since.IsZero() {
				out = append(out, r.Since, r.Since.previousMinor())
			}
			if !r.Until.IsZero() {
				out = append(out, r.Until)
			}
		}
	}
	return out
}

// holdsFrom reports whether a row of f starts at v and holds up to the newest release.
func holdsFrom(f Feature, v Version) bool {
	return slices.ContainsFunc(Rows(f), func(r Row) bool { return r.Since == v && r.Until.IsZero() })
}

// changesAt reports whether a row of f starts or ends at v.
func changesAt(f Feature, v Version) bool {
	return slices.ContainsFunc(Rows(f), func(r Row) bool { return r.Since == v || r.Until == v })
}

// checkMention checks one release of a note about fs, where is for messages.
func checkMention(t *testing.T, where string, fs []Feature, m mention, first bool) {
	t.Helper()
	switch {
	case m.since || first:
		assert.True(t, holdsFrom(fs[0], m.v), "%s: %q says %s holds from %s on; the table says %s",
			where, m.text, fs[0], m.v, describe(fs[0]))
	case m.after:
		assert.True(t, changesAt(fs[0], m.v), "%s: %q says %s changes at %s; the table says %s",
			where, m.text, fs[0], m.v, describe(fs[0]))
	default:
		assert.Contains(t, boundaries(fs), m.v, "%s: %q is no release at which %v change; the table says %s",
			where, m.text, fs, describe(fs[0]))
	}
}

// describe writes the rows of f for a failure message.
func describe(f Feature) string {
	var parts []string
	for _, r := range Rows(f) {
		switch {
		case r.Since.IsZero():
			parts = append(parts, "no release")
		case r.Until.IsZero():
			parts = append(parts, r.Since.String()+" and later")
		default:
			parts = append(parts, r.Since.String()+" until "+r.Until.String())
		}
	}
	return strings.Join(parts, ", ")
}

// never reports whether no release has f.
func never(f Feature) bool {
	return !slices.ContainsFunc(Rows(f), func(r Row) bool { return !r.Since.IsZero() })
}

func TestReadmeCompatibilityTableAgreesWithTable(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(rootDir, "README.md"))
	require.NoError(t, err)
	rows := compatibilityRows(t, string(b))
	require.NotEmpty(t, rows, "README.md has a compatibility table under ## Compatibility")
	for key := range readmeFeatures {
		_, ok := rows[key]
		assert.True(t, ok, "README.md's compatibility table has a row for %s", key)
	}
	for key, cell := range rows {
		fs, ok := readmeFeatures[key]
		if !assert.True(t, ok, "README.md: the compatibility row %s names no feature of this test", key) {
			continue
		}
		where := "README.md, row " + key
		ms := mentions(cell)
		if never(fs[0]) {
			assert.True(t, strings.HasPrefix(cell, "never"), "%s: %s is of no release, the cell says %q", where, fs[0], cell)
		} else {
			assert.NotEmpty(t, ms, "%s: the cell %q names no release", where, cell)
		}
		for i, m := range ms {
			checkMention(t, where, fs, m, i == 0 && !never(fs[0]))
		}
	}
}

// compatibilityRows returns the rows of the table under "## Compatibility": first cell to second.
func compatibilityRows(t *testing.T, readme string) map[string]string {
	t.Helper()
	_, section, ok := strings.Cut(readme, "\n## Compatibility\n")
	require.True(t, ok, "README.md has a ## Compatibility section")
	section, _, _ = strings.Cut(section, "\n## ")
	rows := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|---") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		require.Len(t, cells, 3, "README.md: %s", line)
		first := strings.TrimSpace(cells[0])
		if first == "endpoint or field" {
			continue
		}
		rows[first] = strings.TrimSpace(cells[1])
	}
	return rows
}

func TestGodocVersionNotesAgreeWithTable(t *testing.T) {
	notes := rootGodoc(t)
	for key := range godocFeatures {
		_, ok := notes[key]
		assert.True(t, ok, "the root package still declares %s", key)
	}
	for key, note := range notes {
		ms := mentions(note)
		if len(ms) == 0 {
			continue
		}
		fs, ok := godocFeatures[key]
		if !assert.True(t, ok, "the godoc of %s gives a release (%q) but names no feature of this test", key, ms[0].text) {
			continue
		}
		for _, m := range ms {
			checkMention(t, "godoc of "+key, fs, m, false)
		}
	}
}

// rootGodoc returns the doc comments of the root package's declarations, by identifier; an
// undocumented declaration has an empty one.
func rootGodoc(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(rootDir, "*.go"))
	require.NoError(t, err)
	notes := map[string]string{}
	add := func(key string, groups ...*ast.CommentGroup) {
		notes[key] += ""
		for _, g := range groups {
			if g != nil {
				notes[key] += g.Text()
			}
		}
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		require.NoError(t, err)
		add("package", f.Doc)
		for _, decl := range f.Decls {
			switch d := decl.(type) {
			case *ast.FuncDecl:
				key := d.Name.Name
				if d.Recv != nil && len(d.Recv.List) == 1 {
					key = receiverName(d.Recv.List[0].Type) + "." + key
				}
				add(key, d.Doc)
			case *ast.GenDecl:
				for i, spec := range d.Specs {
					switch s := spec.(type) {
					case *ast.TypeSpec:
						add(s.Name.Name, d.Doc, s.Doc, s.Comment)
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, field := range st.Fields.List {
								for _, n := range field.Names {
									add(s.Name.Name+"."+n.Name, field.Doc, field.Comment)
								}
							}
						}
					case *ast.ValueSpec:
						if i == 0 {
							add(s.Names[0].Name, d.Doc)
						}
						add(s.Names[0].Name, s.Doc, s.Comment)
					}
				}
			}
		}
	}
	return notes
}

func receiverName(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.StarExpr:
		return receiverName(x.X)
	case *ast.IndexExpr:
		return receiverName(x.X)
	case *ast.Ident:
		return x.Name
	}
	return "?"
}

// The checks above can tell a wrong note from a right one.
func TestMentionsAreChecked(t *testing.T) {
	ms := mentions("Needs Elasticsearch 8.13 or later; empty from Elasticsearch before 8.10, 8.4 does not; 18.5, 1.0 and 8.4.0.1 are not releases.")
	require.Len(t, ms, 3)
	assert.Equal(t, mention{v: rel(8, 13, 0), text: "8.13", since: true}, ms[0])
	assert.Equal(t, mention{v: rel(8, 10, 0), text: "8.10", after: true}, ms[1])
	assert.Equal(t, mention{v: rel(8, 4, 0), text: "8.4"}, ms[2])

	assert.True(t, holdsFrom(UpdateExpiration, rel(8, 13, 0)))
	assert.False(t, holdsFrom(UpdateExpiration, rel(8, 12, 0)), "the 8.12 clients' mistake")
	assert.False(t, holdsFrom(APIKeyRoleDescription, rel(8, 15, 0)), "description is of roles only")
	assert.False(t, holdsFrom(RoleRemoteIndices, rel(8, 14, 0)), "8.14 is the specification's release, not the first")
	assert.True(t, changesAt(AnswerType, rel(8, 10, 0)))
	assert.Contains(t, boundaries([]Feature{AnswerRoleDescriptors}), rel(8, 4, 0))
	assert.NotContains(t, boundaries([]Feature{AnswerRoleDescriptors}), rel(8, 6, 0))
}
