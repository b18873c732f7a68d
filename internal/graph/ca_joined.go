package graph

import (
	"context"
	"strings"
	"sync"
	"time"
)

// Joined CA writes: the creates and deletes of single CAs on one PKI that run at the same moment (Terraform applies
// CA resources ten at a time) share $batch requests of up to MaxBatchRequests items. A round gathers writes while
// they keep coming (collectRound), then goes out as one request (a plain POST or DELETE when it holds one write), and
// the next round gathers while it is in flight. Each item keeps its own outcome: an item answered 429 is sent again
// after its retry-after (runBatch); a lost batch answer or a 5xx item comes back as IsOutcomeUnknown, for the
// caller's write-once protocol to settle by reading; a 404 on a delete means gone.
//
// Graph runs one operation at a time per PKI: writes to a PKI wait for its upload jobs. The rounds of one PKI are
// sent one after the other while holding Hold, the caller's lock on the PKI, so they never overlap an upload made by
// this provider; the writes waiting for them do not hold it. Graph does not require CA creates to run in series.

// caJoinWindow is how long a lone write waits for a second one, and so what a lone CA pays. Measured with `make
// bench` scenario 8 (250 CA resources, -parallelism=10, 50 ms latency): Terraform starts the next ten CA resources
// about 20 ms apart, so a fixed window of 10 ms made 80 requests for the apply, 30 ms 54, 100 ms 37 and 200 ms 30.
//
// A round is open while writes keep joining it: it goes out when it is full (as many writes as the largest round
// so far, roundTarget: the writers of the last round are the ones Terraform starts next), when no second write has
// joined a lone one within caJoinWindow (lone: no round of this PKI in this operation had two writes or more), when
// no further write has joined for the PKI's gap (caJoinGap at first), or caJoinMaxWait after it began. The journal
// of scenario 8 showed why a fixed window from the end of the last round was not enough: the ten writes that follow
// a round arrive 100 to 220 ms after it (300 ms to 1 s on a loaded machine, with gaps of up to 260 ms between two of
// them), so one to eight of them went into a round of their own (27 to 56 requests for 25 rounds' worth of writes).
// With these rules the apply and the destroy are 25 rounds each (BENCHMARKS.md, scenario 8).
const caJoinWindow = 200 * time.Millisecond

// caJoinGap is how long a round of two writes or more waits for the next one at first: longer than caJoinWindow,
// which a lone write pays, because the gaps between the writes Terraform starts together reach 260 ms on a loaded
// machine. It doubles (up to caJoinMaxWait) when a round that went out short of a full one is followed at once by
// more writes: on a machine loaded ten times over its cores, Terraform's gaps passed 400 ms.
const caJoinGap = 2 * caJoinWindow

// caJoinMaxWait bounds how long a round stays open for writes that keep coming, counted from its start (its first
// write, or the end of the last round when writes queued meanwhile): a write waits at most this long for others (a
// lone one, caJoinWindow), besides the round in flight before it.
const caJoinMaxWait = time.Second

// Hold takes the caller's lock on a PKI and returns its release (called once), or ctx's error.
type Hold func(ctx context.Context) (release func(), err error)

type joinedOp struct {
	ctx      context.Context
	create   *NewCertificateAuthority // a create, or
	deleteID string                   // a delete, unless keep (asked while holding the PKI's lock) says no
	keep     func() bool
	kept     bool
	done     chan struct{}
	ca       *CertificateAuthority
	err      error
}

type joinedQueue struct {
	ops      []*joinedOp
	draining bool
	// wake ends the drain's wait once ops holds want writes (nil: the drain is not waiting).
	wake func()
	want int
}

type caJoiner struct {
	mu     sync.Mutex
	queues map[string]*joinedQueue // by lower-case PKI ID
	// paces is what the rounds of each PKI in this operation showed about Terraform's pace.
	paces map[string]*joinPace
}

// joinPace is what the rounds of one PKI showed: how many writers Terraform runs at once (the largest round), and
// how long a round waits for its next write, which grows when a short round turns out to have left writes behind.
type joinPace struct {
	largest int
	gap     time.Duration
	shortAt time.Time // when the last round went out short of a full one (zero: it was full)
}

