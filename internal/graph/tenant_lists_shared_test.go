package graph_test

import (
	"sync"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
)

// The shared lists are read once per client (one Terraform operation) however many callers ask, at once or one
// after the other, and listed again after any write of this client, a creation included: a list resource and a data
// source of one operation cost one request per page, and never hide the operation's own writes.
func TestSharedListsOncePerOperationUntilAWrite(t *testing.T) {
	v := newEnv(t)
	tenant, err := v.emu.SeedTenant()
	if err != nil {
		t.Fatal(err)
	}
	v.emu.SetPageSize(1)
	ctx := ctxTimeout(t, 20*time.Second)
	pages := len(tenant.PKIs)

	var wg sync.WaitGroup
	lists := make([][]graph.PKI, 4)
	errs := make([]error, len(lists))
	for i := range lists {
		wg.Go(func() { lists[i], errs[i] = v.client.ListPKIsShared(ctx, "") })
	}
	wg.Wait()
	for i := range lists {
		if errs[i] != nil || len(lists[i]) != len(tenant.PKIs) {
			t.Fatalf("caller %d: %d PKIs, %v; want %d", i, len(lists[i]), errs[i], len(tenant.PKIs))
		}
	}
	lists[0][0].DisplayName = "changed by the caller" // each caller has its own copy
	if _, err := v.client.ListPKIsWithCAs(ctx, ""); err != nil {
		t.Fatal(err)
	}
	again, err := v.client.ListPKIsShared(ctx, "")
	if err != nil || again[0].DisplayName != tenant.PKIs[0].DisplayName {
		t.Fatalf("third list: %v, %v; want the first PKI named %q", again, err, tenant.PKIs[0].DisplayName)
	}
	if n := v.count("GET", pkiListPath); n != pages {
		t.Errorf("%d GETs of the PKI list for six callers, want %d (one a page, once)", n, pages)
	}

	created, err := v.client.CreatePKI(ctx, "Created during the operation")
	if err != nil {
		t.Fatal(err)
	}
	after, err := v.client.ListPKIsShared(ctx, "")
	if err != nil || len(after) != len(tenant.PKIs)+1 || after[len(after)-1].ID != created.ID {
		t.Errorf("after CreatePKI: %d PKIs (%v), want %d ending with %s", len(after), err, len(tenant.PKIs)+1, created.ID)
	}
	if err := v.client.UpdatePKI(ctx, created.ID, "Renamed during the operation"); err != nil {
		t.Fatal(err)
	}
	renamed, err := v.client.ListPKIsShared(ctx, "")
	if err != nil || renamed[len(renamed)-1].DisplayName != "Renamed during the operation" {
		t.Errorf("after UpdatePKI the list is not listed again: %v, %v", renamed, err)
	}
	if n, want := v.count("GET", pkiListPath), pages+2*(pages+1); n != want {
		t.Errorf("%d GETs of the PKI list, want %d: once, then once after each write", n, want)
	}

	conns, err := v.client.ListAPIConnectorsShared(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.client.ListAPIConnectorsShared(ctx, ""); err != nil {
		t.Fatal(err)
	}
	connPages := len(conns)
	if n := v.count("GET", "/identity/apiConnectors"); n != connPages {
		t.Errorf("%d GETs of the connector list for two callers, want %d", n, connPages)
	}
	c, err := v.client.CreateAPIConnector(ctx, graph.NewAPIConnector{DisplayName: "New", TargetURL: "https://example.com/new",
		Username: "svc", Password: "basic-Secret-1"})
	if err != nil {
		t.Fatal(err)
	}
	more, err := v.client.ListAPIConnectorsShared(ctx, "")
	if err != nil || len(more) != len(conns)+1 || more[len(more)-1].ID != c.ID {
		t.Errorf("after CreateAPIConnector: %d connectors (%v), want %d ending with %s", len(more), err, len(conns)+1, c.ID)
	}
}
