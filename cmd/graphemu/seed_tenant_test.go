package main

import (
	"context"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// -seed-tenant serves the seeded tenant and prints one line per PKI, CA, connector and client certificate, whose
// facts match what the emulator then answers.
func TestRunSeedTenant(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var stdout, stderr lines
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-listen", "127.0.0.1:0", "-token", "T", "-seed-tenant", "-page-size", "1"}, &stdout, &stderr)
	}()
	single, _, pkis := facts(stdout.await(t, done, &stderr, func(out string) bool {
		_, connectors, _ := facts(out)
		return len(connectors) == 3
	}))
	if len(pkis) != 3 {
		t.Fatalf("printed PKIs %v, want 3", pkis)
	}
	var caLines, certLines []string
	for _, line := range strings.Split(stdout.String(), "\n") {
		switch {
		case strings.HasPrefix(line, "certificate_authority_id="):
			caLines = append(caLines, line)
		case strings.HasPrefix(line, "client_certificate_thumbprint="):
			certLines = append(certLines, line)
		}
	}
	if len(caLines) != 6 || len(certLines) != 3 {
		t.Fatalf("printed %d CAs and %d client certificates, want 6 and 3:\n%s", len(caLines), len(certLines), stdout.String())
	}
	endpoint := single["graph_endpoint"] + "/v1.0"
	status, list := call(t, "GET", endpoint+"/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/"+pkis[1][0]+"/certificateAuthorities", "T", nil)
	if status != 200 || len(testfixtures.As[[]any](t, list["value"])) != 1 || list["@odata.nextLink"] == nil {
		t.Errorf("CAs of %s: %d %v, want the first of 2 with a nextLink (-page-size 1)", pkis[1][1], status, list)
	}
	if !strings.Contains(caLines[4], "display_name=Fabrikam users (partner)") || !strings.Contains(caLines[4], "pki_id="+pkis[1][0]) {
		t.Errorf("the directly added CA's line: %s", caLines[4])
	}
	status, policy := call(t, "GET", endpoint+"/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/X509Certificate", "T", nil)
	if status != 200 || policy["state"] != "enabled" {
		t.Errorf("policy: %d %v, want the customised (enabled) one", status, policy)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	// -seed and -seed-tenant together are refused.
	err := run(t.Context(), []string{"-listen", "127.0.0.1:0", "-seed", "-seed-tenant", "-page-size", "1"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "give one of them") {
		t.Errorf("-seed -seed-tenant: %v, want a refusal", err)
	}
}
