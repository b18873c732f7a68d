package policy_test

import (
	"fmt"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The lifecycle matrix of the policy: replacements, out-of-band deletes and changes, moved, removed, imports.
// After each, destroy works and Graph is back at its defaults (CheckDestroy).

const pilotGroup = "0b6c2a5e-7d41-4c8f-9a3e-5f1d2c7b8e90"

// pilotBody is pilotConfig's resource body, for configurations that add a lifecycle block or other resources.
func pilotBody(extra string) string {
	return fmt.Sprintf(`
  state           = "enabled"
  include_targets = [{ id = %q }]
  authentication_mode = {
    default_mode = "x509CertificateSingleFactor"
    rules = [{ type = "issuerSubject", identifier = "CN=Contoso Fixture Issuing CA, O=Contoso", authentication_mode = "x509CertificateMultiFactor" }]
  }
  crl_validation = {
    state = "enabled"
    exempted_certificate_authority_subject_key_identifiers = [%q]
  }
%s`, pilotGroup, rootSKI, extra)
}

// checkGraphConfigured asserts Graph's policy (not the state) holds pilotBody's values.
func checkGraphConfigured(t *testing.T, env *acctest.Env) resource.TestCheckFunc {
	return func(*terraform.State) error {
		p, err := env.Graph.GetCBAPolicy(acctest.MinuteContext(t))
		if err != nil {
			return err
		}
		switch {
		case p.State != "enabled":
			return fmt.Errorf("Graph's policy state is %q, want enabled (the policy was reset)", p.State)
		case len(p.IncludeTargets) != 1 || p.IncludeTargets[0].ID != pilotGroup:
			return fmt.Errorf("Graph's include targets are %+v, want the pilot group", p.IncludeTargets)
		case p.CRLValidation == nil || p.CRLValidation.State != "enabled" || len(p.CRLValidation.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers) != 1:
			return fmt.Errorf("Graph's CRL validation is %+v, want enabled with the root exempted", p.CRLValidation)
		case p.AuthenticationMode == nil || len(p.AuthenticationMode.Rules) != 1:
			return fmt.Errorf("Graph's authentication mode is %+v, want one rule", p.AuthenticationMode)
		}
		return nil
	}
}

// Issue 16 #1: a create_before_destroy replacement writes the new object, then destroys the deposed one; that destroy
// must not reset what the new object just wrote.
func TestAccCBAPolicy_createBeforeDestroyReplacementKeepsThePolicy(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	seedTrustStore(t, env)
	config := hcl(env, pilotBody(`
  lifecycle {
    create_before_destroy = true
  }
`))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{Config: config, Check: checkGraphConfigured(t, env)},
			{
				Config: config,
				Taint:  []string{policyAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionCreateBeforeDestroy),
				}},
				Check: checkGraphConfigured(t, env),
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// -replace without create_before_destroy destroys first (Graph's defaults), then creates: Graph ends as configured.
func TestAccCBAPolicy_replaceDestroysThenWrites(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	seedTrustStore(t, env)
	config := hcl(env, pilotBody(""))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{Config: config, Check: checkGraphConfigured(t, env)},
			{
				Config: config,
				Taint:  []string{policyAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: checkGraphConfigured(t, env),
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// Import by every ID form: the ID, the ID in another letter case (stored as Graph spells it), and the refused ones
// (empty, malformed, another authentication method's ID) with a diagnostic that shows the expected form.
func TestAccCBAPolicy_importByEveryIDForm(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	config := hcl(env, `state = "disabled"`)
	importStep := func(id string) resource.TestStep {
		return resource.TestStep{Config: config, ResourceName: policyAddr, ImportState: true,
			ImportStateIdFunc: func(*terraform.State) (string, error) { return id, nil }}
	}
	refused := func(id, want string) resource.TestStep {
		s := importStep(id)
		s.ExpectError = errRe(want)
		return s
	}
	valid := importStep("X509Certificate")
	valid.ImportStateVerify = true
	otherCase := importStep("x509certificate")
	otherCase.ImportStateCheck = func(states []*terraform.InstanceState) error {
		if len(states) != 1 || states[0].ID != "X509Certificate" {
			return fmt.Errorf("imported %+v, want one policy with id X509Certificate", states)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{Config: config},
			valid,
			otherCase,
			refused("", "The import ID is empty. The tenant has one X.509 certificate authentication configuration and its ID is always X509Certificate"),
			refused("X509Certificate/extra", `The import ID is not X509Certificate (got "X509Certificate/extra")`),
			refused(" X509Certificate", "Import it with ID X509Certificate"),
			refused("Fido2", `The import ID is not X509Certificate (got "Fido2")`),
		},
	})
}

// scopedBody is pilotBody plus the issuing CA (pasted SKI) scoped to the pilot group.
func scopedBody() string {
	return pilotBody(fmt.Sprintf(`
  certificate_authority_scopes = [{
    subject_key_identifier               = %q
    public_key_infrastructure_identifier = "Contoso PKI"
    include_targets                      = [{ id = %q }]
  }]
`, intermediateSKI, pilotGroup))
}

// disableOutOfBand switches CBA off in the portal, so the next plan has a change to make (and runs its checks).
func disableOutOfBand(t *testing.T, env *acctest.Env) {
	t.Helper()
	off := "disabled"
	if err := env.Graph.UpdateCBAPolicy(acctest.MinuteContext(t), graph.CBAPolicyUpdate{State: &off}); err != nil {
		t.Fatal(err)
	}
}

func deletePKIOutOfBand(t *testing.T, env *acctest.Env, id string) {
	t.Helper()
	if err := env.Graph.DeletePKI(acctest.MinuteContext(t), id); err != nil {
		t.Fatal(err)
	}
}

// Issue 16 #3: once the trust store drifted under values the policy already holds (its PKI deleted out of band, a CA
// without CRL added), the checks warn instead of failing: the repair plan, plan -refresh-only, apply, the repair of a
// scope removed in the portal, and destroy with a change pending all work.
func TestAccCBAPolicy_trustStoreDriftWarnsInsteadOfBlocking(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pkiID := seedTrustStore(t, env)
	config := hcl(env, scopedBody())
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionUpdate)}}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{Config: config, Check: checkGraphConfigured(t, env)},
			{
				// The PKI holding the scoped and the exempted CA is deleted, and CBA switched off, in the portal.
				PreConfig: func() {
					deletePKIOutOfBand(t, env, pkiID)
					disableOutOfBand(t, env)
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionUpdate),
				}},
			},
			{Config: config, ConfigPlanChecks: update, Check: checkGraphConfigured(t, env)},
			{
				// A CA without a CRL appears in a new PKI while CRL validation is on: a warning, the repair applies.
				PreConfig: func() {
					p, err := env.Graph.CreatePKI(acctest.MinuteContext(t), "Fabrikam PKI")
					if err != nil {
						t.Fatal(err)
					}
					ca, err := pkcs.ParseCertificate(testfixtures.Bytes("other-root-ca.pem"))
					if err != nil {
						t.Fatal(err)
					}
					if _, err := env.Graph.CreateCertificateAuthority(acctest.MinuteContext(t), p.ID, graph.NewCertificateAuthority{
						Certificate: ca.DER, Thumbprint: ca.Thumbprint, ExpirationDateTime: ca.NotAfter, IsRoot: true}); err != nil {
						t.Fatal(err)
					}
					disableOutOfBand(t, env)
				},
				Config: config, ConfigPlanChecks: update, Check: checkGraphConfigured(t, env),
			},
			{
				// The scope is removed in the portal too: putting it back is the repair of drift, not a new value.
				PreConfig: func() {
					none := []graph.CBACertificateAuthorityScope{}
					if err := env.Graph.UpdateCBAPolicy(acctest.MinuteContext(t), graph.CBAPolicyUpdate{CertificateAuthorityScopes: &none}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config, ConfigPlanChecks: update,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("certificate_authority_scopes"), knownvalue.ListSizeExact(1)),
				},
			},
			{
				// destroy (its refresh plan sees a change to make) still works; CheckDestroy asserts Graph's defaults.
				PreConfig: func() { disableOutOfBand(t, env) },
				Config:    config,
				Destroy:   true,
			},
		},
	})
}

