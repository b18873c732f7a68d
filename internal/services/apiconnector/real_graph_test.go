package apiconnector_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Behaviours of real Graph the emulator switches on: each test runs through real terraform on the shared fake clock.

// uploadJournal is the emulator's uploadClientCertificate requests.
func uploadJournal(env *acctest.Env) []graphemu.JournalEntry {
	var out []graphemu.JournalEntry
	for _, e := range env.Emulator.Journal() {
		if e.Method == http.MethodPost && strings.HasSuffix(e.Path, "/uploadClientCertificate") {
			out = append(out, e)
		}
	}
	return out
}

// Two 429s with Retry-After: 2 on uploadClientCertificate: one apply succeeds, each retry at least 2 s (emulator
// time) after its 429, and Graph accepts the certificate once.
func TestAccCertificate_throttledUploadRetriedAfterRetryAfter(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-throttled")
	env.Emulator.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPath, Status: http.StatusTooManyRequests, RetryAfter: "2", Count: 2})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true)),
			Check: resource.ComposeTestCheckFunc(
				checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
				func(*terraform.State) error {
					j := uploadJournal(env)
					if len(j) != 3 || j[0].Status != 429 || j[1].Status != 429 || j[2].Status != 200 {
						return fmt.Errorf("uploads %+v, want 429, 429, 200", j)
					}
					for i := 1; i < len(j); i++ {
						if gap := j[i].Time.Sub(j[i-1].Time); gap < 2*time.Second {
							return fmt.Errorf("upload %d came %s after its 429, want at least 2s", i+1, gap)
						}
					}
					return nil
				},
			),
		}},
	})
}

// B2C refuses AES (PBES2) PFX files; the provider uploads the same certificate re-encoded with TripleDES, so the
// apply succeeds with the user's AES file and the thumbprint is the file's.
func TestAccCertificate_aesPFXUnderPBES2Rejection(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{RejectPBES2: true})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-pbes2")
	cfg := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ClientThumbprint)),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkUploads(t, env, 1),
					checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
				),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
	// The switch is on: the same file sent as is gets B2C's answer.
	_, err := env.Graph.UploadClientCertificate(ctxFor(t), conn.ID, testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	if !graph.IsBadRequest(err) || !strings.Contains(err.Error(), graphemu.CodePBES2Rejected) {
		t.Errorf("the AES file itself: %v, want %s", err, graphemu.CodePBES2Rejected)
	}
}

// A basic-auth connector that refuses uploads ends on certificate authentication with the certificate.
func TestAccCertificate_basicAuthConnectorRefusingUploads(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{RefuseUploadsOnBasicAuth: true})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-basic-refuses")
	cfg := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
					func(*terraform.State) error {
						c, err := env.Graph.GetAPIConnector(ctxFor(t), conn.ID)
						if err != nil {
							return err
						}
						if c.AuthenticationType != graph.AuthenticationCertificate {
							return fmt.Errorf("authentication %q, want certificate", c.AuthenticationType)
						}
						if n := env.Emulator.Count(http.MethodPatch, "/identity/apiConnectors/*"); n != 1 {
							return fmt.Errorf("%d PATCHes, want the one switch", n)
						}
						return nil
					},
				),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// "Expires soon" is a warning and "expired" an error, driven by the shared fake clock instead of special fixtures:
// the same certificate planned 10 years later fails the plan before any upload.
func TestAccCertificate_expiryOnTheFakeClock(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-expiry-clock")
	env.Clock.Advance(11 * 365 * 24 * time.Hour)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true)),
			ExpectError: errorPattern(`Certificate has expired .* ` + testfixtures.ClientThumbprint),
		}},
	})
	if n := env.Emulator.Count(http.MethodPost, uploadPath); n != 0 {
		t.Errorf("%d uploads of an expired certificate", n)
	}
}

// graph_endpoint with user info fails while planning, on the attribute, without repeating the password; nothing
// reaches Graph.
func TestAccProvider_graphEndpointWithUserInfo(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	const secret = "Endpoint-Secret-9"
	withUser := strings.Replace(env.ProviderConfig(), "://", "://user:"+secret+"@", 1)
	if withUser == env.ProviderConfig() {
		t.Fatal("could not add user info to graph_endpoint")
	}
	cfg := withUser + fmt.Sprintf("resource %q \"test\" {\n  api_connector_id = \"c1\"\n%s}\n", resourceType,
		fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true).body())
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      cfg,
			PlanOnly:    true,
			ExpectError: errorPattern(`Invalid graph_endpoint .* user information`),
		}},
	})
	for _, e := range env.Emulator.Journal() {
		t.Errorf("request to Graph with a refused endpoint: %s %s", e.Method, e.Path)
	}
}
