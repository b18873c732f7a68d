package pki

import (
	"context"
	"errors"
	"math/rand"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
)

var pollEpoch = time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeJob is a job that runs for duration from the clock's start, then ends with final.
type fakeJob struct {
	clk      *clock.Fake
	start    time.Time
	duration time.Duration
	final    string
	looks    []time.Time
}

func (j *fakeJob) JobStatus(context.Context) (JobStatus, error) {
	now := j.clk.Now()
	j.looks = append(j.looks, now)
	if now.Sub(j.start) >= j.duration {
		return JobStatus{Status: j.final, StatusDetails: "done"}, nil
	}
	return JobStatus{Status: "running"}, nil
}

func jobDurations() []time.Duration {
	ds := []time.Duration{time.Second, 1500 * time.Millisecond, 2 * time.Second, 59 * time.Second, 60 * time.Second,
		61 * time.Second, 10 * time.Minute, 29*time.Minute + 59*time.Second, 30 * time.Minute}
	for d := time.Second; d <= 30*time.Minute; d += 997 * time.Millisecond {
		ds = append(ds, d)
	}
	r := rand.New(rand.NewSource(1))
	for range 2000 {
		ds = append(ds, time.Second+time.Duration(r.Int63n(int64(30*time.Minute-time.Second))))
	}
	return ds
}

func TestWaitForJob_noticesTheEndPromptlyWithFewLooks(t *testing.T) {
	t.Parallel()
	for _, d := range jobDurations() {
		clk := clock.NewFake(pollEpoch)
		job := &fakeJob{clk: clk, start: pollEpoch, duration: d, final: "succeeded"}
		st, err := WaitForJob(context.Background(), clk, job, PollOptions{What: "test job"})
		if err != nil {
			t.Fatalf("job of %s: %v", d, err)
		}
		if st.Status != "succeeded" {
			t.Fatalf("job of %s: status %q", d, st.Status)
		}
		late := clk.Now().Sub(pollEpoch) - d
		if late > d/2 {
			t.Errorf("job of %s: noticed %s late, more than half its running time", d, late)
		}
		if late > 30*time.Second {
			t.Errorf("job of %s: noticed %s late, more than 30s", d, late)
		}
		if first := job.looks[0].Sub(pollEpoch); first < 500*time.Millisecond || first > 1500*time.Millisecond {
			t.Errorf("job of %s: first look after %s, want about a second", d, first)
		}
		if d <= 30*time.Minute && len(job.looks) > 70 {
			t.Errorf("job of %s: %d looks, want at most 70", d, len(job.looks))
		}
	}
}

func TestWaitForJob_intervalsGrowToTheCap(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(pollEpoch)
	job := &fakeJob{clk: clk, start: pollEpoch, duration: time.Hour, final: "succeeded"}
	if _, err := WaitForJob(context.Background(), clk, job, PollOptions{}); err != nil {
		t.Fatal(err)
	}
	// After the first look (at one second), every gap is at least as long as the one before.
	prev, prevGap := job.looks[0], time.Duration(0)
	for i, l := range job.looks[1:] {
		gap := l.Sub(prev)
		if gap > 30*time.Second {
			t.Fatalf("look %d: gap %s over the 30s cap", i, gap)
		}
		if gap < prevGap {
			t.Fatalf("look %d: gap %s shrank from %s", i, gap, prevGap)
		}
		prev, prevGap = l, gap
	}
	if prevGap != 30*time.Second {
		t.Fatalf("last gap %s, want the 30s cap", prevGap)
	}
}

