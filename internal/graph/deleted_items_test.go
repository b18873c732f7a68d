package graph_test

import (
	"encoding/pem"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// The typed deleted-items calls round-trip through msgraph-sdk-go against the emulator: a deleted PKI is found with
// its deletion time, restored with the same id, then no longer a deleted item; a purged one is not found.
func TestDeletedPKIRoundTrip(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, 30*time.Second)
	p, err := v.client.CreatePKI(ctx, "Contoso PKI")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.client.GetDeletedPKI(ctx, p.ID); !graph.IsNotFound(err) {
		t.Fatalf("a live PKI as a deleted item: err %v, want not found", err)
	}
	deletedAt := v.clock.Now().UTC().Truncate(time.Second)
	if err := v.client.DeletePKI(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	d, err := v.client.GetDeletedPKI(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.ID != p.ID || d.DisplayName != "Contoso PKI" || !d.DeletedDateTime.Equal(deletedAt) ||
		!d.RestorableUntil().Equal(deletedAt.Add(30*24*time.Hour)) {
		t.Fatalf("deleted PKI = %+v, want %s deleted at %s", d, p.ID, deletedAt)
	}
	r, err := v.client.RestorePKI(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != p.ID || r.DisplayName != "Contoso PKI" {
		t.Fatalf("restored = %+v", r)
	}
	if got, err := v.client.GetPKI(ctx, p.ID); err != nil || got.ID != p.ID {
		t.Fatalf("after restore: %+v, %v", got, err)
	}
	if _, err := v.client.RestorePKI(ctx, p.ID); !graph.IsNotFound(err) {
		t.Fatalf("restoring twice: err %v, want not found", err)
	}

	if err := v.client.DeletePKI(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if err := v.client.PurgeDeletedItem(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := v.client.GetDeletedPKI(ctx, p.ID); !graph.IsNotFound(err) {
		t.Fatalf("a purged PKI: err %v, want not found", err)
	}
}

// A CA deleted on its own is a deleted certificateAuthorityDetail; restored, it is back in its PKI with its id.
func TestDeletedCertificateAuthorityRoundTrip(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, 30*time.Second)
	p, err := v.client.CreatePKI(ctx, "Contoso PKI")
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(testfixtures.Bytes("other-root-ca.pem"))
	der, err := pkcs.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := v.client.CreateCertificateAuthority(ctx, p.ID, graph.NewCertificateAuthority{
		Certificate: block.Bytes, Thumbprint: der.Thumbprint, ExpirationDateTime: der.NotAfter, IsRoot: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.client.DeleteCertificateAuthority(ctx, p.ID, ca.ID); err != nil {
		t.Fatal(err)
	}
	d, err := v.client.GetDeletedCertificateAuthority(ctx, ca.ID)
	if err != nil || d.ID != ca.ID || d.Thumbprint != der.Thumbprint || d.DeletedDateTime.IsZero() {
		t.Fatalf("deleted CA = %+v, %v", d, err)
	}
	if _, err := v.client.GetDeletedPKI(ctx, ca.ID); !graph.IsNotFound(err) {
		t.Fatalf("a deleted CA read as a deleted PKI: err %v, want not found", err)
	}
	r, err := v.client.RestoreCertificateAuthority(ctx, ca.ID)
	if err != nil || r.ID != ca.ID {
		t.Fatalf("restored = %+v, %v", r, err)
	}
	if got, err := v.client.GetCertificateAuthority(ctx, p.ID, ca.ID); err != nil || got.Thumbprint != der.Thumbprint {
		t.Fatalf("after restore: %+v, %v", got, err)
	}
}
