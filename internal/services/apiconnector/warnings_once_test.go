package apiconnector_test

// This test changes process-wide environment variables (t.Setenv), so it does not run in parallel.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// "The certificate stays on the API connector" is said once per destroy: by the plan, not again by the apply
// (terraform destroy printed it twice). The same holds for the replaced certificate of a replacement. Counted on
// the provider's protocol log (TF_LOG=trace), where terraform-plugin-go records every warning each RPC returns,
// and Terraform prints every warning it receives.
func TestAccCertificate_destroyWarnsOnce(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "provider.log")
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_LOG_PATH", logFile)
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-warn-once")
	pw := ptr(testfixtures.Password)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: certConfig(env, conn.ID, fixturePFX("client-aes.pfx", pw, true))},
			{Config: certConfig(env, conn.ID, fixturePFX("client-ec.pfx", pw, true))}, // a replacement
			{Config: env.ProviderConfig()},                                            // a destroy
		},
	})
	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatal(err)
	}
	byRPC := map[string]map[string]int{}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, "Response contains warning diagnostic") {
			continue
		}
		for _, summary := range []string{"The certificate stays on the API connector", "The replaced certificate stays on the API connector"} {
			if !strings.Contains(line, summary) {
				continue
			}
			rpc := "other"
			for _, name := range []string{"PlanResourceChange", "ApplyResourceChange"} {
				if strings.Contains(line, name) {
					rpc = name
				}
			}
			if byRPC[summary] == nil {
				byRPC[summary] = map[string]int{}
			}
			byRPC[summary][rpc]++
		}
	}
	t.Logf("warnings by RPC: %v", byRPC)
	for summary, counts := range byRPC {
		if counts["ApplyResourceChange"] != 0 || counts["other"] != 0 {
			t.Errorf("%q returned by the apply too (%v): Terraform prints it a second time", summary, counts)
		}
	}
	for _, summary := range []string{"The certificate stays on the API connector", "The replaced certificate stays on the API connector"} {
		if byRPC[summary]["PlanResourceChange"] == 0 {
			t.Errorf("%q never returned by a plan", summary)
		}
	}
}
