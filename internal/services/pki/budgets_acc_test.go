package pki_test

import (
	"encoding/pem"
	"fmt"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Entra's budget of 8 KB per CA holds for the CA resource too: a larger certificate fails the plan, naming the
// attribute, with no write to Graph. (The upload's three budgets, 2 MB, 250 CAs and 8 KB per CA, are
// TestAccPKIUpload_badInputs'; the pkcs7_certificates function's are TestPKCS7CertificatesGeneratedAndBad's.)
func TestAccCA_certificateOver8KBFailsThePlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest CA budget")
	fat, _ := testfixtures.NewCA(t, "Fat CA", time.Now(), 9000)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_certificate_authority" "test" {
  pki_id      = %q
  certificate = %q
}
`, pki.ID, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: fat}))),
			ExpectError: errRe(fmt.Sprintf("The certificate is larger than 8 KB: the certificate is %d bytes; Graph's limit is 8192 bytes", len(fat))),
		}},
	})
	if n := env.Emulator.Count("POST", caCollectionPath); n != 0 {
		t.Errorf("%d CA creations after a failed plan, want none", n)
	}
}
