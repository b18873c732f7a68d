package policy

import (
	"net/http"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/services/common/resourcetest"
)

// The policy always exists (DELETE restores the default), so a 404 on its read is an error that keeps the state,
// not a removal; either way the Read, from a state without identity (Terraform before 1.12), returns the identity.
// No terraform binary: it holds on every Terraform version.
func TestPolicyReadOn404KeepsItWithIdentity(t *testing.T) {
	c, emu := resourcetest.Client(t, graphemu.Options{})
	r := &policyResource{client: c}
	want := map[string]string{"id": graph.CBAPolicyID}

	resp := resourcetest.ReadWithNullIdentity(t, r, map[string]string{"id": "x509certificate"})
	if resp.Diagnostics.HasError() || resp.State.Raw.IsNull() {
		t.Fatalf("Read: %v, state %v", resp.Diagnostics, resp.State.Raw)
	}
	resourcetest.RequireIdentity(t, resp, want)

	emu.AddFault(graphemu.Fault{Method: http.MethodGet, Path: "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/*",
		Status: http.StatusNotFound, Count: 1})
	resp = resourcetest.ReadWithNullIdentity(t, r, map[string]string{"id": graph.CBAPolicyID})
	if !resp.Diagnostics.HasError() || resp.Diagnostics.Errors()[0].Summary() != "Cannot read the CBA policy" {
		t.Errorf("Read on a 404: %v, want the error Cannot read the CBA policy", resp.Diagnostics)
	}
	if resp.State.Raw.IsNull() {
		t.Error("Read on a 404 removed the policy, which always exists")
	}
	resourcetest.RequireIdentity(t, resp, want)
}
