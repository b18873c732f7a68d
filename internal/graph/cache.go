package graph

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
)

// The read cache lives as long as the client, which is one Terraform operation (Terraform starts the provider
// anew for each plan, apply or refresh). By default its entries do not expire: a refresh of thousands of
// certificates costs one GET per connector however long it runs. The client's own writes replace or invalidate
// entries at once, and code that must see Graph's current state (waits, pollers, read-after-write checks) calls
// the fresh reads (GetAPIConnector, GetPKI), so only out-of-band changes made during the operation go unseen,
// as they would between any two reads.

// readCache coalesces reads of one object: concurrent callers share one request (a flight) and, for ttl,
// later callers get its answer. Writes call invalidate, which also stops callers arriving afterwards from joining a
// request that started before the write, and stops that request from filling the cache.
type readCache[T any] struct {
	ttl   time.Duration
	clock clock.Clock
	clone func(T) T

	mu      sync.Mutex
	gen     map[string]uint64 // bumped by every invalidation of the key
	entries map[string]cacheEntry[T]
	flights map[string]*flight[T] // shared requests in progress, by key and generation
}

// flight is one shared request. It runs on a context of its own (the first caller's values, not its cancellation),
// so a caller that gives up does not end it for the others; it is cancelled when every caller has left.
type flight[T any] struct {
	done    chan struct{}
	val     T
	err     error
	waiters int
	cancel  context.CancelFunc
	// write marks the flight of a write of this client (beginWrite): readers wait for its answer, and it is not
	// abandoned when they leave.
	write bool
}

// errWriteFailed ends a write's flight without an answer: its readers fetch for themselves.
var errWriteFailed = errors.New("graph: the write failed; read again")

type cacheEntry[T any] struct {
	val     T
	expires time.Time
}

func newReadCache[T any](ttl time.Duration, clk clock.Clock, clone func(T) T) *readCache[T] {
	return &readCache[T]{ttl: ttl, clock: clk, clone: clone, gen: map[string]uint64{}, entries: map[string]cacheEntry[T]{},
		flights: map[string]*flight[T]{}}
}

// get answers from the cache (unless fresh) or fetches; a fresh read never joins a request already in flight.
func (rc *readCache[T]) get(ctx context.Context, key string, fresh bool, fetch func(context.Context) (T, error)) (T, error) {
	var zero T
	rc.mu.Lock()
	gen := rc.gen[key]
	rc.mu.Unlock()

	if fresh {
		v, err := fetch(ctx)
		if err != nil {
			return zero, err
		}
		rc.store(key, gen, v)
		return rc.clone(v), nil
	}

	for {
		rc.mu.Lock()
		gen = rc.gen[key]
		if e, ok := rc.entries[key]; ok && (e.expires.IsZero() || rc.clock.Now().Before(e.expires)) {
			rc.mu.Unlock()
			return rc.clone(e.val), nil
		}
		name := flightName(key, gen)
		f := rc.flights[name]
		if f == nil {
			f = rc.startFetch(ctx, key, gen, name, fetch)
		}
		f.waiters++
		rc.mu.Unlock()

		select {
		case <-ctx.Done():
			rc.mu.Lock()
			f.waiters--
			if f.waiters == 0 && !f.write {
				// Nobody waits for the answer any more: end the request, and let later callers start their own.
				f.cancel()
				if rc.flights[name] == f {
					delete(rc.flights, name)
				}
			}
			rc.mu.Unlock()
			return zero, ctx.Err()
		case <-f.done:
			rc.mu.Lock()
			f.waiters--
			rc.mu.Unlock()
			if errors.Is(f.err, errWriteFailed) {
				continue // the write this read waited for failed: read for ourselves
			}
			if f.err != nil {
				return zero, f.err
			}
			return rc.clone(f.val), nil
		}
	}
}

func flightName(key string, gen uint64) string { return key + "\x00" + strconv.FormatUint(gen, 10) }

// startFetch starts the shared request of one generation of key. Callers hold rc.mu.
func (rc *readCache[T]) startFetch(ctx context.Context, key string, gen uint64, name string, fetch func(context.Context) (T, error)) *flight[T] {
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	f := &flight[T]{done: make(chan struct{}), cancel: cancel}
	rc.flights[name] = f
	go func() {
		defer cancel()
		v, err := fetch(fctx)
		if err == nil {
			rc.store(key, gen, v)
		}
		rc.mu.Lock()
		f.val, f.err = v, err
		if rc.flights[name] == f {
			delete(rc.flights, name)
		}
		rc.mu.Unlock()
		close(f.done)
	}()
	return f
}

// beginWrite is called before a write of this client that answers with the object (an upload): the cache forgets
// the object, and cached reads from now until finish wait for the write's answer instead of asking Graph for a
// state the write is about to change. finish(v, true) records v as the latest state (as replace does);
// finish(_, false) invalidates, and the waiting readers fetch for themselves. Call finish exactly once.
func (rc *readCache[T]) beginWrite(key string) (finish func(v T, ok bool)) {
	rc.mu.Lock()
	rc.gen[key]++
	delete(rc.entries, key)
	name := flightName(key, rc.gen[key])
	f := &flight[T]{done: make(chan struct{}), cancel: func() {}, write: true}
	rc.flights[name] = f
	rc.mu.Unlock()
	return func(v T, ok bool) {
		if ok {
			rc.replace(key, v) // a new generation: a read that started before the write cannot overwrite v
		} else {
			rc.invalidate(key)
		}
		rc.mu.Lock()
		if ok {
			f.val = rc.clone(v)
		} else {
			f.err = errWriteFailed
		}
		if rc.flights[name] == f {
			delete(rc.flights, name)
		}
		rc.mu.Unlock()
		close(f.done)
	}
}

func (rc *readCache[T]) store(key string, gen uint64, v T) {
	if rc.ttl < 0 {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.gen[key] != gen {
		return // a write happened while we were reading: this answer may predate it
	}
	var expires time.Time // zero: kept for the client's life
	if rc.ttl > 0 {
		expires = rc.clock.Now().Add(rc.ttl)
	}
	rc.entries[key] = cacheEntry[T]{val: rc.clone(v), expires: expires}
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

// fence stops the reads in flight from filling the cache (a write of this client is starting) but keeps what the
// cache holds.
func (rc *readCache[T]) fence(key string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.gen[key]++
}

// modify changes the cached value, if there is one, as a write of this client changed the object; reads in flight
// from before it no longer fill the cache.
func (rc *readCache[T]) modify(key string, change func(T) T) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.gen[key]++
	e, ok := rc.entries[key]
	if !ok || (!e.expires.IsZero() && !rc.clock.Now().Before(e.expires)) {
		delete(rc.entries, key)
		return
	}
	e.val = change(rc.clone(e.val))
	rc.entries[key] = e
}

func (rc *readCache[T]) invalidate(key string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.gen[key]++
	delete(rc.entries, key)
}
