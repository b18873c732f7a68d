package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
)

// Error is every non-2xx answer from Graph.
type Error struct {
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	Method     string
	Path       string // path below /v1.0, without query
	// RetryAfter is the wait Graph asked for (Retry-After, seconds or HTTP date) on a 429 or 503; 0 when absent.
	RetryAfter time.Duration
	// Attempts is how many times the request was sent (0 or 1: once), over Waited on the client's clock.
	Attempts int
	Waited   time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("graph: ")
	if e.Method != "" || e.Path != "" {
		b.WriteString(e.Method)
		b.WriteString(" ")
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	fmt.Fprintf(&b, "%d", e.StatusCode)
	if e.Code != "" {
		b.WriteString(" ")
		b.WriteString(e.Code)
	} else if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" ")
		b.WriteString(t)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request-id ")
		b.WriteString(e.RequestID)
		b.WriteString(")")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, ", the last of %d attempts over %s", e.Attempts, e.Waited.Round(time.Second))
	}
	return b.String()
}

// Kind is what a failed call means to the caller, so services branch on meaning, never on HTTP status codes.
type Kind int

const (
	KindNone            Kind = iota // no error
	KindOther                       // anything not below (a transport failure before sending, an unexpected status)
	KindBadRequest                  // 400: Graph refused the request's content
	KindUnauthenticated             // 401: the token was refused
	KindForbidden                   // 403: the identity lacks a permission or role
	KindNotFound                    // 404
	KindConflict                    // 409 or 412
	// KindThrottled is 429 or 503: wait RetryAfterOf(err) and try again. A 429 was not acted on; for a POST
	// answered 503 IsOutcomeUnknown also holds, and the caller reads before sending it again.
	KindThrottled
	KindOutcomeUnknown // the request was sent but no usable answer came back (lost answer, 500, 502, 504)
)

func (k Kind) String() string {
	switch k {
	case KindNone:
		return "none"
	case KindBadRequest:
		return "bad request"
	case KindUnauthenticated:
		return "not authenticated"
	case KindForbidden:
		return "forbidden"
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	case KindThrottled:
		return "throttled"
	case KindOutcomeUnknown:
		return "outcome unknown"
	}
	return "other"
}

// KindOf classifies err.
func KindOf(err error) Kind {
	if err == nil {
		return KindNone
	}
	var ge *Error
	if errors.As(err, &ge) {
		switch s := ge.StatusCode; {
		case s == http.StatusBadRequest:
			return KindBadRequest
		case s == http.StatusUnauthorized:
			return KindUnauthenticated
		case s == http.StatusForbidden:
			return KindForbidden
		case s == http.StatusNotFound:
			return KindNotFound
		case s == http.StatusConflict || s == http.StatusPreconditionFailed:
			return KindConflict
		case s == http.StatusTooManyRequests || s == http.StatusServiceUnavailable:
			return KindThrottled
		case s >= 500:
			return KindOutcomeUnknown
		}
		return KindOther
	}
	var ou *outcomeUnknownError
	if errors.As(err, &ou) {
		return KindOutcomeUnknown
	}
	return KindOther
}

// StatusCode is the HTTP status of a Graph answer carried by err, or 0 when err is no Graph answer.
// For diagnostics and logs only: services branch on KindOf and the Is* predicates.
func StatusCode(err error) int {
	var ge *Error
	if errors.As(err, &ge) {
		return ge.StatusCode
	}
	return 0
}

// IsNotFound reports whether err is a Graph 404.
func IsNotFound(err error) bool { return KindOf(err) == KindNotFound }

// IsThrottled reports whether Graph asked to slow down (429) or was briefly unavailable (503); wait
// RetryAfterOf(err) before trying again (a POST answered 503 is also IsOutcomeUnknown: read first).
func IsThrottled(err error) bool { return KindOf(err) == KindThrottled }

// IsBadRequest reports whether Graph refused the request's content (400). Graph uses 400 for invalid input and
// also for state conflicts (another PKI job running, a duplicate certificate), which callers tell apart by reading.
func IsBadRequest(err error) bool { return KindOf(err) == KindBadRequest }

// IsAccessDenied reports whether the token was refused (401) or lacks a permission or role (403).
func IsAccessDenied(err error) bool {
	k := KindOf(err)
	return k == KindUnauthenticated || k == KindForbidden
}

// IsTransient reports whether trying again later may succeed: throttled, or a read whose answer was lost or 5xx.
// For a write whose outcome is unknown the caller must read before sending it again.
func IsTransient(err error) bool {
	k := KindOf(err)
	return k == KindThrottled || k == KindOutcomeUnknown
}

