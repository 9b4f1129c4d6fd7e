package esapikeytest

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/esapikey/esapikey/esapikeytest/internal/jsontree"
)

// unknownField is ObjectParser's error for a field it does not declare, with the suggestion of
// SuggestingErrorOnUnknown.
func unknownField(d *jsontree.Doc, v *jsontree.Node, parser, key string, candidates []string) *esError {
	return badRequest("x_content_parse_exception", "%s [%s] unknown field [%s]%s", d.Loc(v), parser, key, suggest(key, candidates))
}

// notAnObject is ObjectParser's error for a body whose root value is not an object.
func notAnObject(d *jsontree.Doc, parser string) *esError {
	return badRequest("x_content_parse_exception", "%s [%s] Expected START_OBJECT but was: %s", d.Loc(d.Root), parser, d.Root.Kind.Token())
}

// suggest is SuggestingErrorOnUnknown.suggest: candidates whose Lucene Levenshtein similarity to the
// unknown field is above 0.5, the closest first (ties by name), as " did you mean [a]?" or
// " did you mean any of [a, b]?"; "" when none is close.
func suggest(unknown string, candidates []string) string {
	type scored struct {
		sim  float32
		name string
	}
	var list []scored
	for _, c := range candidates {
		if sim := levenshteinSimilarity(unknown, c); sim > 0.5 {
			list = append(list, scored{sim, c})
		}
	}
	if len(list) == 0 {
		return ""
	}
	slices.SortStableFunc(list, func(a, b scored) int {
		switch {
		case a.sim > b.sim:
			return -1
		case a.sim < b.sim:
			return 1
		}
		return strings.Compare(a.name, b.name)
	})
	if len(list) == 1 {
		return " did you mean [" + list[0].name + "]?"
	}
	names := make([]string, len(list))
	for i, s := range list {
		names[i] = s.name
	}
	return " did you mean any of [" + strings.Join(names, ", ") + "]?"
}

// levenshteinSimilarity is Lucene's LevenshteinDistance.getDistance: 1 - edits / the longer length,
// over code points.
func levenshteinSimilarity(target, other string) float32 {
	s, t := []rune(other), []rune(target)
	n, m := len(s), len(t)
	if n == 0 || m == 0 {
		if n == m {
			return 1
		}
		return 0
	}
	prev, cur := make([]int, n+1), make([]int, n+1)
	for i := range prev {
		prev[i] = i
	}
	for j := 1; j <= m; j++ {
		cur[0] = j
		for i := 1; i <= n; i++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			cur[i] = min(cur[i-1]+1, prev[i]+1, prev[i-1]+cost)
		}
		prev, cur = cur, prev
	}
	return 1 - float32(prev[n])/float32(max(utf8.RuneCountInString(other), utf8.RuneCountInString(target)))
}
