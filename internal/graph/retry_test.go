package graph_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

const connectorPattern = "/identity/apiConnectors/*"
const uploadPattern = "/identity/apiConnectors/*/uploadClientCertificate"

func TestThrottledGetRetriedOnceAfterRetryAfter(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "throttled")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorPattern, Status: http.StatusTooManyRequests, RetryAfter: "1"})

	got, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), a.ID)
	if err != nil {
		t.Fatalf("GetAPIConnector: %v", err)
	}
	if got.ID != a.ID {
		t.Errorf("ID = %q, want %q", got.ID, a.ID)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 2 {
		t.Errorf("GETs reaching Graph = %d, want 2 (one throttled, one retry)", n)
	}
	if s := v.clock.Sleeps(); len(s) != 1 || s[0] < time.Second {
		t.Errorf("waits = %v, want exactly one of at least 1s", s)
	}
}

func TestThrottledGetRetriedInRealTime(t *testing.T) {
	v := newEnv(t, withRealClock())
	a := v.createConnector(t, "throttled-real")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorPattern, Status: http.StatusTooManyRequests, RetryAfter: "1"})

	start := time.Now()
	if _, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), a.ID); err != nil {
		t.Fatalf("GetAPIConnector: %v", err)
	}
	if el := time.Since(start); el < time.Second {
		t.Errorf("retry came after %v, want at least 1s", el)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 2 {
		t.Errorf("GETs = %d, want 2", n)
	}
}

func TestRetryAfterHTTPDate(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "dated")
	at := v.clock.Now().Add(3 * time.Second).UTC().Format(http.TimeFormat)
	v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorPattern, Status: http.StatusServiceUnavailable, RetryAfter: at})

	if _, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), a.ID); err != nil {
		t.Fatalf("GetAPIConnector: %v", err)
	}
	if s := v.clock.Sleeps(); len(s) != 1 || s[0] != 3*time.Second {
		t.Errorf("waits = %v, want [3s] (the HTTP date minus now)", s)
	}
}

func TestServiceUnavailableThreeTimesThenSuccess(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "flaky")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorPattern, Status: http.StatusServiceUnavailable, Count: 3})

	if _, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), a.ID); err != nil {
		t.Fatalf("GetAPIConnector: %v", err)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 4 {
		t.Errorf("GETs = %d, want 4", n)
	}
	// No Retry-After: exponential back-off with jitter, 0.5 s then 1 s then 2 s, each scaled into [50%, 100%].
	s := v.clock.Sleeps()
	if len(s) != 3 {
		t.Fatalf("waits = %v, want 3", s)
	}
	for i, base := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second} {
		if s[i] < base/2 || s[i] > base {
			t.Errorf("wait %d = %v, want within [%v, %v]", i, s[i], base/2, base)
		}
	}
}

func TestGatewayTimeoutOnPatchAndDeleteRetried(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "patchy")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPatch, Path: connectorPattern, Status: http.StatusGatewayTimeout})
	if err := v.client.SetAPIConnectorBasicAuthentication(ctxTimeout(t, 10*time.Second), a.ID, "u2", "p2"); err != nil {
		t.Fatalf("PATCH: %v", err)
	}
	if n := v.count(http.MethodPatch, connectorPattern); n != 2 {
		t.Errorf("PATCHes = %d, want 2", n)
	}
	got, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), a.ID)
	if err != nil || got.BasicUsername != "u2" {
		t.Fatalf("after retried PATCH: %+v, %v; want username u2 (the retried body must be the same)", got, err)
	}

	v.emu.AddFault(graphemu.Fault{Method: http.MethodDelete, Path: connectorPattern, Status: http.StatusTooManyRequests, RetryAfter: "2"})
	if err := v.client.DeleteAPIConnector(ctxTimeout(t, 10*time.Second), a.ID); err != nil {
		t.Fatalf("DELETE: %v", err)
	}
	if n := v.count(http.MethodDelete, connectorPattern); n != 2 {
		t.Errorf("DELETEs = %d, want 2", n)
	}
}

