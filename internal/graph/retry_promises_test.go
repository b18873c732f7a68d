package graph_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// Issue 17, "retries that keep their word": a stream of 429s is sent again until the operation's deadline, not
// until a count runs out (the upload used to give up after 11 POSTs in about 11 s of a 30-minute timeouts.create).
func TestThrottledUploadRetriedUntilTheDeadlineNotACount(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "upload-429-stream")
	v.emu.ResetJournal()
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, Status: http.StatusTooManyRequests, RetryAfter: "1", Count: 40})

	ctx := ctxTimeout(t, 30*time.Minute)
	if _, err := v.client.UploadClientCertificate(ctx, a.ID, testfixtures.Base64("client-aes.pfx"), testfixtures.Password); err != nil {
		t.Fatalf("upload after 40 throttled answers, well inside the deadline: %v", err)
	}
	if n := v.count(http.MethodPost, uploadPattern); n != 41 {
		t.Errorf("upload POSTs = %d, want 41 (40 throttled, then accepted once)", n)
	}
}

// The deadline is the operation's, measured on the provider's clock: a stream that outlasts it ends with the last
// 429, and the error says how many attempts were made over how long.
func TestThrottledStreamEndsAtTheDeadlineAndSaysSo(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "upload-429-forever")
	v.emu.ResetJournal()
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, Status: http.StatusTooManyRequests, RetryAfter: "10", Probability: 1})

	ctx := ctxTimeout(t, 2*time.Minute)
	start := v.clock.Now()
	_, err := v.client.UploadClientCertificate(ctx, a.ID, testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	if !graph.IsThrottled(err) {
		t.Fatalf("err = %v, want throttled", err)
	}
	waited := v.clock.Now().Sub(start)
	if waited > 2*time.Minute || waited < 100*time.Second {
		t.Errorf("waited %v on the provider's clock, want close to the 2-minute deadline and never past it", waited)
	}
	n := v.count(http.MethodPost, uploadPattern)
	if n < 11 || n > 12 {
		t.Errorf("upload POSTs = %d, want 11 or 12 (one every 10 s for 2 minutes)", n)
	}
	if msg := err.Error(); !strings.Contains(msg, "attempts") {
		t.Errorf("error %q does not say how many attempts were made", msg)
	}
}

// Without a deadline a 429 stream is still bounded, by MaxRetries.
func TestThrottledWithoutDeadlineBoundedByMaxRetries(t *testing.T) {
	v := newEnv(t, func(o *graph.Options, _ *graphemu.Options) { o.MaxRetries = 2 })
	a := v.createConnector(t, "no-deadline")
	v.emu.ResetJournal()
	v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorPattern, Status: http.StatusTooManyRequests, RetryAfter: "1", Count: 10})
	_, err := v.client.GetAPIConnector(t.Context(), a.ID)
	if !graph.IsThrottled(err) {
		t.Fatalf("err = %v, want throttled", err)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 3 {
		t.Errorf("GETs = %d, want 3 (1 + MaxRetries 2)", n)
	}
}

// Reads are retried on 500, 502, 503 and 504 within their deadline: one 500 no longer fails a plan.
func TestReadRetriedOnEveryServerError(t *testing.T) {
	for _, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			v := newEnv(t)
			a := v.createConnector(t, "flaky-read")
			p, err := v.client.CreatePKI(ctxTimeout(t, 10*time.Second), "flaky read")
			if err != nil {
				t.Fatal(err)
			}
			v.emu.ResetJournal()
			v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorPattern, Status: status})
			v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: pkiPattern, Status: status})
			v.emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: policyPath, Status: status})
			if _, err := v.client.GetAPIConnector(ctxTimeout(t, 10*time.Second), a.ID); err != nil {
				t.Errorf("connector read after one %d: %v", status, err)
			}
			if _, err := v.client.GetPKI(ctxTimeout(t, 10*time.Second), p.ID); err != nil {
				t.Errorf("PKI read after one %d: %v", status, err)
			}
			if _, err := v.client.GetCBAPolicy(ctxTimeout(t, 10*time.Second)); err != nil {
				t.Errorf("policy read after one %d: %v", status, err)
			}
			for pattern, want := range map[string]int{connectorPattern: 2, pkiPattern: 2, policyPath: 2} {
				if n := v.count(http.MethodGet, pattern); n != want {
					t.Errorf("GET %s = %d, want %d (one %d, one retry)", pattern, n, want, status)
				}
			}
		})
	}
}

// A DELETE whose outcome is unknown (a lost answer, a 5xx) is read back before it is sent again: gone means done,
// with no second DELETE.
func TestDeleteWithUnknownOutcomeIsReadBackBeforeResending(t *testing.T) {
	v := newEnv(t)
	p, err := v.client.CreatePKI(ctxTimeout(t, 10*time.Second), "read back")
	if err != nil {
		t.Fatal(err)
	}
	v.emu.ResetJournal()
	v.emu.AddFault(graphemu.Fault{Method: http.MethodDelete, Path: pkiPattern, DropAfterProcessing: true})
	if err := v.client.DeletePKI(ctxTimeout(t, 10*time.Second), p.ID); err != nil {
		t.Fatalf("DELETE with a lost answer, done by Graph: %v", err)
	}
	if n := v.count(http.MethodDelete, pkiPattern); n != 1 {
		t.Errorf("DELETEs = %d, want 1 (the read back found it gone)", n)
	}
	if n := v.count(http.MethodGet, pkiPattern); n != 1 {
		t.Errorf("GETs = %d, want 1 (the read back)", n)
	}

	// A 500 that did not delete: the read back finds it, and the DELETE is sent again.
	q, err := v.client.CreatePKI(ctxTimeout(t, 10*time.Second), "read back 500")
	if err != nil {
		t.Fatal(err)
	}
	v.emu.ResetJournal()
	v.emu.AddFault(graphemu.Fault{Method: http.MethodDelete, Path: pkiPattern, Status: http.StatusInternalServerError})
	if err := v.client.DeletePKI(ctxTimeout(t, 10*time.Second), q.ID); err != nil {
		t.Fatalf("DELETE after one 500: %v", err)
	}
	if d, g := v.count(http.MethodDelete, pkiPattern), v.count(http.MethodGet, pkiPattern); d != 2 || g != 1 {
		t.Errorf("DELETEs = %d, GETs = %d; want 2 and 1 (read back, still there, sent again)", d, g)
	}
	if _, err := v.client.GetPKI(ctxTimeout(t, 10*time.Second), q.ID); !graph.IsNotFound(err) {
		t.Errorf("PKI after the retried DELETE: %v, want not found", err)
	}
}

const pkiPattern = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*"
