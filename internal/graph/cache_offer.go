package graph

// A list answers with whole objects, as fresh as a GET of each: offered to the read cache, they answer the cached
// reads of the rest of the operation (a data source listing the tenant, then resources refreshing what it listed).
// An answer is kept only when no write of this client touched the cache while the list ran, so it never hides one.

// writes is a count of this cache's writes so far (each bumps one key's generation).
func (rc *readCache[T]) writes() uint64 {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var n uint64
	for _, g := range rc.gen {
		n += g
	}
	return n
}

// offer stores v for key unless a write happened since the count `since` (from writes) was taken.
func (rc *readCache[T]) offer(key string, v T, since uint64) {
	if rc.ttl < 0 {
		return
	}
	rc.mu.Lock()
	var n uint64
	for _, g := range rc.gen {
		n += g
	}
	gen := rc.gen[key]
	rc.mu.Unlock()
	if n != since {
		return
	}
	rc.store(key, gen, v)
}
