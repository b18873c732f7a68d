package graph_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

// holdUntil is a Hold that lets the batch go only once gate is closed.
func holdUntil(gate <-chan struct{}) graph.Hold {
	return func(ctx context.Context) (func(), error) {
		select {
		case <-gate:
			return func() {}, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Concurrent creates of single CAs on one PKI go out as $batch requests of up to 20, not one POST each.
func TestJoinedCreatesShareBatches(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, batchTimeout)
	p, err := v.client.CreatePKI(ctx, "joined")
	if err != nil {
		t.Fatal(err)
	}
	in := newCAs(t, 25)
	v.emu.ResetJournal()
	gate := make(chan struct{})
	cas, errs := make([]*graph.CertificateAuthority, len(in)), make([]error, len(in))
	var wg sync.WaitGroup
	for i := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cas[i], errs[i] = v.client.CreateCertificateAuthorityJoined(ctx, p.ID, in[i], holdUntil(gate))
		}()
	}
	waitQueued(t, v, p.ID, len(in))
	close(gate)
	wg.Wait()
	for i := range in {
		if errs[i] != nil || cas[i] == nil || cas[i].Thumbprint != in[i].Thumbprint {
			t.Fatalf("create %d: %+v %v", i, cas[i], errs[i])
		}
	}
	if n := v.count("POST", batchPath); n != 2 {
		t.Errorf("%d $batch requests for 25 concurrent creates, want 2 (20 + 5)", n)
	}
	if n := v.count("POST", caItemPath); n != 25 {
		t.Errorf("%d CA creates, want 25", n)
	}
}

// A lone create is not held back: it goes out at once, as a plain POST.
func TestJoinedLoneCreateIsAPlainPOST(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, batchTimeout)
	p, err := v.client.CreatePKI(ctx, "lone")
	if err != nil {
		t.Fatal(err)
	}
	v.emu.ResetJournal()
	ca, err := v.client.CreateCertificateAuthorityJoined(ctx, p.ID, newCAs(t, 1)[0], nil)
	if err != nil || ca == nil {
		t.Fatal(ca, err)
	}
	if b, c := v.count("POST", batchPath), v.count("POST", caItemPath); b != 0 || c != 1 {
		t.Errorf("%d batches and %d creates for a lone CA, want 0 and 1", b, c)
	}
}

// The answer to a shared $batch is lost: every create comes back with an unknown outcome, the write-once protocol
// finds each CA by reading, and nothing is created twice.
func TestJoinedCreatesLostBatchAnswerCreatesNothingTwice(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, batchTimeout)
	p, err := v.client.CreatePKI(ctx, "joined-lost")
	if err != nil {
		t.Fatal(err)
	}
	in := newCAs(t, 8)
	v.emu.ResetJournal()
	v.emu.AddFault(graphemu.Fault{Method: "POST", Path: batchPath, DropAfterProcessing: true, Count: 1})
	gate := make(chan struct{})
	outcomes := make([]graph.WriteOutcome, len(in))
	errs := make([]error, len(in))
	var wg sync.WaitGroup
	for i := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := graph.WriteOnce[*graph.CertificateAuthority]{
				What: "CA " + in[i].Thumbprint,
				Send: func(ctx context.Context) (*graph.CertificateAuthority, error) {
					return v.client.CreateCertificateAuthorityJoined(ctx, p.ID, in[i], holdUntil(gate))
				},
				Look: func(ctx context.Context) (*graph.CertificateAuthority, bool, error) {
					cas, err := v.client.ListCertificateAuthorities(ctx, p.ID)
					for j := range cas {
						if cas[j].Thumbprint == in[i].Thumbprint {
							return &cas[j], true, nil
						}
					}
					return nil, false, err
				},
			}.Run(ctx, v.client.Clock())
			outcomes[i], errs[i] = res.Outcome, err
		}()
	}
	waitQueued(t, v, p.ID, len(in))
	close(gate)
	wg.Wait()
	for i := range in {
		if errs[i] != nil || outcomes[i] != graph.WriteFoundAfterLoss {
			t.Errorf("create %d: outcome %v, %v; want found after the lost answer", i, outcomes[i], errs[i])
		}
	}
	if n := v.count("POST", caItemPath); n != len(in) {
		t.Errorf("%d CA creates for %d CAs, want each exactly once", n, len(in))
	}
	cas, err := v.client.ListCertificateAuthorities(ctx, p.ID)
	if err != nil || len(cas) != len(in) {
		t.Errorf("the PKI holds %d CAs (%v), want %d", len(cas), err, len(in))
	}
}

// waitQueued waits until n joined writes of the PKI are queued behind the gate (the batch holds the PKI before it
// takes writes off the queue).
func waitQueued(t *testing.T, v *env, pkiID string, n int) {
	t.Helper()
	deadline := time.Now().Add(batchTimeout)
	for v.client.QueuedCAWrites(pkiID) < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d writes queued", v.client.QueuedCAWrites(pkiID), n)
		}
		time.Sleep(time.Millisecond) // real goroutines fill the queue; the gate, not this pause, orders the sends
	}
}
