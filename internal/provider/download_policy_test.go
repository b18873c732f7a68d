package provider

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/download"
)

// Each configured provider instance owns its download policy: two providers configured in one process for two
// loopback emulators may each download from its own emulator only, at the same time, and a provider for real Graph
// from neither. (The allowance was once a process-wide registry, where one provider's emulator opened loopback
// downloads to every other provider.)
func TestDownloadPolicyBelongsToTheProviderInstance(t *testing.T) {
	t.Parallel()
	emulator := func() (*httptest.Server, *atomic.Int32) {
		var conns atomic.Int32
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte("file"))
		}))
		srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
			if s == http.StateNew {
				conns.Add(1)
			}
		}
		srv.Start()
		t.Cleanup(srv.Close)
		return srv, &conns
	}
	configure := func(endpoint string) *clients.Client {
		vars := map[string]string{"ARM_ACCESS_TOKEN": "t"}
		if endpoint != "" {
			vars["ARM_GRAPH_ENDPOINT"] = endpoint
		}
		s, diags := resolveSettings(providerModel{}, fakeEnviron(vars, nil))
		if diags.HasError() {
			t.Fatal(diags)
		}
		c, diags := newClient(t.Context(), s, "test", clock.Real{})
		if diags.HasError() {
			t.Fatal(diags)
		}
		return c
	}
	srvA, connsA := emulator()
	srvB, connsB := emulator()
	a, b, public := configure(srvA.URL), configure(srvB.URL), configure("")

	get := func(c *clients.Client, url string) error {
		_, err := download.Get(t.Context(), c.Downloads, url+"/file", 10, time.Minute)
		return err
	}
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			if err := get(a, srvA.URL); err != nil {
				t.Errorf("provider A from its emulator: %v", err)
			}
			wantLoopbackRefused(t, "provider A from B's emulator", get(a, srvB.URL))
		}()
		go func() {
			defer wg.Done()
			if err := get(b, srvB.URL); err != nil {
				t.Errorf("provider B from its emulator: %v", err)
			}
			wantLoopbackRefused(t, "provider B from A's emulator", get(b, srvA.URL))
		}()
	}
	wg.Wait()
	wantLoopbackRefused(t, "provider for real Graph from A's emulator", get(public, srvA.URL))
	wantLoopbackRefused(t, "provider for real Graph from B's emulator", get(public, srvB.URL))
	if n, m := connsA.Load(), connsB.Load(); n != 3 || m != 3 {
		t.Errorf("%d connections to A, %d to B; want 3 each (one per allowed download, none for refused ones)", n, m)
	}
}

func wantLoopbackRefused(t *testing.T, what string, err error) {
	t.Helper()
	var refused *download.RefusedAddressError
	if !errors.As(err, &refused) || refused.Reason != "a loopback address" {
		t.Errorf("%s: %v, want refused as a loopback address", what, err)
	}
}
