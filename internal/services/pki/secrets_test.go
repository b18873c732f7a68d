package pki_test

// This test changes process-wide environment variables (t.Setenv), so it does not run in parallel.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	pkisvc "github.com/entracert/terraform-provider-entracert/internal/services/pki"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

const sasQuery = "sv=2024-11-04&sig=Zm9vYmFyU0VDUkVUc2lnbmF0dXJlMTIz"

// A SAS token in upload_url_wo reaches neither the state files, nor a saved plan, nor `terraform show -json`, nor
// the provider's TF_LOG=trace log, through an upload and a second apply.
func TestAccPKIUpload_writeOnlyURLKeepsTheSASOutOfStatePlanAndLogs(t *testing.T) {
	workDirs := t.TempDir()
	logFile := filepath.Join(t.TempDir(), "provider.log")
	t.Setenv("TF_ACC_TEMP_DIR", workDirs)
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_LOG_PATH", logFile)
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest sas")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b")) + "?" + sasQuery
	secret := "Zm9vYmFyU0VDUkVUc2lnbmF0dXJlMTIz"
	cfg := `
# ephemeral: Terraform keeps no input variable's value out of a saved plan otherwise (by design, not ours).
variable "url" {
  type      = string
  sensitive = true
  ephemeral = true
}
` + env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki_upload" "test" {
  pki_id           = %q
  upload_url_wo    = var.url
  sha256_file_hash = %q
}
`, pki.ID, testfixtures.ContosoSHA256)

	rawFilesClean := acctest.RawFilesClean(workDirs, testfixtures.ContosoRootThumbprint, map[string]string{"SAS signature": secret})
	vars := config.Variables{"url": config.StringVariable(url)}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg, ConfigVariables: vars,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{planClean{secret}}},
				ConfigStateChecks: []statecheck.StateCheck{stateClean{secret}},
				Check:             resource.ComposeTestCheckFunc(checkUploads(env, 1), rawFilesClean),
			},
			{
				Config: cfg + "\n# touched\n", ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{stateClean{secret}},
				Check:             rawFilesClean,
			},
		},
	})

	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("reading the provider log: %v", err)
	}
	log := string(b)
	if len(log) < 1000 || !strings.Contains(log, "Uploading the .p7b to the PKI") {
		t.Fatalf("the provider log (%d bytes) does not show the upload; log capture is not working", len(log))
	}
	if strings.Contains(log, secret) {
		t.Errorf("the provider log contains the SAS signature")
	}
}

// stateClean fails when `terraform show -json` of the state contains the secret.
type stateClean struct{ secret string }

func (c stateClean) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if !strings.Contains(string(b), testfixtures.ContosoRootThumbprint) {
		resp.Error = fmt.Errorf("the state does not hold the CA's thumbprint: not the state under test")
		return
	}
	if strings.Contains(string(b), c.secret) {
		resp.Error = fmt.Errorf("terraform show -json contains the SAS signature")
	}
}

// planClean fails when `terraform show -json` of the saved plan contains the secret.
type planClean struct{ secret string }

func (c planClean) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	b, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if !strings.Contains(string(b), testfixtures.ContosoRootThumbprint) {
		resp.Error = fmt.Errorf("the plan does not show the CA's thumbprint: not the plan under test")
		return
	}
	if strings.Contains(string(b), c.secret) {
		resp.Error = fmt.Errorf("the saved plan (show -json) contains the SAS signature")
	}
}
