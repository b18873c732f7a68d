package policy_test

import (
	"fmt"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
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
		p, err := env.Graph.GetCBAPolicy(ctxMinute(t))
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
			refused("", "The import ID is empty; the tenant has one X.509 certificate authentication configuration and its ID is always X509Certificate"),
			refused("X509Certificate/extra", `The import ID is "X509Certificate/extra"`),
			refused(" X509Certificate", "Import it with ID X509Certificate"),
			refused("Fido2", `The import ID is "Fido2"`),
		},
	})
}
