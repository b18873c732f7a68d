package apiconnector_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

const (
	resourceType = "entracert_api_connector_client_certificate"
	resourceAddr = resourceType + ".test"
	uploadPath   = "/identity/apiConnectors/*/uploadClientCertificate"
)

// pfx describes the secret attributes of a test configuration.
type pfx struct {
	Value      string  // base64 PFX
	Password   *string // nil: no password attribute
	WriteOnly  bool    // pkcs12_value_wo/password_wo instead of pkcs12_value/password
	ExtraLines string  // more lines for the resource body (lifecycle, timeouts)
}

func ptr(s string) *string { return &s }

func fixturePFX(name string, password *string, writeOnly bool) pfx {
	return pfx{Value: testfixtures.Base64(name), Password: password, WriteOnly: writeOnly}
}

func (p pfx) body() string {
	suffix := ""
	if p.WriteOnly {
		suffix = "_wo"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  pkcs12_value%s = %q\n", suffix, p.Value)
	if p.Password != nil {
		fmt.Fprintf(&b, "  password%s = %q\n", suffix, *p.Password)
	}
	b.WriteString(p.ExtraLines)
	return b.String()
}

// certConfig is the provider block plus one certificate resource named "test".
func certConfig(env *acctest.Env, connectorID string, p pfx) string {
	return env.ProviderConfig() + fmt.Sprintf(`
resource %q "test" {
  api_connector_id = %q
%s}
`, resourceType, connectorID, p.body())
}

// checkUploads asserts how many uploadClientCertificate requests the emulator has handled. Live, Graph keeps no
// count of uploads, so the check is skipped there, and says so in the test log.
func checkUploads(t *testing.T, env *acctest.Env, want int) func(*terraform.State) error {
	return func(*terraform.State) error {
		if env.Emulator == nil {
			t.Logf("live Graph: not checking that uploadClientCertificate was called %d time(s) (Graph keeps no count)", want)
			return nil
		}
		if got := env.Emulator.Count("POST", uploadPath); got != want {
			return fmt.Errorf("uploadClientCertificate requests: got %d, want %d", got, want)
		}
		return nil
	}
}

// connectorThumbprints reads the connector's certificateList through the test's own Graph client.
func connectorThumbprints(t *testing.T, env *acctest.Env, connectorID string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	conn, err := env.Graph.GetAPIConnector(ctx, connectorID)
	if err != nil {
		t.Fatalf("reading connector %s: %v", connectorID, err)
	}
	var out []string
	for _, c := range conn.Certificates {
		out = append(out, c.Thumbprint)
	}
	sort.Strings(out)
	return out
}

// checkConnectorThumbprints asserts the connector's certificateList, entry by entry (duplicates included).
func checkConnectorThumbprints(t *testing.T, env *acctest.Env, connectorID string, want ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		got := connectorThumbprints(t, env, connectorID)
		w := append([]string(nil), want...)
		sort.Strings(w)
		if strings.Join(got, ",") != strings.Join(w, ",") {
			return fmt.Errorf("connector %s certificateList: got %v, want %v", connectorID, got, w)
		}
		return nil
	}
}

// uploadOutOfBand puts a certificate on the connector without Terraform.
func uploadOutOfBand(t *testing.T, env *acctest.Env, connectorID, fixture, password string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := env.Graph.UploadClientCertificate(ctx, connectorID, testfixtures.Base64(fixture), password); err != nil {
		t.Fatalf("uploading %s out of band: %v", fixture, err)
	}
	// Wait out any read-after-write lag so the test starts from a settled connector: on the shared fake clock
	// (the emulator's time) against the emulator, for real only against live Graph.
	clk := waitClock(env)
	deadline := clk.Now().Add(30 * time.Second)
	for clk.Now().Before(deadline) {
		if len(connectorThumbprints(t, env, connectorID)) > 0 {
			return
		}
		if err := clk.Sleep(ctx, 200*time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("the out-of-band upload to %s never showed up", connectorID)
}

// waitClock is the clock a test waits on: the shared fake clock against the emulator, the real one live.
func waitClock(env *acctest.Env) clock.Clock {
	if env.Clock != nil {
		return env.Clock
	}
	return clock.Real{}
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// b64File is a file of this package's testdata in standard base64.
func b64File(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// errorPattern matches a diagnostic as Terraform prints it, wrapped at any space: each space in pattern
// matches any run of whitespace, and " .* " skips anything, line breaks included.
func errorPattern(pattern string) *regexp.Regexp {
	pattern = strings.ReplaceAll(pattern, " .* ", `\s[\s\S]*\s`)
	return regexp.MustCompile(strings.ReplaceAll(pattern, " ", `\s+`))
}
