package apiconnector

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

const uploadPattern = "/identity/apiConnectors/*/uploadClientCertificate"

// protocolEnv is the emulator and a provider client sharing one fake clock: the write protocol runs in no real time.
type protocolEnv struct {
	emu    *graphemu.Emulator
	clk    *clock.Fake
	client *clients.Client
}

func newProtocolEnv(t *testing.T, opts graphemu.Options) *protocolEnv {
	t.Helper()
	// The fixtures are valid from their making (late 2026) on: start at the real time, as acctest does.
	clk := clock.NewFake(time.Now().UTC().Truncate(time.Second))
	opts.Clock = clk
	emu := graphemu.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	g, err := graph.New(graph.Options{Endpoint: srv.URL, Credential: graph.StaticToken("t"), Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	return &protocolEnv{emu: emu, clk: clk, client: &clients.Client{Graph: g, Environment: clients.CloudPublic, Clock: clk, Locks: &clients.KeyedMutex{}}}
}

func (p *protocolEnv) connector(t *testing.T) string {
	t.Helper()
	c, err := p.client.Graph.CreateAPIConnector(testCtx(t), graph.NewAPIConnector{
		DisplayName: "protocol", TargetURL: "https://api.contoso.example/", Username: "u", Password: "basic-Pa55"})
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func (p *protocolEnv) upload(connectorID string) upload {
	pfx, err := pkcs.ReencodeForGraph(testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	if err != nil {
		panic(err)
	}
	return upload{ConnectorID: connectorID, PKCS12Base64: pfx, Password: testfixtures.Password,
		Thumbprint: testfixtures.ClientThumbprint, Deadline: p.clk.Now().Add(10 * time.Minute)}
}

// uploads are the journal's uploadClientCertificate requests, by status.
func (p *protocolEnv) uploads() (accepted int, all []graphemu.JournalEntry) {
	for _, e := range p.emu.Journal() {
		if e.Method == http.MethodPost && graphemuPathMatches(e.Path) {
			all = append(all, e)
			if e.Status == http.StatusOK || e.Status == 0 {
				accepted++
			}
		}
	}
	return accepted, all
}

func graphemuPathMatches(p string) bool { return strings.HasSuffix(p, "/uploadClientCertificate") }

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// Two 429s with Retry-After: 2: the Graph client sends the upload again after each (and only it: one layer), each
// retry at least 2 s of emulator time after its 429, and the certificate is uploaded once.
func TestEnsureCertificateThrottledUpload(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{})
	id := p.connector(t)
	p.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, Status: http.StatusTooManyRequests, RetryAfter: "2", Count: 2})
	info, outcome, err := ensureCertificate(testCtx(t), p.client, p.upload(id))
	if err != nil || outcome != outcomeUploaded || info.Thumbprint != testfixtures.ClientThumbprint {
		t.Fatalf("ensureCertificate: %+v %v %v", info, outcome, err)
	}
	accepted, all := p.uploads()
	if accepted != 1 || len(all) != 3 {
		t.Fatalf("uploads %+v, want two 429s and one accepted", all)
	}
	for i := 1; i < len(all); i++ {
		if gap := all[i].Time.Sub(all[i-1].Time); all[i-1].Status == http.StatusTooManyRequests && gap < 2*time.Second {
			t.Errorf("upload %d came %s after its 429, want at least the Retry-After of 2s", i+1, gap)
		}
	}
}

// Throttled beyond the deadline: the error is throttling (for the diagnostic), after retries only by the client.
func TestEnsureCertificateThrottledBeyondDeadline(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{})
	id := p.connector(t)
	p.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, Status: http.StatusTooManyRequests, RetryAfter: "30", Probability: 1})
	u := p.upload(id)
	u.Deadline = p.clk.Now().Add(time.Minute)
	ctx, cancel := context.WithTimeout(testCtx(t), time.Minute) // the context ends the client's retries in real time
	defer cancel()
	_, _, err := ensureCertificate(ctx, p.client, u)
	if !graph.IsThrottled(err) {
		t.Fatalf("err %v, want throttled", err)
	}
	d := uploadError(id, u.Thumbprint, time.Minute, false, err)
	if d.Summary() != "Cannot upload the client certificate" || !contains(d.Detail(), "throttled the upload", "beyond the deadline") ||
		contains(d.Detail(), "APIConnectors.ReadWrite.All") {
		t.Errorf("diagnostic %q: %q", d.Summary(), d.Detail())
	}
	if accepted, _ := p.uploads(); accepted != 0 {
		t.Errorf("%d uploads accepted", accepted)
	}
}

// A lost answer: the protocol reads before uploading again, finds the certificate and adopts it (one upload).
func TestEnsureCertificateLostAnswerThenAdopt(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{})
	id := p.connector(t)
	p.emu.SetReadAfterWriteLag(5 * time.Second)
	p.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, DropAfterProcessing: true})
	start := p.clk.Now()
	info, outcome, err := ensureCertificate(testCtx(t), p.client, p.upload(id))
	if err != nil || outcome != outcomeUploaded || info == nil {
		t.Fatalf("ensureCertificate: %+v %v %v", info, outcome, err)
	}
	accepted, all := p.uploads()
	if accepted != 1 || len(all) != 1 || all[0].Status != 0 {
		t.Errorf("uploads %+v, want the one dropped upload", all)
	}
	if waited := p.clk.Now().Sub(start); waited < 5*time.Second || waited > graph.NewObjectVisibleWindow {
		t.Errorf("waited %s of clock time, want the lag (5s) and less than the settle window", waited)
	}
	if n := p.emu.Count(http.MethodGet, "/identity/apiConnectors/*"); n < 2 {
		t.Errorf("%d reads after the lost answer, want the reads of a wait", n)
	}
}

