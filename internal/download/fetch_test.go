package download_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/download"
)

func TestGet(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Path {
		case "/small":
			_, _ = w.Write([]byte("0123456789"))
		case "/announced":
			w.Header().Set("Content-Length", "11")
			_, _ = w.Write([]byte("0123456789A"))
		case "/streamed": // no Content-Length: stopped at the limit
			_ = http.NewResponseController(w).Flush()
			_, _ = w.Write([]byte("0123456789A"))
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	ctx, loopback, strict := t.Context(), download.Policy{AllowLoopback: true}, download.Policy{}
	if b, err := download.Get(ctx, loopback, srv.URL+"/small", 10, time.Minute); err != nil || string(b) != "0123456789" {
		t.Fatalf("small: %q, %v", b, err)
	}
	for _, p := range []string{"/announced", "/streamed"} {
		var tooLarge *download.TooLargeError
		if _, err := download.Get(ctx, loopback, srv.URL+p, 10, time.Minute); !errors.As(err, &tooLarge) || tooLarge.Limit != 10 {
			t.Errorf("%s: %v, want TooLargeError", p, err)
		}
	}
	var status *download.StatusError
	if _, err := download.Get(ctx, loopback, srv.URL+"/missing?sig=s3cr3t", 10, time.Minute); !errors.As(err, &status) || !strings.Contains(err.Error(), "404") || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("missing: %v", err)
	}
	var refused *download.RefusedAddressError
	if _, err := download.Get(ctx, loopback, srv.URL+"/to-metadata", 10, time.Minute); !errors.As(err, &refused) || !strings.Contains(refused.Reason, "metadata") {
		t.Errorf("redirect to metadata: %v", err)
	}
	before := requests.Load()
	if _, err := download.Get(ctx, strict, srv.URL+"/small", 10, time.Minute); !errors.As(err, &refused) || !strings.Contains(refused.Reason, "loopback") {
		t.Errorf("loopback without the emulator's leave: %v", err)
	}
	if _, err := download.Get(ctx, strict, "http://10.0.0.1/x", 10, time.Minute); !errors.As(err, &refused) {
		t.Errorf("private literal: %v", err)
	}
	if n := requests.Load() - before; n != 0 {
		t.Errorf("%d requests reached refused addresses", n)
	}
	if _, err := download.Get(ctx, loopback, "ftp://example.com/x", 10, time.Minute); err == nil || !strings.Contains(err.Error(), "not an http or https URL") {
		t.Errorf("ftp: %v", err)
	}
}
