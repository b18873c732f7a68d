package apiconnector_test

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Issue 17: under a stream of 429s the upload is sent again after each Retry-After until timeouts.create runs out
// (it used to stop after 11 POSTs, about 11 s into a 30-minute timeout), and the diagnostic says what happened:
// the deadline, and how many attempts over how long. Nothing is uploaded.
func TestAccCertificate_throttledUploadUntilTimeoutsCreate(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-429-stream")
	env.Emulator.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPath, Status: http.StatusTooManyRequests,
		RetryAfter: "10", Probability: 1})
	p := fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true)
	p.ExtraLines = "  timeouts {\n    create = \"3m\"\n  }\n"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      certConfig(env, conn.ID, p),
			ExpectError: regexp.MustCompile(`(?s)throttled the upload of.*beyond the deadline \(3m0s\).*the last of\s+1[78]\s+attempts\s+over\s+2m[45]\ds`),
		}},
	})
	if got := env.Emulator.Count(http.MethodPost, uploadPath); got < 17 || got > 18 {
		t.Errorf("upload POSTs = %d, want 17 or 18 (one every 10 s until the 3-minute timeouts.create)", got)
	}
	if got := connectorThumbprints(t, env, conn.ID); len(got) != 0 {
		t.Errorf("certificates on the connector = %v, want none", got)
	}
}
