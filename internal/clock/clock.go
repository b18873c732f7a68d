// Package clock lets code that waits or compares times be tested without sleeping.
package clock

import (
	"context"
	"sync"
	"time"
)

// Clock is the time source used by polling, retry and expiry code.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first.
	Sleep(ctx context.Context, d time.Duration) error
}

// Real is the wall clock.
type Real struct{}

func (Real) Now() time.Time { return time.Now() }

func (Real) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Fake is a manual clock: Sleep advances it instantly, so tests run in no real time.
// It is safe for concurrent use.
type Fake struct {
	mu  sync.Mutex
	now time.Time
	// OnSleep, when set, is called after every Sleep with the new time (e.g. to drive an emulator).
	OnSleep func(now time.Time)
}

// NewFake returns a fake clock set to start.
func NewFake(start time.Time) *Fake { return &Fake{now: start} }

func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func (f *Fake) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		f.Advance(d)
	}
	if f.OnSleep != nil {
		f.OnSleep(f.Now())
	}
	return nil
}
