package graph

import (
	"context"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
)

// NewObjectVisibleWindow is how long Graph may take, as a rule, to show an object this provider has just written
// (a connector's certificate, a CA, a PKI of a name) in its reads and lists: Entra's read-after-write lag is
// seconds. It is how long the write-once protocol looks after a lost answer before it writes again, and how long
// a Read waits for an object written a moment ago before it believes that the object is gone.
const NewObjectVisibleWindow = 30 * time.Second

// Look reads once. found reports whether what is looked for is there; an answer that IsNotFound counts as not
// there (and is kept, see WaitFound). Transient errors are waited out; any other error ends the wait.
type Look[T any] func(ctx context.Context) (v T, found bool, err error)

// WaitFound looks on the one wait schedule until the object is there or opts.Deadline (clock time) passes: the
// one read-after-write wait of the provider. When the object never showed, it returns the last look's value with
// found false and err nil, or, when the last look answered 404, that error (IsNotFound: the object, or its parent,
// is gone). Transient errors are waited out as in Wait; any other error ends the wait with it. A deadline already
// passed still looks once.
func WaitFound[T any](ctx context.Context, clk clock.Clock, opts WaitOptions, look Look[T]) (T, bool, error) {
	var last T
	var lastNotFound error // the last look's 404
	answered := false      // the last look answered (found or not) rather than failing
	err := Wait(ctx, clk, opts, func(ctx context.Context) (bool, error) {
		v, ok, err := look(ctx)
		answered, lastNotFound = false, nil
		switch {
		case IsNotFound(err):
			lastNotFound = err
			return false, nil
		case err != nil:
			return false, err
		}
		last, answered = v, true
		return ok, nil
	})
	switch {
	case err == nil:
		return last, true, nil
	case IsWaitTimeout(err) && ctx.Err() == nil && lastNotFound != nil:
		var zero T
		return zero, false, lastNotFound
	case IsWaitTimeout(err) && ctx.Err() == nil && answered:
		return last, false, nil
	default:
		return last, false, err
	}
}

// ReadAfterWrite looks once and, when the object is not there although this provider wrote it less than window
// ago (writtenAt, from the resource's private state; zero when there is no mark), waits for it until
// writtenAt+window (or opts.Deadline, when that comes first): Graph's reads lag behind writes, and a Read that
// believed the first answer would drop an object that exists and plan a second create. Results are as WaitFound's.
func ReadAfterWrite[T any](ctx context.Context, clk clock.Clock, opts WaitOptions, writtenAt time.Time, window time.Duration, look Look[T]) (T, bool, error) {
	v, found, err := look(ctx)
	if found && err == nil {
		return v, true, nil
	}
	if (err != nil && !IsNotFound(err)) || writtenAt.IsZero() {
		return v, false, err
	}
	until := writtenAt.Add(window)
	if !clk.Now().Before(until) {
		return v, false, err
	}
	if opts.Deadline.IsZero() || until.Before(opts.Deadline) {
		opts.Deadline = until
	}
	opts.FirstLook = NextWaitInterval(clk.Now().Sub(writtenAt))
	return WaitFound(ctx, clk, opts, look)
}

// notFoundIsAbsent turns a reader into a Look for an object read by ID: found when the read answers.
func notFoundIsAbsent[T any](get func(ctx context.Context) (T, error)) Look[T] {
	return func(ctx context.Context) (T, bool, error) {
		v, err := get(ctx)
		return v, err == nil, err
	}
}
