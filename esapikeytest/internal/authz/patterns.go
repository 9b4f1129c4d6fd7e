package authz

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
)

// Elasticsearch's Automatons: how a name pattern becomes an automaton, and the limits on the work.
const (
	// defaultWorkLimit is Operations.DEFAULT_DETERMINIZE_WORK_LIMIT, the limit of one pattern
	// (Automatons.buildAutomaton(String), Automatons.wildcard) and of a '~' complement.
	defaultWorkLimit = 10000
	// maxDeterminizedStates is the default of xpack.security.automata.max_determinized_states, the
	// limit of unions and differences of patterns (Automatons.unionAndMinimize, minusAndMinimize).
	maxDeterminizedStates = 100000
	// maxWork is Integer.MAX_VALUE, the limit RegExp gives the complement of a character class.
	maxWork = math.MaxInt
)

var (
	matchAll       = makeAnyString() // Automatons.MATCH_ALL
	emptyAutomaton = makeEmpty()     // Automatons.EMPTY
)

// Error is an IllegalArgumentException (HTTP 400): Type is its Elasticsearch error type,
// illegal_argument_exception when empty (a repetition count too large for Java is a
// number_format_exception).
type Error struct{ Type, Reason string }

func (e *Error) Error() string { return e.Reason }

// TooComplexError is Lucene's TooComplexToDeterminizeException: Elasticsearch answers it with status
// 500 and type too_complex_to_determinize_exception, where it is not wrapped.
type TooComplexError struct{ Reason string }

func (e *TooComplexError) Error() string { return e.Reason }

// SecurityError is the ElasticsearchSecurityException that StringMatcher and IndicesPermission wrap
// a TooComplexError in; its status is its cause's, 500.
type SecurityError struct {
	Reason string
	Cause  *TooComplexError
}

func (e *SecurityError) Error() string { return e.Reason }

// tooLarge aborts building an automaton past maxStates or maxTransitions.
type tooLarge struct{}

// catch turns the failures that building automata raises into the error *err: Elasticsearch's
// exceptions, and esapikeytest's own size limit, described with what was being compiled.
func catch(err *error, what string) {
	switch r := recover().(type) {
	case nil:
	case *Error:
		*err = r
	case *TooComplexError:
		*err = r
	case *SecurityError:
		*err = r
	case tooLarge:
		*err = &Error{Reason: "esapikeytest: the automaton of [" + what + "] would have more than " + strconv.Itoa(maxStates) +
			" states or " + strconv.Itoa(maxTransitions) + " transitions; Elasticsearch builds it in memory without a limit, esapikeytest refuses it"}
	default:
		panic(r)
	}
}

// invalidPattern is Automatons.buildAutomaton's message for a '/' without a closing '/'.
func invalidPattern(p string) *Error {
	return &Error{Reason: "invalid pattern [" + p + "]. patterns starting with '/' indicate regular expression pattern and therefore must also end with '/'. other patterns (those that do not start with '/') will be treated as simple wildcard patterns"}
}

// isLuceneRegex is Automatons.isLuceneRegex.
func isLuceneRegex(p string) bool { return len(p) > 1 && p[0] == '/' && p[len(p)-1] == '/' }

// buildPattern is Automatons.buildAutomaton(String): a regular expression between slashes, "*", or a
// wildcard pattern, each determinised under the default work limit.
func buildPattern(p string) *automaton {
	if strings.HasPrefix(p, "/") {
		if !isLuceneRegex(p) {
			panic(invalidPattern(p))
		}
		return determinize(parseRegExp(p[1:len(p)-1], flagAll|flagComplement).toAutomaton(), defaultWorkLimit)
	}
	if p == "*" {
		return matchAll
	}
	return wildcard(p)
}

// wildcard is Automatons.wildcard: '*' any string, '?' any one code point, '\' escapes the next
// character (a trailing '\' is itself). Like Java it reads the pattern in UTF-16 code units, so an
// escaped or literal character outside the BMP is two labels. The concatenation is built from shared
// pieces, its size checked before it is listed.
func wildcard(p string) *automaton {
	units := utf16.Encode([]rune(p))
	states := 0
	list := make([]*automaton, 0, len(units))
	chars := map[uint16]*automaton{}
	char := func(c uint16) *automaton {
		if chars[c] == nil {
			chars[c] = makeChar(int32(c))
		}
		return chars[c]
	}
	for i := 0; i < len(units); i++ {
		var piece *automaton
		switch c := units[i]; {
		case c == '*':
			piece = anyStringPiece
		case c == '?':
			piece = anyCharPiece
		case c == '\\' && i+1 < len(units):
			i++
			piece = char(units[i])
		default:
			piece = char(c)
		}
		if states += piece.numStates(); states > maxStates {
			panic(tooLarge{})
		}
		list = append(list, piece)
	}
	return determinize(concatenate(list), defaultWorkLimit)
}

var (
	anyStringPiece = makeAnyString()
	anyCharPiece   = makeAnyChar()
)

