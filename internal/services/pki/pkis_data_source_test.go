package pki_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const pkisAddr = "data.entracert_certificate_based_auth_pkis.test"

// tenantCACheck is what the data source must show of one seeded CA, every attribute.
func tenantCACheck(ca graphemu.TenantCA) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":                                    knownvalue.StringExact(ca.ID),
		"thumbprint":                            knownvalue.StringExact(ca.Thumbprint),
		"subject_key_identifier":                knownvalue.StringExact(ca.SubjectKeyIdentifier),
		"display_name":                          knownvalue.StringExact(ca.DisplayName),
		"certificate_authority_type":            knownvalue.StringExact(ca.Type),
		"expiration_date_time":                  knownvalue.StringExact(ca.ExpirationDateTime.UTC().Format(time.RFC3339)),
		"certificate_revocation_list_url":       knownvalue.StringExact(ca.CRLURL),
		"delta_certificate_revocation_list_url": knownvalue.StringExact(ca.DeltaCRLURL),
		"is_issuer_hint_enabled":                knownvalue.Bool(ca.IsIssuerHintEnabled),
		"certificate":                           knownvalue.StringExact(acctest.CertificatePEM(ca)),
	})
}

func tenantPKICheck(p graphemu.TenantPKI) knownvalue.Check {
	cas := make([]knownvalue.Check, 0, len(p.CertificateAuthorities))
	for _, ca := range p.CertificateAuthorities {
		cas = append(cas, tenantCACheck(ca))
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":                      knownvalue.StringExact(p.ID),
		"display_name":            knownvalue.StringExact(p.DisplayName),
		"status":                  knownvalue.StringExact("succeeded"),
		"certificate_authorities": knownvalue.ListExact(cas),
	})
}

// The plural PKI data source lists every PKI of a seeded tenant with every CA (uploaded and added directly, with
// the admin's display name, CRLs and hints), following Graph's pages; filters by exact display name; shows a CA
// added out of band on the next plan; and refuses an empty display_name at plan time without asking Graph.
func TestAccPKIsDataSource(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	tenant := env.SeedTenant(t)
	env.Emulator.SetPageSize(1) // every PKI and every CA on a page of its own
	all := make([]knownvalue.Check, 0, len(tenant.PKIs))
	for _, p := range tenant.PKIs {
		all = append(all, tenantPKICheck(p))
	}
	fabrikam := tenant.PKIs[1]
	root, err := pkcs.ParseCertificate(testfixtures.Bytes("root-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	afterAdd := []string{}
	for _, ca := range fabrikam.CertificateAuthorities {
		afterAdd = append(afterAdd, ca.Thumbprint)
	}
	afterAdd = append(afterAdd, root.Thumbprint)
	var graphReads int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.ProviderConfig() + `data "entracert_certificate_based_auth_pkis" "test" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pkisAddr, tfjsonpath.New("pkis"), knownvalue.ListExact(all)),
					statecheck.ExpectKnownValue(pkisAddr, tfjsonpath.New("display_name"), knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					// Lists only: one GET a page, never one GET per PKI or per CA.
					if n := env.Emulator.Count("GET", pkiCollectionPath+"/*"); n != 0 {
						return fmt.Errorf("%d GETs of single PKIs, want none", n)
					}
					if n := env.Emulator.Count("GET", caCollectionPath+"/*"); n != 0 {
						return fmt.Errorf("%d GETs of single CAs, want none", n)
					}
					if n := env.Emulator.Count("GET", pkiCollectionPath); n == 0 || n%len(tenant.PKIs) != 0 {
						return fmt.Errorf("%d GETs of the PKI list, want a multiple of %d (one a page, one page a PKI)", n, len(tenant.PKIs))
					}
					graphReads = len(env.Emulator.Journal())
					return nil
				},
			},
			{
				Config: env.ProviderConfig() + fmt.Sprintf(`
data "entracert_certificate_based_auth_pkis" "test" {
  display_name = %q
}`, fabrikam.DisplayName),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pkisAddr, tfjsonpath.New("pkis"), knownvalue.ListExact([]knownvalue.Check{tenantPKICheck(fabrikam)})),
				},
			},
			{
				// A CA added in the portal shows on the next plan.
				PreConfig: func() {
					_, err := env.Graph.CreateCertificateAuthority(acctest.MinuteContext(t), fabrikam.ID, graph.NewCertificateAuthority{
						Certificate: root.DER, Thumbprint: root.Thumbprint, ExpirationDateTime: root.NotAfter, IsRoot: true})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: env.ProviderConfig() + fmt.Sprintf(`
data "entracert_certificate_based_auth_pkis" "test" {
  display_name = %q
}`, fabrikam.DisplayName),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pkisAddr, tfjsonpath.New("pkis").AtSliceIndex(0).AtMapKey("certificate_authorities"),
						thumbprintsExact(afterAdd...)),
				},
			},
			{
				Config: env.ProviderConfig() + `
data "entracert_certificate_based_auth_pkis" "test" {
  display_name = "fabrikam partner pki"
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					// Exact, letter case included.
					statecheck.ExpectKnownValue(pkisAddr, tfjsonpath.New("pkis"), knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
			{
				PreConfig: func() { graphReads = len(env.Emulator.Journal()) },
				Config: env.ProviderConfig() + `
data "entracert_certificate_based_auth_pkis" "test" {
  display_name = ""
}`,
				PlanOnly:    true,
				ExpectError: errRe(`Attribute display_name string length must be at least 1`),
			},
			{
				Config: env.ProviderConfig() + `data "entracert_certificate_based_auth_pkis" "test" {}`,
				PreConfig: func() {
					if n := len(env.Emulator.Journal()); n != graphReads {
						t.Errorf("the refused display_name reached Graph: %d requests, want %d", n, graphReads)
					}
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}
