package graph_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

// gatedClock is a fake clock whose Sleep lasts until the test lets it elapse (the clock then moves by its length)
// or its context ends, which is how a joined round's wait ends early: a test sees which waits ran their course.
type gatedClock struct {
	*clock.Fake
	mu       sync.Mutex
	sleepers []gatedSleep
}

type gatedSleep struct {
	ctx  context.Context
	d    time.Duration
	done chan struct{}
}

func newGatedClock() *gatedClock {
	return &gatedClock{Fake: clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))}
}

func (g *gatedClock) Sleep(ctx context.Context, d time.Duration) error {
	s := gatedSleep{ctx: ctx, d: d, done: make(chan struct{})}
	g.mu.Lock()
	g.sleepers = append(g.sleepers, s)
	g.mu.Unlock()
	select {
	case <-s.done:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		for i := range g.sleepers {
			if g.sleepers[i].done == s.done {
				g.sleepers = append(g.sleepers[:i], g.sleepers[i+1:]...)
				break
			}
		}
		g.mu.Unlock()
		return ctx.Err()
	}
}

// elapse waits until one Sleep is pending, moves the clock by its length and ends it; it returns the length. A
// Sleep whose context has ended (a wait a write has just ended) is not pending.
func (g *gatedClock) elapse(t *testing.T) time.Duration {
	t.Helper()
	deadline := time.Now().Add(batchTimeout)
	for {
		g.mu.Lock()
		for i, s := range g.sleepers {
			if s.ctx.Err() != nil {
				continue
			}
			g.sleepers = append(g.sleepers[:i], g.sleepers[i+1:]...)
			g.mu.Unlock()
			g.Advance(s.d)
			close(s.done)
			return s.d
		}
		g.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("nothing waits on the clock")
		}
		time.Sleep(time.Millisecond) // real goroutines reach their Sleep; the clock, not this pause, orders the rounds
	}
}

func withClock(c clock.Clock) envOption {
	return func(o *graph.Options, _ *graphemu.Options) { o.Clock = c }
}

// roundSizes is how many CA writes each $batch of the journal carried (its items come before it in the journal).
func roundSizes(v *env) []int {
	var sizes []int
	items := 0
	for _, en := range v.emu.Journal() {
		switch {
		case en.InBatch:
			items++
		case en.Path == batchPath:
			sizes = append(sizes, items)
			items = 0
		}
	}
	return sizes
}

// A round goes out as soon as it holds as many writes as the largest round before it (Terraform starts the next
// writers as the last ones finish), without waiting; a round that stays short goes out when no write has joined it
// for the gap.
func TestJoinedRoundGoesOutWhenFull(t *testing.T) {
	clk := newGatedClock()
	v := newEnv(t, withClock(clk))
	ctx := ctxTimeout(t, batchTimeout)
	p, err := v.client.CreatePKI(ctx, "rounds")
	if err != nil {
		t.Fatal(err)
	}
	in := newCAs(t, 25)
	v.emu.ResetJournal()
	var wg sync.WaitGroup
	errs := make([]error, len(in))
	create := func(from, to int) {
		for i := from; i < to; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = v.client.CreateCertificateAuthorityJoined(ctx, p.ID, in[i], nil)
			}()
		}
	}
	// Round 1: ten writes, then the gap (nothing tells the drain how many writers there are yet).
	gate := make(chan struct{})
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = v.client.CreateCertificateAuthorityJoined(ctx, p.ID, in[i], holdUntil(gate))
		}()
	}
	waitQueued(t, v, p.ID, 10)
	close(gate)
	start := clk.Now()
	if d := clk.elapse(t); d != graph.CAJoinGap {
		t.Fatalf("round 1 waited %s, want the gap %s", d, graph.CAJoinGap)
	}
	wg.Wait()
	// Round 2: the next ten writers. The drain waits for the first (a window at most), then for a full round;
	// the tenth write sends it with no time passing.
	create(10, 20)
	wg.Wait()
	if moved := clk.Now().Sub(start); moved != graph.CAJoinGap {
		t.Errorf("the clock moved %s by the end of round 2, want only round 1's gap %s", moved, graph.CAJoinGap)
	}
	// Round 3: four writes, fewer than a full round: they go out when no fifth joins within the gap.
	create(20, 24)
	waitQueued(t, v, p.ID, 4)
	if d := clk.elapse(t); d != graph.CAJoinGap {
		t.Errorf("round 3 waited %s, want the gap %s", d, graph.CAJoinGap)
	}
	wg.Wait()
	// Round 4: one write after rounds of several is the first of the next writers, not a lone one, so it waits the
	// gap; and it comes at once after round 3, which went out short of a full round: round 3's gap cut off writes
	// Terraform was still starting, so the gap has doubled.
	create(24, 25)
	waitQueued(t, v, p.ID, 1)
	if d := clk.elapse(t); d != 2*graph.CAJoinGap {
		t.Errorf("round 4 waited %s, want twice the gap, %s", d, 2*graph.CAJoinGap)
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("create %d: %v", i, err)
		}
	}
	if got := roundSizes(v); len(got) != 3 || got[0] != 10 || got[1] != 10 || got[2] != 4 {
		t.Errorf("$batch rounds of %v, want [10 10 4] (and round 4 a single POST)", got)
	}
	clk.elapse(t) // the drain's wait for a next write ends it
}

