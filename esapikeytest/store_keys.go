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
// its ids, its exact name or its owner when it has one, else every key. The caller still applies
// the whole filter to them; the indexes only spare it keys that cannot match.
func (st *store) candidates(f keyFilter, own *owner) []*apiKey {
	st.mu.RLock()
	defer st.mu.RUnlock()
	if len(f.ids) > 0 {
		var out []*apiKey
		for _, id := range f.ids {
			if k := st.keys[id]; k != nil && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		slices.SortFunc(out, func(a, b *apiKey) int { return a.seq - b.seq })
		return out
	}
	var positions []int
	switch {
	case f.name != "" && !strings.HasSuffix(f.name, "*"):
		positions = st.byName[f.name]
	case own != nil:
		positions = st.byOwner[*own]
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

// change stores the next version of each key that fn returns one for, all under one lock, so a
// bulk request is atomic. fn gets the current version (nil for an unknown id) and returns the next
// version, or nil to leave the key as it is, and an error that ends nothing but that id. fn must be
// quick: it runs under the lock.
func (st *store) change(ids []string, fn func(id string, cur *apiKey) (*apiKey, *esError)) []*esError {
	st.mu.Lock()
	defer st.mu.Unlock()
	errs := make([]*esError, len(ids))
	for i, id := range ids {
		next, err := fn(id, st.keys[id])
		errs[i] = err
		if next != nil {
			st.keys[id] = next
			st.order[next.seq-1] = next
		}
	}
	return errs
}
