package graph

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// MaxWrites bounds how many times the write-once protocol sends one write. A write is sent again only when Graph
// has not acted on the last one, or when a look of NewObjectVisibleWindow after a lost answer found nothing. One
// lost answer is common (a connection dropped mid-answer), two in a row are rare, and a third means the network or
// Graph is failing: stopping there, and saying so, is better than piling up duplicates that Graph does not
// deduplicate (a connector lists the same certificate twice, a PKI gets two uploads, two PKIs share a name).
const MaxWrites = 3

// WriteOnce is one write that must happen exactly once although Graph's answers can be lost: the provider's one
// write-once protocol, for uploads, creates and the deletes that Graph refuses while a job runs. A service passes
// how to send the write, how to recognise its object, and, where its parent may be new, how long Graph may take to
// show the parent. The protocol owns the rest:
//
//   - Look first (First, when set): an object already there is adopted and nothing is sent.
//   - A sent write whose answer was lost (IsOutcomeUnknown) may have happened: the protocol looks (Look) for up to
//     Visible before it sends again, and never sends more than MaxWrites times.
//   - A 404 to the write before ParentVisibleUntil is Graph's replication lag of a new parent: Graph did not act,
//     so it spends no write; the pause grows on the one wait schedule from the first 404.
//   - A 429 the Graph client gave back (it retries them itself until the deadline) was not acted on: sent again
//     after its Retry-After while the deadline allows, spending no write.
//   - Any other error goes to Refused, which can wait for something (a job in the PKI) and ask for another round:
//     the protocol looks once, then sends again (spending a write, so a refusal that never ends stops).
//
// Every wait ends at Deadline (clock time).
type WriteOnce[T any] struct {
	// What names the object in logs and errors: `certificate 0EB2… on API connector 4571…`.
	What      string
	LogFields map[string]any
	// First, when set, looks before the first write; an object found there is adopted (WriteFound), and an error
	// (a 404 of the parent included) ends the protocol with nothing written.
	First Look[T]
	// Send sends the write once and returns the object as the answer shows it. The Graph client never sends a
	// write again on its own when its answer may have been acted on.
	Send func(ctx context.Context) (T, error)
	// Look looks for the object the write makes (after a lost answer, after a refusal).
	Look Look[T]
	// Visible is how long Graph may take to show the object after a write (NewObjectVisibleWindow when zero).
	Visible time.Duration
	// ParentVisibleUntil is when a 404 to Send stops being taken for the lag of a parent written a moment ago.
	ParentVisibleUntil time.Time
	// Refused decides on an error that is neither a lost answer, a 404 under lag nor a 429: again asks for a look
	// and, if that finds nothing, another write; otherwise err (Send's error when Refused is nil) is returned.
	Refused  func(ctx context.Context, err error) (again bool, rerr error)
	Deadline time.Time
}

// WriteOutcome says how the object came to be there.
type WriteOutcome int

const (
	// WriteFound: it was there before any write (First, or a look after a refusal): nothing was written.
	WriteFound WriteOutcome = iota
	// WriteAnswered: Graph answered the last write.
	WriteAnswered
	// WriteFoundAfterLoss: a write's answer was lost and a look then found the object.
	WriteFoundAfterLoss
)

// WriteResult is the object and how it got there; Writes counts the writes sent (a second write after a lost
// answer may have made a duplicate the service wants to clean up).
type WriteResult[T any] struct {
	Value   T
	Outcome WriteOutcome
	Writes  int
}

// WriteLostError says every write's answer was lost and looks afterwards did not find the object. When the
// deadline ended the look (TimedOut) it is also a timeout (IsWaitTimeout).
type WriteLostError struct {
	What   string
	Writes int
	// Looked is how long the protocol looked after the last write; LastErr is that write's error.
	Looked   time.Duration
	LastErr  error
	TimedOut bool
}

func (e *WriteLostError) Error() string {
	if e.TimedOut {
		return fmt.Sprintf("the answer to writing the %s was lost (%d writes), and the deadline came %s later, before "+
			"Graph showed it (last answer: %v)", e.What, e.Writes, e.Looked.Round(time.Second), e.LastErr)
	}
	return fmt.Sprintf("the answers to %d writes of the %s were lost, and Graph did not show it %s after the last one "+
		"(last answer: %v)", e.Writes, e.What, e.Looked.Round(time.Second), e.LastErr)
}

func (e *WriteLostError) Unwrap() []error {
	if e.TimedOut {
		return []error{e.LastErr, &WaitTimeoutError{What: e.What + " after a lost answer", Elapsed: e.Looked,
			LastErr: e.LastErr, Cause: context.DeadlineExceeded}}
	}
	return []error{e.LastErr}
}