func TestUploadServiceUnavailableIsNotResent(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "upload-503")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, Status: http.StatusServiceUnavailable, RetryAfter: "1", Count: 5})

	_, err := v.client.UploadClientCertificate(ctxTimeout(t, 10*time.Second), a.ID, testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("err = %v, want *graph.Error 503", err)
	}
	if !graph.IsOutcomeUnknown(err) {
		t.Errorf("IsOutcomeUnknown = false for a 503 on upload")
	}
	if ge.Method != http.MethodPost || ge.Path != "/identity/apiConnectors/"+a.ID+"/uploadClientCertificate" {
		t.Errorf("error names %s %s", ge.Method, ge.Path)
	}
	if n := v.count(http.MethodPost, uploadPattern); n != 1 {
		t.Errorf("upload POSTs reaching Graph = %d, want exactly 1", n)
	}
	if s := v.clock.Sleeps(); len(s) != 0 {
		t.Errorf("waits = %v, want none", s)
	}
}

func TestUploadDroppedConnectionIsOutcomeUnknown(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "upload-drop")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, DropAfterProcessing: true})

	_, err := v.client.UploadClientCertificate(ctxTimeout(t, 10*time.Second), a.ID, testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	if err == nil {
		t.Fatal("upload succeeded, want an error")
	}
	if !graph.IsOutcomeUnknown(err) {
		t.Errorf("IsOutcomeUnknown(%v) = false", err)
	}
	if graph.IsNotFound(err) {
		t.Errorf("IsNotFound(%v) = true", err)
	}
	if n := v.count(http.MethodPost, uploadPattern); n != 1 {
		t.Errorf("upload POSTs = %d, want exactly 1", n)
	}
	if !strings.Contains(err.Error(), "outcome is unknown") || !strings.Contains(err.Error(), "/uploadClientCertificate") {
		t.Errorf("error text %q should say the outcome is unknown and name the call", err)
	}
	// The upload did take effect: this is what the callers' read-before-retry finds.
	got, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), a.ID)
	if err != nil {
		t.Fatalf("GetAPIConnector: %v", err)
	}
	if len(got.Certificates) != 1 || got.Certificates[0].Thumbprint != testfixtures.ClientThumbprint {
		t.Errorf("certificates after dropped upload = %+v", got.Certificates)
	}
}

func TestDroppedConnectionOnGetIsRetried(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "get-drop")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorPattern, DropAfterProcessing: true})
	if _, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), a.ID); err != nil {
		t.Fatalf("GetAPIConnector: %v", err)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 2 {
		t.Errorf("GETs = %d, want 2", n)
	}
}

func TestUnauthorizedCarriesCodeAndRequestID(t *testing.T) {
	v := newEnv(t, withCredential("wrong-token"))
	_, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), "00000000-0000-0000-0000-000000000001")
	var ge *graph.Error
	if !errors.As(err, &ge) {
		t.Fatalf("err = %v, want *graph.Error", err)
	}
	if ge.StatusCode != http.StatusUnauthorized || ge.Code != "InvalidAuthenticationToken" || ge.RequestID == "" || ge.Message == "" {
		t.Errorf("error = %+v, want 401 InvalidAuthenticationToken with a message and request-id", ge)
	}
	for _, want := range []string{"401", "InvalidAuthenticationToken", ge.RequestID, ge.Message, "GET /identity/apiConnectors/"} {
		if !strings.Contains(ge.Error(), want) {
			t.Errorf("Error() = %q, missing %q", ge.Error(), want)
		}
	}
	if strings.Contains(ge.Error(), "wrong-token") {
		t.Errorf("Error() leaks the token: %q", ge.Error())
	}
	if graph.IsOutcomeUnknown(err) || graph.IsNotFound(err) {
		t.Errorf("401 classified as outcome-unknown or not-found")
	}
}

func TestNotFound(t *testing.T) {
	v := newEnv(t)
	_, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), "00000000-0000-0000-0000-000000000404")
	if !graph.IsNotFound(err) {
		t.Fatalf("IsNotFound(%v) = false", err)
	}
	var ge *graph.Error
	if errors.As(err, &ge) && (ge.Code == "" || ge.RequestID == "") {
		t.Errorf("404 error lacks code or request-id: %+v", ge)
	}
	if graph.IsNotFound(errors.New("x")) || graph.IsNotFound(nil) {
		t.Error("IsNotFound true for a non-Graph error")
	}
}

