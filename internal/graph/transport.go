package graph

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	khttp "github.com/microsoft/kiota-http-go"
	msgraphgocore "github.com/microsoftgraph/msgraph-sdk-go-core"
)

// Retry policy (see retryHandler): throttled requests until the caller's deadline; failed idempotent ones until
// MaxRetries or the deadline.
const (
	defaultMaxRetries = 10
	// Without Retry-After: 0.5 s, 1 s, 2 s, ... capped at 30 s, each scaled by a random factor in [0.5, 1).
	backoffBase = 500 * time.Millisecond
	backoffCap  = 30 * time.Second
	// A Retry-After longer than this is clamped, so a broken answer cannot park a run for hours.
	maxRetryAfter = 5 * time.Minute
	// attemptTimeout bounds one exchange when the caller gave no deadline (the kiota default).
	attemptTimeout = 100 * time.Second
)

// middlewares is the pipeline, outermost first. It is msgraph-sdk-go's default minus its retry handler (which re-sends
// POSTs) and minus the URL-replace handler (for /me, unused here), plus this package's retry, user agent and wire log.
func middlewares(c *Client) []khttp.Middleware {
	opts := msgraphgocore.GraphClientOptions{GraphServiceLibraryVersion: sdkVersion}
	return []khttp.Middleware{
		msgraphgocore.NewGraphTelemetryHandler(&opts), // SdkVersion and a client-request-id per request
		userAgentHandler{userAgent: c.userAgent},
		khttp.NewParametersNameDecodingHandler(), // %24filter -> $filter
		&retryHandler{clock: c.clock, maxRetries: c.maxRetries, basePath: c.basePath},
		khttp.NewRedirectHandler(), // drops Authorization when redirected to another host
		khttp.NewCompressionHandler(),
		&wireHandler{basePath: c.basePath},
	}
}

// sdkVersion is the msgraph-sdk-go version in go.mod, reported in the SdkVersion telemetry header.
const sdkVersion = "1.89.0"

type userAgentHandler struct{ userAgent string }

func (h userAgentHandler) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", h.userAgent)
	return p.Next(req, i)
}

// retryHandler is the one retry policy of every Graph request:
//   - 429 on any method (POSTs included: a throttled request was not acted on) is sent again after Retry-After,
//     until the caller's deadline; only a caller without a deadline is bounded by maxRetries;
//   - GET and PATCH are sent again on 500, 502, 503, 504 and connection errors (a PATCH sets the same values
//     again), up to maxRetries and within the deadline;
//   - a DELETE whose outcome is unknown (a lost answer or a 5xx) is read back first: gone means done (answered
//     204 No Content), still there means it is sent again;
//   - a POST whose answer was lost or was 5xx is never re-sent here: its outcome is unknown, and the caller reads first.
//
// The deadline is measured on the client's clock as well as in real time, so a fake clock in tests ends a
// throttling stream at the same point a real one would.
type retryHandler struct {
	clock      clock.Clock
	maxRetries int
	basePath   string
}

func retriableMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodPatch || m == http.MethodDelete
}

// serverError is a 5xx after which an idempotent request may be tried again.
func serverError(s int) bool {
	return s == http.StatusInternalServerError || s == http.StatusBadGateway ||
		s == http.StatusServiceUnavailable || s == http.StatusGatewayTimeout
}

func (h *retryHandler) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	idempotent := retriableMethod(req.Method)
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	start := h.clock.Now()
	budget, hasDeadline := time.Duration(0), false
	if dl, ok := ctx.Deadline(); ok {
		budget, hasDeadline = time.Until(dl), true
	}
	ci := callInfoFrom(ctx)
	failures := 0 // answers other than 429 that were retried, bounded by maxRetries
	for n := 0; ; n++ {
		if ci != nil {
			ci.attempts, ci.waited = n+1, h.clock.Now().Sub(start)
		}
		// Each attempt gets a fresh clone: the compression handler rewrites headers and body in place.
		r := req.Clone(ctx)
		resp, err := h.attempt(p, i, r, body)

		var wait time.Duration
		switch {
		case err != nil:
			if !idempotent || failures >= h.maxRetries || ctx.Err() != nil || !retriableTransportError(err) {
				return nil, err
			}
			failures++
			wait = backoff(failures - 1)
		case resp.StatusCode == http.StatusTooManyRequests:
			if !hasDeadline && n >= h.maxRetries {
				return resp, nil
			}
			var ok bool
			if wait, ok = retryAfter(resp.Header, h.clock.Now()); !ok {
				wait = backoff(min(n, 6))
			}
		case idempotent && serverError(resp.StatusCode):
			if failures >= h.maxRetries {
				return resp, nil
			}
			failures++
			var ok bool
			if wait, ok = retryAfter(resp.Header, h.clock.Now()); !ok {
				wait = backoff(failures - 1)
			}
		default:
			return resp, nil
		}

		// Never start a wait the caller's deadline would cut short: answer now with what we have.
		if hasDeadline && (time.Until(deadlineOf(ctx)) <= wait || h.clock.Now().Sub(start)+wait >= budget) {
			tflog.Debug(ctx, "Graph request not retried: the wait would pass the deadline", map[string]any{
				"method": req.Method, "path": relPath(req, h.basePath), "wait_ms": wait.Milliseconds(), "attempt": n + 1,
			})
			return resp, err
		}
		fields := map[string]any{"method": req.Method, "path": relPath(req, h.basePath), "wait_ms": wait.Milliseconds(), "attempt": n + 1}
		if resp != nil {
			fields["status"] = resp.StatusCode
		} else {
			fields["error"] = err.Error()
		}
		tflog.Debug(ctx, "Graph request retrying", fields)
		if serr := h.clock.Sleep(ctx, wait); serr != nil {
			return resp, err // the caller gave up while we waited: report the last answer
		}
		if resp != nil {
			_ = resp.Body.Close() // buffered by the wire handler; nothing left on the connection
		}
		if req.Method == http.MethodDelete && (resp == nil || resp.StatusCode != http.StatusTooManyRequests) {
			if gone, ok := h.readBack(p, i, req); ok && gone {
				tflog.Debug(ctx, "Graph DELETE with an unknown outcome: read back, the object is gone", map[string]any{
					"method": req.Method, "path": relPath(req, h.basePath),
				})
				return goneResponse(req), nil
			}
		}
	}
}

