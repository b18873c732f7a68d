package pki_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	pkisvc "github.com/entracert/terraform-provider-entracert/internal/services/pki"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccPKIDataSource(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	name := randomName("acctest pki data")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	base := env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "test" {
  display_name = %q
}

resource "entracert_certificate_based_auth_pki_upload" "test" {
  pki_id           = entracert_certificate_based_auth_pki.test.id
  upload_url       = %q
  sha256_file_hash = %q
}
`, name, url, testfixtures.ContosoSHA256)
	byID, byName := "data.entracert_certificate_based_auth_pki.by_id", "data.entracert_certificate_based_auth_pki.by_name"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      env.ProviderConfig() + `data "entracert_certificate_based_auth_pki" "none" {}`,
				ExpectError: errRe("Exactly one of these attributes must be configured"),
			},
			{
				Config:      env.ProviderConfig() + `data "entracert_certificate_based_auth_pki" "missing" { display_name = "no such PKI" }`,
				ExpectError: errRe(`No certificate-based-authentication PKI is named "no such PKI"`),
			},
			{
				Config:      env.ProviderConfig() + `data "entracert_certificate_based_auth_pki" "missing" { id = "00000000-0000-0000-0000-000000000000" }`,
				ExpectError: errRe("PKI not found"),
			},
			{Config: base},
			{
				Config: base + fmt.Sprintf(`
data "entracert_certificate_based_auth_pki" "by_id" {
  id = entracert_certificate_based_auth_pki_upload.test.pki_id
}

data "entracert_certificate_based_auth_pki" "by_name" {
  display_name = %q
  depends_on   = [entracert_certificate_based_auth_pki_upload.test]
}
`, name),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("display_name"), knownvalue.StringExact(name)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("status"), knownvalue.StringExact("succeeded")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
					statecheck.CompareValuePairs(byName, tfjsonpath.New("id"), pkiAddr, tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
			},
		},
	})
}
