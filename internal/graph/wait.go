package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// The one back-off schedule of every wait (a certificate or CA becoming visible, a PKI job, a deletion): look
// again after half the time waited so far, between 0.5 s and 30 s. A state change is then noticed at most 50 % of
// the time waited late, and a 30-minute PKI job costs about 70 looks.
const (
	waitMinInterval = 500 * time.Millisecond
	waitMaxInterval = 30 * time.Second
	// waitMaxTransient is how many failed looks in a row (throttled, lost answers, 5xx) a wait tolerates.
	waitMaxTransient = 10
)

// NextWaitInterval is the pause before the next look, given how long the wait has lasted.
func NextWaitInterval(elapsed time.Duration) time.Duration {
	return min(max(elapsed/2, waitMinInterval), waitMaxInterval)
}

// WaitOptions tunes Wait.
type WaitOptions struct {
	// What names what is waited for, in logs and errors: `certificate 0EB2… on API connector 4571…`.
	What string
	// Deadline, when not zero, ends the wait in the clock's time (the operation's timeout). Without it the wait
	// lasts until ctx ends.
	Deadline time.Time
	// FirstLook is the pause before the first look (0: look at once).
	FirstLook time.Duration
	// LogFields are added to every progress line.
	LogFields map[string]any
}

// Condition looks once. done ends the wait. An error for which IsTransient holds is tolerated (the next look
// comes after at least RetryAfterOf(err)); any other error ends the wait with that error.
type Condition func(ctx context.Context) (done bool, err error)

// WaitTimeoutError is returned when the deadline or ctx ends a wait before the condition held.
type WaitTimeoutError struct {
	What    string
	Elapsed time.Duration
	Looks   int
	// LastErr is the last look's transient error, if the last look failed.
	LastErr error
	// Cause is context.DeadlineExceeded (deadline or ctx timeout) or context.Canceled.
	Cause error
}

func (e *WaitTimeoutError) Error() string {
	verb := "timed out"
	if errors.Is(e.Cause, context.Canceled) {
		verb = "stopped (cancelled)"
	}
	msg := fmt.Sprintf("%s waiting for the %s after %s and %d looks", verb, e.What, e.Elapsed.Round(time.Second), e.Looks)
	if e.LastErr != nil {
		msg += " (last look: " + e.LastErr.Error() + ")"
	}
	return msg
}

func (e *WaitTimeoutError) Unwrap() error { return e.Cause }

// IsWaitTimeout reports whether err is a wait that ran out of time or was cancelled.
func IsWaitTimeout(err error) bool {
	var we *WaitTimeoutError
	return errors.As(err, &we)
}

// Wait looks with cond until it reports done, on the one back-off schedule (NextWaitInterval), honouring
// Retry-After on throttled looks, opts.Deadline (clock time) and ctx. It never sleeps past the deadline: the last
// look happens at the deadline.
func Wait(ctx context.Context, clk clock.Clock, opts WaitOptions, cond Condition) error {
	start := clk.Now()
	pause := opts.FirstLook
	looks, failed := 0, 0
	var lastErr error
	for {
		now := clk.Now()
		final := false
		if !opts.Deadline.IsZero() {
			remaining := opts.Deadline.Sub(now)
			if remaining <= 0 && looks > 0 {
				return &WaitTimeoutError{What: opts.What, Elapsed: now.Sub(start), Looks: looks, LastErr: lastErr, Cause: context.DeadlineExceeded}
			}
			if pause >= remaining {
				pause, final = max(remaining, 0), true
			}
		}
		if pause > 0 {
			if err := clk.Sleep(ctx, pause); err != nil {
				return &WaitTimeoutError{What: opts.What, Elapsed: clk.Now().Sub(start), Looks: looks, LastErr: lastErr, Cause: waitCause(ctx, err)}
			}
		}
		looks++
		done, err := cond(ctx)
		elapsed := clk.Now().Sub(start)
		switch {
		case err == nil && done:
			if looks > 1 {
				tflog.Debug(ctx, "Finished waiting for the "+opts.What, waitFields(opts, elapsed, looks, nil))
			}
			return nil
		case err == nil:
			failed, lastErr = 0, nil
			pause = NextWaitInterval(elapsed)
			if looks > 1 {
				tflog.Info(ctx, fmt.Sprintf("Still waiting for the %s (%s elapsed)", opts.What, elapsed.Round(time.Second)),
					waitFields(opts, elapsed, looks, nil))
			}
		case ctx.Err() != nil:
			return &WaitTimeoutError{What: opts.What, Elapsed: elapsed, Looks: looks, LastErr: err, Cause: waitCause(ctx, ctx.Err())}
		case IsTransient(err):
			failed++
			lastErr = err
			if failed > waitMaxTransient {
				return fmt.Errorf("giving up waiting for the %s after %d failed looks in a row: %w", opts.What, failed, err)
			}
			tflog.Warn(ctx, "A look failed while waiting for the "+opts.What+"; trying again",
				waitFields(opts, elapsed, looks, map[string]any{"error": err.Error()}))
			pause = max(NextWaitInterval(elapsed), RetryAfterOf(err))
		default:
			return err
		}
		if final {
			return &WaitTimeoutError{What: opts.What, Elapsed: elapsed, Looks: looks, LastErr: lastErr, Cause: context.DeadlineExceeded}
		}
	}
}

func waitCause(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return context.DeadlineExceeded
	}
	return context.Canceled
}

func waitFields(opts WaitOptions, elapsed time.Duration, looks int, extra map[string]any) map[string]any {
	f := map[string]any{"elapsed": elapsed.Round(time.Second).String(), "looks": looks}
	for k, v := range opts.LogFields {
		f[k] = v
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

// Clock is the client's time source (the one its retries wait on), for callers that wait on Graph.
func (c *Client) Clock() clock.Clock { return c.clock }
