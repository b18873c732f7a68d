package apiconnector_test

// These tests change process-wide environment variables (t.Setenv), so they do not run in parallel.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// With the write-only attributes, neither the PFX nor the password reaches the state file, its backup or a
// saved plan: checked on the raw files in Terraform's working directory and on `terraform show -json`.
func TestAccCertificate_writeOnlyKeepsSecretsOutOfState(t *testing.T) {
	workDirs := t.TempDir()
	t.Setenv("TF_ACC_TEMP_DIR", workDirs)
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-wo")
	pfxB64 := testfixtures.Base64("client-aes.pfx")
	secrets := map[string]string{"PFX": pfxB64, "password": testfixtures.Password}

	rawFilesClean := acctest.RawFilesClean(workDirs, testfixtures.ClientThumbprint, secrets)
	cfg := certConfig(env, conn.ID, pfx{Value: pfxB64, Password: ptr(testfixtures.Password), WriteOnly: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: rawFilesClean, ConfigStateChecks: []statecheck.StateCheck{showJSONClean{secrets}}},
			// A second apply (with a refresh and a backup of the first state) is clean too.
			{Config: cfg + "\n# touched\n", Check: rawFilesClean, ConfigStateChecks: []statecheck.StateCheck{showJSONClean{secrets}}},
		},
	})
}

// showJSONClean fails when `terraform show -json` of the state contains any of the secrets.
type showJSONClean struct{ secrets map[string]string }

func (c showJSONClean) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	b, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if !strings.Contains(string(b), testfixtures.ClientThumbprint) {
		resp.Error = fmt.Errorf("the state does not hold the certificate's thumbprint: not the state under test")
		return
	}
	for what, s := range c.secrets {
		if strings.Contains(string(b), s) {
			resp.Error = fmt.Errorf("terraform show -json contains the %s", what)
			return
		}
	}
}

var accessTokenAttr = regexp.MustCompile(`access_token\s*=\s*"([^"]+)"`)

// At TF_LOG=trace, the provider's log of an apply (upload included) holds neither the PFX, nor its password,
// nor the Graph access token. The secrets reach the provider through variables, which the test harness does not
// log, so anything found would have come from the provider.
func TestAccCertificate_logsKeepSecrets(t *testing.T) {
	logFile := filepath.Join(t.TempDir(), "provider.log")
	// TF_LOG + TF_LOG_PATH: terraform-plugin-log's test sink writes the in-process provider's tflog output (and the
	// harness's) there; terraform-exec strips both from the terraform CLI's environment, so its own log stays out.
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_LOG_PATH", logFile)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t) // the access token is the emulator's
	conn := env.CreateAPIConnector(t, "acctest-logs")

	providerBlock := env.ProviderConfig()
	m := accessTokenAttr.FindStringSubmatch(providerBlock)
	if m == nil {
		t.Fatalf("no access_token in the provider block:\n%s", providerBlock)
	}
	token := m[1]
	providerBlock = strings.Replace(providerBlock, m[0], "access_token = var.token", 1)
	pfxB64 := testfixtures.Base64("client-legacy-3des.pfx")
	cfg := `
variable "token" {
  type      = string
  sensitive = true
}
variable "pfx" {
  type      = string
  sensitive = true
}
variable "password" {
  type      = string
  sensitive = true
}
` + providerBlock + fmt.Sprintf(`
resource %q "test" {
  api_connector_id = %q
  pkcs12_value     = var.pfx
  password_wo      = var.password
}
`, resourceType, conn.ID)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigVariables: config.Variables{
				"token":    config.StringVariable(token),
				"pfx":      config.StringVariable(pfxB64),
				"password": config.StringVariable(testfixtures.Password),
			},
			Check: checkUploads(t, env, 1),
		}},
	})

	b, err := os.ReadFile(logFile)
	if err != nil {
		t.Fatalf("reading the provider log: %v", err)
	}
	log := string(b)
	t.Logf("provider log: %d bytes", len(log))
	if keep := os.Getenv("ENTRACERT_KEEP_TEST_LOG"); keep != "" {
		_ = os.WriteFile(keep, b, 0o600)
	}
	// Non-vacuous: the log is there, at trace level, and holds the provider's own upload record.
	if len(log) < 1000 || !strings.Contains(log, "uploading client certificate") || !strings.Contains(log, testfixtures.ClientThumbprint) {
		t.Fatalf("the provider log (%d bytes) does not show the upload; log capture is not working", len(log))
	}
	for what, s := range map[string]string{"PFX": pfxB64, "PFX prefix": pfxB64[:64], "password": testfixtures.Password, "access token": token} {
		if strings.Contains(log, s) {
			t.Errorf("the provider log contains the %s", what)
		}
	}
	if regexp.MustCompile(`(?i)bearer\s+[A-Za-z0-9._-]{8,}`).MatchString(log) {
		t.Errorf("the provider log contains a bearer token")
	}
}
