package graph_test

import (
	"net/http"
	"path"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// requestHold keeps matching requests at the test server until the test releases them, and tells the test when
// each one arrives: tests order goroutines on these events instead of sleeping.
type requestHold struct {
	mu      sync.Mutex
	method  string
	pattern string        // path.Match pattern on the path below /v1.0, e.g. "/identity/apiConnectors/*"
	arrived chan struct{} // one value per held request
	release chan struct{} // closed by the release func
}

func (h *requestHold) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		arrived, release := h.arrived, h.release
		held := arrived != nil && r.Method == h.method && matchPath(h.pattern, strings.TrimPrefix(r.URL.Path, "/v1.0"))
		h.mu.Unlock()
		if held {
			select {
			case arrived <- struct{}{}:
			default: // nobody counts this many
			}
			// A request whose client gave up still reaches the emulator (and its journal), as with SetLatency.
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		next.ServeHTTP(w, r)
	})
}

func matchPath(pattern, p string) bool {
	ok, err := path.Match(strings.ToLower(pattern), strings.ToLower(p))
	return err == nil && ok
}

// holdRequests holds every later method request matching pattern. arrived receives once per held request (the first
// 64); release lets every held request, and all later ones, through.
func (v *env) holdRequests(method, pattern string) (arrived <-chan struct{}, release func()) {
	v.hold.mu.Lock()
	defer v.hold.mu.Unlock()
	a, r := make(chan struct{}, 64), make(chan struct{})
	v.hold.method, v.hold.pattern, v.hold.arrived, v.hold.release = method, pattern, a, r
	var once sync.Once
	return a, func() {
		once.Do(func() {
			close(r)
			v.hold.mu.Lock()
			v.hold.arrived = nil
			v.hold.mu.Unlock()
		})
	}
}

// waitFor waits, without sleeping, until cond holds; it fails the test after a generous real-time bound, since a
// condition that never comes is a bug, not a slow machine.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting until %s", what)
		}
		runtime.Gosched()
	}
}
