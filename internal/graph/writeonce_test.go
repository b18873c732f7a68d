package graph_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
)

// fakeObject is what the write-once tests write: a counter of writes Graph acted on, and when each shows in reads.
type fakeObject struct {
	clk      *recordingClock
	answers  []error       // what each write answers, in order (nil: answered); past the end, answered
	acted    []bool        // whether Graph acted on each write (made the object) despite the answer
	lag      time.Duration // how long after the write the object shows in reads
	madeAt   []time.Time
	sends    int
	lookedAt []time.Time
}

func (f *fakeObject) send(context.Context) (string, error) {
	i := f.sends
	f.sends++
	var err error
	if i < len(f.answers) {
		err = f.answers[i]
	}
	if err == nil || (i < len(f.acted) && f.acted[i]) {
		f.madeAt = append(f.madeAt, f.clk.Now())
	}
	if err != nil {
		return "", err
	}
	return "object", nil
}

func (f *fakeObject) look(context.Context) (string, bool, error) {
	f.lookedAt = append(f.lookedAt, f.clk.Now())
	for _, at := range f.madeAt {
		if !f.clk.Now().Before(at.Add(f.lag)) {
			return "object", true, nil
		}
	}
	return "", false, nil
}

func (f *fakeObject) op(deadline time.Time) graph.WriteOnce[string] {
	return graph.WriteOnce[string]{What: "test object", Send: f.send, Look: f.look, Deadline: deadline}
}

var errLost = &graph.Error{StatusCode: 502, Message: "answer lost"}

func TestWriteOnceAdoptsWhatTheFirstLookFinds(t *testing.T) {
	clk := newRecordingClock()
	f := &fakeObject{clk: clk, madeAt: []time.Time{clk.Now()}}
	op := f.op(time.Time{})
	op.First = f.look
	res, err := op.Run(t.Context(), clk)
	if err != nil || res.Outcome != graph.WriteFound || f.sends != 0 {
		t.Fatalf("got %+v, %v after %d writes; want the object adopted with no write", res, err, f.sends)
	}
}

// A lost answer to a write Graph acted on: the look finds it (after Graph's lag) and nothing is written twice.
func TestWriteOnceLostAnswerIsFoundNotWrittenAgain(t *testing.T) {
	clk := newRecordingClock()
	f := &fakeObject{clk: clk, answers: []error{errLost}, acted: []bool{true}, lag: 12 * time.Second}
	res, err := f.op(clk.Now().Add(time.Hour)).Run(t.Context(), clk)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != graph.WriteFoundAfterLoss || f.sends != 1 || len(f.madeAt) != 1 {
		t.Errorf("outcome %v after %d writes (%d objects), want found after the loss, 1 write", res.Outcome, f.sends, len(f.madeAt))
	}
}

// A lost answer to a write Graph did not act on: the protocol looks for NewObjectVisibleWindow, then writes again.
func TestWriteOnceLostAnswerNotActedOnIsWrittenAgainAfterTheWindow(t *testing.T) {
	clk := newRecordingClock()
	start := clk.Now()
	f := &fakeObject{clk: clk, answers: []error{errLost}, acted: []bool{false}}
	res, err := f.op(clk.Now().Add(time.Hour)).Run(t.Context(), clk)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != graph.WriteAnswered || res.Writes != 2 || len(f.madeAt) != 1 {
		t.Errorf("outcome %v, %d writes, %d objects; want answered on the second write, one object", res.Outcome, res.Writes, len(f.madeAt))
	}
	if waited := clk.Now().Sub(start); waited < graph.NewObjectVisibleWindow {
		t.Errorf("wrote again after %v, want after a look of %v", waited, graph.NewObjectVisibleWindow)
	}
}

// Every answer lost and nothing found: MaxWrites writes, then an error that says so.
func TestWriteOnceStopsAfterMaxWritesAndSaysTheAnswersWereLost(t *testing.T) {
	clk := newRecordingClock()
	f := &fakeObject{clk: clk, answers: []error{errLost, errLost, errLost, errLost, errLost}}
	_, err := f.op(clk.Now().Add(time.Hour)).Run(t.Context(), clk)
	if !graph.IsWriteLost(err) || f.sends != graph.MaxWrites {
		t.Fatalf("err %v after %d writes, want a lost-write error after %d", err, f.sends, graph.MaxWrites)
	}
	if !strings.Contains(err.Error(), "answers to 3 writes of the test object were lost") {
		t.Errorf("error %q does not say what happened", err)
	}
}

// A deadline that ends while the protocol looks after a lost answer: no second write, and the error says the
// answer was lost.
func TestWriteOnceDeadlineEndingMidLookWritesNothingMore(t *testing.T) {
	clk := newRecordingClock()
	deadline := clk.Now().Add(10 * time.Second)
	f := &fakeObject{clk: clk, answers: []error{errLost}}
	_, err := f.op(deadline).Run(t.Context(), clk)
	if !graph.IsWriteLost(err) || !graph.IsWaitTimeout(err) || !graph.IsOutcomeUnknown(err) || f.sends != 1 {
		t.Fatalf("err %v after %d writes, want a lost-write error that is a timeout, after 1", err, f.sends)
	}
	if clk.Now().After(deadline) {
		t.Errorf("looked until %v, past the deadline %v", clk.Now(), deadline)
	}
}

