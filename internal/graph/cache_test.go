package graph_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// concurrentGets makes n cached reads of the connector at once.
func concurrentGets(t *testing.T, v *env, id string, n int) {
	t.Helper()
	waitGets(t, startGets(t, v, id, n))
}

// sharedGets makes n cached reads of the connector at once, while Graph holds the GET until all n wait for a
// shared request: however the goroutines are scheduled, they overlap.
func sharedGets(t *testing.T, v *env, id string, n int) {
	t.Helper()
	_, release := v.holdRequests(http.MethodGet, "/identity/apiConnectors/*")
	defer release()
	errs := startGets(t, v, id, n)
	waitFor(t, fmt.Sprintf("%d reads wait for one request", n), func() bool { return v.client.ConnectorReadWaiters(id) == n })
	release()
	waitGets(t, errs)
}

// startGets starts n cached reads of the connector; each sends its error on the channel.
func startGets(t *testing.T, v *env, id string, n int) <-chan error {
	ctx := ctxTimeout(t, 20*time.Second)
	errs := make(chan error, n)
	for range n {
		go func() {
			a, err := v.client.GetAPIConnectorCached(ctx, id)
			if err == nil && a.ID != id {
				err = fmt.Errorf("got connector %q, want %q", a.ID, id)
			}
			errs <- err
		}()
	}
	return errs
}

func waitGets(t *testing.T, errs <-chan error) {
	t.Helper()
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Fatalf("GetAPIConnectorCached: %v", err)
		}
	}
}

func TestConcurrentReadsShareOneRequest(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "coalesced")
	sharedGets(t, v, a.ID, 20)
	if n := v.count(http.MethodGet, connectorPattern); n != 1 {
		t.Errorf("GETs = %d, want 1 for 20 concurrent reads", n)
	}
	// Closely following reads are answered from the cache too.
	concurrentGets(t, v, a.ID, 5)
	if n := v.count(http.MethodGet, connectorPattern); n != 1 {
		t.Errorf("GETs = %d after follow-up reads, want 1", n)
	}
}

