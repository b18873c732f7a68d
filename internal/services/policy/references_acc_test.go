package policy_test

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
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Issue 16 #4: a CA named by a reference to a CA resource (or an upload's CA) of the same configuration plans and
// applies in one go, also when that CA is rotated to a new certificate; a pasted SKI that matches no CA still fails.

const scopeGroup = "4fa06e92-b185-40c3-9e72-9d5b6abf1d24"

// caReferenceConfig: a PKI, a CA resource with the fixture certificate, and a policy that scopes and exempts it by
// reference.
func caReferenceConfig(env *acctest.Env, certificate string) string {
	return env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "test" {
  display_name = "acctest policy references"
}

resource "entracert_certificate_based_auth_certificate_authority" "issuing" {
  pki_id      = entracert_certificate_based_auth_pki.test.id
  certificate = %q
}

resource "entracert_certificate_based_auth_policy" "test" {
  state          = "disabled"
  crl_validation = {
    state                                                  = "disabled"
    exempted_certificate_authority_subject_key_identifiers = [entracert_certificate_based_auth_certificate_authority.issuing.subject_key_identifier]
  }
  certificate_authority_scopes = [{
    subject_key_identifier               = entracert_certificate_based_auth_certificate_authority.issuing.subject_key_identifier
    public_key_infrastructure_identifier = entracert_certificate_based_auth_pki.test.id
    include_targets                      = [{ id = %q }]
  }]
}
`, certificate, scopeGroup)
}

func skiOf(t *testing.T, fixture string) string {
	t.Helper()
	ca, err := pkcs.ParseCertificate(testfixtures.Bytes(fixture))
	if err != nil {
		t.Fatal(err)
	}
	return ca.SubjectKeyIdentifier
}

func TestAccCBAPolicy_caResourceReferencedInTheSameRun(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	scoped := func(ski string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("certificate_authority_scopes").AtSliceIndex(0).AtMapKey("subject_key_identifier"), knownvalue.StringExact(ski)),
			statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("crl_validation").AtMapKey("exempted_certificate_authority_subject_key_identifiers"),
				knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(ski)})),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{
				Config:            caReferenceConfig(env, string(testfixtures.Bytes("intermediate-ca.pem"))),
				ConfigStateChecks: scoped(intermediateSKI),
			},
			{
				// Rotation: the CA resource is replaced by one with another certificate, and the policy follows its SKI.
				Config:            caReferenceConfig(env, string(testfixtures.Bytes("other-root-ca.pem"))),
				ConfigStateChecks: scoped(skiOf(t, "other-root-ca.pem")),
			},
			{
				// A pasted SKI that matches no CA of the tenant, nor any CA planned in this run, still fails at plan.
				Config: caReferenceConfig(env, string(testfixtures.Bytes("other-root-ca.pem"))) + fmt.Sprintf(`
resource "entracert_certificate_based_auth_policy" "pasted" {
  state                        = "disabled"
  certificate_authority_scopes = [{ subject_key_identifier = "FFFF0000", include_targets = [{ id = %q }] }]
}
`, scopeGroup),
				ExpectError: errRe("No CA in the tenant's PKIs has the subject key identifier FFFF0000"),
			},
		},
	})
}

func TestAccCBAPolicy_uploadCAReferencedInTheSameRun(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	url := env.ServeFile(t, "contoso-pki.p7b", testfixtures.Bytes("contoso-pki.p7b"))
	config := env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "test" {
  display_name = "acctest policy upload references"
}

resource "entracert_certificate_based_auth_pki_upload" "test" {
  pki_id           = entracert_certificate_based_auth_pki.test.id
  upload_url       = %q
  sha256_file_hash = %q
}

locals {
  # As the CBA rollout guide's example names the upload's CAs.
  cas            = entracert_certificate_based_auth_pki_upload.test.certificate_authorities
  root_ca_ski    = one([for ca in local.cas : ca.subject_key_identifier if ca.certificate_authority_type == "root"])
  issuing_ca_ski = one([for ca in local.cas : ca.subject_key_identifier if ca.certificate_authority_type != "root"])
}

resource "entracert_certificate_based_auth_policy" "test" {
  state          = "enabled"
  include_targets = [{ id = %[3]q }]
  crl_validation = {
    state                                                  = "enabled"
    exempted_certificate_authority_subject_key_identifiers = [local.root_ca_ski]
  }
  certificate_authority_scopes = [{
    subject_key_identifier = local.issuing_ca_ski
    include_targets        = [{ id = %[3]q }]
  }]
}
`, url, testfixtures.ContosoSHA256, scopeGroup)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("certificate_authority_scopes").AtSliceIndex(0).AtMapKey("subject_key_identifier"),
					knownvalue.StringExact(intermediateSKI)),
				statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("crl_validation").AtMapKey("exempted_certificate_authority_subject_key_identifiers"),
					knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(rootSKI)})),
			},
		}},
	})
}
