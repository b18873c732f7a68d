package graph_test

import (
	"testing"
	"time"
)

const (
	pkiListPath = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"
	caListPath  = pkiListPath + "/*/certificateAuthorities"
)

// ListPKIsWithCAs asks one request per page (following @odata.nextLink) for the PKIs and for each PKI's CAs, and
// the PKIs it listed answer GetPKICached for the rest of the client's life without another request.
func TestListPKIsWithCAsPagesAndShares(t *testing.T) {
	v := newEnv(t)
	tenant, err := v.emu.SeedTenant()
	if err != nil {
		t.Fatal(err)
	}
	v.emu.SetPageSize(1)
	ctx := ctxTimeout(t, 20*time.Second)
	got, err := v.client.ListPKIsWithCAs(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(tenant.PKIs) {
		t.Fatalf("listed %d PKIs, seeded %d", len(got), len(tenant.PKIs))
	}
	wantCAPages := 0
	for i, p := range tenant.PKIs {
		if got[i].ID != p.ID || len(got[i].CertificateAuthorities) != len(p.CertificateAuthorities) {
			t.Errorf("PKI %d: got %s with %d CAs, seeded %s with %d", i, got[i].ID, len(got[i].CertificateAuthorities), p.ID, len(p.CertificateAuthorities))
		}
		for j, ca := range got[i].CertificateAuthorities {
			if ca.Thumbprint != p.CertificateAuthorities[j].Thumbprint {
				t.Errorf("PKI %s CA %d: %s, seeded %s", p.DisplayName, j, ca.Thumbprint, p.CertificateAuthorities[j].Thumbprint)
			}
		}
		wantCAPages += len(p.CertificateAuthorities) // one CA a page
	}
	if n := v.count("GET", pkiListPath); n != len(tenant.PKIs) {
		t.Errorf("%d GETs of the PKI list, want %d (one a page)", n, len(tenant.PKIs))
	}
	if n := v.count("GET", caListPath); n != wantCAPages {
		t.Errorf("%d GETs of CA lists, want %d (one a page)", n, wantCAPages)
	}
	for _, p := range tenant.PKIs {
		if _, err := v.client.GetPKICached(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n := v.count("GET", pkiListPath+"/*"); n != 0 {
		t.Errorf("%d GETs of single PKIs after the list, want 0: the list answers cached reads", n)
	}

	// The display_name filter lists only the PKI of that name.
	one, err := v.client.ListPKIsWithCAs(ctx, tenant.PKIs[1].DisplayName)
	if err != nil || len(one) != 1 || one[0].ID != tenant.PKIs[1].ID {
		t.Errorf("filtered list: %v %v, want %s alone", one, err, tenant.PKIs[1].ID)
	}
}

// ListAPIConnectorsShared pages the same way, and the connectors it listed answer GetAPIConnectorCached; a write of
// the client during the operation is never hidden by a list answer from before it.
func TestListAPIConnectorsSharedPagesAndShares(t *testing.T) {
	v := newEnv(t)
	tenant, err := v.emu.SeedTenant()
	if err != nil {
		t.Fatal(err)
	}
	v.emu.SetPageSize(2)
	ctx := ctxTimeout(t, 20*time.Second)
	got, err := v.client.ListAPIConnectorsShared(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(tenant.APIConnectors) {
		t.Fatalf("listed %d connectors, seeded %d", len(got), len(tenant.APIConnectors))
	}
	if n := v.count("GET", "/identity/apiConnectors"); n != 2 {
		t.Errorf("%d GETs of the connector list, want 2 (3 connectors, 2 a page)", n)
	}
	signup := tenant.APIConnectors[0]
	if len(got[0].Certificates) != 2 || got[0].Certificates[0].Thumbprint != signup.Certificates[0].Thumbprint || !got[0].Certificates[1].IsActive {
		t.Errorf("first connector's certificates %+v, seeded %+v (the newer active)", got[0].Certificates, signup.Certificates)
	}
	for _, c := range tenant.APIConnectors {
		if _, err := v.client.GetAPIConnectorCached(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n := v.count("GET", "/identity/apiConnectors/*"); n != 0 {
		t.Errorf("%d GETs of single connectors after the list, want 0", n)
	}

	// After a write, the next cached read asks Graph again.
	basic := tenant.APIConnectors[2]
	if err := v.client.SetAPIConnectorBasicAuthentication(ctx, basic.ID, "svc2", "basic-Secret-2"); err != nil {
		t.Fatal(err)
	}
	a, err := v.client.GetAPIConnectorCached(ctx, basic.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.BasicUsername != "svc2" || v.count("GET", "/identity/apiConnectors/*") != 1 {
		t.Errorf("after the write: username %q and %d single GETs, want svc2 and 1", a.BasicUsername, v.count("GET", "/identity/apiConnectors/*"))
	}
}
