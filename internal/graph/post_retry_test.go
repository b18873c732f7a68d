package graph_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// A 429 means Graph did not act on the request, so even a non-idempotent upload is sent again after Retry-After.
func TestThrottledUploadResentAfterRetryAfter(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "upload-429")
	v.emu.ResetJournal()
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, Status: http.StatusTooManyRequests, RetryAfter: "2", Count: 2})

	conn, err := v.client.UploadClientCertificate(ctxTimeout(t, 10*time.Second), a.ID, testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	if len(conn.Certificates) != 1 {
		t.Fatalf("certificates after upload = %d, want 1", len(conn.Certificates))
	}
	if n := v.count(http.MethodPost, uploadPattern); n != 3 {
		t.Errorf("upload POSTs reaching Graph = %d, want 3 (two throttled, one accepted)", n)
	}
	sleeps := v.clock.Sleeps()
	if len(sleeps) != 2 || sleeps[0] != 2*time.Second || sleeps[1] != 2*time.Second {
		t.Errorf("waits = %v, want [2s 2s] (Retry-After)", sleeps)
	}
}

func TestThrottledPKICreateResentOnceAccepted(t *testing.T) {
	v := newEnv(t)
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations",
		Status: http.StatusTooManyRequests, RetryAfter: "3"})
	p, err := v.client.CreatePKI(ctxTimeout(t, 10*time.Second), "throttled create")
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	list, err := v.client.ListPKIs(ctxTimeout(t, 10*time.Second), "throttled create")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != p.ID {
		t.Errorf("PKIs named like the create = %v, want exactly the one created", list)
	}
	if s := v.clock.Sleeps(); len(s) != 1 || s[0] != 3*time.Second {
		t.Errorf("waits = %v, want [3s]", s)
	}
}

// A POST throttled up to its deadline reports the 429 with the Retry-After Graph asked for.
func TestThrottledPOSTGivesUpWithRetryAfter(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "upload-429-storm")
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, Status: http.StatusTooManyRequests, RetryAfter: "7", Count: 10})
	_, err := v.client.UploadClientCertificate(ctxTimeout(t, 10*time.Second), a.ID, testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	if !graph.IsThrottled(err) {
		t.Fatalf("err = %v, want throttled", err)
	}
	if got := graph.RetryAfterOf(err); got != 7*time.Second {
		t.Errorf("RetryAfterOf = %v, want 7s", got)
	}
	if graph.KindOf(err) != graph.KindThrottled {
		t.Errorf("KindOf = %v", graph.KindOf(err))
	}
	if n := v.count(http.MethodPost, uploadPattern); n != 2 {
		t.Errorf("upload POSTs = %d, want 2 (at 0 s and 7 s; the next, at 14 s, would pass the 10 s deadline)", n)
	}
}

func TestKindOf(t *testing.T) {
	for status, want := range map[int]graph.Kind{
		400: graph.KindBadRequest, 401: graph.KindUnauthenticated, 403: graph.KindForbidden, 404: graph.KindNotFound,
		409: graph.KindConflict, 412: graph.KindConflict, 429: graph.KindThrottled, 503: graph.KindThrottled,
		500: graph.KindOutcomeUnknown, 502: graph.KindOutcomeUnknown, 504: graph.KindOutcomeUnknown, 418: graph.KindOther,
	} {
		err := error(&graph.Error{StatusCode: status})
		if got := graph.KindOf(err); got != want {
			t.Errorf("KindOf(%d) = %v, want %v", status, got, want)
		}
	}
	if graph.KindOf(nil) != graph.KindNone || graph.KindOf(errors.New("x")) != graph.KindOther {
		t.Error("nil or a plain error misclassified")
	}
	if !graph.IsAccessDenied(&graph.Error{StatusCode: 403}) || graph.IsAccessDenied(&graph.Error{StatusCode: 400}) {
		t.Error("IsAccessDenied")
	}
	if !graph.IsTransient(&graph.Error{StatusCode: 502}) || graph.IsTransient(&graph.Error{StatusCode: 404}) {
		t.Error("IsTransient")
	}
}