// IsWriteLost reports whether err is a WriteLostError.
func IsWriteLost(err error) bool {
	var we *WriteLostError
	return errors.As(err, &we)
}

// Run runs the protocol on clk.
func (w WriteOnce[T]) Run(ctx context.Context, clk clock.Clock) (WriteResult[T], error) {
	var res WriteResult[T]
	visible := w.Visible
	if visible == 0 {
		visible = NewObjectVisibleWindow
	}
	fields := func(extra map[string]any) map[string]any {
		f := map[string]any{}
		for k, v := range w.LogFields {
			f[k] = v
		}
		for k, v := range extra {
			f[k] = v
		}
		return f
	}
	if w.First != nil {
		v, found, err := w.First(ctx)
		if err != nil {
			return res, err
		}
		if found {
			tflog.Info(ctx, "The "+w.What+" is there already; adopting it without writing", fields(nil))
			res.Value, res.Outcome = v, WriteFound
			return res, nil
		}
	}
	var notFoundSince time.Time
	for {
		if res.Writes >= MaxWrites {
			return res, fmt.Errorf("gave up writing the %s after %d writes that Graph refused or whose answers were lost", w.What, res.Writes)
		}
		res.Writes++
		sentAt := clk.Now()
		v, err := w.Send(ctx)
		switch {
		case err == nil:
			res.Value, res.Outcome = v, WriteAnswered
			return res, nil

		case IsOutcomeUnknown(err):
			tflog.Warn(ctx, "The answer to writing the "+w.What+" was lost; looking for it before writing again",
				fields(map[string]any{"error": err.Error(), "writes": res.Writes}))
			until := clk.Now().Add(visible)
			if !w.Deadline.IsZero() && w.Deadline.Before(until) {
				until = w.Deadline
			}
			got, found, lerr := WaitFound(ctx, clk, WaitOptions{What: w.What + " after a lost answer", Deadline: until,
				LogFields: w.LogFields}, w.Look)
			if found {
				res.Value, res.Outcome = got, WriteFoundAfterLoss
				return res, nil
			}
			if lerr != nil && !IsNotFound(lerr) {
				return res, fmt.Errorf("%w (looking for the %s after the answer to writing it was lost: %w)", lerr, w.What, err)
			}
			timedOut := !w.Deadline.IsZero() && !clk.Now().Before(w.Deadline)
			if res.Writes >= MaxWrites || timedOut {
				return res, &WriteLostError{What: w.What, Writes: res.Writes, Looked: clk.Now().Sub(sentAt), LastErr: err, TimedOut: timedOut}
			}
			tflog.Info(ctx, "The "+w.What+" did not show up after a lost answer; writing it again", fields(nil))

		case IsNotFound(err) && clk.Now().Before(w.ParentVisibleUntil):
			// Graph did not act on a 404: no write spent. The pause grows from the first 404.
			res.Writes--
			if notFoundSince.IsZero() {
				notFoundSince = sentAt
			}
			pause := NextWaitInterval(clk.Now().Sub(notFoundSince))
			tflog.Info(ctx, "The parent of the "+w.What+" is not visible to the write yet; trying again shortly",
				fields(map[string]any{"pause": pause.String()}))
			if err := sleepUntilDeadline(ctx, clk, pause, w.ParentVisibleUntil); err != nil {
				return res, err
			}

		case IsThrottled(err) && retryFits(clk, RetryAfterOf(err), w.Deadline):
			res.Writes--
			if err := clk.Sleep(ctx, max(RetryAfterOf(err), waitMinInterval)); err != nil {
				return res, err
			}

		default:
			if w.Refused == nil {
				return res, err
			}
			again, rerr := w.Refused(ctx, err)
			if !again {
				return res, rerr
			}
			got, found, lerr := w.Look(ctx)
			if lerr != nil && !IsNotFound(lerr) {
				return res, lerr
			}
			if found && lerr == nil {
				res.Value, res.Outcome = got, WriteFound
				return res, nil
			}
		}
	}
}

// sleepUntilDeadline pauses for d, or until deadline when that comes first.
func sleepUntilDeadline(ctx context.Context, clk clock.Clock, d time.Duration, deadline time.Time) error {
	if rest := deadline.Sub(clk.Now()); rest < d {
		d = max(rest, 0)
	}
	return clk.Sleep(ctx, d)
}

// retryFits reports whether a write throttled with retryAfter can be sent again before deadline (zero: none).
func retryFits(clk clock.Clock, retryAfter time.Duration, deadline time.Time) bool {
	return retryAfter > 0 && (deadline.IsZero() || clk.Now().Add(retryAfter).Before(deadline))
}
