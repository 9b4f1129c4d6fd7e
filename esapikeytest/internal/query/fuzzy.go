package query

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// fuzziness is a parsed Fuzziness: a number of edits, or AUTO with the term lengths where it allows one
// and two edits.
type fuzziness struct {
	edits     int
	auto      bool
	low, high int
}

// parseFuzziness reads a fuzziness value as Fuzziness.parse does: a number token is an edit count, a
// string is "AUTO", "AUTO:low,high" or a number (Fuzziness.fromString), and an edit count must be
// 0, 1 or 2.
func parseFuzziness(n *jsontree.Node) (fuzziness, *Error) {
	switch n.Kind {
	case jsontree.Number:
		// XContentParser.intValue truncates a decimal number.
		x, err := strconv.ParseFloat(n.Str, 64)
		if err != nil || x < math.MinInt32 || x > math.MaxInt32 {
			return fuzziness{}, illegalArgument("Value [%s] is out of range for an integer", n.Str)
		}
		return fromEdits(int(x))
	case jsontree.String:
		return fuzzinessFromString(n.Str)
	}
	return fuzziness{}, illegalArgument("Can't parse fuzziness on token: [%s]", n.Kind.Token())
}

func fromEdits(n int) (fuzziness, *Error) {
	if n < 0 || n > maxEdits {
		return fuzziness{}, illegalArgument("Valid edit distances are [0, 1, 2] but was [%d]", n)
	}
	return fuzziness{edits: n}, nil
}

func fuzzinessFromString(s string) (fuzziness, *Error) {
	if s == "" {
		return fuzziness{}, illegalArgument("fuzziness cannot be null or empty.")
	}
	up := strings.ToUpper(s)
	if up == "AUTO" {
		return fuzziness{auto: true, low: 3, high: 6}, nil
	}
	if rest, ok := strings.CutPrefix(up, "AUTO:"); ok {
		return customAuto(up, rest)
	}
	x, ok := javaParseFloat(up)
	if !ok {
		return fuzziness{}, illegalArgument("fuzziness cannot be [%s].", s)
	}
	if float32(math.Mod(float64(x), 1)) > 0 {
		return fuzziness{}, illegalArgument("fuzziness needs to be one of 0.0, 1.0 or 2.0 but was %s", javaNumber(float64(x), 32))
	}
	return fromEdits(javaInt(x))
}

// customAuto reads "AUTO:low,high"; its errors are ElasticsearchParseExceptions.
func customAuto(whole, rest string) (fuzziness, *Error) {
	parts := strings.Split(rest, ",")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1] // Java's String.split drops trailing empty strings
	}
	if len(parts) != 2 {
		return fuzziness{}, &Error{Status: 400, Type: "parse_exception", Reason: "failed to find low and high distance values"}
	}
	low, err1 := strconv.ParseInt(parts[0], 10, 32)
	high, err2 := strconv.ParseInt(parts[1], 10, 32)
	if err1 != nil || err2 != nil {
		return fuzziness{}, &Error{Status: 400, Type: "parse_exception", Reason: `failed to parse [` + whole + `] as a "auto:int,int"`}
	}
	if low < 0 || high < 0 || low > high {
		return fuzziness{}, &Error{Status: 400, Type: "parse_exception", Reason: "fuzziness wrongly configured [" + whole + "]. Must be 0 < lower value <= higher value."}
	}
	return fuzziness{auto: true, low: int(low), high: int(high)}, nil
}

// javaParseFloat reads s as Float.parseFloat does: surrounding control characters and spaces ignored,
// an optional trailing F or D, decimal or hexadecimal digits. s is upper case, so Java refuses the
// words NaN and Infinity, which Go would read.
func javaParseFloat(s string) (float32, bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if s == "" || strings.ContainsAny(s, "IN_") {
		return 0, false
	}
	hex := strings.Contains(s, "0X")
	if last := s[len(s)-1]; (last == 'F' || last == 'D') && (!hex || strings.Contains(s, "P")) {
		s = s[:len(s)-1]
	}
	x, err := strconv.ParseFloat(s, 32)
	if err != nil && !isRange(err) {
		return 0, false
	}
	return float32(x), true
}

