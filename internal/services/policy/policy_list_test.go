package policy_test

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const (
	policyType    = "entracert_certificate_based_auth_policy"
	policyListAll = policyType + ".all"
	rolloutGroup  = "5f3c1b9e-7a2d-4c1e-9b8a-2d4e6f8a0c1b"
	breakGlass    = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
)

var policyIdentity = map[string]knownvalue.Check{"id": knownvalue.StringExact(graph.CBAPolicyID)}

func policyListBlock(name string, includeResource bool) string {
	return fmt.Sprintf("list %q %q {\n  provider = entracert\n  include_resource = %t\n}\n", policyType, name, includeResource)
}

// customisePolicy makes the tenant's policy what an admin may have clicked together in the portal: CBA on for one
// group, a user excluded, rules, bindings, CRL validation with an exemption, issuer hints, a CA scope.
func customisePolicy(t *testing.T, env *acctest.Env, pkiID string) {
	t.Helper()
	on := "enabled"
	u := graph.CBAPolicyUpdate{
		State:          &on,
		IncludeTargets: &[]graph.CBAIncludeTarget{{ID: rolloutGroup, TargetType: "group", IsRegistrationRequired: true}},
		ExcludeTargets: &[]graph.CBATarget{{ID: breakGlass, TargetType: "user"}},
		AuthenticationMode: &graph.CBAAuthenticationMode{DefaultMode: "x509CertificateMultiFactor", DefaultRequiredAffinityLevel: "high",
			Rules: []graph.CBARule{
				{Type: "issuerSubject", Identifier: "CN=Contoso Fixture Issuing CA,O=Contoso", AuthenticationMode: "x509CertificateMultiFactor"},
				{Type: "policyOID", Identifier: "1.2.3.4", AuthenticationMode: "x509CertificateSingleFactor", RequiredAffinityLevel: "low"},
			}},
		CertificateUserBindings: &[]graph.CBAUserBinding{
			{X509CertificateField: "PrincipalName", UserProperty: "userPrincipalName", Priority: 1, TrustAffinityLevel: "low"},
			{X509CertificateField: "SubjectKeyIdentifier", UserProperty: "certificateUserIds", Priority: 2, TrustAffinityLevel: "high"},
		},
		CRLValidation:    &graph.CBACRLValidation{State: "enabled", ExemptedCertificateAuthoritiesSubjectKeyIdentifiers: []string{rootSKI}},
		IssuerHintsState: &on,
		CertificateAuthorityScopes: &[]graph.CBACertificateAuthorityScope{{SubjectKeyIdentifier: intermediateSKI,
			PublicKeyInfrastructureIdentifier: pkiID, IncludeTargets: []graph.CBATarget{{ID: rolloutGroup, TargetType: "group"}}}},
	}
	if err := env.Graph.UpdateCBAPolicy(acctest.MinuteContext(t), u); err != nil {
		t.Fatalf("customising the CBA policy: %v", err)
	}
}

func policyValues(checks map[string]knownvalue.Check) querycheck.QueryResultCheck {
	var kv []querycheck.KnownValueCheck
	for k, v := range checks {
		kv = append(kv, querycheck.KnownValueCheck{Path: tfjsonpath.New(k), KnownValue: v})
	}
	return querycheck.ExpectResourceKnownValues(policyListAll, queryfilter.ByResourceIdentity(policyIdentity), kv)
}

