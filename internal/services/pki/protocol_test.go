package pki

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Unit tests of the PKI write protocols (ensure: upload once and wait; deleteCertificateAuthorities) against the
// emulator on a fake clock, each fault counted in the emulator's journal. No test waits for real.

const (
	protoPKIs   = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"
	protoUpload = protoPKIs + "/*/upload"
	protoCA     = protoPKIs + "/*/certificateAuthorities/*"
	protoToken  = "protocol-test"
)

type protoEnv struct {
	emu *graphemu.Emulator
	clk *clock.Fake
	r   *uploadResource
	url string
	cas []pkcs.CertificateAuthority
}

func newProtoEnv(t *testing.T, opts graphemu.Options) *protoEnv {
	t.Helper()
	clk := clock.NewFake(time.Now().UTC().Truncate(time.Second))
	data := Fixture(t, "contoso-pki.p7b")
	opts.Token, opts.Clock = protoToken, clk
	opts.Files = http.FS(fstest.MapFS{"contoso.p7b": &fstest.MapFile{Data: data}})
	emu := graphemu.New(opts)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	g, err := graph.New(graph.Options{Endpoint: srv.URL, Credential: graph.StaticToken(protoToken), Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	cas, err := pkcs.ParseCertificateBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	return &protoEnv{emu: emu, clk: clk, url: srv.URL + "/files/contoso.p7b", cas: cas,
		r: &uploadResource{client: &clients.Client{Graph: g, Clock: clk, Locks: &clients.KeyedMutex{}}}}
}

func (v *protoEnv) ctx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func (v *protoEnv) createPKI(t *testing.T) string {
	t.Helper()
	p, err := v.r.client.Graph.CreatePKI(v.ctx(t), "protocol "+t.Name())
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func (v *protoEnv) ensure(t *testing.T, pkiID string) (ensureResult, error) {
	return v.r.ensure(v.ctx(t), ensureArgs{PKIID: pkiID, UploadURL: v.url, SHA256: testfixtures.ContosoSHA256,
		Expected: v.cas, Deadline: v.clk.Now().Add(45 * time.Minute)})
}

// journal returns the requests matching method and a Fault-style path pattern, in order.
func (v *protoEnv) journal(method, pattern string) []graphemu.JournalEntry {
	var out []graphemu.JournalEntry
	for _, e := range v.emu.Journal() {
		if e.Method == method && matchPattern(pattern, e.Path) {
			out = append(out, e)
		}
	}
	return out
}

func matchPattern(pattern, p string) bool {
	ps, qs := strings.Split(strings.ToLower(pattern), "/"), strings.Split(strings.ToLower(p), "/")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != qs[i] {
			return false
		}
	}
	return true
}

func wantBothCAs(t *testing.T, res ensureResult, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("ensure: %v", err)
	}
	if len(res.CAs) != 2 || res.CAs[0].Thumbprint != testfixtures.ContosoRootThumbprint || !graph.PKISucceeded(res.Status) {
		t.Fatalf("ensure returned status %q and %v, want succeeded with both contoso CAs", res.Status, res.CAs)
	}
}

// An upload whose answer is lost started a job: the protocol reads, sees it running, waits and never re-sends.
func TestEnsureLostUploadAnswerIsNotSentAgain(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{UploadDuration: time.Minute})
	id := v.createPKI(t)
	v.emu.AddFault(graphemu.Fault{Method: "POST", Path: protoUpload, DropAfterProcessing: true})
	res, err := v.ensure(t, id)
	wantBothCAs(t, res, err)
	if up := v.journal("POST", protoUpload); len(up) != 1 || up[0].Status != 0 {
		t.Fatalf("uploads %v, want exactly the one whose answer was dropped", up)
	}
}

// Stale reads after the upload show the old "succeeded": the protocol keeps polling until the job really ends.
func TestEnsureWaitsPastStaleReadsForTheJob(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{UploadDuration: 2 * time.Minute})
	id := v.createPKI(t)
	v.clk.Advance(time.Second)
	v.emu.SetPKISwitches(graphemu.PKISwitches{StaleReads: 30 * time.Second})
	res, err := v.ensure(t, id)
	wantBothCAs(t, res, err)
	up := v.journal("POST", protoUpload)
	if len(up) != 1 {
		t.Fatalf("%d uploads, want 1", len(up))
	}
	if v.clk.Now().Before(up[0].Time.Add(2 * time.Minute)) {
		t.Errorf("ensure returned %s after the upload, before the 2-minute job ended", v.clk.Now().Sub(up[0].Time))
	}
}

// A PKI created a moment ago answers 404 on GET, its CA list and upload: the protocol waits within the window.
func TestEnsureWaitsOutReplicaLagOfANewPKI(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{UploadDuration: time.Second})
	v.emu.SetPKISwitches(graphemu.PKISwitches{ReplicaLag: 20 * time.Second})
	id := v.createPKI(t)
	res, err := v.ensure(t, id)
	wantBothCAs(t, res, err)
	var notFound int
	for _, e := range v.emu.Journal() {
		if e.Status == http.StatusNotFound {
			notFound++
		}
	}
	if notFound == 0 || len(v.journal("POST", protoUpload)) != 1 {
		t.Errorf("%d 404s and %d uploads, want some 404s and exactly one upload", notFound, len(v.journal("POST", protoUpload)))
	}
}

