package clock

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestFakeSleepAdvancesWithoutWaiting(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := NewFake(start)
	var seen time.Time
	f.OnSleep = func(now time.Time) { seen = now }
	began := time.Now()
	if err := f.Sleep(t.Context(), time.Hour); err != nil {
		t.Fatal(err)
	}
	if time.Since(began) > time.Second {
		t.Error("the fake clock slept for real")
	}
	if want := start.Add(time.Hour); !f.Now().Equal(want) || !seen.Equal(want) {
		t.Errorf("now %s, OnSleep saw %s, want %s", f.Now(), seen, want)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := f.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) || !f.Now().Equal(start.Add(time.Hour)) {
		t.Errorf("a cancelled sleep: err %v, now %s", err, f.Now())
	}
}

func TestRealSleepHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	began := time.Now()
	if err := (Real{}).Sleep(ctx, time.Hour); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline", err)
	}
	if time.Since(began) > 5*time.Second {
		t.Error("Sleep ignored the context")
	}
}