// Lost answers and a certificate that never shows up: the protocol uploads again only after the settle window,
// at most graph.MaxWrites times.
func TestEnsureCertificateLostAnswersGiveUp(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{})
	id := p.connector(t)
	p.emu.SetReadAfterWriteLag(time.Hour)
	p.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPattern, DropAfterProcessing: true, Count: 10})
	_, _, err := ensureCertificate(testCtx(t), p.client, p.upload(id))
	if !graph.IsWriteLost(err) || !graph.IsOutcomeUnknown(err) {
		t.Fatalf("err %v, want the lost uploads to end in a lost-write error", err)
	}
	_, all := p.uploads()
	if len(all) != graph.MaxWrites {
		t.Fatalf("%d uploads, want %d", len(all), graph.MaxWrites)
	}
	for i := 1; i < len(all); i++ {
		if gap := all[i].Time.Sub(all[i-1].Time); gap < graph.NewObjectVisibleWindow {
			t.Errorf("upload %d only %s after the previous lost one, want the settle window %s", i+1, gap, graph.NewObjectVisibleWindow)
		}
	}
}

// Read-after-write lag: the upload's own answer lists the certificate, so no wait is needed.
func TestEnsureCertificateUnderLag(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{})
	id := p.connector(t)
	p.emu.SetReadAfterWriteLag(time.Minute)
	start := p.clk.Now()
	if _, outcome, err := ensureCertificate(testCtx(t), p.client, p.upload(id)); err != nil || outcome != outcomeUploaded {
		t.Fatalf("ensureCertificate: %v %v", outcome, err)
	}
	if p.clk.Now() != start {
		t.Errorf("waited %s under lag although the upload's answer listed the certificate", p.clk.Now().Sub(start))
	}
}

// A basic-auth connector that refuses uploads is switched with PATCH authenticationConfiguration.
func TestEnsureCertificateSwitchesBasicAuthentication(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{RefuseUploadsOnBasicAuth: true})
	id := p.connector(t)
	info, outcome, err := ensureCertificate(testCtx(t), p.client, p.upload(id))
	if err != nil || outcome != outcomeSwitched || info.Thumbprint != testfixtures.ClientThumbprint {
		t.Fatalf("ensureCertificate: %+v %v %v", info, outcome, err)
	}
	if n := p.emu.Count(http.MethodPatch, "/identity/apiConnectors/*"); n != 1 {
		t.Errorf("%d PATCHes, want 1", n)
	}
	conn, err := p.client.Graph.GetAPIConnector(testCtx(t), id)
	if err != nil || conn.AuthenticationType != graph.AuthenticationCertificate {
		t.Errorf("connector after the switch: %+v %v", conn, err)
	}
}

// Concurrent creates of one certificate on one connector: the lock serializes them, the first uploads, the others
// adopt from the upload's cached answer.
func TestEnsureCertificateLockOneUpload(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{})
	id := p.connector(t)
	var wg sync.WaitGroup
	outcomes := make([]uploadOutcome, 5)
	errs := make([]error, 5)
	for i := range outcomes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, outcomes[i], errs[i] = ensureCertificate(testCtx(t), p.client, p.upload(id))
		}()
	}
	wg.Wait()
	uploaded := 0
	for i := range outcomes {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if outcomes[i] == outcomeUploaded {
			uploaded++
		}
	}
	if accepted, _ := p.uploads(); accepted != 1 || uploaded != 1 {
		t.Errorf("%d uploads accepted, %d outcomes uploaded; want 1 and 1", accepted, uploaded)
	}
	if p.client.Locks.Held() != 0 {
		t.Errorf("%d locks still held", p.client.Locks.Held())
	}
}

func contains(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// Each kind of upload failure gets its own diagnostic; only 401/403 talk about permissions.
func TestUploadErrorClassifies(t *testing.T) {
	for _, tc := range []struct {
		name     string
		err      error
		timedOut bool
		want     []string
	}{
		{"bad request", &graph.Error{StatusCode: 400, Code: "BadRequest", Message: "Invalid id"}, false, []string{"refused", "as bad input", "Invalid id"}},
		{"unauthenticated", &graph.Error{StatusCode: 401, Code: "InvalidAuthenticationToken"}, false, []string{"APIConnectors.ReadWrite.All", "External ID User Flow Administrator"}},
		{"forbidden", &graph.Error{StatusCode: 403, Code: "Authorization_RequestDenied"}, false, []string{"APIConnectors.ReadWrite.All", "External ID User Flow Administrator"}},
		{"not found", &graph.Error{StatusCode: 404, Code: "ResourceNotFound"}, false, []string{`No API connector with ID "c1" exists`}},
		{"throttled", &graph.Error{StatusCode: 429, Code: "TooManyRequests"}, false, []string{"throttled the upload", "beyond the deadline"}},
		{"outcome unknown", &graph.Error{StatusCode: 500, Code: "InternalServerError"}, false, []string{"outcome of the upload", "is unknown", "not uploaded twice"}},
		{"timed out", context.DeadlineExceeded, true, []string{"did not show up", "adopts it without uploading it again"}},
	} {
		d := uploadError("c1", testfixtures.ClientThumbprint, time.Minute, tc.timedOut, tc.err)
		detail := d.Detail()
		for _, w := range tc.want {
			if !strings.Contains(detail, w) {
				t.Errorf("%s: %q lacks %q", tc.name, detail, w)
			}
		}
		permission := strings.Contains(detail, "APIConnectors.ReadWrite.All")
		if wantPermission := tc.name == "unauthenticated" || tc.name == "forbidden"; permission != wantPermission {
			t.Errorf("%s: talks about the permission: %v", tc.name, permission)
		}
	}
}
