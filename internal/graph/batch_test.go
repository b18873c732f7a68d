package graph_test

import (
	"crypto/x509"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

const (
	caItemPath   = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*/certificateAuthorities"
	caByIDPath   = caItemPath + "/*"
	batchPath    = "/$batch"
	batchTimeout = 30 * time.Second
)

func newCAs(t *testing.T, n int) []graph.NewCertificateAuthority {
	t.Helper()
	out := make([]graph.NewCertificateAuthority, 0, n)
	for _, der := range testfixtures.NewCAs(t, n, 0) {
		// x509 rather than pkcs.ParseCertificate, which trims whitespace bytes off raw DER.
		cert, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, graph.NewCertificateAuthority{Certificate: der, Thumbprint: pkcs.Thumbprint(der),
			ExpirationDateTime: cert.NotAfter, IsRoot: true})
	}
	return out
}

func TestCertificateAuthoritiesBatched(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, batchTimeout)
	p, err := v.client.CreatePKI(ctx, "batch")
	if err != nil {
		t.Fatal(err)
	}
	in := newCAs(t, 25)
	hint := true
	in[3].IsIssuerHintEnabled = &hint
	v.emu.ResetJournal()
	res := v.client.CreateCertificateAuthorities(ctx, p.ID, in)
	for i, r := range res {
		if r.Err != nil || r.CA == nil || r.CA.Thumbprint != in[i].Thumbprint || r.CA.ID == "" || r.CA.Type != "root" {
			t.Fatalf("item %d: %+v %v", i, r.CA, r.Err)
		}
	}
	if !res[3].CA.IsIssuerHintEnabled || res[3].CA.ExpirationDateTime.IsZero() || res[3].CA.DisplayName == "" {
		t.Errorf("item 3 = %+v", res[3].CA)
	}
	if n := v.count("POST", batchPath); n != 2 {
		t.Errorf("%d batches for 25 CAs, want 2", n)
	}
	if n := v.count("POST", caItemPath); n != 25 {
		t.Errorf("%d CA creates, want 25", n)
	}
	cas, err := v.client.ListCertificateAuthorities(ctx, p.ID)
	if err != nil || len(cas) != 25 {
		t.Fatalf("%d CAs (%v)", len(cas), err)
	}

	// Delete: one ID already gone (404 = deleted), two items throttled once (sent again after their retry-after).
	ids := make([]string, 0, len(res)+1)
	for _, r := range res {
		ids = append(ids, r.CA.ID)
	}
	ids = append(ids, "00000000-0000-0000-0000-000000000000")
	v.emu.AddFault(graphemu.Fault{Method: "DELETE", Path: caByIDPath, Status: 429, RetryAfter: "7", Count: 2})
	v.emu.ResetJournal()
	before := len(v.clock.Sleeps())
	for i, err := range v.client.DeleteCertificateAuthorities(ctx, p.ID, ids) {
		if err != nil {
			t.Errorf("delete %d: %v", i, err)
		}
	}
	if n := v.count("POST", batchPath); n != 3 {
		t.Errorf("%d batches, want 3 (20 + 6, then the 2 throttled items)", n)
	}
	if n := v.count("DELETE", caByIDPath); n != 28 {
		t.Errorf("%d item deletes, want 28 (26 + 2 sent again)", n)
	}
	if s := v.clock.Sleeps()[before:]; len(s) != 1 || s[0] != 7*time.Second {
		t.Errorf("waits %v, want one of 7s", s)
	}
	if cas, _ := v.client.ListCertificateAuthorities(ctx, p.ID); len(cas) != 0 {
		t.Errorf("%d CAs left", len(cas))
	}
}

func TestCertificateAuthoritiesBatchFailures(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, batchTimeout)
	p, err := v.client.CreatePKI(ctx, "batch failures")
	if err != nil {
		t.Fatal(err)
	}
	in := newCAs(t, 3)

	// One item answered 500: that item's outcome is unknown; the others succeed; nothing is sent again.
	v.emu.AddFault(graphemu.Fault{Method: "POST", Path: caItemPath, Status: 500})
	res := v.client.CreateCertificateAuthorities(ctx, p.ID, in)
	if !graph.IsOutcomeUnknown(res[0].Err) || res[1].Err != nil || res[2].Err != nil {
		t.Fatalf("outcomes %v %v %v", res[0].Err, res[1].Err, res[2].Err)
	}
	// A duplicate is the item's own 400.
	res = v.client.CreateCertificateAuthorities(ctx, p.ID, in[1:])
	if !graph.IsBadRequest(res[0].Err) || !graph.IsBadRequest(res[1].Err) {
		t.Fatalf("duplicates: %v %v", res[0].Err, res[1].Err)
	}

	// The batch's own answer lost: every item is outcome-unknown and the batch is not sent again.
	v.emu.ResetJournal()
	v.emu.AddFault(graphemu.Fault{Method: "POST", Path: batchPath, DropAfterProcessing: true})
	res = v.client.CreateCertificateAuthorities(ctx, p.ID, newCAs(t, 2))
	for i, r := range res {
		if !graph.IsOutcomeUnknown(r.Err) {
			t.Errorf("item %d after a lost batch answer: %v", i, r.Err)
		}
	}
	if n := v.count("POST", batchPath); n != 1 {
		t.Errorf("the batch was sent %d times after a lost answer, want 1", n)
	}
	if cas, _ := v.client.ListCertificateAuthorities(ctx, p.ID); len(cas) != 4 {
		t.Errorf("%d CAs, want 4 (the lost batch took effect)", len(cas))
	}

	// The whole batch throttled (429): the transport sends it again after Retry-After.
	v.emu.ResetJournal()
	v.emu.AddFault(graphemu.Fault{Method: "POST", Path: batchPath, Status: 429, RetryAfter: "3"})
	cas, _ := v.client.ListCertificateAuthorities(ctx, p.ID)
	ids := []string{cas[0].ID, cas[1].ID}
	for _, err := range v.client.DeleteCertificateAuthorities(ctx, p.ID, ids) {
		if err != nil {
			t.Error(err)
		}
	}
	if n := v.count("POST", batchPath); n != 2 {
		t.Errorf("throttled batch sent %d times, want 2", n)
	}
}
