package authz

import (
	"encoding/json"
	"testing"
)

// BenchmarkIndexGranted is one index question on a key limited by its owner's role.
func BenchmarkIndexGranted(b *testing.B) {
	key, _ := Compile(json.RawMessage(`{"cluster":["monitor"],"indices":[{"names":["logs-1-*"],"privileges":["read","write"]}]}`))
	owner, _ := Compile(json.RawMessage(`{"cluster":["manage_own_api_key","monitor"],"indices":[{"names":["logs-*"],"privileges":["all"]}]}`))
	p := Of(key).Limit(owner)
	for b.Loop() {
		if ok, err := indexGranted(p, "logs-1-2025", "write", false); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkClusterGranted is one cluster question on the same permission.
func BenchmarkClusterGranted(b *testing.B) {
	key, _ := Compile(json.RawMessage(`{"cluster":["monitor"]}`))
	owner, _ := Compile(json.RawMessage(`{"cluster":["manage_own_api_key","monitor"]}`))
	p := Of(key).Limit(owner)
	for b.Loop() {
		if ok, err := p.ClusterGranted("monitor"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}
