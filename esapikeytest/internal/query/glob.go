package query

import (
	"strings"
	"unicode/utf8"
)

// globMatch matches s against a Lucene wildcard pattern: * is any run, ? one character, \ escapes.
// It backtracks only to the last star, so it runs in O(len(p)*len(s)) at worst, and reads ASCII
// text without allocating.
func globMatch(p, s string, fold bool) bool {
	if fold {
		p, s = strings.ToLower(p), strings.ToLower(s)
	}
	if isASCII(p) && isASCII(s) {
		return glob([]byte(p), []byte(s))
	}
	return glob([]rune(p), []rune(s))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func glob[T byte | rune](pr, sr []T) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(sr) {
		switch {
		case pi < len(pr) && pr[pi] == '*':
			star, mark = pi, si
			pi++
			continue
		case pi < len(pr) && pr[pi] == '?':
			pi++
			si++
			continue
		case pi < len(pr):
			c := pr[pi]
			step := 1
			if c == '\\' && pi+1 < len(pr) {
				c, step = pr[pi+1], 2
			}
			if c == sr[si] {
				pi += step
				si++
				continue
			}
		}
		if star < 0 {
			return false
		}
		pi, mark = star+1, mark+1
		si = mark
	}
	for pi < len(pr) && pr[pi] == '*' {
		pi++
	}
	return pi == len(pr)
}