// 404s while the parent is new spend no write, and the pauses between them grow on the wait schedule.
func TestWriteOnceNotFoundUnderLagBacksOffAndSpendsNoWrite(t *testing.T) {
	clk := newRecordingClock()
	nf := &graph.Error{StatusCode: 404, Code: "ResourceNotFound"}
	f := &fakeObject{clk: clk, answers: []error{nf, nf, nf, nf, nf, nf, nf}}
	op := f.op(clk.Now().Add(time.Hour))
	op.ParentVisibleUntil = clk.Now().Add(2 * time.Minute)
	res, err := op.Run(t.Context(), clk)
	if err != nil {
		t.Fatal(err)
	}
	if res.Writes != 1 || f.sends != 8 {
		t.Errorf("%d writes counted over %d sends, want 1 counted (404s spend none) over 8", res.Writes, f.sends)
	}
	sleeps := clk.Sleeps()
	if len(sleeps) != 7 {
		t.Fatalf("pauses %v, want 7", sleeps)
	}
	for i := 1; i < len(sleeps); i++ {
		if sleeps[i] < sleeps[i-1] {
			t.Errorf("pauses %v shrink at %d, want a growing schedule", sleeps, i)
		}
	}
	if sleeps[len(sleeps)-1] <= sleeps[0] {
		t.Errorf("pauses %v never grow", sleeps)
	}
}

// A 404 that lasts past the parent's window goes to Refused (the service says the parent does not exist).
func TestWriteOnceNotFoundPastTheParentWindowIsRefused(t *testing.T) {
	clk := newRecordingClock()
	nf := &graph.Error{StatusCode: 404, Code: "ResourceNotFound"}
	answers := make([]error, 100)
	for i := range answers {
		answers[i] = nf
	}
	f := &fakeObject{clk: clk, answers: answers}
	op := f.op(clk.Now().Add(time.Hour))
	op.ParentVisibleUntil = clk.Now().Add(20 * time.Second)
	gone := errors.New("the parent does not exist")
	op.Refused = func(_ context.Context, err error) (bool, error) {
		if graph.IsNotFound(err) {
			return false, gone
		}
		return false, err
	}
	_, err := op.Run(t.Context(), clk)
	if !errors.Is(err, gone) {
		t.Fatalf("err %v, want the service's own", err)
	}
	if clk.Now().Before(op.ParentVisibleUntil) {
		t.Errorf("gave up at %v, before the parent's window ended", clk.Now())
	}
}

// A 429 handed back by the client is sent again after its Retry-After, spending no write.
func TestWriteOnceThrottledIsSentAgainAfterRetryAfter(t *testing.T) {
	clk := newRecordingClock()
	th := &graph.Error{StatusCode: 429, RetryAfter: 7 * time.Second}
	f := &fakeObject{clk: clk, answers: []error{th, th}}
	res, err := f.op(clk.Now().Add(time.Hour)).Run(t.Context(), clk)
	if err != nil {
		t.Fatal(err)
	}
	if res.Writes != 1 || f.sends != 3 {
		t.Errorf("%d writes counted over %d sends, want 1 over 3", res.Writes, f.sends)
	}
	if s := clk.Sleeps(); len(s) != 2 || s[0] != 7*time.Second || s[1] != 7*time.Second {
		t.Errorf("pauses %v, want [7s 7s]", s)
	}
}

// A 429 whose Retry-After goes past the deadline is returned as it is.
func TestWriteOnceThrottledBeyondTheDeadlineIsReturned(t *testing.T) {
	clk := newRecordingClock()
	th := &graph.Error{StatusCode: 429, RetryAfter: time.Minute}
	f := &fakeObject{clk: clk, answers: []error{th}}
	_, err := f.op(clk.Now().Add(30*time.Second)).Run(t.Context(), clk)
	if !graph.IsThrottled(err) || f.sends != 1 {
		t.Fatalf("err %v after %d sends, want the 429 after 1", err, f.sends)
	}
}

// Refused asking for another round: the protocol looks first, and adopts what it finds.
func TestWriteOnceRefusalThenLookAdopts(t *testing.T) {
	clk := newRecordingClock()
	f := &fakeObject{clk: clk, answers: []error{&graph.Error{StatusCode: 400, Message: "duplicate"}}}
	op := f.op(clk.Now().Add(time.Hour))
	op.Refused = func(context.Context, error) (bool, error) {
		f.madeAt = append(f.madeAt, clk.Now()) // someone else made it meanwhile
		return true, nil
	}
	res, err := op.Run(t.Context(), clk)
	if err != nil || res.Outcome != graph.WriteFound || f.sends != 1 {
		t.Fatalf("got %+v, %v after %d sends; want adopted after 1", res, err, f.sends)
	}
}

// A refusal that never ends stops at MaxWrites.
func TestWriteOnceEndlessRefusalStops(t *testing.T) {
	clk := newRecordingClock()
	bad := &graph.Error{StatusCode: 400, Message: "in progress"}
	f := &fakeObject{clk: clk, answers: []error{bad, bad, bad, bad, bad}}
	op := f.op(clk.Now().Add(time.Hour))
	op.Refused = func(context.Context, error) (bool, error) { return true, nil }
	_, err := op.Run(t.Context(), clk)
	if err == nil || f.sends != graph.MaxWrites {
		t.Fatalf("err %v after %d sends, want an error after %d", err, f.sends, graph.MaxWrites)
	}
}
