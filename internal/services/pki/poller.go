package pki

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Poll schedule. Looking again after half the time waited so far means a job's end is noticed at most
// 50 % of its running time late; the cap bounds that to 30 s and keeps a 30-minute job to about 70 looks.
const (
	pollFirstLook   = time.Second
	pollMinInterval = 500 * time.Millisecond
	pollMaxInterval = 30 * time.Second
	// pollMaxTransient is how many failed looks in a row are tolerated before giving up.
	pollMaxTransient = 10
)

// JobStatus is what one look at a PKI shows.
type JobStatus struct {
	Status        string
	StatusDetails string
	// RetryAfter, when > 0, is how long the service asked to be left alone before the next look.
	RetryAfter time.Duration
}

// Running reports whether the PKI still runs a job; any other status is final.
func (s JobStatus) Running() bool { return s.Status == graph.PKIStatusRunning }

// JobStatusSource reads the current status of a PKI's job.
type JobStatusSource interface {
	JobStatus(ctx context.Context) (JobStatus, error)
}

// JobStatusFunc adapts a function to JobStatusSource.
type JobStatusFunc func(ctx context.Context) (JobStatus, error)

func (f JobStatusFunc) JobStatus(ctx context.Context) (JobStatus, error) { return f(ctx) }

// TransientError marks a look that failed in a way worth trying again (throttling, 5xx, a lost answer).
type TransientError struct {
	Err        error
	RetryAfter time.Duration
}

func (e *TransientError) Error() string { return e.Err.Error() }
func (e *TransientError) Unwrap() error { return e.Err }

// StillRunningError is returned when the wait ends (cancelled, timed out) while the job still runs.
type StillRunningError struct {
	What    string
	Elapsed time.Duration
	Last    JobStatus
	// Cause is context.Canceled or context.DeadlineExceeded.
	Cause error
}

func (e *StillRunningError) Error() string {
	if errors.Is(e.Cause, context.Canceled) {
		return fmt.Sprintf("stopped waiting for the %s after %s: the wait was cancelled while the job still runs",
			e.What, e.Elapsed.Round(time.Second))
	}
	return fmt.Sprintf("timed out waiting for the %s after %s: the job still runs",
		e.What, e.Elapsed.Round(time.Second))
}

func (e *StillRunningError) Unwrap() error { return e.Cause }

// PollOptions tunes WaitForJob.
type PollOptions struct {
	// What names the job in logs and errors, e.g. `upload job of PKI "0d7a…"`.
	What string
	// Deadline, when not zero, ends the wait in clock time (the resource's timeout).
	Deadline time.Time
	// LogFields are added to every progress log line.
	LogFields map[string]any
}

// NextPollInterval is the wait before the next look, given how long the job has been waited for.
func NextPollInterval(elapsed time.Duration) time.Duration {
	d := elapsed / 2
	if d < pollMinInterval {
		d = pollMinInterval
	}
	if d > pollMaxInterval {
		d = pollMaxInterval
	}
	return d
}

// WaitForJob looks at src until its status is no longer running and returns that final status.
// The caller has just seen the job running (or started it), so the first look is after about a second;
// intervals then grow with the time waited (see NextPollInterval) unless the service asks for longer.
// It honours ctx cancellation and opts.Deadline, returning *StillRunningError when either ends the wait.
func WaitForJob(ctx context.Context, clk clock.Clock, src JobStatusSource, opts PollOptions) (JobStatus, error) {
	start := clk.Now()
	last := JobStatus{Status: graph.PKIStatusRunning}
	wait := pollFirstLook
	transient := 0
	polls := 0
	for {
		now := clk.Now()
		lastLook := false
		if !opts.Deadline.IsZero() {
			remaining := opts.Deadline.Sub(now)
			if remaining <= 0 {
				return last, &StillRunningError{What: opts.What, Elapsed: now.Sub(start), Last: last, Cause: context.DeadlineExceeded}
			}
			if wait >= remaining {
				wait, lastLook = remaining, true
			}
		}
		if err := clk.Sleep(ctx, wait); err != nil {
			return last, &StillRunningError{What: opts.What, Elapsed: clk.Now().Sub(start), Last: last, Cause: ctxCause(ctx, err)}
		}
		polls++
		st, err := src.JobStatus(ctx)
		elapsed := clk.Now().Sub(start)
		if err != nil {
			if ctx.Err() != nil {
				return last, &StillRunningError{What: opts.What, Elapsed: elapsed, Last: last, Cause: ctxCause(ctx, ctx.Err())}
			}
			var te *TransientError
			if !errors.As(err, &te) {
				return last, err
			}
			transient++
			if transient > pollMaxTransient {
				return last, fmt.Errorf("giving up on the %s after %d failed looks in a row: %w", opts.What, transient, err)
			}
			tflog.Warn(ctx, "Look at a running PKI job failed; trying again", logFields(opts, elapsed, polls, map[string]any{"error": err.Error()}))
			wait = max(NextPollInterval(elapsed), te.RetryAfter)
			if lastLook {
				return last, &StillRunningError{What: opts.What, Elapsed: elapsed, Last: last, Cause: context.DeadlineExceeded}
			}
			continue
		}
		transient = 0
		last = st
		if !st.Running() {
			tflog.Info(ctx, "PKI job finished", logFields(opts, elapsed, polls, map[string]any{"status": st.Status}))
			return st, nil
		}
		if lastLook {
			return last, &StillRunningError{What: opts.What, Elapsed: elapsed, Last: last, Cause: context.DeadlineExceeded}
		}
		tflog.Info(ctx, fmt.Sprintf("Still waiting for the %s (%s elapsed)", opts.What, elapsed.Round(time.Second)),
			logFields(opts, elapsed, polls, nil))
		wait = max(NextPollInterval(elapsed), st.RetryAfter)
	}
}

func ctxCause(ctx context.Context, err error) error {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return context.DeadlineExceeded
	}
	return context.Canceled
}

func logFields(opts PollOptions, elapsed time.Duration, polls int, extra map[string]any) map[string]any {
	f := map[string]any{"elapsed": elapsed.Round(time.Second).String(), "polls": polls}
	for k, v := range opts.LogFields {
		f[k] = v
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}
