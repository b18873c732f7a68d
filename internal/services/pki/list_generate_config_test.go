package pki_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
)

// Adopting an existing trust store in one step: `terraform query -generate-config-out` writes a resource and an import
// block (by identity) for each PKI and CA, and that configuration, untouched, plans as imports only ("6 to import, 0
// to add, 0 to change, 0 to destroy"); once applied, the next plan is empty.
func TestAccPKIAndCAList_generatedConfigPlansImportsOnly(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	ten := seedExistingTenant(t, env)
	// Skips below Terraform 1.14, and then so does the rest of the test (resource.Test ends it).
	resource.Test(t, env.QueryTestCase(resource.TestStep{
		Query:  true,
		Config: env.QueryConfig(listBlock(pkiType, "pkis", false, ""), listBlock(caType, "cas", false, "")),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(pkiType+".pkis", 3),
			querycheck.ExpectLength(caType+".cas", 3),
		},
	}))

	cli := env.NewCLI(t)
	cli.WriteFile(t, "adopt.tfquery.hcl", listBlock(pkiType, "pkis", false, "")+"\n"+listBlock(caType, "cas", false, ""))
	cli.MustRun(t, "init", "-no-color", "-input=false")
	cli.MustRun(t, "query", "-no-color", "-generate-config-out=generated.tf")
	generated := cli.ReadFile(t, "generated.tf")
	t.Logf("generated.tf:\n%s", generated)
	for _, want := range []string{
		`resource "` + pkiType + `" "pkis_0"`,
		`display_name = "` + ten.Contoso.DisplayName + `"`,
		`pki_id = "` + ten.Fabrikam.ID + `"`,
		`certificate = "-----BEGIN CERTIFICATE-----\n`,
		`delta_certificate_revocation_list_url = "` + fabrikamDeltaCRL + `"`,
		`is_issuer_hint_enabled = true`,
		`to = ` + caType + `.cas_2`,
	} {
		if !strings.Contains(squeezeSpaces(generated), want) {
			t.Errorf("generated.tf lacks %s:\n%s", want, generated)
		}
	}
	if n := len(regexp.MustCompile(`(?m)^import \{\n(?:.*\n)*?\s+identity = \{`).FindAllString(generated, -1)); n != 6 {
		t.Errorf("generated.tf has %d import blocks by identity, want 6:\n%s", n, generated)
	}
	cli.PlanImportsOnly(t, 6)
	cli.ApplyThenPlanEmpty(t)
}

// squeezeSpaces collapses the alignment terraform fmt adds around "=".
func squeezeSpaces(s string) string { return regexp.MustCompile(` +=`).ReplaceAllString(s, " =") }
