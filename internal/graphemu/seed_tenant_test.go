package graphemu_test

import (
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// SeedTenant's objects are what Graph's reads answer at once: three PKIs with their CAs (uploaded and added
// directly, with the admin's display name, CRLs and hints), connectors whose certificates expire as documented
// (the newer one active), and the customised policy.
func TestSeedTenant(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	tenant, err := v.emu.SeedTenant()
	if err != nil {
		t.Fatal(err)
	}
	if len(tenant.PKIs) != 3 || len(tenant.APIConnectors) != 3 {
		t.Fatalf("seeded %d PKIs and %d connectors, want 3 and 3", len(tenant.PKIs), len(tenant.APIConnectors))
	}

	pkis := v.do("GET", pkisPath, nil)
	wantStatus(t, pkis, 200)
	if got := len(testfixtures.As[[]any](t, pkis.obj(t)["value"])); got != 3 {
		t.Errorf("GET PKIs lists %d, want 3", got)
	}
	uploaded, direct := 0, 0
	for _, p := range tenant.PKIs {
		r := v.do("GET", pkisPath+"/"+p.ID+"/certificateAuthorities", nil)
		wantStatus(t, r, 200)
		listed := testfixtures.As[[]any](t, r.obj(t)["value"])
		if len(listed) != len(p.CertificateAuthorities) || len(listed) == 0 {
			t.Errorf("PKI %s lists %d CAs, seeded %d", p.DisplayName, len(listed), len(p.CertificateAuthorities))
			continue
		}
		for i, want := range p.CertificateAuthorities {
			got := testfixtures.As[map[string]any](t, listed[i])
			if got["id"] != want.ID || got["thumbprint"] != want.Thumbprint || got["displayName"] != want.DisplayName ||
				got["isIssuerHintEnabled"] != want.IsIssuerHintEnabled || orEmpty(got["certificateRevocationListUrl"]) != want.CRLURL ||
				got["certificateAuthorityType"] != want.Type {
				t.Errorf("CA %d of %s: Graph answers %v, seeded %+v", i, p.DisplayName, got, want)
			}
			if want.SubjectKeyIdentifier == "" {
				t.Errorf("CA %s has no subject key identifier", want.DisplayName)
			}
			if want.Uploaded {
				uploaded++
			} else {
				direct++
			}
		}
	}
	if uploaded == 0 || direct == 0 {
		t.Errorf("%d uploaded and %d directly added CAs, want some of each", uploaded, direct)
	}
	issuing1 := tenant.PKIs[0].CertificateAuthorities[1]
	if got := issuing1.ExpirationDateTime.Sub(start); got != graphemu.TenantExpiringCAIn {
		t.Errorf("%s expires in %v, want %v", issuing1.DisplayName, got, graphemu.TenantExpiringCAIn)
	}
	if fab := tenant.PKIs[1].CertificateAuthorities[1]; fab.DisplayName != "Fabrikam users (partner)" || fab.Type != graphemu.CATypeIntermediate {
		t.Errorf("the directly added Fabrikam users CA: %+v", fab)
	}

	signup := tenant.APIConnectors[0]
	r := v.do("GET", connectorsPath+"/"+signup.ID, nil)
	wantStatus(t, r, 200)
	list := certList(t, r.obj(t))
	if len(list) != 2 || activeThumbprint(t, list) != signup.Certificates[1].Thumbprint {
		t.Errorf("%s lists %v, want two certificates with the newer active", signup.DisplayName, list)
	}
	if got := signup.Certificates[0].NotAfter.Sub(start); got != graphemu.TenantExpiringCertificateIn {
		t.Errorf("the older certificate expires in %v, want %v", got, graphemu.TenantExpiringCertificateIn)
	}
	if basic := tenant.APIConnectors[2]; len(basic.Certificates) != 0 {
		t.Errorf("%s has certificates %v, want it on basic authentication", basic.DisplayName, basic.Certificates)
	}

	policy := v.do("GET", "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/X509Certificate", nil)
	wantStatus(t, policy, 200)
	body := string(policy.body)
	for _, want := range []string{`"state":"enabled"`, graphemu.SeedTenantPilotGroupID, tenant.PKIs[1].CertificateAuthorities[0].SubjectKeyIdentifier,
		"x509CertificateMultiFactor"} {
		if !strings.Contains(body, want) {
			t.Errorf("the seeded policy lacks %s: %s", want, body)
		}
	}
	// Seeding twice makes a second, independent set (new ids and certificates).
	again, err := v.emu.SeedTenant()
	if err != nil {
		t.Fatal(err)
	}
	if again.PKIs[0].ID == tenant.PKIs[0].ID || again.PKIs[0].CertificateAuthorities[0].Thumbprint == tenant.PKIs[0].CertificateAuthorities[0].Thumbprint {
		t.Error("a second seeding reused ids or certificates")
	}
}

// orEmpty reads a string property that Graph answers as null when empty.
func orEmpty(v any) string {
	s, _ := v.(string)
	return s
}
