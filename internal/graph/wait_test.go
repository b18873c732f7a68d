package graph_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
)

func TestNextWaitInterval(t *testing.T) {
	for elapsed, want := range map[time.Duration]time.Duration{
		0: 500 * time.Millisecond, time.Second: 500 * time.Millisecond, 10 * time.Second: 5 * time.Second,
		59 * time.Second: 29500 * time.Millisecond, time.Hour: 30 * time.Second,
	} {
		if got := graph.NextWaitInterval(elapsed); got != want {
			t.Errorf("NextWaitInterval(%v) = %v, want %v", elapsed, got, want)
		}
	}
}

// Over a 30-minute job the schedule looks about 70 times and notices the end at most 30 s late.
func TestWaitScheduleOverLongJob(t *testing.T) {
	clk := newRecordingClock()
	start := clk.Now()
	end := start.Add(30 * time.Minute)
	looks := 0
	err := graph.Wait(t.Context(), clk, graph.WaitOptions{What: "job", FirstLook: time.Second, Deadline: start.Add(time.Hour)},
		func(context.Context) (bool, error) { looks++; return !clk.Now().Before(end), nil })
	if err != nil {
		t.Fatal(err)
	}
	late := clk.Now().Sub(end)
	if late < 0 || late > 30*time.Second {
		t.Errorf("end noticed %v late, want within 30 s", late)
	}
	if looks > 75 {
		t.Errorf("%d looks for a 30-minute job, want about 70", looks)
	}
}

func TestWaitHonoursRetryAfterOnThrottledLooks(t *testing.T) {
	clk := newRecordingClock()
	n := 0
	err := graph.Wait(t.Context(), clk, graph.WaitOptions{What: "thing"}, func(context.Context) (bool, error) {
		n++
		if n <= 2 {
			return false, &graph.Error{StatusCode: 429, RetryAfter: 9 * time.Second}
		}
		return true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := clk.Sleeps(); len(s) != 2 || s[0] != 9*time.Second || s[1] != 9*time.Second {
		t.Errorf("waits = %v, want [9s 9s]", s)
	}
}

func TestWaitDeadlineEndsWithLastLookAtDeadline(t *testing.T) {
	clk := newRecordingClock()
	start := clk.Now()
	deadline := start.Add(10 * time.Second)
	var lastLook time.Time
	err := graph.Wait(t.Context(), clk, graph.WaitOptions{What: "certificate", Deadline: deadline},
		func(context.Context) (bool, error) { lastLook = clk.Now(); return false, nil })
	var we *graph.WaitTimeoutError
	if !errors.As(err, &we) || !errors.Is(err, context.DeadlineExceeded) || !graph.IsWaitTimeout(err) {
		t.Fatalf("err = %v, want a deadline WaitTimeoutError", err)
	}
	if !lastLook.Equal(deadline) {
		t.Errorf("last look at +%v, want at the deadline (+10s)", lastLook.Sub(start))
	}
	if !clk.Now().Equal(deadline) {
		t.Errorf("wait slept past the deadline to +%v", clk.Now().Sub(start))
	}
}

func TestWaitStopsOnPermanentError(t *testing.T) {
	clk := newRecordingClock()
	boom := &graph.Error{StatusCode: 403, Code: "Authorization_RequestDenied"}
	looks := 0
	err := graph.Wait(t.Context(), clk, graph.WaitOptions{What: "thing"}, func(context.Context) (bool, error) { looks++; return false, boom })
	if !errors.Is(err, boom) || looks != 1 {
		t.Fatalf("err = %v after %d looks, want the 403 after 1", err, looks)
	}
}

func TestWaitGivesUpAfterTooManyTransientFailures(t *testing.T) {
	clk := newRecordingClock()
	looks := 0
	err := graph.Wait(t.Context(), clk, graph.WaitOptions{What: "thing"}, func(context.Context) (bool, error) {
		looks++
		return false, &graph.Error{StatusCode: 502}
	})
	if err == nil || graph.IsWaitTimeout(err) || graph.StatusCode(err) != 502 {
		t.Fatalf("err = %v, want giving up with the 502", err)
	}
	if looks != 11 {
		t.Errorf("looks = %d, want 11 (10 failures tolerated)", looks)
	}
}

func TestWaitCancelled(t *testing.T) {
	clk := newRecordingClock()
	ctx, cancel := context.WithCancel(t.Context())
	err := graph.Wait(ctx, clk, graph.WaitOptions{What: "thing"}, func(context.Context) (bool, error) { cancel(); return false, nil })
	if !errors.Is(err, context.Canceled) || !graph.IsWaitTimeout(err) {
		t.Fatalf("err = %v, want cancelled WaitTimeoutError", err)
	}
}
