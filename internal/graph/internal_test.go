package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"1", time.Second, true},
		{" 7 ", 7 * time.Second, true},
		{"0", 0, true},
		{"1.5", 1500 * time.Millisecond, true},
		{"-3", 0, false},
		{"soon", 0, false},
		{now.Add(4 * time.Second).Format(http.TimeFormat), 4 * time.Second, true},
		{now.Add(-time.Minute).Format(http.TimeFormat), 0, true},
		{"86400", maxRetryAfter, true},
	}
	for _, c := range cases {
		h := http.Header{}
		if c.in != "" {
			h.Set("Retry-After", c.in)
		}
		got, ok := retryAfter(h, now)
		if got != c.want || ok != c.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestBackoffBounds(t *testing.T) {
	for n := range 40 {
		d := min(backoffBase<<min(n, 16), backoffCap)
		for range 50 {
			got := backoff(n)
			if got < d/2 || got > d {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, got, d/2, d)
			}
		}
	}
}

func TestErrorText(t *testing.T) {
	e := &Error{StatusCode: 400, Code: "BadRequest", Message: "Duplicate Certificate exists", RequestID: "rid-1",
		Method: "POST", Path: "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/p/upload"}
	want := "graph: POST /directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/p/upload: 400 BadRequest: Duplicate Certificate exists (request-id rid-1)"
	if e.Error() != want {
		t.Errorf("Error() = %q\nwant      %q", e.Error(), want)
	}
	bare := &Error{StatusCode: 502, Method: "GET", Path: "/x"}
	if got := bare.Error(); got != "graph: GET /x: 502 Bad Gateway" {
		t.Errorf("Error() = %q", got)
	}
}

func TestClassification(t *testing.T) {
	wrapped := fmt.Errorf("reading: %w", &Error{StatusCode: 404})
	if !IsNotFound(wrapped) || IsOutcomeUnknown(wrapped) {
		t.Error("a wrapped 404")
	}
	if StatusCode(wrapped) != 404 || StatusCode(errors.New("connection refused")) != 0 || StatusCode(nil) != 0 {
		t.Error("StatusCode of a wrapped 404, a plain error and nil")
	}
	for _, s := range []int{500, 502, 503, 504} {
		if !IsOutcomeUnknown(&Error{StatusCode: s}) {
			t.Errorf("%d is not outcome-unknown", s)
		}
	}
	for _, s := range []int{400, 401, 403, 409, 429} {
		if IsOutcomeUnknown(&Error{StatusCode: s}) {
			t.Errorf("%d is outcome-unknown", s)
		}
	}
	sent := translate(&sentError{err: errors.New("connection reset by peer")}, "POST", "/p", nil)
	if !IsOutcomeUnknown(sent) {
		t.Errorf("a transport error after sending: %v", sent)
	}
	notSent := translate(errors.New("dial tcp: connection refused"), "POST", "/p", nil)
	if IsOutcomeUnknown(notSent) || !strings.Contains(notSent.Error(), "POST /p") {
		t.Errorf("a transport error before sending: %v", notSent)
	}
	cancelled := translate(&sentError{err: context.Canceled}, "POST", "/p", nil)
	if !errors.Is(cancelled, context.Canceled) || !IsOutcomeUnknown(cancelled) {
		t.Errorf("cancelled after sending: %v", cancelled)
	}
	// A non-JSON error body: status and request-id come from what the wire saw.
	raw := translate(errors.New("contentType is not valid"), "GET", "/g", &callInfo{status: 502, requestID: "r"})
	var ge *Error
	if !errors.As(raw, &ge) || ge.StatusCode != 502 || ge.RequestID != "r" || !IsOutcomeUnknown(raw) {
		t.Errorf("unparsable error body: %#v", raw)
	}
}

func TestStaticTokenDoesNotPrint(t *testing.T) {
	c := StaticToken("very-secret")
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c)} {
		if strings.Contains(s, "very-secret") {
			t.Errorf("printed %q", s)
		}
	}
	tok, err := c.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}})
	if err != nil || tok.Token != "very-secret" {
		t.Errorf("GetToken = %q, %v", tok.Token, err)
	}
	if _, err := StaticToken("").GetToken(t.Context(), policy.TokenRequestOptions{}); err == nil {
		t.Error("an empty token was handed out")
	}
}
