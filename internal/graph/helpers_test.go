package graph_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

const testToken = "t"

// recordingClock is a fake clock that remembers every wait, so retry timing is asserted without sleeping.
type recordingClock struct {
	*clock.Fake
	mu     sync.Mutex
	sleeps []time.Duration
}

func newRecordingClock() *recordingClock {
	return &recordingClock{Fake: clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))}
}

func (r *recordingClock) Sleep(ctx context.Context, d time.Duration) error {
	r.mu.Lock()
	r.sleeps = append(r.sleeps, d)
	r.mu.Unlock()
	return r.Fake.Sleep(ctx, d)
}

func (r *recordingClock) Sleeps() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]time.Duration(nil), r.sleeps...)
}

// headerLog records selected request headers seen by the server.
type headerLog struct {
	mu   sync.Mutex
	seen []http.Header
}

func (h *headerLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.seen = append(h.seen, r.Header.Clone())
		h.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (h *headerLog) all() []http.Header {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]http.Header(nil), h.seen...)
}

type env struct {
	emu     *graphemu.Emulator
	srv     *httptest.Server
	client  *graph.Client
	clock   *recordingClock
	headers *headerLog
	hold    *requestHold // hold_test.go
}

type envOption func(*graph.Options, *graphemu.Options)

// withRealClock leaves Options.Clock unset, so the client waits in real time.
func withRealClock() envOption {
	return func(o *graph.Options, _ *graphemu.Options) { o.Clock = nil }
}

func withCacheTTL(d time.Duration) envOption {
	return func(o *graph.Options, _ *graphemu.Options) { o.ReadCacheTTL = d }
}

func withCredential(token string) envOption {
	return func(o *graph.Options, _ *graphemu.Options) { o.Credential = graph.StaticToken(token) }
}

// newEnv starts the emulator (sharing the fake clock) behind an httptest server and a client pointed at it.
func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	clk := newRecordingClock()
	eo := graphemu.Options{Token: testToken, Clock: clk.Fake, UploadDuration: 5 * time.Second,
		Files: fixtureFS()}
	co := graph.Options{
		Credential: graph.StaticToken(testToken),
		UserAgent:  "terraform-provider-entracert/test",
		Clock:      clk,
	}
	for _, o := range opts {
		o(&co, &eo)
	}
	emu := graphemu.New(eo)
	hl, hold := &headerLog{}, &requestHold{}
	srv := httptest.NewServer(hl.wrap(hold.wrap(emu)))
	t.Cleanup(srv.Close)
	co.Endpoint = srv.URL
	c, err := graph.New(co)
	if err != nil {
		t.Fatalf("graph.New: %v", err)
	}
	return &env{emu: emu, srv: srv, client: c, clock: clk, headers: hl, hold: hold}
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

func (v *env) createConnector(t *testing.T, name string) *graph.APIConnector {
	t.Helper()
	a, err := v.client.CreateAPIConnector(ctxTimeout(t, 10*time.Second), graph.NewAPIConnector{
		DisplayName: name, TargetURL: "https://api.contoso.example/validate", Username: "svc", Password: "basic-Secret-1",
	})
	if err != nil {
		t.Fatalf("CreateAPIConnector: %v", err)
	}
	return a
}

func (v *env) count(method, pattern string) int { return v.emu.Count(method, pattern) }

func fixtureFS() http.FileSystem {
	m := fstest.MapFS{}
	for _, n := range []string{"contoso-pki.p7b", "fabrikam-pki.p7b"} {
		m[n] = &fstest.MapFile{Data: testfixtures.Bytes(n)}
	}
	return http.FS(m)
}