func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// javaInt converts as Java's (int) cast does: NaN is 0, values beyond an int are its bounds.
func javaInt(x float32) int {
	switch {
	case x != x:
		return 0
	case x >= math.MaxInt32:
		return math.MaxInt32
	case x <= math.MinInt32:
		return math.MinInt32
	}
	return int(x)
}

// distance is the edit distance the fuzziness allows for term, as Fuzziness.asDistance computes it.
func (f fuzziness) distance(term string) int {
	if !f.auto {
		return min(f.edits, maxEdits)
	}
	switch n := utf8.RuneCountInString(term); {
	case n < f.low:
		return 0
	case n < f.high:
		return 1
	}
	return 2
}

// fuzzyTerm matches values within a few edits of a term, as Lucene's FuzzyQuery does: the first prefix
// code points must be equal, and the rest of the value is within edits of the rest of the term,
// a transposition of two neighbours counting as one edit unless transpositions are off.
type fuzzyTerm struct {
	prefix         string
	rest           []rune
	restASCII      []byte // rest when it is ASCII, so ASCII values are compared without decoding
	edits          int
	transpositions bool
}

func newFuzzyTerm(term string, edits, prefixLen int, transpositions bool) *fuzzyTerm {
	runes := []rune(term)
	p := min(max(prefixLen, 0), len(runes))
	f := &fuzzyTerm{prefix: string(runes[:p]), rest: runes[p:], edits: edits, transpositions: transpositions}
	if rest := string(f.rest); isASCII(rest) {
		f.restASCII = []byte(rest)
	}
	return f
}

func (f *fuzzyTerm) match(s string) bool {
	rest, ok := strings.CutPrefix(s, f.prefix)
	if !ok {
		return false
	}
	if f.edits == 0 {
		return rest == string(f.rest)
	}
	if f.restASCII != nil && isASCII(rest) {
		return withinEdits(f.restASCII, []byte(rest), f.edits, f.transpositions)
	}
	return withinEdits(f.rest, []rune(rest), f.edits, f.transpositions)
}

// withinEdits reports whether a and b are at most k edits apart (insertions, deletions, substitutions
// and, with transpositions, swaps of neighbours: the optimal string alignment distance). Only the
// band of cells within k of the diagonal can hold a distance of k or less, so it costs
// O((len(a)+1)·(2k+1)) rather than the product of the lengths, and stops at the first row past k.
func withinEdits[T byte | rune](a, b []T, k int, transpositions bool) bool {
	if len(a)-len(b) > k || len(b)-len(a) > k {
		return false
	}
	w := 2*k + 1
	over := k + 1 // any value past k; capping keeps the arithmetic small
	buf := make([]int, 3*w)
	prev2, prev, cur := buf[:w], buf[w:2*w], buf[2*w:]
	// Cell (i, j) of the full matrix is column d = j - i + k of row i.
	for d := range w {
		if j := d - k; j >= 0 && j <= len(b) {
			prev[d] = j
		} else {
			prev[d] = over
		}
		prev2[d] = over
	}
	for i := 1; i <= len(a); i++ {
		best := over
		for d := range w {
			j := i + d - k
			switch {
			case j < 0 || j > len(b):
				cur[d] = over
				continue
			case j == 0:
				cur[d] = min(i, over)
				best = min(best, cur[d])
				continue
			}
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := prev[d] + cost // (i-1, j-1)
			if d+1 < w {
				v = min(v, prev[d+1]+1) // (i-1, j)
			}
			if d > 0 {
				v = min(v, cur[d-1]+1) // (i, j-1)
			}
			if transpositions && i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[d]+1) // (i-2, j-2)
			}
			cur[d] = min(v, over)
			best = min(best, cur[d])
		}
		if best > k {
			return false
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)-len(a)+k] <= k
}

// keyedUnsupported is the refusal of KeyedFlattenedFieldType (a path under metadata) of a fuzzy or
// wildcard query, raised while the shard builds the query.
func keyedUnsupported(query string) *Error {
	return createQueryError(&Error{Status: 500, Type: "unsupported_operation_exception",
		Reason: "[" + query + "] queries are not currently supported on keyed [flattened] fields."})
}