func TestRetryAfterBeyondDeadlineReturnsPromptly(t *testing.T) {
	v := newEnv(t, withRealClock())
	a := v.createConnector(t, "deadline")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorPattern, Status: http.StatusTooManyRequests, RetryAfter: "30", Count: 10})

	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	start := time.Now()
	_, err := v.client.GetAPIConnector(ctx, a.ID)
	el := time.Since(start)
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("err = %v, want the last answer, *graph.Error 429", err)
	}
	if el > time.Second {
		t.Errorf("returned after %v; a wait past the deadline should not have been started", el)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 1 {
		t.Errorf("GETs = %d, want 1", n)
	}
}

func TestBackoffStopsAtDeadline(t *testing.T) {
	v := newEnv(t, withRealClock())
	a := v.createConnector(t, "deadline-backoff")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorPattern, Status: http.StatusServiceUnavailable, Count: 100})

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, err := v.client.GetAPIConnector(ctx, a.ID)
	if el := time.Since(start); el > 2*time.Second+500*time.Millisecond {
		t.Errorf("returned after %v, past the 2s deadline", el)
	}
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("err = %v, want *graph.Error 503", err)
	}
	if n := v.count(http.MethodGet, connectorPattern); n < 2 {
		t.Errorf("GETs = %d, want some retries before the deadline", n)
	}
}

func TestMaxRetries(t *testing.T) {
	v := newEnv(t, func(o *graph.Options, _ *graphemu.Options) { o.MaxRetries = 2 })
	a := v.createConnector(t, "max-retries")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorPattern, Status: http.StatusInternalServerError, Count: 10})
	_, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), a.ID)
	var ge *graph.Error
	if !errors.As(err, &ge) || ge.StatusCode != http.StatusInternalServerError {
		t.Fatalf("err = %v, want 500", err)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 3 {
		t.Errorf("GETs = %d, want 3 (1 + 2 retries)", n)
	}
}

func TestUserAgentSent(t *testing.T) {
	v := newEnv(t)
	v.createConnector(t, "ua")
	if _, err := v.client.ListAPIConnectors(ctxTimeout(t, 10*time.Second), ""); err != nil {
		t.Fatal(err)
	}
	hs := v.headers.all()
	if len(hs) == 0 {
		t.Fatal("no requests seen")
	}
	for _, h := range hs {
		if got := h.Get("User-Agent"); got != "terraform-provider-entracert/test" {
			t.Errorf("User-Agent = %q", got)
		}
		if h.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("Authorization missing on a request to the configured endpoint")
		}
		if h.Get("client-request-id") == "" || !strings.Contains(h.Get("SdkVersion"), "graph-go") {
			t.Errorf("telemetry headers missing: client-request-id %q, SdkVersion %q", h.Get("client-request-id"), h.Get("SdkVersion"))
		}
	}
	// The SDK's compression middleware is kept: request bodies travel gzipped.
	if got := hs[0].Get("Content-Encoding"); got != "gzip" {
		t.Errorf("POST Content-Encoding = %q, want gzip", got)
	}
}

func TestNewRejectsBadEndpoints(t *testing.T) {
	for _, ep := range []string{"", "graph.microsoft.com", "ftp://x", "http://graph.example.com", "https://h/?a=b"} {
		if _, err := graph.New(graph.Options{Endpoint: ep, Credential: graph.StaticToken("x")}); err == nil {
			t.Errorf("New(%q) succeeded, want an error", ep)
		}
	}
	for _, ep := range []string{"https://graph.microsoft.com", "https://graph.microsoft.com/", "http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:2"} {
		if _, err := graph.New(graph.Options{Endpoint: ep, Credential: graph.StaticToken("x")}); err != nil {
			t.Errorf("New(%q): %v", ep, err)
		}
	}
	if _, err := graph.New(graph.Options{Endpoint: "https://graph.microsoft.com"}); err == nil {
		t.Error("New without a credential succeeded")
	}
}
