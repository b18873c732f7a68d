package acctest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// hostedPrefix is the path under which ServeHandler's handlers are served beside the emulator.
const hostedPrefix = "/acctest-hosted/"

// hosted serves the test's own handlers on the emulator's address, in front of the emulator (next).
type hosted struct {
	next     http.Handler
	mu       sync.Mutex
	handlers []http.Handler
}

func (h *hosted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, hostedPrefix)
	if !ok {
		h.next.ServeHTTP(w, r)
		return
	}
	n, _, _ := strings.Cut(rest, "/")
	i, err := strconv.Atoi(n)
	h.mu.Lock()
	var handler http.Handler
	if err == nil && i >= 0 && i < len(h.handlers) {
		handler = h.handlers[i]
	}
	h.mu.Unlock()
	if handler == nil {
		http.NotFound(w, r)
		return
	}
	http.StripPrefix(hostedPrefix+n, handler).ServeHTTP(w, r)
}

// ServeHandler serves handler on the emulator's own address and returns its base URL (no trailing slash); handler
// sees the paths after it. A provider configured for a loopback emulator downloads (upload_url, CRLs) from no other
// loopback address (download.ForGraphEndpoint), so a test's own file server goes here rather than on an httptest
// server of its own. Live, the test is skipped: a provider for real Graph downloads from no loopback address.
func (e *Env) ServeHandler(t *testing.T, handler http.Handler) string {
	t.Helper()
	if e.Emulator == nil {
		t.Skip("serves the test's files on loopback beside the emulator; not runnable against real Graph")
	}
	e.hosted.mu.Lock()
	defer e.hosted.mu.Unlock()
	e.hosted.handlers = append(e.hosted.handlers, handler)
	return fmt.Sprintf("%s%s%d", e.Endpoint, hostedPrefix, len(e.hosted.handlers)-1)
}
