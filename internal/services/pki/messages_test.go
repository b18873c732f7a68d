package pki_test

import (
	"encoding/pem"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	pkisvc "github.com/entracert/terraform-provider-entracert/internal/services/pki"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Issue 16, item 12: diagnostics name what the user wrote.

// A bad CRL URL in certificate_authority_settings names the thumbprint key and points at the settings, not line 1.
func TestAccPKIUpload_settingsCRLErrorNamesTheKey(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest settings crl error")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, fmt.Sprintf(`  certificate_authority_settings = {
    %q = {
      certificate_revocation_list_url = "https://crl.contoso.example/intermediate.crl"
    }
  }
`, testfixtures.ContosoIntermediateThumb))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			// Terraform shows the line of the map entry, and the detail names the key.
			ExpectError: regexp.MustCompile(`(?s)on terraform_plugin_test.tf line \d+, in resource[^\n]*\n\s*\d+:\s+"` +
				testfixtures.ContosoIntermediateThumb + `" = \{.*certificate_authority_settings\["` +
				testfixtures.ContosoIntermediateThumb + `"\]\.certificate_revocation_list_url\s+is`),
		}},
	})
}

// With upload_url_wo, a download problem names upload_url_wo, the attribute actually set.
func TestAccPKIUpload_writeOnlyURLErrorsNameIt(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest wo errors")
	config := env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki_upload" "test" {
  pki_id           = %q
  upload_url_wo    = %q
  sha256_file_hash = %q
}
`, pki.ID, env.Endpoint+"/files/missing.p7b?sig=secret", testfixtures.ContosoSHA256)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: config, ExpectError: errRe("Cannot download upload_url_wo")}},
	})
}

// An oversized certificate on the CA resource is worded for its own attribute, not for a PKCS#7 file.
func TestAccCA_oversizedCertificateWording(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest ca oversized")
	der, _ := testfixtures.NewCA(t, "acctest oversized", time.Now(), 9000)
	big := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      caConfig(env, pki.ID, big, ""),
			ExpectError: regexp.MustCompile(`(?s)The\s+certificate\s+is\s+larger\s+than\s+8\s+KB:\s+the\s+certificate\s+is\s+\d+\s+bytes`),
		}},
	})
}
