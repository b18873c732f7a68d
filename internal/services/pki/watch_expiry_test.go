package pki_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// watchExpiryExample is the "Watch expiry" guide's example (its checks, outputs and variable), as users copy it.
func watchExpiryExample(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, name := range []string{"expiry.tf", "variables.tf"} {
		data, err := os.ReadFile("../../../examples/guides/watch-expiry/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
		b.WriteString("\n")
	}
	return b.String()
}

// The guide's check blocks, over the plural data sources, on the seeded tenant: with 30 days they fail on the one CA
// that expires in 20 days and pass for connectors (the one whose old certificate expires in 14 days has a successor);
// with 366 days they also name both connectors on certificates (their newest certificates expire within it) and the
// Woodgrove root; with 10 days both pass. The outputs list the same objects.
func TestAccWatchExpiryGuide(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	tenant := env.SeedTenant(t)
	cfg := env.ProviderConfig() + watchExpiryExample(t)
	issuing1 := tenant.PKIs[0].CertificateAuthorities[1]
	woodgrove := tenant.PKIs[2].CertificateAuthorities[0]
	signup, token, basic := tenant.APIConnectors[0], tenant.APIConnectors[1], tenant.APIConnectors[2]
	days := func(n int) config.Variables { return config.Variables{"warn_within_days": config.IntegerVariable(n)} }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:          cfg,
				ConfigVariables: days(30),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectCheck("certificate_authorities_expiry", tfjson.CheckStatusFail, issuing1.DisplayName, issuing1.Thumbprint, tenant.PKIs[0].DisplayName),
					expectCheckLacks("certificate_authorities_expiry", woodgrove.Thumbprint),
					expectCheck("api_connector_certificates_expiry", tfjson.CheckStatusPass),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("expiring_certificate_authorities", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(issuing1.Thumbprint))),
					})),
					statecheck.ExpectKnownOutputValue("expiring_api_connectors", knownvalue.ListExact([]knownvalue.Check{})),
				},
			},
			{
				Config:          cfg,
				ConfigVariables: days(366),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectCheck("certificate_authorities_expiry", tfjson.CheckStatusFail, issuing1.Thumbprint, woodgrove.Thumbprint),
					expectCheck("api_connector_certificates_expiry", tfjson.CheckStatusFail, signup.DisplayName, token.DisplayName),
					expectCheckLacks("api_connector_certificates_expiry", basic.DisplayName),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("expiring_api_connectors", knownvalue.ListSizeExact(2)),
				},
			},
			{
				Config:          cfg,
				ConfigVariables: days(10),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					expectCheck("certificate_authorities_expiry", tfjson.CheckStatusPass),
					expectCheck("api_connector_certificates_expiry", tfjson.CheckStatusPass),
				}},
			},
			{
				Config:          cfg,
				ConfigVariables: days(0),
				PlanOnly:        true,
				ExpectError:     errRe("warn_within_days must be a positive number of days"),
			},
		},
	})
}

// expectCheck asserts the status of the check block `name` in the plan, and that its failure messages name each of
// words.
func expectCheck(name string, status tfjson.CheckStatus, words ...string) plancheck.PlanCheck {
	return checkBlockCheck{name: name, status: status, words: words}
}

// expectCheckLacks asserts that no failure message of the check block `name` names word.
func expectCheckLacks(name, word string) plancheck.PlanCheck {
	return checkBlockCheck{name: name, lacks: word}
}

type checkBlockCheck struct {
	name   string
	status tfjson.CheckStatus
	words  []string
	lacks  string
}

func (c checkBlockCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, r := range req.Plan.Checks {
		if r.Address.Kind != tfjson.CheckKindCheckBlock || r.Address.Name != c.name {
			continue
		}
		var messages []string
		for _, inst := range r.Instances {
			for _, p := range inst.Problems {
				messages = append(messages, p.Message)
			}
		}
		all := strings.Join(messages, "\n")
		if c.lacks != "" {
			if strings.Contains(all, c.lacks) {
				resp.Error = fmt.Errorf("check %s names %q: %s", c.name, c.lacks, all)
			}
			return
		}
		if r.Status != c.status {
			resp.Error = fmt.Errorf("check %s: status %s, want %s (%s)", c.name, r.Status, c.status, all)
			return
		}
		for _, w := range c.words {
			if !strings.Contains(all, w) {
				resp.Error = fmt.Errorf("check %s does not name %q: %s", c.name, w, all)
				return
			}
		}
		return
	}
	resp.Error = fmt.Errorf("the plan has no result for check block %s", c.name)
}
