package policy_test

import (
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const policyDataAddr = "data.entracert_certificate_based_auth_policy.current"

func TestAccCBAPolicyDataSource_readsTheWholeConfiguration(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	config := env.ProviderConfig() + `
data "entracert_certificate_based_auth_policy" "current" {}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// A new tenant: the documented default.
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyDataAddr, tfjsonpath.New("id"), knownvalue.StringExact("X509Certificate")),
					statecheck.ExpectKnownValue(policyDataAddr, tfjsonpath.New("state"), knownvalue.StringExact("disabled")),
					statecheck.ExpectKnownValue(policyDataAddr, tfjsonpath.New("include_targets"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact("all_users"),
							"target_type": knownvalue.StringExact("group"), "is_registration_required": knownvalue.Bool(false)}),
					})),
					statecheck.ExpectKnownValue(policyDataAddr, tfjsonpath.New("certificate_user_bindings").AtSliceIndex(0).AtMapKey("user_property"),
						knownvalue.StringExact("onPremisesUserPrincipalName")),
					statecheck.ExpectKnownValue(policyDataAddr, tfjsonpath.New("authentication_mode").AtMapKey("default_mode"),
						knownvalue.StringExact("x509CertificateSingleFactor")),
					statecheck.ExpectKnownValue(policyDataAddr, tfjsonpath.New("crl_validation").AtMapKey("state"), knownvalue.StringExact("disabled")),
					statecheck.ExpectKnownValue(policyDataAddr, tfjsonpath.New("issuer_hints_state"), knownvalue.StringExact("disabled")),
					statecheck.ExpectKnownValue(policyDataAddr, tfjsonpath.New("certificate_authority_scopes"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				// Set elsewhere, including values newer than this provider: read as Graph holds them.
				PreConfig: func() {
					env.Emulator.SetCBAPolicyProperty("issuerHintsConfiguration", `{"state":"somethingNew"}`)
					env.Emulator.SetCBAPolicyProperty("certificateAuthorityScopes",
						`[{"subjectKeyIdentifier":"AB12","publicKeyInfrastructureIdentifier":"Contoso PKI","includeTargets":[{"id":"g1","targetType":"group"}]}]`)
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyDataAddr, tfjsonpath.New("issuer_hints_state"), knownvalue.StringExact("somethingNew")),
					statecheck.ExpectKnownValue(policyDataAddr, tfjsonpath.New("certificate_authority_scopes"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"subject_key_identifier":               knownvalue.StringExact("AB12"),
							"public_key_infrastructure_identifier": knownvalue.StringExact("Contoso PKI"),
							"include_targets": knownvalue.SetExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
								"id": knownvalue.StringExact("g1"), "target_type": knownvalue.StringExact("group")})}),
						}),
					})),
				},
			},
		},
	})
}