func TestConcurrentReadsShareOneRequestWithoutCache(t *testing.T) {
	v := newEnv(t, withCacheTTL(-1))
	a := v.createConnector(t, "coalesced-nocache")
	sharedGets(t, v, a.ID, 10)
	if n := v.count(http.MethodGet, connectorPattern); n != 1 {
		t.Errorf("GETs = %d, want 1 (one shared request)", n)
	}
	if _, err := v.client.GetAPIConnectorCached(ctxTimeout(t, 5*time.Second), a.ID); err != nil {
		t.Fatal(err)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 2 {
		t.Errorf("GETs = %d, want 2 (no cache: a later read asks Graph)", n)
	}
}

// By default a cached answer lasts the client's life (one Terraform operation): a long refresh costs one GET per
// object however long it runs.
func TestCacheDoesNotExpireByDefault(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "long run")
	ctx := ctxTimeout(t, 10*time.Second)
	for range 3 {
		if _, err := v.client.GetAPIConnectorCached(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		v.clock.Advance(time.Hour)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 1 {
		t.Fatalf("GETs = %d over three hours of cached reads, want 1", n)
	}
	if _, err := v.client.GetAPIConnector(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 2 {
		t.Errorf("GETs = %d after a fresh read, want 2", n)
	}
}

func TestCacheExpiresWithTTL(t *testing.T) {
	v := newEnv(t, withCacheTTL(5*time.Second))
	a := v.createConnector(t, "expiring")
	ctx := ctxTimeout(t, 10*time.Second)
	for range 3 {
		if _, err := v.client.GetAPIConnectorCached(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 1 {
		t.Fatalf("GETs = %d, want 1", n)
	}
	v.clock.Advance(5 * time.Second)
	if _, err := v.client.GetAPIConnectorCached(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 2 {
		t.Errorf("GETs = %d after the TTL, want 2", n)
	}
}

// The upload's answer (the whole connector as the upload left it) replaces the cached state: a read right after
// sees the new certificate without a request, and a Fresh read still asks Graph.
func TestReadAfterUploadSeesTheUploadsAnswer(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "read-after-upload")
	ctx := ctxTimeout(t, 10*time.Second)
	before, err := v.client.GetAPIConnectorCached(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if before.AuthenticationType != graph.AuthenticationBasic {
		t.Fatalf("before upload: %+v", before)
	}
	if _, err := v.client.UploadClientCertificate(ctx, a.ID, testfixtures.Base64("client-aes.pfx"), testfixtures.Password); err != nil {
		t.Fatal(err)
	}
	after, err := v.client.GetAPIConnectorCached(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.AuthenticationType != graph.AuthenticationCertificate || len(after.Certificates) != 1 ||
		after.Certificates[0].Thumbprint != testfixtures.ClientThumbprint {
		t.Errorf("read after upload = %+v, want the uploaded certificate", after)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 1 {
		t.Errorf("GETs = %d, want 1 (the read after the upload is the upload's answer)", n)
	}
	if _, err := v.client.GetAPIConnector(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 2 {
		t.Errorf("GETs = %d after a Fresh read, want 2", n)
	}
}

// A failed upload leaves nothing cached: the next read asks Graph.
func TestFailedUploadInvalidates(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "failed-upload")
	ctx := ctxTimeout(t, 10*time.Second)
	if _, err := v.client.GetAPIConnectorCached(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := v.client.UploadClientCertificate(ctx, a.ID, "not base64!", ""); err == nil {
		t.Fatal("want the upload to fail")
	}
	if _, err := v.client.GetAPIConnectorCached(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if n := v.count(http.MethodGet, connectorPattern); n != 2 {
		t.Errorf("GETs = %d, want 2", n)
	}
}

func TestWritesInvalidate(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "patched")
	ctx := ctxTimeout(t, 10*time.Second)
	if _, err := v.client.GetAPIConnectorCached(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if err := v.client.SetAPIConnectorBasicAuthentication(ctx, a.ID, "other-user", "pw"); err != nil {
		t.Fatal(err)
	}
	got, err := v.client.GetAPIConnectorCached(ctx, a.ID)
	if err != nil || got.BasicUsername != "other-user" {
		t.Fatalf("after PATCH: %+v, %v", got, err)
	}
	if err := v.client.DeleteAPIConnector(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := v.client.GetAPIConnectorCached(ctx, a.ID); !graph.IsNotFound(err) {
		t.Errorf("after DELETE: err = %v, want not found", err)
	}

	p, err := v.client.CreatePKI(ctx, "cached pki")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.client.GetPKICached(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := v.client.UpdatePKI(ctx, p.ID, "renamed pki"); err != nil {
		t.Fatal(err)
	}
	if got, err := v.client.GetPKICached(ctx, p.ID); err != nil || got.DisplayName != "renamed pki" {
		t.Errorf("after UpdatePKI: %+v, %v", got, err)
	}
	if err := v.client.UploadPKI(ctx, p.ID, v.srv.URL+"/files/contoso-pki.p7b", testfixtures.ContosoSHA256); err != nil {
		t.Fatal(err)
	}
	if got, err := v.client.GetPKICached(ctx, p.ID); err != nil || got.Status != graph.PKIStatusRunning {
		t.Errorf("after UploadPKI: %+v, %v; want running", got, err)
	}
}

func TestFreshBypassesCache(t *testing.T) {
	v := newEnv(t)
	p, err := v.client.CreatePKI(ctxTimeout(t, 10*time.Second), "fresh")
	if err != nil {
		t.Fatal(err)
	}
	ctx := ctxTimeout(t, 10*time.Second)
	const pattern = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*"
	if _, err := v.client.GetPKICached(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := v.client.GetPKICached(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if n := v.count(http.MethodGet, pattern); n != 1 {
		t.Fatalf("GETs = %d, want 1", n)
	}
	for i := range 3 {
		if _, err := v.client.GetPKI(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if n := v.count(http.MethodGet, pattern); n != 2+i {
			t.Fatalf("GETs = %d after %d fresh reads, want %d", n, i+1, 2+i)
		}
	}
}

func TestCachedValuesAreCopies(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "copies")
	ctx := ctxTimeout(t, 10*time.Second)
	if _, err := v.client.UploadClientCertificate(ctx, a.ID, testfixtures.Base64("client-aes.pfx"), testfixtures.Password); err != nil {
		t.Fatal(err)
	}
	first, err := v.client.GetAPIConnectorCached(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	first.DisplayName = "mutated"
	first.Certificates[0].Thumbprint = "mutated"
	second, err := v.client.GetAPIConnectorCached(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if second.DisplayName != "copies" || second.Certificates[0].Thumbprint != testfixtures.ClientThumbprint {
		t.Errorf("a caller's change leaked into the cache: %+v", second)
	}
}

// When the caller who started a shared read gives up, the others still get an answer.
func TestSharedReadSurvivesLeaderCancellation(t *testing.T) {
	v := newEnv(t, withCacheTTL(-1))
	a := v.createConnector(t, "leader-cancel")
	arrived, release := v.holdRequests(http.MethodGet, "/identity/apiConnectors/*")
	defer release()

	leaderCtx, cancel := context.WithCancel(t.Context())
	defer cancel()
	leaderErr := make(chan error, 1)
	go func() {
		_, err := v.client.GetAPIConnectorCached(leaderCtx, a.ID)
		leaderErr <- err
	}()
	<-arrived // the leader's request is at Graph
	type answer struct {
		got *graph.APIConnector
		err error
	}
	joined := make(chan answer, 1)
	go func() {
		got, err := v.client.GetAPIConnectorCached(ctxTimeout(t, 10*time.Second), a.ID)
		joined <- answer{got, err}
	}()
	waitFor(t, "the joiner waits for the leader's read", func() bool { return v.client.ConnectorReadWaiters(a.ID) == 2 })
	cancel()
	if err := <-leaderErr; !errors.Is(err, context.Canceled) {
		t.Errorf("leader: %v, want its own cancellation", err)
	}
	release() // Graph answers only now, after the leader has gone
	j := <-joined
	if j.err != nil || j.got.ID != a.ID {
		t.Fatalf("joiner: %+v, %v", j.got, j.err)
	}
	// The joiner got the leader's answer: one GET for both, not a second request after the leader gave up.
	if n := v.count(http.MethodGet, "/identity/apiConnectors/*"); n != 1 {
		t.Errorf("%d GETs of the connector, want the leader's one, shared", n)
	}
}

// A cached read made while an upload runs waits for the upload's answer instead of asking Graph (the plan-time
// look of one certificate and the upload of another on the same connector cost no extra GET).
func TestCachedReadDuringUploadTakesItsAnswer(t *testing.T) {
	v := newEnv(t)
	a := v.createConnector(t, "read-during-upload")
	type answer struct {
		got *graph.APIConnector
		err error
	}
	// readDuringUpload starts an upload, held at Graph, and a cached read while it runs, then lets the upload answer.
	readDuringUpload := func(fixture string) (answer, error) {
		arrived, release := v.holdRequests(http.MethodPost, "/identity/apiConnectors/*/uploadClientCertificate")
		defer release()
		uploaded := make(chan error, 1)
		go func() {
			_, err := v.client.UploadClientCertificate(ctxTimeout(t, 10*time.Second), a.ID, testfixtures.Base64(fixture), testfixtures.Password)
			uploaded <- err
		}()
		<-arrived // the upload is at Graph
		read := make(chan answer, 1)
		go func() {
			got, err := v.client.GetAPIConnectorCached(ctxTimeout(t, 10*time.Second), a.ID)
			read <- answer{got, err}
		}()
		waitFor(t, "the read waits for the upload", func() bool { return v.client.ConnectorReadWaiters(a.ID) == 1 })
		release()
		return <-read, <-uploaded
	}

	r, err := readDuringUpload("client-legacy-3des.pfx")
	if r.err != nil || len(r.got.Certificates) != 1 {
		t.Fatalf("read during the upload: %+v, %v; want the upload's answer", r.got, r.err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if n := v.count(http.MethodGet, "/identity/apiConnectors/*"); n != 0 {
		t.Errorf("%d GETs, want 0", n)
	}

	// A failed upload lets the waiting reader fetch for itself.
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPost, Path: "/identity/apiConnectors/*/uploadClientCertificate", Status: 400})
	r, err = readDuringUpload("client-ec.pfx")
	if r.err != nil || len(r.got.Certificates) != 1 {
		t.Fatalf("read during a failed upload: %+v, %v", r.got, r.err)
	}
	if !graph.IsBadRequest(err) {
		t.Fatalf("upload: %v, want the scripted 400", err)
	}
	if n := v.count(http.MethodGet, "/identity/apiConnectors/*"); n != 1 {
		t.Errorf("%d GETs after the failed upload, want the reader's own 1", n)
	}
}