// deadlineOf is ctx's deadline (the caller checked there is one).
func deadlineOf(ctx context.Context) time.Time {
	dl, _ := ctx.Deadline()
	return dl
}

// readBack GETs what a DELETE named, once: gone reports a 404, ok that Graph answered at all.
func (h *retryHandler) readBack(p khttp.Pipeline, i int, del *http.Request) (gone, ok bool) {
	r := del.Clone(del.Context())
	r.Method = http.MethodGet
	r.Body, r.ContentLength = nil, 0
	r.Header.Del("Content-Type")
	r.Header.Del("Content-Encoding")
	resp, err := h.attempt(p, i, r, nil)
	if err != nil {
		return false, false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusNotFound, resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests
}

// goneResponse is the answer to a DELETE whose object a read back found gone: 204 No Content.
func goneResponse(req *http.Request) *http.Response {
	return &http.Response{
		Status: "204 No Content", StatusCode: http.StatusNoContent, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Body: http.NoBody, Request: req,
	}
}

// attempt sends one exchange, bounded by attemptTimeout when the caller set no deadline.
func (h *retryHandler) attempt(p khttp.Pipeline, i int, r *http.Request, body []byte) (*http.Response, error) {
	if body != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		// No GetBody: net/http would replay it after the compression handler swapped the body for a gzipped one.
	}
	if _, ok := r.Context().Deadline(); ok {
		return p.Next(r, i)
	}
	ctx, cancel := context.WithTimeout(r.Context(), attemptTimeout)
	defer cancel() // safe: the wire handler has read the whole body before we return
	return p.Next(r.WithContext(ctx), i)
}

// retriableTransportError: anything but a certificate problem, which no retry fixes. (The caller's own
// cancellation is checked separately; a timed-out attempt is worth another.)
func retriableTransportError(err error) bool {
	var (
		unknownAuthority x509.UnknownAuthorityError
		hostname         x509.HostnameError
		invalid          x509.CertificateInvalidError
		verify           *tls.CertificateVerificationError
	)
	return !errors.As(err, &unknownAuthority) && !errors.As(err, &hostname) && !errors.As(err, &invalid) &&
		!errors.As(err, &verify)
}

// backoff returns the wait before retry n+1: exponential, capped, with jitter so parallel callers spread out.
func backoff(n int) time.Duration {
	d := backoffCap
	if n < 16 {
		d = min(backoffBase<<n, backoffCap)
	}
	return d/2 + rand.N(d/2+1)
}

// retryAfter reads Retry-After as delta-seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		d = time.Duration(secs * float64(time.Second))
	} else if t, err := http.ParseTime(v); err == nil {
		d = max(t.Sub(now), 0)
	} else {
		return 0, false
	}
	return min(d, maxRetryAfter), true
}

// wireHandler is innermost: one debug line per exchange on the wire (never a header value other than the
// request-id, never a body), the response body buffered so a cut-off answer is seen here, and transport errors
// after the request was fully written marked as sent (their outcome is unknown).
type wireHandler struct{ basePath string }

func (h *wireHandler) Intercept(p khttp.Pipeline, i int, req *http.Request) (*http.Response, error) {
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(w httptrace.WroteRequestInfo) {
		if w.Err == nil {
			wrote.Store(true)
		}
	}}
	ctx := req.Context()
	req = req.WithContext(httptrace.WithClientTrace(ctx, trace))
	start := time.Now()
	resp, err := p.Next(req, i)
	if err == nil {
		var body []byte
		body, err = io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			resp = nil
		} else {
			resp.Body = io.NopCloser(bytes.NewReader(body))
		}
	}
	fields := map[string]any{
		"method":      req.Method,
		"path":        relPath(req, h.basePath),
		"duration_ms": time.Since(start).Milliseconds(),
	}
	if err != nil {
		fields["error"] = err.Error()
		tflog.Debug(ctx, "Graph request failed", fields)
		if wrote.Load() {
			return nil, &sentError{err: err}
		}
		return nil, err
	}
	reqID := resp.Header.Get("request-id")
	fields["status"] = resp.StatusCode
	fields["request_id"] = reqID
	tflog.Debug(ctx, "Graph request", fields)
	if ci := callInfoFrom(ctx); ci != nil {
		ci.status, ci.requestID = resp.StatusCode, reqID
		ci.retryAfter, _ = retryAfter(resp.Header, time.Now())
	}
	return resp, nil
}

// relPath is the request path below /v1.0, without the query.
func relPath(req *http.Request, basePath string) string {
	p := req.URL.Path
	if rest, ok := strings.CutPrefix(p, basePath); ok && (rest == "" || rest[0] == '/') {
		return rest
	}
	return p
}
