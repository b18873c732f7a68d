package policy_test

import (
	"fmt"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// pilotConfig: CBA for a pilot group, one multi-factor rule, a high-affinity binding, CRL validation with the
// CRL-less root exempted.
func pilotConfig(env *acctest.Env) string {
	return hcl(env, fmt.Sprintf(`
  state           = "enabled"
  include_targets = [{ id = "0b6c2a5e-7d41-4c8f-9a3e-5f1d2c7b8e90" }]
  authentication_mode = {
    default_mode = "x509CertificateSingleFactor"
    rules = [{ type = "issuerSubject", identifier = "CN=Contoso Fixture Issuing CA, O=Contoso", authentication_mode = "x509CertificateMultiFactor" }]
  }
  certificate_user_bindings = [
    { x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = 1 },
    { x509_certificate_field = "SubjectKeyIdentifier", user_property = "certificateUserIds", priority = 2 },
  ]
  crl_validation = {
    state = "enabled"
    exempted_certificate_authority_subject_key_identifiers = [%q]
  }
`, rootSKI))
}

// widenedConfig changes rules, bindings, scopes, targets, CRL and issuer hints.
func widenedConfig(env *acctest.Env, pkiID string) string {
	return hcl(env, fmt.Sprintf(`
  state           = "enabled"
  include_targets = [{ id = "0b6c2a5e-7d41-4c8f-9a3e-5f1d2c7b8e90" }, { id = "1c7d3b6f-8e52-4d90-ab4f-6a2e3d8c9fa1", is_registration_required = true }]
  exclude_targets = [{ id = "2d8e4c70-9f63-4ea1-bc50-7b3f4e9dab02", target_type = "user" }]
  authentication_mode = {
    default_mode                    = "x509CertificateSingleFactor"
    default_required_affinity_level = "low"
    rules = [
      { type = "issuerSubject", identifier = "CN=Contoso Fixture Issuing CA, O=Contoso", authentication_mode = "x509CertificateMultiFactor", required_affinity_level = "high" },
      { type = "policyOID", identifier = "1.2.3.4", authentication_mode = "x509CertificateMultiFactor" },
    ]
  }
  certificate_user_bindings = [
    { x509_certificate_field = "SubjectKeyIdentifier", user_property = "certificateUserIds", priority = 1 },
    { x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = 2, trust_affinity_level = "low" },
  ]
  crl_validation = {
    state = "disabled"
    exempted_certificate_authority_subject_key_identifiers = []
  }
  issuer_hints_state = "enabled"
  certificate_authority_scopes = [{
    subject_key_identifier               = %q
    public_key_infrastructure_identifier = %q
    include_targets                      = [{ id = "0b6c2a5e-7d41-4c8f-9a3e-5f1d2c7b8e90" }]
  }]
`, intermediateSKI, pkiID))
}

func TestAccCBAPolicy_lifecycle(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pkiID := seedTrustStore(t, env)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{
				Config: pilotConfig(env),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionCreate),
					// Known at plan time: the binding's documented affinity.
					plancheck.ExpectKnownValue(policyAddr, tfjsonpath.New("certificate_user_bindings").AtSliceIndex(1).AtMapKey("trust_affinity_level"), knownvalue.StringExact("high")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("id"), knownvalue.StringExact("X509Certificate")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("state"), knownvalue.StringExact("enabled")),
					// Left out: Graph's values.
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("issuer_hints_state"), knownvalue.StringExact("disabled")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("exclude_targets"), knownvalue.SetSizeExact(0)),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("authentication_mode").AtMapKey("default_required_affinity_level"), knownvalue.StringExact("low")),
				},
				Check: checkPatch(env, map[string]string{
					"state":          `"enabled"`,
					"includeTargets": `[{"id":"0b6c2a5e-7d41-4c8f-9a3e-5f1d2c7b8e90","isRegistrationRequired":false,"targetType":"group"}]`,
					"authenticationModeConfiguration": `{"x509CertificateAuthenticationDefaultMode":"x509CertificateSingleFactor","x509CertificateDefaultRequiredAffinityLevel":"low",
						"rules":[{"x509CertificateRuleType":"issuerSubject","identifier":"CN=Contoso Fixture Issuing CA, O=Contoso","x509CertificateAuthenticationMode":"x509CertificateMultiFactor"}]}`,
					"certificateUserBindings": `[{"x509CertificateField":"PrincipalName","userProperty":"userPrincipalName","priority":1,"trustAffinityLevel":"low"},
						{"x509CertificateField":"SubjectKeyIdentifier","userProperty":"certificateUserIds","priority":2,"trustAffinityLevel":"high"}]`,
					"crlValidationConfiguration": `{"state":"enabled","exemptedCertificateAuthoritiesSubjectKeyIdentifiers":["` + rootSKI + `"]}`,
				}, "excludeTargets", "issuerHintsConfiguration", "certificateAuthorityScopes"),
			},
			{
				// The second plan is empty.
				Config: pilotConfig(env),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				ResourceName:      policyAddr,
				ImportState:       true,
				ImportStateId:     "X509Certificate",
				ImportStateVerify: true,
			},
			{
				ResourceName:  policyAddr,
				ImportState:   true,
				ImportStateId: "Fido2",
				ExpectError:   errRe("its ID is always X509Certificate"),
			},
			{
				Config: widenedConfig(env, pkiID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("include_targets"), knownvalue.SetSizeExact(2)),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("issuer_hints_state"), knownvalue.StringExact("enabled")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("authentication_mode").AtMapKey("rules"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("certificate_authority_scopes").AtSliceIndex(0).AtMapKey("subject_key_identifier"),
						knownvalue.StringExact(intermediateSKI)),
				},
				Check: checkPatch(env, map[string]string{
					"state":          `"enabled"`,
					"excludeTargets": `[{"id":"2d8e4c70-9f63-4ea1-bc50-7b3f4e9dab02","targetType":"user"}]`,
					"authenticationModeConfiguration": `{"x509CertificateAuthenticationDefaultMode":"x509CertificateSingleFactor","x509CertificateDefaultRequiredAffinityLevel":"low",
						"rules":[{"x509CertificateRuleType":"issuerSubject","identifier":"CN=Contoso Fixture Issuing CA, O=Contoso","x509CertificateAuthenticationMode":"x509CertificateMultiFactor","x509CertificateRequiredAffinityLevel":"high"},
						{"x509CertificateRuleType":"policyOID","identifier":"1.2.3.4","x509CertificateAuthenticationMode":"x509CertificateMultiFactor"}]}`,
					"certificateUserBindings": `[{"x509CertificateField":"SubjectKeyIdentifier","userProperty":"certificateUserIds","priority":1,"trustAffinityLevel":"high"},
						{"x509CertificateField":"PrincipalName","userProperty":"userPrincipalName","priority":2,"trustAffinityLevel":"low"}]`,
					"crlValidationConfiguration": `{"state":"disabled","exemptedCertificateAuthoritiesSubjectKeyIdentifiers":[]}`,
					"issuerHintsConfiguration":   `{"state":"enabled"}`,
					"certificateAuthorityScopes": `[{"subjectKeyIdentifier":"` + intermediateSKI + `","publicKeyInfrastructureIdentifier":"` + pkiID + `","includeTargets":[{"id":"0b6c2a5e-7d41-4c8f-9a3e-5f1d2c7b8e90","targetType":"group"}]}]`,
				}),
			},
			{
				// Out of band: issuer hints switched off and the rules emptied elsewhere; the plan shows the change back.
				PreConfig: func() {
					off := "disabled"
					mode := &graph.CBAAuthenticationMode{DefaultMode: "x509CertificateMultiFactor", DefaultRequiredAffinityLevel: "low", Rules: []graph.CBARule{}}
					if err := env.Graph.UpdateCBAPolicy(acctest.MinuteContext(t), graph.CBAPolicyUpdate{IssuerHintsState: &off, AuthenticationMode: mode}); err != nil {
						t.Fatal(err)
					}
				},
				Config:             widenedConfig(env, pkiID),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(policyAddr, tfjsonpath.New("issuer_hints_state"), knownvalue.StringExact("enabled")),
				}},
			},
			{
				// Applying puts it back.
				Config: widenedConfig(env, pkiID),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("issuer_hints_state"), knownvalue.StringExact("enabled")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("authentication_mode").AtMapKey("default_mode"), knownvalue.StringExact("x509CertificateSingleFactor")),
				},
			},
		},
	})
}

