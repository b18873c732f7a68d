package pki_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const pkiAddr = "entracert_certificate_based_auth_pki.test"

func pkiConfig(env *acctest.Env, name string) string {
	return env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "test" {
  display_name = %q
}
`, name)
}

func TestAccPKI_createRenameImportDestroy(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	name, renamed := randomName("acctest pki"), randomName("acctest pki renamed")
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			_, err := env.Graph.GetPKI(acctest.MinuteContext(t), id)
			if !graph.IsNotFound(err) {
				return fmt.Errorf("PKI %s still readable after destroy (err %v)", id, err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:      pkiConfig(env, strings.Repeat("x", 257)),
				ExpectError: errRe("character count must be between 1 and 256"),
			},
			{
				// Characters, not bytes: 200 "é" are 400 bytes and a valid name; blanks are not.
				Config:      pkiConfig(env, "   "),
				ExpectError: errRe("must not be empty or only blanks"),
			},
			{
				Config:             pkiConfig(env, strings.Repeat("é", 200)),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: pkiConfig(env, name),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeeded")),
					statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("last_modified_date_time"), knownvalue.NotNull()),
				},
				Check: func(s *terraform.State) error {
					id = s.RootModule().Resources[pkiAddr].Primary.ID
					return nil
				},
			},
			{
				Config: pkiConfig(env, renamed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(renamed)),
				},
				Check: func(s *terraform.State) error {
					if got := s.RootModule().Resources[pkiAddr].Primary.ID; got != id {
						return fmt.Errorf("renaming replaced the PKI: id %s, was %s", got, id)
					}
					p, err := env.Graph.GetPKI(acctest.MinuteContext(t), id)
					if err != nil || p.DisplayName != renamed {
						return fmt.Errorf("Graph has %+v (err %v), want the new name", p, err)
					}
					return nil
				},
			},
			{
				ResourceName:      pkiAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccPKI_deletedOutOfBandIsPlannedAgain(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	config := pkiConfig(env, randomName("acctest pki drift"))
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error {
				id = s.RootModule().Resources[pkiAddr].Primary.ID
				return nil
			}},
			{
				// Delete this test's PKI only (live tenants hold other runs' PKIs): the ID comes from the state.
				PreConfig: func() {
					if err := env.Graph.DeletePKI(acctest.MinuteContext(t), id); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				// Still in Graph's deleted items: the plan restores it (pki_lifecycle_test.go covers the purged case).
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}