// paceOf is the pace of the PKI key; j.mu held.
func (j *caJoiner) paceOf(key string) *joinPace {
	if j.paces == nil {
		j.paces = map[string]*joinPace{}
	}
	p := j.paces[key]
	if p == nil {
		p = &joinPace{gap: caJoinGap}
		j.paces[key] = p
	}
	return p
}

// CreateCertificateAuthorityJoined adds one CA like CreateCertificateAuthority, sharing a $batch request with the
// creates and deletes on the same PKI that run at the same moment.
func (c *Client) CreateCertificateAuthorityJoined(ctx context.Context, pkiID string, in NewCertificateAuthority, hold Hold) (*CertificateAuthority, error) {
	op := &joinedOp{ctx: ctx, create: &in, done: make(chan struct{})}
	if err := c.joinCA(ctx, pkiID, op, hold); err != nil {
		return nil, err
	}
	return op.ca, op.err
}

// DeleteCertificateAuthorityJoined deletes one CA (nil: deleted or already gone) like DeleteCertificateAuthority,
// sharing a $batch request with the writes on the same PKI that run at the same moment. keep, when set, is asked
// while the PKI's lock is held, just before the delete would be sent: true keeps the CA (kept reports it).
func (c *Client) DeleteCertificateAuthorityJoined(ctx context.Context, pkiID, caID string, hold Hold, keep func() bool) (kept bool, err error) {
	if caID == "" {
		return false, errEmptyID("certificate authority")
	}
	op := &joinedOp{ctx: ctx, deleteID: caID, keep: keep, done: make(chan struct{})}
	if err := c.joinCA(ctx, pkiID, op, hold); err != nil {
		return false, err
	}
	return op.kept, op.err
}

// joinCA queues op and waits for its outcome. When ctx ends first, an op not sent yet is dropped (ctx's error); one
// in flight may still happen, so its outcome is unknown.
func (c *Client) joinCA(ctx context.Context, pkiID string, op *joinedOp, hold Hold) error {
	if pkiID == "" {
		return errEmptyID("PKI")
	}
	key := strings.ToLower(pkiID)
	j := &c.caJoins
	j.mu.Lock()
	if j.queues == nil {
		j.queues = map[string]*joinedQueue{}
	}
	q := j.queues[key]
	if q == nil {
		q = &joinedQueue{}
		j.queues[key] = q
	}
	q.ops = append(q.ops, op)
	if q.wake != nil && len(q.ops) >= q.want {
		q.wake()
		q.wake = nil
	}
	if !q.draining {
		q.draining = true
		// The batches outlive the caller that started them: the others wait for them too.
		go c.drainCA(context.WithoutCancel(ctx), pkiID, key, q, hold)
	}
	j.mu.Unlock()

	select {
	case <-op.done:
		return nil
	case <-ctx.Done():
		j.mu.Lock()
		for i, o := range q.ops {
			if o == op { // not sent yet
				q.ops = append(q.ops[:i], q.ops[i+1:]...)
				j.mu.Unlock()
				return ctx.Err()
			}
		}
		j.mu.Unlock()
		return &outcomeUnknownError{Method: "POST", Path: "/$batch", err: ctx.Err()}
	}
}

// drainCA sends the queue of one PKI, holding the PKI's lock, until it is empty.
func (c *Client) drainCA(ctx context.Context, pkiID, key string, q *joinedQueue, hold Hold) {
	j := &c.caJoins
	release := func() {}
	if hold != nil {
		r, err := hold(ctx)
		if err != nil {
			j.mu.Lock()
			ops := q.ops
			q.ops, q.draining = nil, false
			delete(j.queues, key)
			j.mu.Unlock()
			for _, op := range ops {
				op.err = err
				close(op.done)
			}
			return
		}
		release = r
	}
	defer release()
	for {
		// A round starts with its first write: one queued already, or one that comes within the window (Terraform
		// starts the next writers a few milliseconds after the last round's answer); without one the drain ends.
		if c.waitJoined(ctx, q, 1, caJoinWindow) {
			c.collectRound(ctx, key, q)
		}
		j.mu.Lock()
		var batch []*joinedOp
		taken := 0
		for len(q.ops) > 0 && len(batch) < MaxBatchRequests {
			op := q.ops[0]
			q.ops = q.ops[1:]
			taken++
			if op.ctx.Err() != nil {
				op.err = op.ctx.Err()
				close(op.done)
				continue
			}
			if op.keep != nil && op.keep() {
				op.kept = true
				close(op.done)
				continue
			}
			batch = append(batch, op)
		}
		if len(batch) == 0 {
			q.draining = false
			delete(j.queues, key)
			j.mu.Unlock()
			return
		}
		p := j.paceOf(key)
		p.shortAt = time.Time{}
		if p.largest > 0 && taken < roundTarget(p.largest) {
			p.shortAt = c.clock.Now()
		}
		p.largest = max(p.largest, taken)
		j.mu.Unlock()
		c.sendJoined(ctx, pkiID, batch)
	}
}

