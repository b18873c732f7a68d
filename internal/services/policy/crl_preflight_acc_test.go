package policy_test

import (
	"encoding/pem"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// crlHost serves CRLs on the emulator's address (the one loopback address downloads may reach), and counts requests
// per path.
type crlHost struct {
	URL   string
	mu    sync.Mutex
	files map[string][]byte
	hits  map[string]int
}

func newCRLHost(t *testing.T, env *acctest.Env) *crlHost {
	h := &crlHost{files: map[string][]byte{}, hits: map[string]int{}}
	h.URL = env.ServeHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.hits[r.URL.Path]++
		b, ok := h.files[r.URL.Path]
		h.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(b)
	}))
	return h
}

func (h *crlHost) put(path string, b []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.files[path] = b
}

func (h *crlHost) take(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := h.hits[path]
	h.hits[path] = 0
	return n
}

func expectDownloads(h *crlHost, path string, want func(int) bool, what string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if n := h.take(path); !want(n) {
			return fmt.Errorf("%d downloads of %s: want %s", n, path, what)
		}
		return nil
	}
}

func withProviderSetting(config, setting string) string {
	return strings.Replace(config, "provider \"entracert\" {\n", "provider \"entracert\" {\n  "+setting+"\n", 1)
}

// A policy with CRL validation over a CA whose CRL has expired plans with a warning (TestCRLPreflight checks its
// words; terraform-plugin-testing cannot see warnings) and applies: the plan downloaded the CRL. With the provider's
// skip_crl_preflight, the plan downloads nothing.
func TestAccCBAPolicy_crlPreflightDownloadsAndNeverBlocks(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	host := newCRLHost(t, env)
	now := time.Now().UTC()
	der, key := testfixtures.NewCAWithCRL(t, "Contoso Expired CRL CA", host.URL+"/expired.crl", now)
	host.put("/expired.crl", testfixtures.NewCRL(t, der, key, now.Add(-48*time.Hour), now.Add(-time.Hour), 9, 0))
	ca, err := pkcs.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	p, err := env.Graph.CreatePKI(acctest.MinuteContext(t), "Contoso CRL PKI")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Graph.CreateCertificateAuthority(acctest.MinuteContext(t), p.ID, graph.NewCertificateAuthority{
		Certificate: ca.DER, Thumbprint: ca.Thumbprint, ExpirationDateTime: ca.NotAfter, IsRoot: true,
	}); err != nil {
		t.Fatal(err)
	}
	enabled := hcl(env, `
  state          = "enabled"
  crl_validation = { state = "enabled" }
`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: enabled,
				Check:  expectDownloads(host, "/expired.crl", func(n int) bool { return n >= 1 }, "at least one (the pre-flight)"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("crl_validation").AtMapKey("state"), knownvalue.StringExact("enabled")),
				},
			},
			{
				// A change with the pre-flight turned off in the provider block: no download.
				Config: withProviderSetting(hcl(env, `
  state          = "disabled"
  crl_validation = { state = "enabled" }
`), "skip_crl_preflight = true"),
				Check: expectDownloads(host, "/expired.crl", func(n int) bool { return n == 0 }, "none with skip_crl_preflight"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("state"), knownvalue.StringExact("disabled")),
				},
			},
		},
	})
}

// A CA resource planned in the same run counts: its CRL (another CA's, here) is downloaded by the policy's plan, which
// depends on it, and the run applies.
func TestAccCBAPolicy_crlPreflightChecksCAsPlannedInTheRun(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	host := newCRLHost(t, env)
	now := time.Now().UTC()
	der, _ := testfixtures.NewCAWithCRL(t, "Contoso Planned CA", host.URL+"/planned.crl", now)
	otherDER, otherKey := testfixtures.NewCA(t, "Fabrikam CA", now, 0)
	host.put("/planned.crl", testfixtures.NewCRL(t, otherDER, otherKey, now.Add(-time.Hour), now.Add(24*time.Hour), 1, 0))
	p := env.CreatePKI(t, "Contoso planned PKI")
	config := hcl(env, `
  state          = "enabled"
  crl_validation = { state = "enabled" }
  depends_on     = [entracert_certificate_based_auth_certificate_authority.planned]
`) + fmt.Sprintf(`
resource "entracert_certificate_based_auth_certificate_authority" "planned" {
  pki_id      = %q
  certificate = %q
}
`, p.ID, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			Check:  expectDownloads(host, "/planned.crl", func(n int) bool { return n >= 1 }, "at least one (the pre-flight of the planned CA)"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(policyAddr, tfjsonpath.New("crl_validation").AtMapKey("state"), knownvalue.StringExact("enabled")),
			},
		}},
	})
}
