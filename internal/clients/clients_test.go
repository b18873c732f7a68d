package clients

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

func TestKeyedMutexSerializesOneKeyOnly(t *testing.T) {
	var k KeyedMutex
	ctx := t.Context()
	var inside atomic.Int32
	var overlaps atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := k.Lock(ctx, "connector-a")
			if err != nil {
				t.Error(err)
				return
			}
			defer unlock()
			if inside.Add(1) != 1 {
				overlaps.Add(1) // another holder is inside: the lock is broken
			}
			time.Sleep(time.Millisecond)
			inside.Add(-1)
		}()
	}
	wg.Wait()
	if n := overlaps.Load(); n != 0 {
		t.Errorf("%d times a holder found another holder of the same key inside, want 0", n)
	}
	if n := k.Held(); n != 0 {
		t.Errorf("%d keys still tracked after every holder unlocked, want 0", n)
	}

	// Another key is not blocked by a held one.
	unlockA, err := k.Lock(ctx, "connector-a")
	if err != nil {
		t.Fatal(err)
	}
	defer unlockA()
	done := make(chan struct{})
	go func() {
		if unlock, err := k.Lock(ctx, "connector-b"); err == nil {
			unlock()
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a different key waited for a held one")
	}
}

func TestKeyedMutexGivesUpWhenContextEnds(t *testing.T) {
	var k KeyedMutex
	unlock, err := k.Lock(t.Context(), "pki/1")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	got := make(chan error, 1)
	go func() {
		u, err := k.Lock(ctx, "pki/1")
		if err == nil {
			u()
		}
		got <- err
	}()
	cancel()
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Fatalf("waiter got %v, want context.Canceled", err)
	}
	unlock()
	unlock() // a second call is harmless
	// The abandoned wait holds nothing: the key is free again.
	ctx2, cancel2 := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel2()
	u, err := k.Lock(ctx2, "pki/1")
	if err != nil {
		t.Fatalf("lock after an abandoned wait: %v", err)
	}
	u()
	if n := k.Held(); n != 0 {
		t.Errorf("%d keys tracked, want 0", n)
	}
}

func TestSupportsAPIConnectors(t *testing.T) {
	for env, want := range map[string]bool{CloudPublic: true, CloudChina: true, CloudUSGovernmentL4: false, CloudUSGovernmentL5: false} {
		if got := (&Client{Environment: env}).SupportsAPIConnectors(); got != want {
			t.Errorf("%s: got %v, want %v", env, got, want)
		}
	}
}

func TestFromProviderData(t *testing.T) {
	var diags diag.Diagnostics
	if c := FromProviderData(nil, &diags); c != nil || diags.HasError() {
		t.Errorf("before configuration: %v, %v", c, diags)
	}
	want := &Client{Environment: CloudPublic}
	if c := FromProviderData(want, &diags); c != want || diags.HasError() {
		t.Errorf("configured: %v, %v", c, diags)
	}
	if c := FromProviderData("not a client", &diags); c != nil || !diags.HasError() {
		t.Errorf("wrong type: %v, %v", c, diags)
	}
}

func TestRequireOneGuardOneMessage(t *testing.T) {
	var diags diag.Diagnostics
	if Require(nil, &diags) || !diags.HasError() || diags.Errors()[0].Summary() != "Provider not configured" {
		t.Errorf("nil client: %v", diags)
	}
	diags = nil
	if Require(&Client{}, &diags) || len(diags) != 1 {
		t.Errorf("client without Graph: %v", diags)
	}
	diags = nil
	if !Require(&Client{Graph: &graph.Client{}}, &diags) || len(diags) != 0 {
		t.Errorf("configured client: %v", diags)
	}
}