// RetryAfterOf is the wait Graph asked for with err, or 0.
func RetryAfterOf(err error) time.Duration {
	var ge *Error
	if errors.As(err, &ge) {
		return ge.RetryAfter
	}
	return 0
}

// IsOutcomeUnknown reports whether a write may or may not have taken effect: the request was sent but the
// connection failed before an answer, or Graph answered 5xx (503 and 504 included: whether a gateway passed the
// request on is not known). Callers read before deciding to retry.
func IsOutcomeUnknown(err error) bool {
	var ge *Error
	if errors.As(err, &ge) {
		return ge.StatusCode >= 500
	}
	var ou *outcomeUnknownError
	return errors.As(err, &ou)
}

// outcomeUnknownError is a transport failure after the whole request had been written: Graph may have acted on it.
type outcomeUnknownError struct {
	Method, Path string
	err          error
}

func (e *outcomeUnknownError) Error() string {
	return fmt.Sprintf("graph: %s %s: the request was sent but no answer came back, so its outcome is unknown: %v",
		e.Method, e.Path, e.err)
}

func (e *outcomeUnknownError) Unwrap() error { return e.err }

// sentError marks a transport error that happened after the request was fully written (set by the wire middleware).
type sentError struct{ err error }

func (e *sentError) Error() string { return e.err.Error() }
func (e *sentError) Unwrap() error { return e.err }

// callInfo records what the wire saw for one typed call, so errors the SDK cannot parse (non-JSON error bodies)
// still carry the status and request-id.
type callInfo struct {
	status     int
	requestID  string
	retryAfter time.Duration
	// attempts and waited are written by the retry middleware: how many times the request was sent, and how long
	// the client's clock ran between the first and the last.
	attempts int
	waited   time.Duration
}

type callInfoKey struct{}

func withCallInfo(ctx context.Context) (context.Context, *callInfo) {
	ci := &callInfo{}
	return context.WithValue(ctx, callInfoKey{}, ci), ci
}

func callInfoFrom(ctx context.Context) *callInfo {
	ci, _ := ctx.Value(callInfoKey{}).(*callInfo)
	return ci
}

// translate turns what msgraph-sdk-go returned into this package's errors.
// ci is written by the wire middleware, which has finished by the time the SDK call returns.
func translate(err error, method, path string, ci *callInfo) error {
	if err == nil {
		return nil
	}
	var ge *Error
	if errors.As(err, &ge) {
		return err
	}
	var od *odataerrors.ODataError
	if errors.As(err, &od) {
		e := &Error{StatusCode: od.GetStatusCode(), Method: method, Path: path}
		if main := od.GetErrorEscaped(); main != nil {
			e.Code = deref(main.GetCode())
			e.Message = deref(main.GetMessage())
			if inner := main.GetInnerError(); inner != nil {
				e.RequestID = deref(inner.GetRequestId())
			}
		}
		if id := headerValue(od.GetResponseHeaders(), "request-id"); id != "" {
			e.RequestID = id
		}
		fillFromCall(e, ci)
		return e
	}
	var ae *abs.ApiError
	if errors.As(err, &ae) {
		e := &Error{StatusCode: ae.ResponseStatusCode, Method: method, Path: path,
			RequestID: headerValue(ae.ResponseHeaders, "request-id")}
		fillFromCall(e, ci)
		return e
	}
	// A response arrived but its body could not be parsed (e.g. an HTML page from a proxy).
	if ci != nil && ci.status >= 300 {
		e := &Error{Method: method, Path: path}
		fillFromCall(e, ci)
		return e
	}
	var se *sentError
	if errors.As(err, &se) {
		return &outcomeUnknownError{Method: method, Path: path, err: se.err}
	}
	return fmt.Errorf("graph: %s %s: %w", method, path, unwrapURLError(err))
}

func fillFromCall(e *Error, ci *callInfo) {
	if ci == nil {
		return
	}
	if e.StatusCode == 0 {
		e.StatusCode = ci.status
	}
	if e.RequestID == "" {
		e.RequestID = ci.requestID
	}
	if e.RetryAfter == 0 {
		e.RetryAfter = ci.retryAfter
	}
	if e.Attempts == 0 {
		e.Attempts, e.Waited = ci.attempts, ci.waited
	}
}

// unwrapURLError drops net/url's `Get "https://..."` prefix: the method and path are already in our message.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func headerValue(h *abs.ResponseHeaders, key string) string {
	if h == nil {
		return ""
	}
	for _, v := range h.Get(key) {
		if v != "" {
			return v
		}
	}
	return ""
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
