package users_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func identityImport(id string) string {
	return fmt.Sprintf(`
import {
  to = %s
  identity = {
    id = %q
  }
}
`, addr, id)
}

// Terraform 1.12+ and OpenTofu 1.12+ keep the identity {id} (the user's object ID) through create, update and
// refresh, and import by it.
func TestAccUserCertificateUserIDs_identity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	identity := statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(tfversion.Version1_12_0), // resource identity needs Terraform or OpenTofu 1.12
		},
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps: []resource.TestStep{
			{Config: config(env, id, pnBob), ConfigStateChecks: []statecheck.StateCheck{identity}},
			{Config: config(env, id, pnBob, skiBob), ConfigStateChecks: []statecheck.StateCheck{identity}},
			{RefreshState: true},
			{
				Config:            config(env, id, pnBob, skiBob),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{identity},
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("user_principal_name"), knownvalue.StringExact("bob@contoso.com")),
				}},
			},
		},
	})
}

// An import block with an identity adopts a user's list: an upper-case object ID is accepted, while an empty
// identity, a UPN (the identity holds the object ID) and a user that does not exist fail the import.
func TestAccUserCertificateUserIDs_importByIdentity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com", pnBob)
	cfg := config(env, id, pnBob)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(tfversion.Version1_12_0), // import by identity needs Terraform or OpenTofu 1.12
		},
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps: []resource.TestStep{
			{Config: cfg + identityImport(""), ExpectError: errRe("identity.id is empty. The identity holds the user's object ID")},
			{Config: cfg + identityImport("bob@contoso.com"), ExpectError: errRe(`identity.id is not a GUID (got "bob@contoso.com")`)},
			{
				Config:      cfg + identityImport("0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"),
				ExpectError: regexp.MustCompile(`(?i)cannot\s+import\s+non-existent\s+remote\s+object`),
			},
			{
				Config: cfg + identityImport(strings.ToUpper(id)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"id": knownvalue.StringExact(id)}),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
				},
			},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}