// A new value naming a CA the trust store does not hold is still an error when the policy already exists.
func TestAccCBAPolicy_newUnknownSKIIsStillAnError(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	seedTrustStore(t, env)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{Config: hcl(env, scopedBody())},
			{
				Config: hcl(env, pilotBody(fmt.Sprintf(`
  certificate_authority_scopes = [{ subject_key_identifier = "ABCDEF01", include_targets = [{ id = %q }] }]
`, pilotGroup))),
				ExpectError: errRe("No CA in the tenant's PKIs has the subject key identifier ABCDEF01"),
			},
			{
				Config: hcl(env, `
  state          = "enabled"
  crl_validation = { state = "enabled", exempted_certificate_authority_subject_key_identifiers = [] }
`),
				ExpectError: errRe("CRL validation would fail every sign-in"),
			},
		},
	})
}

// The policy's object "deleted" out of band (Graph's DELETE restores the defaults): plan -refresh-only and the plan show
// the repair, apply restores it, destroy works.
func TestAccCBAPolicy_deletedOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	seedTrustStore(t, env)
	config := hcl(env, scopedBody())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					if err := env.Graph.DeleteCBAPolicy(acctest.MinuteContext(t)); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(policyAddr, tfjsonpath.New("state"), knownvalue.StringExact("enabled")),
				}},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionUpdate),
				}},
				Check: checkGraphConfigured(t, env),
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// A PKI resource, a CA resource and a policy that scopes the CA by reference; the PKI is deleted out of band. Plan,
// apply and destroy work, and Graph's policy is as configured after the apply.
func TestAccCBAPolicy_scopedPKIDeletedOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	config := caReferenceConfig(env, string(testfixtures.Bytes("intermediate-ca.pem")))
	var pkiID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					pkiID = s.RootModule().Resources["entracert_certificate_based_auth_pki.test"].Primary.ID
					return nil
				},
			},
			{
				PreConfig:          func() { deletePKIOutOfBand(t, env, pkiID) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				Check: func(*terraform.State) error {
					p, err := env.Graph.GetCBAPolicy(acctest.MinuteContext(t))
					if err != nil {
						return err
					}
					if len(p.CertificateAuthorityScopes) != 1 || p.CertificateAuthorityScopes[0].SubjectKeyIdentifier != intermediateSKI {
						return fmt.Errorf("Graph's scopes are %+v, want the issuing CA", p.CertificateAuthorityScopes)
					}
					return nil
				},
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// moved: a new address for the policy plans nothing.
func TestAccCBAPolicy_moved(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	seedTrustStore(t, env)
	moved := env.ProviderConfig() + `
resource "entracert_certificate_based_auth_policy" "renamed" {` + pilotBody("") + `}

moved {
  from = entracert_certificate_based_auth_policy.test
  to   = entracert_certificate_based_auth_policy.renamed
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{Config: hcl(env, pilotBody(""))},
			{Config: moved, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: checkGraphConfigured(t, env)},
		},
	})
}

// removed { lifecycle { destroy = false } } forgets the policy and leaves Graph's as it is; with the resource back in
// the configuration, the plan is a create that adopts the tenant's policy (a singleton: there is nothing to import
// first), and destroy then restores the defaults.
func TestAccCBAPolicy_removedThenBack(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	seedTrustStore(t, env)
	config := hcl(env, pilotBody(""))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config: env.ProviderConfig() + `
removed {
  from = entracert_certificate_based_auth_policy.test
  lifecycle {
    destroy = false
  }
}
`,
				// Graph keeps the policy: nothing was destroyed.
				Check: checkGraphConfigured(t, env),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("state"), knownvalue.StringExact("enabled")),
				},
				Check: checkGraphConfigured(t, env),
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// Renamed without a moved block: Terraform creates the new address and destroys the old one in the same apply, in
// either order; Graph ends as configured either way.
func TestAccCBAPolicy_renamedWithoutMovedBlock(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	seedTrustStore(t, env)
	renamed := env.ProviderConfig() + `
resource "entracert_certificate_based_auth_policy" "renamed" {` + pilotBody("") + `}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkGraphDefault(t, env),
		Steps: []resource.TestStep{
			{Config: hcl(env, pilotBody(""))},
			{
				Config: renamed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionDestroy),
					plancheck.ExpectResourceAction("entracert_certificate_based_auth_policy.renamed", plancheck.ResourceActionCreate),
				}},
				Check: checkGraphConfigured(t, env),
			},
		},
	})
}
