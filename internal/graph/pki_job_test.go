package graph_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func (v *env) uploadContoso(t *testing.T, pkiID string) {
	t.Helper()
	if err := v.client.UploadPKI(ctxTimeout(t, 10*time.Second), pkiID, v.srv.URL+"/files/contoso-pki.p7b", testfixtures.ContosoSHA256); err != nil {
		t.Fatalf("UploadPKI: %v", err)
	}
}

func (v *env) createPKI(t *testing.T, name string) *graph.PKI {
	t.Helper()
	p, err := v.client.CreatePKI(ctxTimeout(t, 10*time.Second), name)
	if err != nil {
		t.Fatalf("CreatePKI: %v", err)
	}
	return p
}

// After an accepted upload, replicas still show the previous "succeeded" for a while: it must not count as the
// end of the new job, which really ends a minute later.
func TestWaitForPKIJobIgnoresAStaleFinalStatus(t *testing.T) {
	v := newEnv(t)
	v.emu.SetUploadDuration(time.Minute)
	v.emu.SetPKISwitches(graphemu.PKISwitches{StaleReads: 20 * time.Second})
	p := v.createPKI(t, "stale")
	v.clock.Advance(time.Second) // the PKI's own lastModifiedDateTime is older than the upload
	since := v.clock.Now()
	v.uploadContoso(t, p.ID)
	got, err := v.client.WaitForPKIJob(ctxTimeout(t, 10*time.Second), p.ID, since, since.Add(time.Hour))
	if err != nil {
		t.Fatalf("WaitForPKIJob: %v", err)
	}
	if !graph.PKISucceeded(got.Status) || v.clock.Now().Before(since.Add(time.Minute)) {
		t.Fatalf("returned %q at +%s, want succeeded no sooner than the job's end at +1m", got.Status, v.clock.Now().Sub(since))
	}
	cas, err := v.client.ListCertificateAuthorities(ctxTimeout(t, 10*time.Second), p.ID)
	if err != nil || len(cas) != 2 {
		t.Fatalf("after the job: %d CAs (err %v), want 2", len(cas), err)
	}
}

// Waiting for someone else's job (since zero): the first final status counts; the wait follows the one
// back-off schedule (first look after 1 s, then half the time waited, at most 30 s), so a 30-minute job costs
// about 70 looks.
func TestWaitForPKIJobScheduleOverALongJob(t *testing.T) {
	v := newEnv(t)
	p := v.createPKI(t, "long job")
	v.emu.StartExternalJob(p.ID, 30*time.Minute)
	start := v.clock.Now()
	got, err := v.client.WaitForPKIJob(ctxTimeout(t, 30*time.Second), p.ID, time.Time{}, start.Add(time.Hour))
	if err != nil || !graph.PKISucceeded(got.Status) {
		t.Fatalf("WaitForPKIJob: %v, %v", got, err)
	}
	looks := v.count("GET", "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*")
	if looks > 80 {
		t.Errorf("%d looks at a 30-minute job, want at most 80", looks)
	}
	late := v.clock.Now().Sub(start.Add(30 * time.Minute))
	if late < 0 || late > 30*time.Second {
		t.Errorf("noticed the end %s after it, want within 30 s", late)
	}
	sleeps := v.clock.Sleeps()
	if len(sleeps) == 0 || sleeps[0] != time.Second {
		t.Fatalf("first pause %v, want 1s", sleeps)
	}
	var elapsed time.Duration
	for i, d := range sleeps {
		if i > 0 && i < len(sleeps)-1 && d != graph.NextWaitInterval(elapsed) {
			t.Fatalf("pause %d is %s after %s waited, want NextWaitInterval's %s", i, d, elapsed, graph.NextWaitInterval(elapsed))
		}
		elapsed += d
	}
}

// The deadline ends the wait while the job runs, with the last status seen.
func TestWaitForPKIJobDeadline(t *testing.T) {
	v := newEnv(t)
	p := v.createPKI(t, "deadline")
	v.emu.StartExternalJob(p.ID, time.Hour)
	deadline := v.clock.Now().Add(2 * time.Minute)
	_, err := v.client.WaitForPKIJob(ctxTimeout(t, 10*time.Second), p.ID, time.Time{}, deadline)
	var te *graph.PKIJobTimeoutError
	if !errors.As(err, &te) || !graph.IsWaitTimeout(err) || te.LastSeen == nil || !graph.PKIRunning(te.LastSeen.Status) {
		t.Fatalf("err = %v, want a PKI job timeout with the running status", err)
	}
	if !v.clock.Now().Equal(deadline) {
		t.Errorf("gave up at %s, want exactly the deadline %s", v.clock.Now(), deadline)
	}
}

// A PKI created a moment ago answers 404 for the replica lag: WaitForPKI waits it out; a PKI that never appears
// is a 404 once the window ends.
func TestWaitForPKIWaitsOutReplicaLag(t *testing.T) {
	v := newEnv(t)
	v.emu.SetPKISwitches(graphemu.PKISwitches{ReplicaLag: 10 * time.Second})
	p := v.createPKI(t, "lagging")
	if _, err := v.client.GetPKI(ctxTimeout(t, 10*time.Second), p.ID); !graph.IsNotFound(err) {
		t.Fatalf("GET during the lag: %v, want 404 (the switch is off?)", err)
	}
	start := v.clock.Now()
	got, err := v.client.WaitForPKI(ctxTimeout(t, 10*time.Second), p.ID, start.Add(time.Minute))
	if err != nil || got.ID != p.ID {
		t.Fatalf("WaitForPKI: %v, %v", got, err)
	}
	if waited := v.clock.Now().Sub(start); waited < 10*time.Second || waited > 20*time.Second {
		t.Errorf("waited %s, want the 10 s lag plus at most one pause", waited)
	}
	_, err = v.client.WaitForPKI(ctxTimeout(t, 10*time.Second), "00000000-0000-0000-0000-000000000000", v.clock.Now().Add(time.Minute))
	if !graph.IsNotFound(err) {
		t.Errorf("a PKI that never appears: %v, want 404", err)
	}
}

// Graph's status strings are compared case-insensitively, an unknown one is final but not success, and an answer
// without id is an error rather than an empty PKI whose "" status reads as finished.
func TestPKIStatusesAndAnswersWithoutID(t *testing.T) {
	for status, want := range map[string][3]bool{ // running, succeeded, known
		"running": {true, false, true}, "RUNNING": {true, false, true}, "Succeeded": {false, true, true},
		"failed": {false, false, true}, "partiallySucceeded": {false, false, false}, "": {false, false, false},
	} {
		got := [3]bool{graph.PKIRunning(status), graph.PKISucceeded(status), graph.PKIStatusKnown(status)}
		if got != want {
			t.Errorf("%q: running, succeeded, known = %v, want %v", status, got, want)
		}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"displayName":"no id","status":""}`))
	}))
	t.Cleanup(srv.Close)
	c, err := graph.New(graph.Options{Endpoint: srv.URL, Credential: graph.StaticToken(testToken), Clock: newRecordingClock()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetPKI(ctxTimeout(t, 10*time.Second), "p1"); err == nil || !strings.Contains(err.Error(), "no id") {
		t.Errorf("GetPKI of an answer without id: %v, want an error", err)
	}
}
