package pki_test

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
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

// batchPath is Graph's JSON batching endpoint.
const batchPath = "/$batch"

// Twelve CA resources on one PKI, applied by Terraform ten at a time: their creates share $batch requests, and the
// answer to the first $batch is lost. Each CA is created exactly once (the write-once protocol finds the CAs of the
// lost batch by reading, and sends none of them again), and the plan after the apply is empty.
//
// The provider's collection window is on the test's fake clock, where it passes at once; 300 ms of emulator
// latency (real time, as a network would add) is what lets Terraform's concurrent creates queue behind the round in
// flight, as they do against real Graph.
func TestAccCA_concurrentCreatesShareBatchesAndALostBatchCreatesNothingTwice(t *testing.T) {
	t.Parallel()
	const n = 12
	env := acctest.New(t, graphemu.Options{})
	pki := env.CreatePKI(t, "acctest joined creates")
	ders := testfixtures.NewCAs(t, n, 0)
	var cfg strings.Builder
	cfg.WriteString(env.ProviderConfig())
	for i, der := range ders {
		fmt.Fprintf(&cfg, `
resource "entracert_certificate_based_auth_certificate_authority" "ca%d" {
  pki_id      = %q
  certificate = %q
}
`, i, pki.ID, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	}
	var stateChecks []statecheck.StateCheck
	for i, der := range ders {
		stateChecks = append(stateChecks, statecheck.ExpectKnownValue(fmt.Sprintf("entracert_certificate_based_auth_certificate_authority.ca%d", i),
			tfjsonpath.New("thumbprint"), knownvalue.StringExact(pkcs.Thumbprint(der))))
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.Emulator.SetLatency(300 * time.Millisecond)
				env.Emulator.AddFault(graphemu.Fault{Method: http.MethodPost, Path: batchPath, DropAfterProcessing: true, Count: 1})
				env.Emulator.ResetJournal()
			},
			Config:            cfg.String(),
			ConfigStateChecks: stateChecks,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				defer env.Emulator.SetLatency(0) // the plans after the apply and the destroy need no latency
				creates, single, batches, lost := 0, 0, 0, 0
				for _, en := range env.Emulator.Journal() {
					switch {
					case en.Method == http.MethodPost && en.Path == batchPath:
						batches++
						if en.Status == 0 {
							lost++
						}
					case en.Method == http.MethodPost && strings.HasSuffix(en.Path, "/certificateAuthorities"):
						creates++
						if !en.InBatch {
							single++
						}
					}
				}
				t.Logf("%d CA creates in %d $batch requests (%d answer lost) and %d single POSTs", creates, batches, lost, single)
				if lost != 1 {
					return fmt.Errorf("%d $batch answers lost, want the 1 the fault drops", lost)
				}
				if creates != n {
					return fmt.Errorf("%d CA creates reached Graph for %d CAs, want each exactly once (none sent again after the lost answer)", creates, n)
				}
				// Ten at a time behind a round in flight: a few rounds, each one request.
				if batches == 0 || batches+single > n/2 {
					return fmt.Errorf("%d $batch requests and %d single POSTs for %d concurrent creates, want at least one $batch and at most %d requests",
						batches, single, n, n/2)
				}
				cas, err := env.Graph.ListCertificateAuthorities(t.Context(), pki.ID)
				if err != nil {
					return err
				}
				seen := map[string]int{}
				for _, ca := range cas {
					seen[strings.ToUpper(ca.Thumbprint)]++
				}
				for i, der := range ders {
					if c := seen[pkcs.Thumbprint(der)]; c != 1 {
						return fmt.Errorf("CA %d is in the PKI %d times, want once", i, c)
					}
				}
				if len(cas) != n {
					return fmt.Errorf("the PKI holds %d CAs, want %d", len(cas), n)
				}
				return nil
			},
		}},
	})
}
