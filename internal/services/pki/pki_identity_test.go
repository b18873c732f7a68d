package pki_test

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func pkiIdentityImport(id string) string {
	return fmt.Sprintf(`
import {
  to = %s
  identity = {
    id = %q
  }
}
`, pkiAddr, id)
}

// Terraform 1.12+ and OpenTofu 1.12+ keep the identity {id} through create, rename and refresh, and import by it.
func TestAccPKI_identity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	name, renamed := randomName("acctest pki identity"), randomName("acctest pki identity renamed")
	var id string
	idIs := func(s *terraform.State) error {
		id = s.RootModule().Resources[pkiAddr].Primary.ID
		return nil
	}
	// The ID is Graph's, known only after the create: compare through a check that reads it then.
	identity := statecheck.ExpectIdentity(pkiAddr, map[string]knownvalue.Check{"id": knownvalue.StringFunc(func(v string) error {
		if v == "" || v != id {
			return fmt.Errorf("identity id %q, want the PKI's ID %q", v, id)
		}
		return nil
	})})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(tfversion.Version1_12_0), // resource identity needs Terraform or OpenTofu 1.12
		},
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: pkiConfig(env, name), Check: idIs, ConfigStateChecks: []statecheck.StateCheck{identity}},
			{
				Config: pkiConfig(env, renamed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{identity},
			},
			{RefreshState: true},
			{
				Config:            pkiConfig(env, renamed),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{identity},
			},
			{
				ResourceName:    pkiAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(renamed)),
				}},
			},
			{
				ResourceName:    pkiAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
		},
	})
}

// An import block with an identity adopts a PKI made outside Terraform; an empty or unknown ID fails the import.
func TestAccPKI_importByIdentity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	p := env.CreatePKI(t, "acctest pki identity import")
	config := pkiConfig(env, p.DisplayName)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(tfversion.Version1_12_0), // import by identity needs Terraform or OpenTofu 1.12
		},
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config + pkiIdentityImport(""),
				ExpectError: errRe("identity.id is empty. The import ID is the PKI's ID"),
			},
			{
				Config:      config + pkiIdentityImport("00000000-0000-0000-0000-000000000000"),
				ExpectError: regexp.MustCompile(`(?i)cannot\s+import\s+non-existent\s+remote\s+object`),
			},
			{
				Config: config + pkiIdentityImport(p.ID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(pkiAddr, map[string]knownvalue.Check{"id": knownvalue.StringExact(p.ID)}),
					statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("id"), knownvalue.StringExact(p.ID)),
				},
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// On every Terraform version, Terraform 1.11 included (which knows nothing of identities): create, rename,
// refresh and both kinds of import by ID work with no identity error, such as "Missing Resource Identity After
// Update".
func TestAccPKI_identityOnAnyVersion(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	name, renamed := randomName("acctest pki any"), randomName("acctest pki any renamed")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: pkiConfig(env, name)},
			{
				Config: pkiConfig(env, renamed),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(renamed)),
				},
			},
			{RefreshState: true},
			{Config: pkiConfig(env, renamed), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{ResourceName: pkiAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: pkiAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}
