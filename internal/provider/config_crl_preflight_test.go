package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// skip_crl_preflight: default false, ENTRACERT_SKIP_CRL_PREFLIGHT as fallback, the attribute wins, a bad value names
// the variable.
func TestSkipCRLPreflightSetting(t *testing.T) {
	if s, _ := resolveSettings(providerModel{}, fakeEnviron(nil, nil)); s.SkipCRLPreflight {
		t.Error("skip_crl_preflight defaults to true, want false")
	}
	env := fakeEnviron(map[string]string{"ENTRACERT_SKIP_CRL_PREFLIGHT": "true"}, nil)
	if s, _ := resolveSettings(providerModel{}, env); !s.SkipCRLPreflight {
		t.Error("ENTRACERT_SKIP_CRL_PREFLIGHT=true ignored")
	}
	if s, _ := resolveSettings(providerModel{SkipCRLPreflight: types.BoolValue(false)}, env); s.SkipCRLPreflight {
		t.Error("the attribute does not win over the environment")
	}
	_, diags := resolveSettings(providerModel{}, fakeEnviron(map[string]string{"ENTRACERT_SKIP_CRL_PREFLIGHT": "sometimes"}, nil))
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), "ENTRACERT_SKIP_CRL_PREFLIGHT") {
		t.Errorf("want an error naming ENTRACERT_SKIP_CRL_PREFLIGHT, got %v", diags)
	}
}
