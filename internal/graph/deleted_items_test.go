package graph_test

import (
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
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
