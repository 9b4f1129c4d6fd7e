package authz

import (
	"slices"
	"unicode/utf16"
)

// Elasticsearch writes several answers straight from java.util.HashMap and HashSet, whose iteration
// order is deterministic: by bucket (the key's hash, spread and masked by the table size), then by
// insertion within a bucket. The table starts at 16 buckets and doubles when it holds more than
// three quarters of that, or when one bucket reaches nine entries in a table of fewer than 64 (where
// a larger table would turn the bucket into a tree; those orders are not imitated, and take more than
// 48 keys colliding in one bucket).

// javaStringHash is String.hashCode: over UTF-16 code units, h = 31*h + c.
func javaStringHash(s string) int32 {
	var h int32
	for _, c := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(c)
	}
	return h
}

// javaSetHash is AbstractSet.hashCode of a set of strings: the sum of their hashes.
func javaSetHash(set []string) int32 {
	var h int32
	for _, s := range set {
		h += javaStringHash(s)
	}
	return h
}

// hashOrder returns the indices 0..len(hashes)-1 of distinct keys, put in that order into a
// java.util.HashMap, in the map's iteration order.
func hashOrder(hashes []int32) []int {
	spread := func(h int32) uint32 { return uint32(h) ^ uint32(h)>>16 }
	capacity := uint32(16)
	var perBucket map[uint32]int
	size := 0
	rebucket := func() {
		perBucket = map[uint32]int{}
		for _, h := range hashes[:size] {
			perBucket[spread(h)&(capacity-1)]++
		}
	}
	rebucket()
	for i, h := range hashes {
		b := spread(h) & (capacity - 1)
		perBucket[b]++
		size = i + 1
		if perBucket[b] >= 9 && capacity < 64 {
			capacity *= 2
			rebucket()
		}
		if float64(size) > float64(capacity)*0.75 {
			capacity *= 2
			rebucket()
		}
	}
	order := make([]int, len(hashes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		bx, by := spread(hashes[x])&(capacity-1), spread(hashes[y])&(capacity-1)
		return int(bx) - int(by)
	})
	return order
}

// hashOrderStrings returns distinct strings, given in insertion order, in HashMap iteration order.
func hashOrderStrings(keys []string) []string {
	hashes := make([]int32, len(keys))
	for i, k := range keys {
		hashes[i] = javaStringHash(k)
	}
	out := make([]string, 0, len(keys))
	for _, i := range hashOrder(hashes) {
		out = append(out, keys[i])
	}
	return out
}

// appendNew appends s to list unless it is there, as a key put twice keeps its place.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