// The tenant's one policy is listed with its identity and state, as Graph's default and once customised.
func TestAccCBAPolicyList_theOnePolicy(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	resource.Test(t, env.QueryTestCase(
		resource.TestStep{
			Query:  true,
			Config: env.QueryConfig(policyListBlock("all", true)),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(policyListAll, 1),
				querycheck.ExpectIdentity(policyListAll, map[string]knownvalue.Check{"id": knownvalue.StringExact("X509Certificate")}),
				querycheck.ExpectResourceDisplayName(policyListAll, queryfilter.ByResourceIdentity(policyIdentity),
					knownvalue.StringExact("X.509 certificate authentication policy (disabled)")),
				policyValues(map[string]knownvalue.Check{
					"id":    knownvalue.StringExact("X509Certificate"),
					"state": knownvalue.StringExact("disabled"),
					"include_targets": knownvalue.SetExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact("all_users"), "target_type": knownvalue.StringExact("group"),
						"is_registration_required": knownvalue.Bool(false)})}),
				}),
			},
		},
		resource.TestStep{
			PreConfig: func() { customisePolicy(t, env, seedTrustStore(t, env)) },
			Query:     true,
			Config:    env.QueryConfig(policyListBlock("all", true)),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(policyListAll, 1),
				querycheck.ExpectResourceDisplayName(policyListAll, queryfilter.ByResourceIdentity(policyIdentity),
					knownvalue.StringExact("X.509 certificate authentication policy (enabled)")),
				policyValues(map[string]knownvalue.Check{
					"state":              knownvalue.StringExact("enabled"),
					"issuer_hints_state": knownvalue.StringExact("enabled"),
					"crl_validation": knownvalue.ObjectExact(map[string]knownvalue.Check{
						"state": knownvalue.StringExact("enabled"),
						"exempted_certificate_authority_subject_key_identifiers": knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(rootSKI)}),
					}),
					"certificate_authority_scopes": knownvalue.ListSizeExact(1),
					"certificate_user_bindings":    knownvalue.ListSizeExact(2),
				}),
			},
		},
	))
}

// A Graph that keeps failing fails the query with what was read and what to do; a 429 before it is waited out.
func TestAccCBAPolicyList_throttledAndFailing(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	resource.Test(t, env.QueryTestCase(
		resource.TestStep{
			PreConfig: func() {
				env.Emulator.ResetJournal()
				env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: policyPath, Status: http.StatusTooManyRequests, RetryAfter: "2"})
			},
			Query:  true,
			Config: env.QueryConfig(policyListBlock("all", false)),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(policyListAll, 1),
				env.JournalStatuses(http.MethodGet, policyPath, []int{http.StatusTooManyRequests, http.StatusOK}),
			},
		},
		resource.TestStep{
			PreConfig: func() {
				env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: policyPath, Status: http.StatusServiceUnavailable, Count: 100})
			},
			Query:  true,
			Config: env.QueryConfig(policyListBlock("all", false)),
			ExpectError: regexp.MustCompile(`Cannot list the CBA policy[\s\S]*Reading the tenant's X.509 certificate authentication ` +
				`configuration[\s\S]*503[\s\S]*Run terraform query again once Graph answers`),
		},
	))
}

// A customised policy, adopted through `terraform query -generate-config-out`: the generated configuration, untouched,
// plans as one import and nothing else, and once applied the next plan is empty.
func TestAccCBAPolicyList_generatedConfigPlansImportOnly(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	customisePolicy(t, env, seedTrustStore(t, env))
	resource.Test(t, env.QueryTestCase(resource.TestStep{ // skips below Terraform 1.14, and so does the rest
		Query:             true,
		Config:            env.QueryConfig(policyListBlock("all", false)),
		QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength(policyListAll, 1)},
	}))

	cli := env.NewCLI(t)
	cli.WriteFile(t, "adopt.tfquery.hcl", policyListBlock("policy", false))
	cli.MustRun(t, "init", "-no-color", "-input=false")
	cli.MustRun(t, "query", "-no-color", "-generate-config-out=generated.tf")
	generated := cli.ReadFile(t, "generated.tf")
	t.Logf("generated.tf:\n%s", generated)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`resource "` + policyType + `" "policy_0"`),
		regexp.MustCompile(`state\s+= "enabled"`),
		regexp.MustCompile(`id\s+= "X509Certificate"`),
		regexp.MustCompile(rootSKI),
	} {
		if !want.MatchString(generated) {
			t.Errorf("generated.tf does not match %s:\n%s", want, generated)
		}
	}
	patches := env.Emulator.Count(http.MethodPatch, policyPath)
	cli.PlanImportsOnly(t, 1)
	cli.ApplyThenPlanEmpty(t)
	if n := env.Emulator.Count(http.MethodPatch, policyPath); n != patches {
		t.Errorf("adopting the policy PATCHed it %d times, want 0", n-patches)
	}
}