// A PKI that does not exist is reported as such once the window ends, with nothing written.
func TestEnsureMissingPKI(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{})
	_, err := v.ensure(t, "00000000-0000-0000-0000-000000000000")
	if err == nil || !strings.Contains(err.Error(), "The PKI does not exist") {
		t.Fatalf("err = %v, want The PKI does not exist", err)
	}
	if n := len(v.journal("POST", protoUpload)); n != 0 {
		t.Errorf("%d uploads to a missing PKI", n)
	}
}

// Throttled twice with Retry-After: 2: sent again each time no sooner than 2 s later, one job in the end.
func TestEnsureThrottledUploadIsSentAgainAfterRetryAfter(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{UploadDuration: time.Second})
	id := v.createPKI(t)
	v.emu.AddFault(graphemu.Fault{Method: "POST", Path: protoUpload, Count: 2, Status: 429, RetryAfter: "2"})
	res, err := v.ensure(t, id)
	wantBothCAs(t, res, err)
	up := v.journal("POST", protoUpload)
	if len(up) != 3 || up[0].Status != 429 || up[1].Status != 429 || up[2].Status != 204 {
		t.Fatalf("uploads %v, want 429, 429, 204", up)
	}
	for i := 1; i < 3; i++ {
		if gap := up[i].Time.Sub(up[i-1].Time); gap < 2*time.Second {
			t.Errorf("upload %d sent %s after its 429, want at least 2 s", i+1, gap)
		}
	}
}

// Another actor's job: the protocol waits for its end before uploading (never a 400 "in progress").
func TestEnsureWaitsForAnotherActorsJobBeforeUploading(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{UploadDuration: time.Second})
	id := v.createPKI(t)
	ends := v.clk.Now().Add(5 * time.Minute)
	v.emu.StartExternalJob(id, 5*time.Minute)
	res, err := v.ensure(t, id)
	wantBothCAs(t, res, err)
	up := v.journal("POST", protoUpload)
	if len(up) != 1 || up[0].Time.Before(ends) || up[0].Status != 204 {
		t.Fatalf("uploads %v, want one 204 after the other job ended at %s", up, ends)
	}
}

// Deleting CAs: a running job is waited for, a 400 (a job started meanwhile) is retried after the PKI is idle,
// a lost DELETE answer is settled, and every recorded CA ends up gone.
func TestDeleteCertificateAuthoritiesProtocol(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{UploadDuration: time.Second})
	id := v.createPKI(t)
	res, err := v.ensure(t, id)
	wantBothCAs(t, res, err)
	recorded := make([]certificateAuthorityModel, 0, 2)
	for _, ca := range res.CAs {
		recorded = append(recorded, certificateAuthorityModel{ID: types.StringValue(ca.ID), Thumbprint: types.StringValue(ca.Thumbprint)})
	}
	// A CA deleted out of band is recorded with an empty id (see Read) and skipped.
	recorded = append(recorded, certificateAuthorityModel{ID: types.StringValue(""), Thumbprint: types.StringValue("AB")})
	v.emu.StartExternalJob(id, time.Minute)
	jobEnds := v.clk.Now().Add(time.Minute)
	v.emu.AddFault(graphemu.Fault{Method: "DELETE", Path: protoCA, Count: 1, Status: 400})
	v.emu.AddFault(graphemu.Fault{Method: "DELETE", Path: protoCA, DropAfterProcessing: true})
	if err := v.r.deleteCertificateAuthorities(v.ctx(t), id, recorded, v.clk.Now().Add(45*time.Minute)); err != nil {
		t.Fatalf("deleteCertificateAuthorities: %v", err)
	}
	cas, err := v.r.client.Graph.ListCertificateAuthorities(v.ctx(t), id)
	if err != nil || len(cas) != 0 {
		t.Fatalf("after the deletion the PKI holds %v (err %v), want none", cas, err)
	}
	dels := v.journal("DELETE", protoCA)
	statuses := map[int]int{}
	for _, d := range dels {
		statuses[d.Status]++
		if d.Time.Before(jobEnds) {
			t.Errorf("DELETE at %s, before the running job ended at %s", d.Time, jobEnds)
		}
	}
	if statuses[400] != 1 || statuses[0] != 1 || statuses[204] < 1 {
		t.Errorf("DELETE statuses %v, want one 400, one dropped answer and the rest 204 or 404", statuses)
	}
}

// The upload endpoint lags behind reads: five 404s on the upload of a PKI that GET already shows. Each 404 is an
// upload Graph did not act on, so it spends no upload attempt, and the pause between them grows from the first
// 404 (issue 17: it used to restart every round, so five 404s spent every attempt in about 6 s and the error said
// the answers were lost).
func TestEnsureUploadNotFoundUnderLagBacksOffAndSpendsNoAttempt(t *testing.T) {
	v := newProtoEnv(t, graphemu.Options{UploadDuration: time.Second})
	id := v.createPKI(t)
	v.clk.Advance(time.Minute)
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: protoUpload, Status: http.StatusNotFound, Count: 5})
	res, err := v.ensure(t, id)
	wantBothCAs(t, res, err)
	up := v.journal("POST", protoUpload)
	if len(up) != 6 {
		t.Fatalf("%d uploads, want 6 (five 404s, then one accepted)", len(up))
	}
	var gaps []time.Duration
	for i := 1; i < len(up); i++ {
		gaps = append(gaps, up[i].Time.Sub(up[i-1].Time))
	}
	if gaps[len(gaps)-1] <= gaps[0] {
		t.Errorf("pauses between the uploads %v do not grow", gaps)
	}
}
