package policy_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Every lock-out check and invalid input fails the plan, and nothing is written to Graph.
func TestAccCBAPolicy_checksFailThePlanWithoutWriting(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	seedTrustStore(t, env)
	scope := func(ski, group string) string {
		return fmt.Sprintf(`{ subject_key_identifier = %q, include_targets = [{ id = %q }] }`, ski, group)
	}
	many := make([]string, 31)
	for i := range many {
		many[i] = scope(intermediateSKI, "3e9f5d81-a074-4fb2-8d61-8c4a5fae0c13")
	}
	step := func(body, want string) resource.TestStep {
		return resource.TestStep{Config: hcl(env, body), ExpectError: errRe(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// CRL validation while the root CA has no CRL and is not exempted: names the CA.
			step(`
  state          = "enabled"
  crl_validation = { state = "enabled" }
`, `"CN=Contoso Fixture Root CA,O=Contoso" (subject key identifier `+rootSKI+`) in PKI "Contoso PKI"`),
			step(`
  state          = "enabled"
  crl_validation = { state = "enabled", exempted_certificate_authority_subject_key_identifiers = ["`+intermediateSKI+`"] }
`, "CRL validation would fail every sign-in"),
			// An exempted SKI that is no CA of the tenant.
			step(`
  state          = "disabled"
  crl_validation = { state = "disabled", exempted_certificate_authority_subject_key_identifiers = ["0000AAAA"] }
`, "No CA in the tenant's PKIs has the subject key identifier 0000AAAA"),
			// A scoped SKI that is no CA of the tenant.
			step(`
  state                        = "disabled"
  certificate_authority_scopes = [`+scope("FFFF0000", "4fa06e92-b185-40c3-9e72-9d5b6abf1d24")+`]
`, "this scope would scope nothing"),
			step(`
  state = "enabled"
  certificate_user_bindings = [
    { x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = 1 },
    { x509_certificate_field = "RFC822Name", user_property = "userPrincipalName", priority = 1 },
  ]
`, "both have priority 1"),
			step(`
  state = "enabled"
  certificate_user_bindings = [{ x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = -1 }]
`, "priorities must be 0 or more"),
			step(`
  state = "enabled"
  certificate_user_bindings = [{ x509_certificate_field = "SubjectKeyIdentifier", user_property = "userPrincipalName", priority = 1 }]
`, `Set user_property = "certificateUserIds"`),
			step(`
  state = "enabled"
  authentication_mode = { rules = [{ type = "policyOID", authentication_mode = "x509CertificateMultiFactor" }] }
`, "Rule 0 has no identifier"),
			step(`
  state                        = "enabled"
  certificate_authority_scopes = [`+strings.Join(many, ", ")+`]
`, "Graph allows at most 30"),
			step(`
  state                        = "enabled"
  certificate_authority_scopes = [`+scope(intermediateSKI, "4fa06e92-b185-40c3-9e72-9d5b6abf1d24")+`, `+scope(strings.ToLower(intermediateSKI), "50b17fa3-c296-41d4-af83-ae6c7bc02e35")+`]
`, "Entra allows one group per CA"),
			step(`
  state = "on"
`, `value must be one of: ["enabled" "disabled"]`),
			{
				// Nothing was written so far. Exemptions and scopes match CAs case-insensitively; an SKI unknown at plan
				// time (here from terraform_data) is not checked at plan time.
				PreConfig: func() {
					if n := patchCount(env); n != 0 {
						t.Fatalf("the failed plans wrote to Graph: %d PATCHes", n)
					}
				},
				Config: hcl(env, `
  state          = "disabled"
  crl_validation = { state = "enabled", exempted_certificate_authority_subject_key_identifiers = ["`+strings.ToLower(rootSKI)+`"] }
  certificate_authority_scopes = [{ subject_key_identifier = terraform_data.ski.output, include_targets = [{ id = "4fa06e92-b185-40c3-9e72-9d5b6abf1d24" }] }]
`) + `
resource "terraform_data" "ski" {
  input = "` + intermediateSKI + `"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("crl_validation").AtMapKey("state"), knownvalue.StringExact("enabled")),
				},
			},
		},
	})
}

// A trust store that cannot be read fails the plan (the checks cannot be skipped silently).
func TestAccCBAPolicy_unreadableTrustStoreFailsThePlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	env.Emulator.AddFault(graphemu.Fault{Method: "GET", Path: "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations", Status: 403, Count: 100})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      hcl(env, `state = "enabled"`+"\n"+`crl_validation = { state = "enabled" }`),
			ExpectError: errRe("Cannot check the CBA policy against the trust store"),
		}},
	})
	if n := patchCount(env); n != 0 {
		t.Errorf("%d PATCHes after a failed plan, want none", n)
	}
}

// Enabling CBA for all_users is allowed (a warning, tested in the unit tests), not an error.
func TestAccCBAPolicy_allUsersApplies(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: hcl(env, `
  state           = "enabled"
  include_targets = [{ id = "all_users" }]
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("include_targets"), knownvalue.SetExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact("all_users"),
						"target_type": knownvalue.StringExact("group"), "is_registration_required": knownvalue.Bool(false)}),
				})),
			},
		}},
	})
}

