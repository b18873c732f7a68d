package graph

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"golang.org/x/sync/singleflight"
)

// DefaultReadCacheTTL is how long a read of one connector or PKI answers later reads of it.
//
// Five seconds covers a Terraform refresh burst (every certificate of a connector reads the connector within a
// few hundred milliseconds, or a few seconds under Retry-After throttling), while an out-of-band change made while
// Terraform runs is still seen by the next read a moment later. This client's own writes invalidate at once, and
// code that must see Graph's current state (pollers, read-after-write waits) uses Fresh.
const DefaultReadCacheTTL = 5 * time.Second

type freshKey struct{}

// Fresh returns a context whose GetAPIConnector and GetPKI calls skip the read cache and do not join a request
// already in flight: the answer is Graph's state after the call began. Pollers and read-after-write waits use it.
func Fresh(ctx context.Context) context.Context { return context.WithValue(ctx, freshKey{}, true) }

func isFresh(ctx context.Context) bool { v, _ := ctx.Value(freshKey{}).(bool); return v }

// readCache coalesces reads of one object: concurrent callers share one request (singleflight) and, for ttl,
// later callers get its answer. Writes call invalidate, which also stops callers arriving afterwards from joining a
// request that started before the write, and stops that request from filling the cache.
type readCache[T any] struct {
	ttl   time.Duration
	clock clock.Clock
	clone func(T) T

	group   singleflight.Group
	mu      sync.Mutex
	gen     map[string]uint64 // bumped by every invalidation of the key
	entries map[string]cacheEntry[T]
}

type cacheEntry[T any] struct {
	val     T
	expires time.Time
}

func newReadCache[T any](ttl time.Duration, clk clock.Clock, clone func(T) T) *readCache[T] {
	return &readCache[T]{ttl: ttl, clock: clk, clone: clone, gen: map[string]uint64{}, entries: map[string]cacheEntry[T]{}}
}

func (rc *readCache[T]) get(ctx context.Context, key string, fetch func(context.Context) (T, error)) (T, error) {
	var zero T
	fresh := isFresh(ctx)
	rc.mu.Lock()
	gen := rc.gen[key]
	if e, ok := rc.entries[key]; ok && !fresh {
		if rc.clock.Now().Before(e.expires) {
			rc.mu.Unlock()
			return rc.clone(e.val), nil
		}
		delete(rc.entries, key)
	}
	rc.mu.Unlock()

	if fresh {
		v, err := fetch(ctx)
		if err != nil {
			return zero, err
		}
		rc.store(key, gen, v)
		return rc.clone(v), nil
	}

	flight := key + "\x00" + strconv.FormatUint(gen, 10)
	for {
		ch := rc.group.DoChan(flight, func() (any, error) {
			v, err := fetch(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return v, &abandonedError{err}
				}
				return v, err
			}
			rc.store(key, gen, v)
			return v, nil
		})
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case r := <-ch:
			if r.Err != nil {
				var ab *abandonedError
				if errors.As(r.Err, &ab) {
					if ctx.Err() == nil {
						continue // the caller that started the shared request gave up; we have not, so ask again
					}
					return zero, ab.err
				}
				return zero, r.Err
			}
			return rc.clone(r.Val.(T)), nil
		}
	}
}

func (rc *readCache[T]) store(key string, gen uint64, v T) {
	if rc.ttl <= 0 {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.gen[key] != gen {
		return // a write happened while we were reading: this answer may predate it
	}
	rc.entries[key] = cacheEntry[T]{val: rc.clone(v), expires: rc.clock.Now().Add(rc.ttl)}
}

// replace records v, the object as a write of this client returned it, as the latest known state: reads in flight
// from before the write neither fill the cache nor are joined, and later reads get v until the TTL passes.
func (rc *readCache[T]) replace(key string, v T) {
	rc.mu.Lock()
	rc.gen[key]++
	delete(rc.entries, key)
	gen := rc.gen[key]
	rc.mu.Unlock()
	rc.store(key, gen, v)
}

func (rc *readCache[T]) invalidate(key string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.gen[key]++
	delete(rc.entries, key)
}

// abandonedError is a shared read that failed because the context of the caller who started it ended.
type abandonedError struct{ err error }

func (e *abandonedError) Error() string { return e.err.Error() }
func (e *abandonedError) Unwrap() error { return e.err }
