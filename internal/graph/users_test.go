package graph_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

func TestGetUserByUPNAndPatchCertificateUserIDs(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, time.Minute)
	id := v.emu.AddUser("bob@contoso.com", "X509:<PN>bob@contoso.com")
	u, err := v.client.GetUser(ctx, "bob@contoso.com")
	if err != nil || u.ID != id || u.UserPrincipalName != "bob@contoso.com" || len(u.CertificateUserIDs) != 1 {
		t.Fatalf("GetUser = %+v, %v", u, err)
	}
	if err := v.client.PatchCertificateUserIDs(ctx, id, nil); err != nil {
		t.Fatal(err)
	}
	if u, _ := v.emu.User(id); len(u.CertificateUserIDs) != 0 {
		t.Errorf("nil values must empty the list (sent as []): %v", u.CertificateUserIDs)
	}
	if _, err := v.client.GetUser(ctx, "nobody@contoso.com"); !graph.IsNotFound(err) {
		t.Errorf("missing user: %v", err)
	}
}

func TestCertificateUserIDConflictIsRecognised(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, time.Minute)
	v.emu.AddUser("alice@contoso.com", "X509:<SKI>0A0B")
	bob := v.emu.AddUser("bob@contoso.com")
	err := v.client.PatchCertificateUserIDs(ctx, bob, []string{"X509:<SKI>0A0B"})
	if !graph.IsCertificateUserIDConflict(err) || !graph.IsBadRequest(err) {
		t.Fatalf("conflict not recognised: %v", err)
	}
	holders, err := v.client.FindUsersByCertificateUserID(ctx, "X509:<SKI>0A0B")
	if err != nil || len(holders) != 1 || holders[0].UserPrincipalName != "alice@contoso.com" {
		t.Errorf("FindUsersByCertificateUserID = %+v, %v", holders, err)
	}
	// Another 400 is not a conflict.
	err = v.client.PatchCertificateUserIDs(ctx, bob, make([]string, 11))
	if graph.IsCertificateUserIDConflict(err) || !graph.IsBadRequest(err) {
		t.Errorf("11 values: %v", err)
	}
}

// The write protocol: a 500 (outcome unknown) is resolved by reading, then sending again; reads that lag behind
// are waited out on the client's clock.
func TestSetCertificateUserIDsResolvesUnknownOutcomesAndWaitsForReads(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, time.Minute)
	id := v.emu.AddUser("bob@contoso.com", "X509:<PN>old@contoso.com")
	v.emu.SetReadAfterWriteLag(15 * time.Second)
	v.emu.AddFault(graphemu.Fault{Method: http.MethodPatch, Path: "/users/*", Status: http.StatusInternalServerError})
	u, err := v.client.SetCertificateUserIDs(ctx, id, []string{"X509:<PN>new@contoso.com"}, time.Time{})
	if err != nil || len(u.CertificateUserIDs) != 1 || u.CertificateUserIDs[0] != "X509:<PN>new@contoso.com" {
		t.Fatalf("SetCertificateUserIDs = %+v, %v", u, err)
	}
	if n := v.count(http.MethodPatch, "/users/*"); n != 2 {
		t.Errorf("%d PATCH, want 2 (the failed one, then one after reading)", n)
	}
	var waited time.Duration
	for _, d := range v.clock.Sleeps() {
		waited += d
	}
	if waited < 15*time.Second {
		t.Errorf("waited %s on the clock, want the lag (15s) at least", waited)
	}
	if !graph.SameCertificateUserIDs([]string{"b", "a"}, []string{"a", "b"}) || graph.SameCertificateUserIDs([]string{"a"}, []string{"a", "b"}) {
		t.Error("SameCertificateUserIDs")
	}
}