func TestWaitForJob_returnsFailedStatusWithDetails(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(pollEpoch)
	job := &fakeJob{clk: clk, start: pollEpoch, duration: 5 * time.Second, final: "failed"}
	st, err := WaitForJob(context.Background(), clk, job, PollOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != "failed" || st.StatusDetails != "done" {
		t.Fatalf("got %+v", st)
	}
}

func TestWaitForJob_honoursRetryAfter(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(pollEpoch)
	var looks []time.Time
	src := JobStatusFunc(func(context.Context) (JobStatus, error) {
		looks = append(looks, clk.Now())
		if len(looks) == 1 {
			return JobStatus{Status: "running", RetryAfter: 20 * time.Second}, nil
		}
		if len(looks) == 2 {
			return JobStatus{}, &TransientError{Err: errors.New("429 throttled"), RetryAfter: 45 * time.Second}
		}
		return JobStatus{Status: "succeeded"}, nil
	})
	if _, err := WaitForJob(context.Background(), clk, src, PollOptions{}); err != nil {
		t.Fatal(err)
	}
	if len(looks) != 3 {
		t.Fatalf("%d looks, want 3", len(looks))
	}
	if gap := looks[1].Sub(looks[0]); gap != 20*time.Second {
		t.Errorf("gap after Retry-After 20s: %s", gap)
	}
	if gap := looks[2].Sub(looks[1]); gap != 45*time.Second {
		t.Errorf("gap after a throttled look with Retry-After 45s: %s", gap)
	}
}

func TestWaitForJob_givesUpOnPersistentFailures(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(pollEpoch)
	n := 0
	src := JobStatusFunc(func(context.Context) (JobStatus, error) {
		n++
		return JobStatus{}, &TransientError{Err: errors.New("503")}
	})
	_, err := WaitForJob(context.Background(), clk, src, PollOptions{})
	if err == nil || n != pollMaxTransient+1 {
		t.Fatalf("err %v after %d looks", err, n)
	}
	permanent := errors.New("403 forbidden")
	_, err = WaitForJob(context.Background(), clk, JobStatusFunc(func(context.Context) (JobStatus, error) {
		return JobStatus{}, permanent
	}), PollOptions{})
	if !errors.Is(err, permanent) {
		t.Fatalf("got %v, want the permanent error at once", err)
	}
}

func TestWaitForJob_deadline(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(pollEpoch)
	job := &fakeJob{clk: clk, start: pollEpoch, duration: time.Hour, final: "succeeded"}
	deadline := pollEpoch.Add(10 * time.Minute)
	st, err := WaitForJob(context.Background(), clk, job, PollOptions{What: "upload job", Deadline: deadline})
	var sre *StillRunningError
	if !errors.As(err, &sre) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want a StillRunningError for the deadline", err)
	}
	if !st.Running() || !sre.Last.Running() {
		t.Fatalf("last status %+v, want running", st)
	}
	if !clk.Now().Equal(deadline) {
		t.Fatalf("stopped at %s, want the deadline %s", clk.Now().Sub(pollEpoch), deadline.Sub(pollEpoch))
	}
	if job.looks[len(job.looks)-1] != deadline {
		t.Fatalf("last look at %s, want one at the deadline", job.looks[len(job.looks)-1].Sub(pollEpoch))
	}
}

func TestWaitForJob_cancellation(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(pollEpoch)
	ctx, cancel := context.WithCancel(context.Background())
	job := &fakeJob{clk: clk, start: pollEpoch, duration: time.Hour, final: "succeeded"}
	clk.OnSleep = func(now time.Time) {
		if now.Sub(pollEpoch) > 2*time.Minute {
			cancel()
		}
	}
	_, err := WaitForJob(ctx, clk, job, PollOptions{What: "upload job"})
	var sre *StillRunningError
	if !errors.As(err, &sre) || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want a StillRunningError for the cancellation", err)
	}
	if clk.Now().Sub(pollEpoch) > 3*time.Minute {
		t.Fatalf("kept waiting until %s after the cancellation", clk.Now().Sub(pollEpoch))
	}
}

func TestWaitForJob_realClockCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	begin := time.Now()
	_, err := WaitForJob(ctx, clock.Real{}, JobStatusFunc(func(context.Context) (JobStatus, error) {
		return JobStatus{Status: "running"}, nil
	}), PollOptions{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if time.Since(begin) > 2*time.Second {
		t.Fatalf("took %s to notice the context ended", time.Since(begin))
	}
}
