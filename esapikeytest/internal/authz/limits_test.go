package authz

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Automatons.wildcard determinises under Operations.DEFAULT_DETERMINIZE_WORK_LIMIT: "*a" then n
// '?' needs 2^(n+1) states, within the limit up to 12 and refused with Lucene's
// TooComplexToDeterminizeException from 16 on.
func TestWildcardDeterminizeWorkLimit(t *testing.T) {
	for _, c := range []struct {
		n      int
		states int
		reason string
	}{
		{10, 2048, ""},
		{12, 8192, ""},
		{16, 0, "Determinizing automaton with 35 states and 35 transitions would require more than 10000 effort."},
		{24, 0, "Determinizing automaton with 51 states and 51 transitions would require more than 10000 effort."},
	} {
		p := "*a" + strings.Repeat("?", c.n)
		a, err := compilePattern(p)
		if c.reason == "" {
			require.NoError(t, err, p)
			assert.Equal(t, c.states, a.numStates(), p)
			assert.True(t, a.run("xa"+strings.Repeat("b", c.n)), p)
			assert.False(t, a.run("xb"+strings.Repeat("b", c.n)), p)
			continue
		}
		var tc *TooComplexError
		require.True(t, errors.As(err, &tc), "%s: %v", p, err)
		assert.Equal(t, c.reason, tc.Reason)
		// A refused pattern is remembered, and refused again the same way.
		_, again := compilePattern(p)
		assert.Equal(t, err, again)
	}
}

// A regular expression whose automaton would not fit esapikeytest's bound on states is refused as an
// illegal argument before it is built; one within it is built.
func TestRegexSizeBound(t *testing.T) {
	_, err := compilePattern("/((a{1000}){1000})/")
	var iae *Error
	require.True(t, errors.As(err, &iae), "%v", err)
	assert.Equal(t, "esapikeytest: the automaton of [/((a{1000}){1000})/] would have more than 1048576 states or 4194304 transitions; "+
		"Elasticsearch builds it in memory without a limit, esapikeytest refuses it", iae.Reason)

	a, err := compilePattern("/(a{100}){10}/")
	require.NoError(t, err)
	assert.True(t, a.run(strings.Repeat("a", 1000)))
	assert.False(t, a.run(strings.Repeat("a", 999)))
}

// Repetition counts Java cannot read as an int are NumberFormatExceptions, and unknown backslash
// letters are refused as RegExp.matchPredefinedCharacterClass refuses them.
func TestRegexErrors(t *testing.T) {
	_, err := compilePattern("/a{99999999999}/")
	var iae *Error
	require.True(t, errors.As(err, &iae), "%v", err)
	assert.Equal(t, "number_format_exception", iae.Type)
	assert.Equal(t, `For input string: "99999999999"`, iae.Reason)

	_, err = compilePattern(`/\q/`)
	require.True(t, errors.As(err, &iae), "%v", err)
	assert.Equal(t, `invalid character class \113`, iae.Reason)
}

// StringMatcher wraps a TooComplexToDeterminizeException of a role's names in an
// ElasticsearchSecurityException whose description is cut at 80 characters, so compiling the role
// fails.
func TestRoleNamesTooComplex(t *testing.T) {
	p := "*a" + strings.Repeat("?", 16)
	names := []string{p, "*b" + strings.Repeat("?", 40), "*c" + strings.Repeat("?", 40)}
	_, err := Compile(json.RawMessage(`{"indices":[{"names":` + jsonList(names) + `,"privileges":["read"]}]}`))
	var se *SecurityError
	require.True(t, errors.As(err, &se), "%v", err)
	desc := strings.Join(names, ",")[:80] + "..."
	assert.Equal(t, "The set of patterns ["+desc+"] is too complex to evaluate", se.Reason)
	require.NotNil(t, se.Cause)
	assert.Contains(t, se.Cause.Reason, "would require more than")

	// Application resources are compiled by ApplicationPermission without the wrapper.
	_, err = Compile(json.RawMessage(`{"applications":[{"application":"app","privileges":["read"],"resources":["` + p + `"]}]}`))
	var tc *TooComplexError
	require.True(t, errors.As(err, &tc), "%v", err)
	assert.False(t, errors.As(err, &se))
}