// Issue 16 #11: every value outside Graph's documented sets fails the plan, naming the attribute; nothing is written.
func TestAccCBAPolicy_valuesOutsideGraphsSetsFailThePlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	const group = "4fa06e92-b185-40c3-9e72-9d5b6abf1d24"
	step := func(body, want string) resource.TestStep {
		return resource.TestStep{Config: hcl(env, body), ExpectError: errRe(want)}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(`
  state                     = "enabled"
  certificate_user_bindings = [{ x509_certificate_field = "Bogus", user_property = "certificateUserIds", priority = 1 }]
`, `x509_certificate_field value must be one of: ["PrincipalName" "RFC822Name" "SubjectKeyIdentifier" "SHA1PublicKey" "IssuerAndSubject" "Subject" "IssuerAndSerialNumber"]`),
			step(`
  state           = "enabled"
  include_targets = [{ id = "" }]
`, "must be a group or user object id (a GUID"),
			step(`
  state           = "enabled"
  include_targets = [{ id = "   " }]
`, "must be a group or user object id (a GUID"),
			step(`
  state           = "enabled"
  include_targets = [{ id = "pilot-group" }]
`, "or all_users for everyone"),
			step(`
  state           = "enabled"
  exclude_targets = [{ id = "all_users" }]
`, "must be a group or user object id (a GUID such as"),
			step(`
  state                        = "disabled"
  certificate_authority_scopes = [{ subject_key_identifier = "`+intermediateSKI+`", include_targets = [{ id = "not-a-guid" }] }]
`, "must be a group or user object id (a GUID"),
			step(`
  state           = "enabled"
  include_targets = [{ id = "`+group+`" }, { id = "`+group+`", is_registration_required = true }]
`, group+" is named twice"),
			step(`
  state           = "enabled"
  include_targets = [{ id = "all_users", target_type = "user" }]
`, "all_users is the group of every user"),
			step(`
  state               = "enabled"
  authentication_mode = { rules = [{ type = "policyOID", identifier = "not.an.oid!", authentication_mode = "x509CertificateMultiFactor" }] }
`, `its identifier "not.an.oid!" is no certificate policy OID`),
			step(`
  state               = "enabled"
  authentication_mode = { rules = [{ type = "issuerSubjectAndPolicyOID", identifier = "CN=X", policy_oid_identifier = "not.an.oid!", authentication_mode = "x509CertificateMultiFactor" }] }
`, "must be a certificate policy OID in dotted-decimal form"),
			step(`
  state          = "disabled"
  crl_validation = { state = "disabled", exempted_certificate_authority_subject_key_identifiers = ["not hex"] }
`, "must be a subject key identifier in hex"),
			{
				PreConfig: func() {
					if n := patchCount(env); n != 0 {
						t.Fatalf("the failed plans wrote to Graph: %d PATCHes", n)
					}
				},
				// The documented values plan and apply: every binding field, all_users as an include group, an OID rule.
				Config: hcl(env, `
  state           = "disabled"
  include_targets = [{ id = "all_users" }, { id = "`+strings.ToUpper(group)+`", target_type = "user" }]
  authentication_mode = { rules = [{ type = "policyOID", identifier = "1.3.6.1.4.1.311.21.8.1", authentication_mode = "x509CertificateMultiFactor" }] }
  certificate_user_bindings = [
    { x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = 1 },
    { x509_certificate_field = "RFC822Name", user_property = "userPrincipalName", priority = 2 },
    { x509_certificate_field = "SubjectKeyIdentifier", user_property = "certificateUserIds", priority = 3 },
    { x509_certificate_field = "SHA1PublicKey", user_property = "certificateUserIds", priority = 4 },
    { x509_certificate_field = "IssuerAndSubject", user_property = "certificateUserIds", priority = 5 },
    { x509_certificate_field = "Subject", user_property = "certificateUserIds", priority = 6 },
    { x509_certificate_field = "IssuerAndSerialNumber", user_property = "certificateUserIds", priority = 7 },
  ]
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("certificate_user_bindings").AtSliceIndex(6).AtMapKey("trust_affinity_level"), knownvalue.StringExact("high")),
				},
			},
		},
	})
}