// roundTarget is how many writes make a round full, given the largest round so far (0: none yet).
func roundTarget(largest int) int {
	if largest <= 0 || largest > MaxBatchRequests {
		return MaxBatchRequests
	}
	return largest
}

// collectRound keeps a round open while writes join it: until it is full (roundTarget), no write has joined for
// caJoinWindow (a lone write) or the PKI's gap (two or more, or one after rounds of several: caJoinGap, doubled up to
// caJoinMaxWait each time a short round turns out to have left writes behind), or caJoinMaxWait has passed since it
// began.
func (c *Client) collectRound(ctx context.Context, key string, q *joinedQueue) {
	j := &c.caJoins
	now := c.clock.Now()
	j.mu.Lock()
	p := j.paceOf(key)
	if !p.shortAt.IsZero() && now.Sub(p.shortAt) < p.gap {
		// The last round went out short, and this one began right after it: the gap cut off writes Terraform was
		// still starting (a loaded machine starts them more slowly). Wait longer from now on, up to the cap.
		p.gap = min(2*p.gap, caJoinMaxWait)
	}
	p.shortAt = time.Time{}
	largest, next := p.largest, p.gap
	j.mu.Unlock()
	target := roundTarget(largest)
	closes := now.Add(caJoinMaxWait)
	for {
		j.mu.Lock()
		n := len(q.ops)
		j.mu.Unlock()
		gap := next
		if n == 1 && largest < 2 {
			// A lone write pays no more than the window. After rounds of several writes, one write is the first of
			// the next ones Terraform starts, not a lone one.
			gap = caJoinWindow
		}
		wait := min(gap, closes.Sub(c.clock.Now()))
		if n == 0 || n >= target || wait <= 0 || !c.waitJoined(ctx, q, n+1, wait) {
			return
		}
	}
}

// waitJoined waits up to d until q holds n writes (at once when it does already), and reports whether it does.
func (c *Client) waitJoined(ctx context.Context, q *joinedQueue, n int, d time.Duration) bool {
	j := &c.caJoins
	j.mu.Lock()
	if len(q.ops) >= n {
		j.mu.Unlock()
		return true
	}
	wctx, wake := context.WithCancel(ctx)
	defer wake()
	q.wake, q.want = wake, n
	j.mu.Unlock()
	_ = c.clock.Sleep(wctx, d)
	j.mu.Lock()
	defer j.mu.Unlock()
	q.wake = nil
	return len(q.ops) >= n
}

// sendJoined sends one round: the creates and the deletes of batch, each as one request (a $batch when several).
func (c *Client) sendJoined(ctx context.Context, pkiID string, batch []*joinedOp) {
	var creates, deletes []*joinedOp
	for _, op := range batch {
		if op.create != nil {
			creates = append(creates, op)
		} else {
			deletes = append(deletes, op)
		}
	}
	if len(creates) > 0 {
		in := make([]NewCertificateAuthority, len(creates))
		for i, op := range creates {
			in[i] = *op.create
		}
		for i, r := range c.CreateCertificateAuthorities(ctx, pkiID, in) {
			creates[i].ca, creates[i].err = r.CA, r.Err
			close(creates[i].done)
		}
	}
	if len(deletes) > 0 {
		ids := make([]string, len(deletes))
		for i, op := range deletes {
			ids[i] = op.deleteID
		}
		for i, err := range c.DeleteCertificateAuthorities(ctx, pkiID, ids) {
			deletes[i].err = err
			close(deletes[i].done)
		}
	}
}
