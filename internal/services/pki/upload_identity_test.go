package pki_test

import (
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	pkisvc "github.com/entracert/terraform-provider-entracert/internal/services/pki"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Resource identity {pki_id, sha256_file_hash}: set on create, kept through an update, and an import block by
// identity finds the upload. Needs Terraform 1.12 (skipped with that reason on older CLIs; the rest of the suite
// shows 1.11 works with no identity errors after create, update, refresh and import).
func TestAccPKIUpload_identity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest identity")
	data := pkisvc.Fixture(t, "contoso-pki.p7b")
	url1, url2 := env.ServeFile(t, "a.p7b", data), env.ServeFile(t, "b.p7b", data)
	identity := statecheck.ExpectIdentity(uploadAddr, map[string]knownvalue.Check{
		"pki_id":           knownvalue.StringExact(pki.ID),
		"sha256_file_hash": knownvalue.StringExact(testfixtures.ContosoSHA256),
	})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{Config: uploadConfig(env, pki.ID, url1, testfixtures.ContosoSHA256, ""), ConfigStateChecks: []statecheck.StateCheck{identity}},
			{Config: uploadConfig(env, pki.ID, url2, testfixtures.ContosoSHA256, ""), ConfigStateChecks: []statecheck.StateCheck{identity}},
			{
				Config:          uploadConfig(env, pki.ID, url2, testfixtures.ContosoSHA256, ""),
				ResourceName:    uploadAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				// Graph does not know which URL a bundle came from: the plan after an import adopts upload_url in
				// place, with no upload (as after an import by ID).
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}