func TestAccCBAPolicy_adoptCustomisedTenantWithPartialConfiguration(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	// Another tool customised the tenant: a rule, certificateUserIds bindings, issuer hints.
	hints := "enabled"
	bindings := []graph.CBAUserBinding{{X509CertificateField: "SHA1PublicKey", UserProperty: "certificateUserIds", Priority: 5, TrustAffinityLevel: "high"}}
	mode := &graph.CBAAuthenticationMode{DefaultMode: "x509CertificateMultiFactor", DefaultRequiredAffinityLevel: "high",
		Rules: []graph.CBARule{{Type: "policyOID", Identifier: "1.3.6.1.4.1.311.21.8.1", AuthenticationMode: "x509CertificateSingleFactor"}}}
	if err := env.Graph.UpdateCBAPolicy(acctest.MinuteContext(t), graph.CBAPolicyUpdate{IssuerHintsState: &hints, CertificateUserBindings: &bindings, AuthenticationMode: mode}); err != nil {
		t.Fatal(err)
	}
	config := hcl(env, `
  state           = "enabled"
  include_targets = [{ id = "0b6c2a5e-7d41-4c8f-9a3e-5f1d2c7b8e90" }]
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("issuer_hints_state"), knownvalue.StringExact("enabled")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("authentication_mode").AtMapKey("default_mode"), knownvalue.StringExact("x509CertificateMultiFactor")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("authentication_mode").AtMapKey("rules").AtSliceIndex(0).AtMapKey("identifier"),
						knownvalue.StringExact("1.3.6.1.4.1.311.21.8.1")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("certificate_user_bindings"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"x509_certificate_field": knownvalue.StringExact("SHA1PublicKey"), "user_property": knownvalue.StringExact("certificateUserIds"),
							"priority": knownvalue.Int64Exact(5), "trust_affinity_level": knownvalue.StringExact("high"),
						}),
					})),
				},
				// Only what the configuration names was written.
				Check: checkPatch(env, map[string]string{"state": `"enabled"`},
					"authenticationModeConfiguration", "certificateUserBindings", "issuerHintsConfiguration", "crlValidationConfiguration",
					"certificateAuthorityScopes", "excludeTargets"),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

func TestAccCBAPolicy_importByIdentity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	config := hcl(env, `state = "disabled"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		// Terraform 1.12 introduced resource identity; on older versions this test is skipped with that reason.
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config:      config + identityImport(""),
				ExpectError: errRe("identity.id is empty. The tenant has one X.509 certificate authentication configuration"),
			},
			{
				Config:      config + identityImport("Fido2"),
				ExpectError: errRe(`identity.id is not X509Certificate (got "Fido2")`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(policyAddr, map[string]knownvalue.Check{"id": knownvalue.StringExact("X509Certificate")}),
				},
			},
			{
				Config:          config,
				ResourceName:    policyAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

// Values Graph holds that this provider does not know stay in the state; an update that would have to send one back
// names it instead of dropping it.
func TestAccCBAPolicy_unknownEnumValuesAreKeptAndReported(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	env.Emulator.SetCBAPolicyProperty("issuerHintsConfiguration", `{"state":"somethingNew"}`)
	env.Emulator.SetCBAPolicyProperty("authenticationModeConfiguration", `{"x509CertificateAuthenticationDefaultMode":"x509CertificateSingleFactor",`+
		`"x509CertificateDefaultRequiredAffinityLevel":"low","rules":[{"x509CertificateRuleType":"issuerSubjectAndPolicyIdAndMore","identifier":"CN=X",`+
		`"x509CertificateAuthenticationMode":"x509CertificateMultiFactor"}]}`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: hcl(env, `state = "disabled"`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("issuer_hints_state"), knownvalue.StringExact("somethingNew")),
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("authentication_mode").AtMapKey("rules").AtSliceIndex(0).AtMapKey("type"),
						knownvalue.StringExact("issuerSubjectAndPolicyIdAndMore")),
				},
				Check: checkPatch(env, map[string]string{"state": `"disabled"`}, "issuerHintsConfiguration", "authenticationModeConfiguration"),
			},
			{
				// Changing the default mode sends authenticationModeConfiguration whole, unknown rule type included.
				Config:      hcl(env, `state = "disabled"`+"\n"+`authentication_mode = { default_mode = "x509CertificateMultiFactor" }`),
				ExpectError: errRe(`rules.x509CertificateRuleType "issuerSubjectAndPolicyIdAndMore" is not a value this provider can send`),
			},
		},
	})
}

func identityImport(id string) string {
	return fmt.Sprintf("\nimport {\n  to = %s\n  identity = {\n    id = %q\n  }\n}\n", policyAddr, id)
}
