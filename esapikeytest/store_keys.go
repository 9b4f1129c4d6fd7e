package esapikeytest

import (
	"slices"
	"strings"
)

// The API keys of the store.

// addKey stores a new key, giving it another random id in the unlikely case that its id is taken.
func (st *store) addKey(k *apiKey) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for k.id == "" || st.keys[k.id] != nil {
		k.id = randomID(20)
	}
	k.seq = len(st.order) + 1
	st.keys[k.id] = k
	st.order = append(st.order, k)
	st.byName[k.name] = append(st.byName[k.name], k.seq-1)
	o := owner{k.owner, k.realm.name}
	st.byOwner[o] = append(st.byOwner[o], k.seq-1)
}

// key returns the current version of a key, or nil.
func (st *store) key(id string) *apiKey {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.keys[id]
}

// allKeys returns the current version of every key, in creation order. The slice is the caller's.
func (st *store) allKeys() []*apiKey {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return slices.Clone(st.order)
}

// candidates returns, in creation order, the current versions of the keys a filter can select: by
// its ids, its exact name or its owner (username and realm) when it has them, else every key. The
// caller still applies the whole filter to them; the indexes only spare it keys that cannot match.
func (st *store) candidates(f keyFilter) []*apiKey {
	if len(f.ids) > 0 {
		return st.keysOf(f.ids)
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	var positions []int
	switch {
	case f.name != "" && !strings.HasSuffix(f.name, "*"):
		positions = st.byName[f.name]
	case f.username != "" && f.realm != "":
		positions = st.byOwner[owner{f.username, f.realm}]
	default:
		return slices.Clone(st.order)
	}
	out := make([]*apiKey, len(positions))
	for i, p := range positions {
		out[i] = st.order[p]
	}
	return out
}

// keysOf returns the current versions of the keys with these ids, in creation order, each once. Only
// the lookups hold the lock.
func (st *store) keysOf(ids []string) []*apiKey {
	found := make([]*apiKey, 0, len(ids))
	st.mu.RLock()
	for _, id := range ids {
		if k := st.keys[id]; k != nil {
			found = append(found, k)
		}
	}
	st.mu.RUnlock()
	slices.SortFunc(found, func(a, b *apiKey) int { return a.seq - b.seq })
	return slices.CompactFunc(found, func(a, b *apiKey) bool { return a.id == b.id })
}

// change stores the next version of each key that fn returns one for. fn gets the current version
// (nil for an unknown id) and returns the next version, or nil to leave the key as it is, and an
// error that ends nothing but that id. Each key changes atomically; a request of many ids takes the
// lock for a batch of them at a time, so that it never holds it long, and a reader may see part of
// it done, as Elasticsearch's bulk writes may be seen. fn runs under the lock: it must be quick.
func (st *store) change(ids []string, fn func(id string, cur *apiKey) (*apiKey, *esError)) []*esError {
	errs := make([]*esError, len(ids))
	for start := 0; start < len(ids); start += changeBatchSize {
		st.changeBatch(ids[start:min(start+changeBatchSize, len(ids))], errs[start:], fn)
	}
	return errs
}

// changeBatchSize is how many keys one hold of the lock changes at most.
const changeBatchSize = 1000

func (st *store) changeBatch(ids []string, errs []*esError, fn func(id string, cur *apiKey) (*apiKey, *esError)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	for i, id := range ids {
		next, err := fn(id, st.keys[id])
		errs[i] = err
		if next != nil {
			st.keys[id] = next
			st.order[next.seq-1] = next
		}
	}
}
