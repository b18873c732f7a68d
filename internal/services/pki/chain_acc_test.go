package pki_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// An upload of an intermediate without its root is planned with a warning about the root (TestChainWarnings checks
// its words; terraform-plugin-testing cannot see warnings) and still applies: the warning never blocks.
func TestAccPKIUpload_intermediateWithoutRootApplies(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	inter, err := pkcs.ParseCertificate(testfixtures.Bytes("intermediate-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	file := testfixtures.Bundle(t, inter.DER)
	url := env.ServeFile(t, "intermediate-only.p7b", file)
	pki := env.CreatePKI(t, "acctest chain")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki_upload" "test" {
  pki_id           = %q
  upload_url       = %q
  sha256_file_hash = %q
}
`, pki.ID, url, pkcs.SHA256Hex(file)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionCreate),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(inter.Thumbprint)),
				statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeeded")),
			},
		}},
	})
}
