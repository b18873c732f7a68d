package policy_test

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

const (
	policyAddr = "entracert_certificate_based_auth_policy.test"
	policyPath = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/X509Certificate"
	// The fixtures' CAs: the root has no CRL distribution point, the issuing CA has one.
	rootSKI         = "9514ECF8A48AB96C779523AC6689717E703627DF"
	intermediateSKI = "3DAB96BBDAC9E8D9959F2CCABD927CB4039589DB"
)

// errRe matches s in terraform's output, which wraps long lines anywhere a space was.
func errRe(s string) *regexp.Regexp {
	parts := strings.Fields(s)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(strings.Join(parts, `\s+`))
}

// seedTrustStore creates a PKI holding the fixture root CA (no CRL) and issuing CA (with a CRL), out of band.
func seedTrustStore(t *testing.T, env *acctest.Env) string {
	t.Helper()
	ctx := acctest.MinuteContext(t)
	p, err := env.Graph.CreatePKI(ctx, "Contoso PKI")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		root bool
	}{{"root-ca.pem", true}, {"intermediate-ca.pem", false}} {
		ca, err := pkcs.ParseCertificate(testfixtures.Bytes(f.name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := env.Graph.CreateCertificateAuthority(ctx, p.ID, graph.NewCertificateAuthority{
			Certificate: ca.DER, Thumbprint: ca.Thumbprint, ExpirationDateTime: ca.NotAfter, IsRoot: f.root,
		}); err != nil {
			t.Fatalf("adding %s: %v", f.name, err)
		}
	}
	return p.ID
}

// lastPatch is the emulator's last accepted PATCH body of the policy, decoded.
func lastPatch(env *acctest.Env) (map[string]any, error) {
	b := env.Emulator.LastCBAPolicyPatch()
	if b == nil {
		return nil, fmt.Errorf("no PATCH of the policy was accepted")
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("PATCH body %s: %w", b, err)
	}
	return m, nil
}

// checkPatch asserts the last PATCH body: @odata.type, the properties expected (as JSON), and the ones absent.
func checkPatch(env *acctest.Env, want map[string]string, absent ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		m, err := lastPatch(env)
		if err != nil {
			return err
		}
		if m["@odata.type"] != "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration" {
			return fmt.Errorf("PATCH @odata.type = %v", m["@odata.type"])
		}
		for k, w := range want {
			var wv any
			if err := json.Unmarshal([]byte(w), &wv); err != nil {
				return fmt.Errorf("bad expectation for %s: %w", k, err)
			}
			gb, _ := json.Marshal(m[k])
			wb, _ := json.Marshal(wv)
			if string(gb) != string(wb) {
				return fmt.Errorf("PATCH %s = %s, want %s", k, gb, wb)
			}
		}
		for _, k := range absent {
			if _, ok := m[k]; ok {
				return fmt.Errorf("PATCH sent %s, which the configuration leaves out or did not change", k)
			}
		}
		return nil
	}
}

// checkGraphDefault is CheckDestroy: the policy is back to Graph's default.
func checkGraphDefault(t *testing.T, env *acctest.Env) func(*terraform.State) error {
	return func(*terraform.State) error {
		p, err := env.Graph.GetCBAPolicy(acctest.MinuteContext(t))
		if err != nil {
			return err
		}
		if p.State != "disabled" || len(p.IncludeTargets) != 1 || p.IncludeTargets[0].ID != "all_users" || len(p.CertificateAuthorityScopes) != 0 ||
			p.IssuerHintsState != "disabled" || len(p.AuthenticationMode.Rules) != 0 {
			return fmt.Errorf("after destroy the policy is %+v, want the default", p)
		}
		return nil
	}
}

func patchCount(env *acctest.Env) int { return env.Emulator.Count("PATCH", policyPath) }

func hcl(env *acctest.Env, body string) string {
	return env.ProviderConfig() + "\nresource \"entracert_certificate_based_auth_policy\" \"test\" {\n" + strings.TrimSpace(body) + "\n}\n"
}
