package pki_test

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// caPathPattern is one CA of any PKI (GET by ID).
const caPathPattern = caCollectionPath + "/*"

// A refresh of many CA resources on one PKI costs one read of the PKI's CA list per page, not one GET per CA: the
// refreshes and plans of every CA resource share it through the Graph layer's cache.
func TestAccCA_refreshOfManyCAsReadsTheListOncePerPage(t *testing.T) {
	t.Parallel()
	const n, pageSize = 7, 3 // 3 pages
	env := acctest.New(t, graphemu.Options{})
	pki := env.CreatePKI(t, "acctest refresh floor")
	var cfg strings.Builder
	cfg.WriteString(env.ProviderConfig())
	for i, der := range testfixtures.NewCAs(t, n, 0) {
		fmt.Fprintf(&cfg, `
resource "entracert_certificate_based_auth_certificate_authority" "ca%d" {
  pki_id      = %q
  certificate = %q
}
`, i, pki.ID, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg.String()},
			{
				PreConfig: func() {
					env.Emulator.SetPageSize(pageSize)
					env.Emulator.ResetJournal()
				},
				// A refresh and plan of the 7 resources, with nothing to change.
				Config: cfg.String(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					// terraform-plugin-testing plans twice in this step (the plan and the check that it is empty), each
					// with its own refresh in a provider process of its own: one list read per page each.
					lists, gets := env.Emulator.Count(http.MethodGet, caCollectionPath), env.Emulator.Count(http.MethodGet, caPathPattern)
					if gets != 0 {
						return fmt.Errorf("%d GETs of single CAs, want none: the refresh reads the PKI's CA list", gets)
					}
					if pages := (n + pageSize - 1) / pageSize; lists == 0 || lists%pages != 0 || lists > 3*pages {
						return fmt.Errorf("%d reads of the CA list for %d resources, want %d per refresh (one per page)", lists, n, pages)
					}
					return nil
				},
			},
		},
	})
}
