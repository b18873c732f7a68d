package provider

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestPartnerIDDefaultsToTerraformsAndCanBeReplacedOrDisabled(t *testing.T) {
	const custom = "11111111-2222-3333-4444-555555555555"
	cases := []struct {
		name string
		m    providerModel
		vars map[string]string
		want string
	}{
		{"default", providerModel{}, nil, terraformPartnerID},
		{"ARM_PARTNER_ID", providerModel{}, map[string]string{"ARM_PARTNER_ID": custom}, custom},
		{"partner_id wins", providerModel{PartnerID: types.StringValue(custom)}, map[string]string{"ARM_PARTNER_ID": "66666666-2222-3333-4444-555555555555"}, custom},
		{"disabled", providerModel{}, map[string]string{"ARM_DISABLE_TERRAFORM_PARTNER_ID": "true"}, ""},
		{"disabled but own partner ID", providerModel{PartnerID: types.StringValue(custom), DisableTerraformPartnerID: types.BoolValue(true)}, nil, custom},
		{"attribute re-enables", providerModel{DisableTerraformPartnerID: types.BoolValue(false)}, map[string]string{"ARM_DISABLE_TERRAFORM_PARTNER_ID": "true"}, terraformPartnerID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, diags := resolveSettings(c.m, fakeEnviron(c.vars, nil))
			if diags.HasError() {
				t.Fatal(diags)
			}
			if s.PartnerID != c.want {
				t.Errorf("partner ID %q, want %q", s.PartnerID, c.want)
			}
		})
	}

	for _, bad := range []string{"not-a-guid", "pid-11111111-2222-3333-4444-555555555555", "11111111222233334444555555555555"} {
		_, diags := resolveSettings(providerModel{}, fakeEnviron(map[string]string{"ARM_PARTNER_ID": bad}, nil))
		if !diags.HasError() || diags.Errors()[0].Summary() != "Invalid partner_id" || !strings.Contains(diags.Errors()[0].Detail(), "not a GUID") {
			t.Errorf("%q: want an error naming partner_id, got %v", bad, diags)
		}
	}
	_, diags := resolveSettings(providerModel{}, fakeEnviron(map[string]string{"ARM_DISABLE_TERRAFORM_PARTNER_ID": "nope"}, nil))
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "ARM_DISABLE_TERRAFORM_PARTNER_ID") {
		t.Errorf("bad boolean: %v", diags)
	}
}

func TestUserAgentCarriesThePartnerID(t *testing.T) {
	env := func(vars map[string]string) func(string) string { return func(k string) string { return vars[k] } }
	if got := userAgent("1.2.3", terraformPartnerID, env(nil)); got != "terraform-provider-entracert/1.2.3 pid-222c6c49-1b0a-5959-a213-6608f9eb8820" {
		t.Errorf("default: %q", got)
	}
	if got := userAgent("1.2.3", "", env(nil)); got != "terraform-provider-entracert/1.2.3" {
		t.Errorf("disabled: %q", got)
	}
	if got := userAgent("1.2.3", terraformPartnerID, env(map[string]string{"AZURE_HTTP_USER_AGENT": "cloud-shell/1.0"})); got != "terraform-provider-entracert/1.2.3 cloud-shell/1.0 pid-"+terraformPartnerID {
		t.Errorf("Cloud Shell: %q", got)
	}
}

// The User-Agent reaches Graph: a provider configured from the environment calls a Graph on loopback.
func TestPartnerIDReachesGraph(t *testing.T) {
	var mu sync.Mutex
	var agents []string
	graphSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents = append(agents, r.Header.Get("User-Agent"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":{"code":"Request_ResourceNotFound","message":"not found"}}`))
	}))
	defer graphSrv.Close()
	const custom = "11111111-2222-3333-4444-555555555555"
	s, diags := resolveSettings(providerModel{}, fakeEnviron(map[string]string{
		"ARM_ACCESS_TOKEN": "t", "ARM_GRAPH_ENDPOINT": graphSrv.URL, "ARM_PARTNER_ID": custom,
	}, nil))
	if diags.HasError() {
		t.Fatal(diags)
	}
	c, diags := newClient(t.Context(), s, "test", clock.Real{})
	if diags.HasError() {
		t.Fatal(diags)
	}
	_, _ = c.Graph.GetPKI(t.Context(), "00000000-0000-0000-0000-000000000000")
	mu.Lock()
	defer mu.Unlock()
	if len(agents) == 0 {
		t.Fatal("Graph was not called")
	}
	for _, ua := range agents {
		if !strings.HasSuffix(ua, "pid-"+custom) || strings.Contains(ua, terraformPartnerID) {
			t.Errorf("User-Agent %q, want one partner ID, %s", ua, custom)
		}
	}
}