// buildPatterns is Automatons.buildAutomaton(Collection): one pattern alone, or the patterns grouped
// by a leading or trailing '*' so that the rest is unioned once (Elasticsearch does it to determinise
// faster; the grouping also decides what fits its limits).
func buildPatterns(set []string) *automaton {
	if len(set) == 1 {
		return determinize(pattern(set[0]), maxDeterminizedStates)
	}
	build := func(strs []string) *automaton {
		list := make([]*automaton, len(strs))
		for i, s := range strs {
			list[i] = pattern(s)
		}
		return unionAndDeterminize(list)
	}
	var prefix, infix, suffix, misc []string
	for _, p := range set {
		switch {
		case len(utf16.Encode([]rune(p))) <= 1, p[0] == '/':
			misc = append(misc, p)
		case p[0] == '*' && p[len(p)-1] == '*':
			infix = append(infix, p[1:len(p)-1])
		case p[0] == '*':
			suffix = append(suffix, p[1:])
		case p[len(p)-1] == '*' && strings.IndexByte(p, '*') != len(p)-1:
			prefix = append(prefix, p[:len(p)-1])
		default:
			misc = append(misc, p)
		}
	}
	var list []*automaton
	if len(prefix) > 0 {
		list = append(list, concatenate([]*automaton{build(prefix), makeAnyString()}))
	}
	if len(suffix) > 0 {
		list = append(list, concatenate([]*automaton{makeAnyString(), build(suffix)}))
	}
	if len(infix) > 0 {
		list = append(list, concatenate([]*automaton{makeAnyString(), build(infix), makeAnyString()}))
	}
	if len(misc) > 0 {
		list = append(list, build(misc))
	}
	return unionAndDeterminize(list)
}

func uniq(list []string) []string {
	out := slices.Clone(list)
	slices.Sort(out)
	return slices.Compact(out)
}

// unionAndDeterminize is Automatons.unionAndMinimize: the union determinised under
// maxDeterminizedStates.
func unionAndDeterminize(list []*automaton) *automaton {
	a := list[0]
	if len(list) > 1 {
		a = union(list)
	}
	return determinize(a, maxDeterminizedStates)
}

// minusAndDeterminize is Automatons.minusAndMinimize.
func minusAndDeterminize(a1, a2 *automaton) *automaton {
	return determinize(minus(a1, a2, maxDeterminizedStates), maxDeterminizedStates)
}

// The compiled patterns, like Automatons' cache (xpack.security.automata.cache.size, 10,000 entries),
// bounded also by the states they hold. Failures are kept too, so a refused pattern asked again costs
// nothing. Safe for concurrent use; compiling happens outside the lock.
var compiled = newAutomatonCache(10000, 4*maxStates)

type automatonCache struct {
	mu               sync.Mutex
	m                map[string]cached
	states           int
	maxN, maxStates_ int
}

type cached struct {
	a   *automaton
	err error
}

func newAutomatonCache(maxN, maxStates int) *automatonCache {
	return &automatonCache{m: map[string]cached{}, maxN: maxN, maxStates_: maxStates}
}

func (c *automatonCache) get(key string, build func() *automaton, what string) (a *automaton, err error) {
	c.mu.Lock()
	v, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return v.a, v.err
	}
	func() {
		defer catch(&err, what)
		a = build()
	}()
	size := 1
	if a != nil {
		size += a.numStates()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.maxN || c.states+size > c.maxStates_ {
		clear(c.m)
		c.states = 0
	}
	c.m[key] = cached{a, err}
	c.states += size
	return a, err
}

// pattern is Automatons.pattern: one pattern, cached; failures panic, for the callers in this file.
func pattern(p string) *automaton {
	a, err := compiled.get("1"+p, func() *automaton { return buildPattern(p) }, p)
	if err != nil {
		panic(err)
	}
	return a
}

// compilePatterns is Automatons.patterns: the union of a set of patterns (EMPTY for none, MATCH_ALL
// for "*" alone), cached by the set.
func compilePatterns(list []string) (*automaton, error) {
	if len(list) == 0 {
		return emptyAutomaton, nil
	}
	set := uniq(list)
	var key strings.Builder
	key.WriteString("n")
	for _, p := range set {
		key.WriteString(strconv.Itoa(len(p)))
		key.WriteByte(':')
		key.WriteString(p)
	}
	return compiled.get(key.String(), func() *automaton { return buildPatterns(set) }, strings.Join(list, ","))
}

// compilePattern is compilePatterns of one pattern.
func compilePattern(p string) (*automaton, error) { return compilePatterns([]string{p}) }

// mustPatterns compiles the built-in patterns of this package, which are known to be valid.
func mustPatterns(list ...string) *automaton {
	a, err := compilePatterns(list)
	if err != nil {
		panic(err)
	}
	return a
}

// matcher is StringMatcher: exact names compared as strings, patterns (a name that starts with '/'
// or holds '*' or '?') through their automaton, built when the matcher is. A pattern set too complex
// to determinise is the SecurityError Elasticsearch raises when it builds a role.
type matcher struct {
	all   bool
	exact map[string]bool
	auto  *automaton
}

func newMatcher(names []string) (*matcher, error) {
	m := &matcher{exact: map[string]bool{}}
	var patterns []string
	for _, n := range names {
		if strings.HasPrefix(n, "/") || strings.ContainsAny(n, "*?") {
			if !slices.Contains(patterns, n) {
				patterns = append(patterns, n)
			}
		} else {
			m.exact[n] = true
		}
	}
	if slices.Contains(patterns, "*") {
		m.all = true
		return m, nil
	}
	if len(patterns) == 0 {
		return m, nil
	}
	a, err := compilePatterns(patterns)
	if tc, ok := err.(*TooComplexError); ok {
		desc := strings.Join(patterns, ",")
		if units := utf16.Encode([]rune(desc)); len(units) > 80 {
			n := 80
			if utf16.IsSurrogate(rune(units[n-1])) && units[n-1] < 0xDC00 {
				n--
			}
			desc = string(utf16.Decode(units[:n])) + "..."
		}
		return nil, &SecurityError{Reason: "The set of patterns [" + desc + "] is too complex to evaluate", Cause: tc}
	}
	m.auto = a
	return m, err
}

func (m *matcher) matches(name string) bool {
	return m.all || m.exact[name] || m.auto != nil && m.auto.run(name)
}