// Requested patterns of a has-privileges check are compiled unwrapped (IndicesPermission
// .checkResourcePrivileges, ApplicationPermission.checkResourcePrivileges call Automatons.patterns).
func TestHasPrivilegesPatternTooComplex(t *testing.T) {
	p := "*a" + strings.Repeat("?", 24)
	perm := Of(role(t, `{"indices":[{"names":["*"],"privileges":["read"]}],"applications":[{"application":"app","privileges":["read"],"resources":["*"]}]}`))
	var tc *TooComplexError
	_, err := indexGranted(perm, p, "read", false)
	require.True(t, errors.As(err, &tc), "%v", err)
	_, err = applicationGranted(perm, "app", "read", p, nil)
	require.True(t, errors.As(err, &tc), "%v", err)
	_, err = indexGranted(perm, "/((a{1000}){1000})/", "read", false)
	var iae *Error
	require.True(t, errors.As(err, &iae), "%v", err)
}

// The cache of compiled patterns is bounded by its count of entries (Automatons' cache size,
// 10,000) and by the states it holds, so asking ever new patterns does not grow memory.
func TestPatternCacheBounded(t *testing.T) {
	c := newAutomatonCache(100, 1000)
	for i := range 1000 {
		p := "logs-" + strconv.Itoa(i) + "-*"
		a, err := c.get(p, func() *automaton { return buildPattern(p) }, p)
		require.NoError(t, err)
		require.True(t, a.run("logs-"+strconv.Itoa(i)+"-x"))
		assert.LessOrEqual(t, len(c.m), 100)
		assert.LessOrEqual(t, c.states, 1000)
	}
	assert.Positive(t, len(c.m))

	// The package's own cache, asked 10,001 distinct patterns through has-privileges, keeps at most
	// 10,000.
	perm := Of(role(t, `{"indices":[{"names":["logs-*"],"privileges":["read"]}]}`))
	for i := range 10001 {
		ok, err := indexGranted(perm, "logs-"+strconv.Itoa(i)+"-*", "read", false)
		require.NoError(t, err)
		require.True(t, ok)
	}
	compiled.mu.Lock()
	n := len(compiled.m)
	compiled.mu.Unlock()
	assert.LessOrEqual(t, n, 10000)
}

// A role remembers at most maxUnions unions of privileges, however many different sets of groups
// cover the names asked of it: group i holds the names whose (i+1)th character is '1', so each of the
// 1,024 ten-character names of 0 and 1 is covered by a different set.
func TestRoleUnionsBounded(t *testing.T) {
	var entries []string
	for i := range 10 {
		entries = append(entries, `{"names":["/.{`+strconv.Itoa(i)+`}1.*/"],"privileges":["indices:data/read/x`+strconv.Itoa(i)+`"]}`)
	}
	r := role(t, `{"indices":[`+strings.Join(entries, ",")+`]}`)
	perm := Of(r)
	most := 0
	for n := range 1024 {
		name := strconv.FormatInt(int64(n), 2)
		name = strings.Repeat("0", 10-len(name)) + name
		ok, err := indexGranted(perm, name, "indices:data/read/x"+strconv.Itoa(strings.IndexByte(name, '1')), false)
		require.NoError(t, err)
		assert.Equal(t, n != 0, ok, name)
		r.mu.Lock()
		most = max(most, len(r.unions))
		r.mu.Unlock()
	}
	assert.Equal(t, maxUnions, most, "the memo fills up to its bound, and no further")
}

func jsonList(list []string) string {
	b, _ := json.Marshal(list)
	return string(b)
}
