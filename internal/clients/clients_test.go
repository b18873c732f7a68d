package clients

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestKeyedMutexSerializesOneKeyOnly(t *testing.T) {
	var k KeyedMutex
	var inside, maxInside atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock := k.Lock("connector-a")
			defer unlock()
			n := inside.Add(1)
			if n > maxInside.Load() {
				maxInside.Store(n)
			}
			time.Sleep(time.Millisecond)
			inside.Add(-1)
		}()
	}
	wg.Wait()
	if maxInside.Load() != 1 {
		t.Errorf("%d holders of one key at once, want 1", maxInside.Load())
	}

	// Another key is not blocked by a held one.
	unlockA := k.Lock("connector-a")
	defer unlockA()
	done := make(chan struct{})
	go func() { k.Lock("connector-b")(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a different key waited for a held one")
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
