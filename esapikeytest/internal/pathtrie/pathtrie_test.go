package pathtrie

import (
	"testing"
)

func build(paths ...string) *Trie[string] {
	t := New[string]()
	for _, p := range paths {
		t.Update(p, p, func(old, add string) string { return old + "|" + add })
	}
	return t
}

// first is what a router takes when every path serves every method: the first mode that finds a value.
func first(t *Trie[string], path string) (string, []string) {
	for _, r := range t.RetrieveAll(path) {
		if r.OK {
			return r.Value, r.Params
		}
	}
	return "", nil
}

func TestLiteralWinsOverNamed(t *testing.T) {
	tr := build("/_security/user/{name}", "/_security/user/_has_privileges", "/_security/api_key/{ids}",
		"/_security/api_key/grant", "/_security/api_key/{ids}/_clear_cache")
	for path, want := range map[string]string{
		"/_security/user/_has_privileges":       "/_security/user/_has_privileges",
		"/_security/user/bob":                   "/_security/user/{name}",
		"/_security/api_key/grant":              "/_security/api_key/grant",
		"/_security/api_key/abc":                "/_security/api_key/{ids}",
		"/_security/api_key/grant/_clear_cache": "/_security/api_key/{ids}/_clear_cache",
		"/_security/api_key/a,b/_clear_cache":   "/_security/api_key/{ids}/_clear_cache",
	} {
		got, _ := first(tr, path)
		if got != want {
			t.Errorf("%s: got %q, want %q", path, got, want)
		}
	}
}

func TestEveryModeFindsALiteralWithAValue(t *testing.T) {
	// A literal node with a value is what every mode returns, so its methods alone decide 405.
	tr := build("/_security/user/{name}", "/_security/user/_privileges")
	for i, r := range tr.RetrieveAll("/_security/user/_privileges") {
		if !r.OK || r.Value != "/_security/user/_privileges" {
			t.Errorf("mode %d: %+v", i, r)
		}
	}
}

func TestBacktracksToNamedWhenLiteralLeadsNowhere(t *testing.T) {
	tr := build("/a/{x}/c", "/a/b/d")
	res := tr.RetrieveAll("/a/b/c")
	if res[ExplicitNodesOnly].OK {
		t.Fatalf("explicit mode should not use {x}: %+v", res[0])
	}
	got, params := first(tr, "/a/b/c")
	if got != "/a/{x}/c" || len(params) != 1 || params[0] != "b" {
		t.Fatalf("got %q %v", got, params)
	}
}

func TestModes(t *testing.T) {
	tr := build("/{index}/_doc", "/_cluster/{metric}")
	res := tr.RetrieveAll("/logs/_doc")
	want := []bool{false, true, false, true} // root wildcard: root and any mode only
	for i, r := range res {
		if r.OK != want[i] {
			t.Errorf("mode %d: ok %v, want %v", i, r.OK, want[i])
		}
	}
	res = tr.RetrieveAll("/_cluster/health")
	want = []bool{false, false, true, true} // leaf wildcard
	for i, r := range res {
		if r.OK != want[i] {
			t.Errorf("leaf mode %d: ok %v, want %v", i, r.OK, want[i])
		}
	}
}

func TestParamsDecodedLiteralsRaw(t *testing.T) {
	tr := build("/_security/api_key/{ids}", "/_security/api_key/_bulk_update")
	got, params := first(tr, "/_security/api_key/a%2Fb")
	if got != "/_security/api_key/{ids}" || params[0] != "a/b" {
		t.Fatalf("got %q %v", got, params)
	}
	// An escaped literal is not the literal: PathTrie compares the raw segment.
	got, params = first(tr, "/_security/api_key/%5Fbulk_update")
	if got != "/_security/api_key/{ids}" || params[0] != "_bulk_update" {
		t.Fatalf("escaped literal: got %q %v", got, params)
	}
	got, params = first(tr, "/_security/api_key/*")
	if got != "/_security/api_key/{ids}" || params[0] != "*" {
		t.Fatalf("star: got %q %v", got, params)
	}
}

func TestRootAndSlashes(t *testing.T) {
	tr := build("/", "/_security/api_key", "/_security/api_key/{ids}")
	for path, want := range map[string]string{
		"":                    "/",
		"/":                   "/",
		"/_security/api_key/": "/_security/api_key",
		"/_security//api_key": "",
	} {
		got, _ := first(tr, path)
		if got != want {
			t.Errorf("%q: got %q, want %q", path, got, want)
		}
	}
}

func TestUpdateMerges(t *testing.T) {
	tr := build("/a/{x}", "/a/{y}")
	if got, _ := first(tr, "/a/b"); got != "/a/{x}|/a/{y}" {
		t.Fatalf("got %q", got)
	}
	if _, ok := tr.Retrieve("/nope", WildcardNodesAllowed); ok {
		t.Fatal("found a value for an unknown path")
	}
}
