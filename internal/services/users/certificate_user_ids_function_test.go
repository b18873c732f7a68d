package users_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The certificate_user_ids function's output feeds the resource as it is: every value it builds from a certificate
// passes the resource's checks and lands in Graph.
func TestAccUserCertificateUserIDs_fromTheFunction(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("api-client@contoso.com")
	pem, err := filepath.Abs("testdata/client.pem")
	if err != nil {
		t.Fatal(err)
	}
	cfg := env.ProviderConfig() + fmt.Sprintf(`
locals {
  ids = provider::entracert::certificate_user_ids(file(%q))
}

resource "entracert_user_certificate_user_ids" "test" {
  user_id              = %q
  certificate_user_ids = [for v in values(local.ids) : v if v != null]
}
`, pem, id)
	// The values client.pem gives (it has no UPN or e-mail SAN).
	want := []string{
		"X509:<I>CN=Contoso Fixture Issuing CA,O=Contoso<S>CN=api-connector-client,O=Contoso",
		"X509:<S>CN=api-connector-client,O=Contoso",
		"X509:<SKI>A38AC90F10054B29CD2F8F8EBC68177500827429",
		"X509:<SHA1-PUKEY>D8056BBADB0367909DAF53E40C556BB79FFB8779",
		"X509:<I>CN=Contoso Fixture Issuing CA,O=Contoso<SR>3f95ba752d711ddc07e39c470d8a1ebf27ff099a",
	}
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(tfversion.Version1_8_0), // provider functions need Terraform 1.8 or OpenTofu 1.7
		},
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkEmulatorUser(env, id, want...)},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}
