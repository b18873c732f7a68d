package acctest

import (
	"context"
	"fmt"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// QueryProviderBlock is the provider block alone, for the configuration of a Query step (a .tfquery.hcl file, which
// takes provider blocks but no terraform block).
func (e *Env) QueryProviderBlock() string { return e.providerBlock() }

// QueryConfig is a Query step's configuration: the provider block and the given list blocks.
func (e *Env) QueryConfig(listBlocks ...string) string {
	return e.providerBlock() + "\n" + strings.Join(listBlocks, "\n")
}

// SkipBelowQuery is the version check of every test of list resources: `terraform query` and list blocks exist from
// Terraform 1.14 on (OpenTofu 1.12 has neither), so such a test skips, saying so, on older CLIs.
var SkipBelowQuery = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}

// QueryTestCase is a test case of Query steps: it skips below Terraform 1.14 and first applies a configuration with
// only RequiredProviders, because a Query step reads the provider's source from the working directory's .tf files.
func (e *Env) QueryTestCase(steps ...resource.TestStep) resource.TestCase {
	return resource.TestCase{
		TerraformVersionChecks:   SkipBelowQuery,
		ProtoV6ProviderFactories: e.ProtoV6ProviderFactories,
		Steps:                    append([]resource.TestStep{{Config: RequiredProviders()}}, steps...),
	}
}

// JournalStatuses is a query check (emulator only) that the emulator answered the requests matching method and
// pathPattern (path.Match, * for one segment) since its journal was last reset with exactly these statuses, in order:
// how many requests a list took, and which were throttled or failed.
func (e *Env) JournalStatuses(method, pathPattern string, want []int) querycheck.QueryResultCheck {
	return journalStatuses{env: e, method: method, pattern: pathPattern, want: want}
}

type journalStatuses struct {
	env             *Env
	method, pattern string
	want            []int
}

func (j journalStatuses) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	var got []int
	for _, entry := range j.env.Emulator.Journal() {
		if ok, _ := path.Match(strings.ToLower(j.pattern), strings.ToLower(entry.Path)); ok && strings.EqualFold(entry.Method, j.method) {
			got = append(got, entry.Status)
		}
	}
	if !slices.Equal(got, j.want) {
		resp.Error = fmt.Errorf("the emulator answered %s %s with statuses %v, want %v", j.method, j.pattern, got, j.want)
	}
}

// SkipBelowQueryNow skips the test before it seeds anything when the CLI has no `terraform query` (below Terraform
// 1.14, or OpenTofu), with the reason tfversion.SkipBelow gives; QueryTestCase checks the same again. It saves the
// seeding of tests that would skip anyway (a hundred PKIs for a pagination test).
func SkipBelowQueryNow(t *testing.T) {
	t.Helper()
	if err := checkTerraform(); err != nil {
		t.Fatal(err)
	}
	v := (&CLI{bin: os.Getenv("TF_ACC_TERRAFORM_PATH")}).Version(t)
	if v[0] < 1 || v[0] == 1 && v[1] < 14 {
		t.Skipf("Terraform CLI version %d.%d.%d is below minimum version 1.14.0: skipping test (list resources and terraform query)", v[0], v[1], v[2])
	}
}