// A lone CA pays the window once and no more, and the drain ends when no write follows within the window.
func TestJoinedLoneCreateWaitsTheWindowOnce(t *testing.T) {
	clk := newGatedClock()
	v := newEnv(t, withClock(clk))
	ctx := ctxTimeout(t, batchTimeout)
	p, err := v.client.CreatePKI(ctx, "lone-window")
	if err != nil {
		t.Fatal(err)
	}
	v.emu.ResetJournal()
	start := clk.Now()
	done := make(chan error, 1)
	go func() {
		_, err := v.client.CreateCertificateAuthorityJoined(ctx, p.ID, newCAs(t, 1)[0], nil)
		done <- err
	}()
	if d := clk.elapse(t); d != graph.CAJoinWindow {
		t.Errorf("the lone create waited %s, want the window %s", d, graph.CAJoinWindow)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if waited := clk.Now().Sub(start); waited != graph.CAJoinWindow {
		t.Errorf("the lone create was answered %s after it began, want the window %s", waited, graph.CAJoinWindow)
	}
	if b, c := v.count("POST", batchPath), v.count("POST", caItemPath); b != 0 || c != 1 {
		t.Errorf("%d batches and %d creates for a lone CA, want 0 and 1", b, c)
	}
	clk.elapse(t) // the wait for a next write: none comes, so the drain ends
	deadline := time.Now().Add(batchTimeout)
	for v.client.JoinedDrains() > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the drain did not end after a window without writes")
		}
		time.Sleep(time.Millisecond)
	}
}

// A round stays open while writes keep joining it within the window, and closes caJoinMaxWait after it began even
// so: writes that arrive every 150 ms (less than the window and the gap) join one round until then.
func TestJoinedRoundClosesAtTheMaxWait(t *testing.T) {
	clk := newGatedClock()
	v := newEnv(t, withClock(clk))
	ctx := ctxTimeout(t, batchTimeout)
	p, err := v.client.CreatePKI(ctx, "max-wait")
	if err != nil {
		t.Fatal(err)
	}
	in := newCAs(t, 10)
	v.emu.ResetJournal()
	var wg sync.WaitGroup
	errs := make([]error, len(in))
	start := clk.Now()
	for i := range in {
		if i > 0 {
			clk.Advance(150 * time.Millisecond)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = v.client.CreateCertificateAuthorityJoined(ctx, p.ID, in[i], nil)
		}()
		if clk.Now().Sub(start) > graph.CAJoinMaxWait {
			break // the round has closed with this write: it was queued before the drain looked again
		}
		waitQueued(t, v, p.ID, i+1)
	}
	wg.Wait()
	for i, err := range errs[:8] {
		if err != nil {
			t.Errorf("create %d: %v", i, err)
		}
	}
	// Writes at 0, 150, ..., 1050 ms: the one at 1050 ms finds the round past its 1 s and closes it.
	if got := roundSizes(v); len(got) != 1 || got[0] != 8 {
		t.Errorf("rounds of %v, want one of 8", got)
	}
	clk.elapse(t) // the drain's wait for a next write ends it
}

// A round is full at the largest round seen so far, and at Graph's limit of 20 before any round or above it.
func TestJoinedRoundTarget(t *testing.T) {
	for largest, want := range map[int]int{0: 20, 1: 1, 10: 10, 20: 20, 25: 20} {
		if got := graph.RoundTarget(largest); got != want {
			t.Errorf("roundTarget(%d) = %d, want %d", largest, got, want)
		}
	}
}
