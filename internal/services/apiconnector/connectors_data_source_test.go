package apiconnector_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const connectorsAddr = "data.entracert_api_connectors.test"

func tenantConnectorCheck(c graphemu.TenantAPIConnector, authType string, active int, extra ...knownvalue.Check) knownvalue.Check {
	certs := make([]knownvalue.Check, 0, len(c.Certificates))
	for i, cert := range c.Certificates {
		certs = append(certs, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"thumbprint": knownvalue.StringExact(cert.Thumbprint),
			"not_before": knownvalue.StringExact(cert.NotBefore.UTC().Format(time.RFC3339)),
			"not_after":  knownvalue.StringExact(cert.NotAfter.UTC().Format(time.RFC3339)),
			"is_active":  knownvalue.Bool(i == active),
		}))
	}
	certs = append(certs, extra...)
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":                  knownvalue.StringExact(c.ID),
		"display_name":        knownvalue.StringExact(c.DisplayName),
		"target_url":          knownvalue.StringExact(c.TargetURL),
		"authentication_type": knownvalue.StringExact(authType),
		"certificates":        knownvalue.ListExact(certs),
	})
}

// The plural connector data source lists every connector of a seeded tenant with its certificates (the newer one
// active), following Graph's pages with list requests only; a certificate uploaded out of band shows on the next plan.
func TestAccAPIConnectorsDataSource(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	tenant := env.SeedTenant(t)
	env.Emulator.SetPageSize(2)
	signup, token, basic := tenant.APIConnectors[0], tenant.APIConnectors[1], tenant.APIConnectors[2]
	config := env.ProviderConfig() + `data "entracert_api_connectors" "test" {}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(connectorsAddr, tfjsonpath.New("api_connectors"), knownvalue.ListExact([]knownvalue.Check{
						tenantConnectorCheck(signup, "certificate", 1),
						tenantConnectorCheck(token, "certificate", 0),
						tenantConnectorCheck(basic, "basic", -1),
					})),
				},
				Check: func(*terraform.State) error {
					if n := env.Emulator.Count("GET", "/identity/apiConnectors/*"); n != 0 {
						return fmt.Errorf("%d GETs of single connectors, want none (lists only)", n)
					}
					if n := env.Emulator.Count("GET", "/identity/apiConnectors"); n == 0 || n%2 != 0 {
						return fmt.Errorf("%d GETs of the connector list, want a multiple of 2 (3 connectors, 2 a page)", n)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					uploadOutOfBand(t, env, token.ID, "client-legacy-3des.pfx", testfixtures.Password)
				},
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(connectorsAddr, tfjsonpath.New("api_connectors").AtSliceIndex(1),
						tenantConnectorCheck(token, "certificate", -1, knownvalue.ObjectPartial(map[string]knownvalue.Check{
							"thumbprint": knownvalue.StringExact(testfixtures.ClientThumbprint),
							"is_active":  knownvalue.Bool(true),
						}))),
				},
			},
		},
	})
}

// The plural data source answers the reads of the rest of the operation: a client certificate refreshed after the
// connector list, in the same plan or apply, costs no GET of its connector.
func TestAccAPIConnectorsDataSource_sharesReads(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest shared reads")
	p := fixturePFX("client-legacy-3des.pfx", ptr(testfixtures.Password), false)
	cert := certConfig(env, conn.ID, p)
	listed := env.ProviderConfig() + fmt.Sprintf(`
data "entracert_api_connectors" "test" {}

resource %q "test" {
  api_connector_id = %q
  depends_on       = [data.entracert_api_connectors.test]
%s}
`, resourceType, conn.ID, p.body())
	var before int
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cert},
			{
				PreConfig: func() { before = env.Emulator.Count("GET", "/identity/apiConnectors/*") },
				Config:    listed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceType+".test", plancheck.ResourceActionNoop),
				}},
				Check: func(*terraform.State) error {
					if n := env.Emulator.Count("GET", "/identity/apiConnectors/*"); n != before {
						return fmt.Errorf("with the connector list in the same operations, the certificate's refreshes read its connector %d more time(s), want 0", n-before)
					}
					return nil
				},
			},
		},
	})
}
