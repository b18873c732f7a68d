package apiconnector

import (
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func onlyWarning(t *testing.T, diags diag.Diagnostics, summary string, details ...string) {
	t.Helper()
	if len(diags) != 1 || diags[0].Severity() != diag.SeverityWarning || diags[0].Summary() != summary {
		t.Fatalf("diagnostics %v, want one warning %q", diags, summary)
	}
	for _, d := range details {
		if !strings.Contains(diags[0].Detail(), d) {
			t.Errorf("warning detail %q lacks %q", diags[0].Detail(), d)
		}
	}
}

// Planning a certificate that is on the connector but not active (a rollback) warns, naming the active one.
func TestPlanWarnsOnRollback(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{})
	id := p.connector(t)
	r := &certificateResource{client: p.client}
	if _, _, err := ensureCertificate(testCtx(t), p.client, p.upload(id)); err != nil {
		t.Fatal(err)
	}
	if d := r.connectorChecks(testCtx(t), id, testfixtures.ClientThumbprint, attrPKCS12ValueWO); len(d) != 0 {
		t.Fatalf("warnings for the active certificate: %v", d)
	}
	if _, err := p.client.Graph.UploadClientCertificate(testCtx(t), id, testfixtures.Base64("client-ec.pfx"), testfixtures.Password); err != nil {
		t.Fatal(err)
	}
	onlyWarning(t, r.connectorChecks(testCtx(t), id, testfixtures.ClientThumbprint, attrPKCS12ValueWO),
		"The certificate is already on the API connector but is not active",
		testfixtures.ClientECThumbprint, "upload a newer certificate")
}

// Planning a certificate onto a basic-auth connector warns that it leaves basic authentication.
func TestPlanWarnsOnLeavingBasicAuthentication(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{})
	id := p.connector(t)
	r := &certificateResource{client: p.client}
	onlyWarning(t, r.connectorChecks(testCtx(t), id, testfixtures.ClientThumbprint, attrPKCS12ValueWO),
		"The API connector leaves basic authentication", "switches it to client certificate authentication")
	// Unconfigured (provider configuration unknown while planning): no look, no warning, no error.
	if d := (&certificateResource{}).connectorChecks(testCtx(t), id, testfixtures.ClientThumbprint, attrPKCS12ValueWO); len(d) != 0 {
		t.Errorf("unconfigured: %v", d)
	}
}

// terraform plan -destroy shows what destroying means for Graph, before anything is applied.
func TestPlanDestroyWarns(t *testing.T) {
	ctx := t.Context()
	r := &certificateResource{}
	var sresp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sresp)
	typ := sresp.Schema.Type().TerraformType(ctx)
	state := tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)}
	m := certificateModel{
		ID: types.StringValue("c1/" + testfixtures.ClientThumbprint), APIConnectorID: types.StringValue("c1"),
		Thumbprint: types.StringValue(testfixtures.ClientThumbprint),
	}
	m.Timeouts.Object = types.ObjectNull(map[string]attr.Type{"create": types.StringType, "read": types.StringType, "delete": types.StringType})
	if d := state.Set(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	req := resource.ModifyPlanRequest{
		State:  state,
		Plan:   tfsdk.Plan{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)},
		Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)},
	}
	resp := resource.ModifyPlanResponse{Plan: req.Plan}
	r.ModifyPlan(ctx, req, &resp)
	onlyWarning(t, resp.Diagnostics, "The certificate stays on the API connector", testfixtures.ClientThumbprint, "only removes it from the Terraform state")
}

// A connector Graph does not know fails the plan on api_connector_id, after looking again for
// graph.APIConnectorVisibleWindow; one that Graph's readers show only after a replica lag inside that window passes.
func TestConnectorChecksParentExists(t *testing.T) {
	p := newProtocolEnv(t, graphemu.Options{})
	r := &certificateResource{client: p.client}
	start := p.clk.Now()
	d := r.connectorChecks(testCtx(t), "d915cc77-0000-4000-8000-000000000001", testfixtures.ClientThumbprint, attrPKCS12ValueWO)
	if !d.HasError() || d[0].Summary() != "API connector not found" || !strings.Contains(d[0].Detail(), "Set api_connector_id to an existing connector's ID") {
		t.Fatalf("diagnostics %v, want API connector not found", d)
	}
	if waited := p.clk.Now().Sub(start); waited < graph.APIConnectorVisibleWindow {
		t.Errorf("believed the 404 after %s, want at least %s", waited, graph.APIConnectorVisibleWindow)
	}
	// The same with the PFX unknown at plan (no thumbprint yet).
	if d := r.connectorChecks(testCtx(t), "d915cc77-0000-4000-8000-000000000001", "", attrPKCS12ValueWO); !d.HasError() {
		t.Fatalf("unknown PFX: diagnostics %v, want API connector not found", d)
	}

	p.emu.SetReadAfterWriteLag(graph.APIConnectorVisibleWindow / 2)
	id := p.connector(t)
	onlyWarning(t, r.connectorChecks(testCtx(t), strings.ToUpper(id), testfixtures.ClientThumbprint, attrPKCS12ValueWO),
		"The API connector leaves basic authentication", id)
}
