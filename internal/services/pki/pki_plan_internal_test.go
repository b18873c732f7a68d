package pki

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func pkiPlanEnv(t *testing.T) (*pkiResource, *graph.Client) {
	t.Helper()
	clk := clock.NewFake(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
	emu := graphemu.New(graphemu.Options{Token: "t", Clock: clk})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	g, err := graph.New(graph.Options{Endpoint: srv.URL, Credential: graph.StaticToken("t"), Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	return &pkiResource{client: &clients.Client{Graph: g, Clock: clk, Locks: &clients.KeyedMutex{}}}, g
}

// pkiValue is a state or plan of the PKI resource with the given attributes (the others null).
func pkiValue(t *testing.T, r *pkiResource, attrs map[string]string) (tfsdk.State, tfsdk.Plan) {
	t.Helper()
	ctx := t.Context()
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx)
	s := tfsdk.State{Schema: sr.Schema, Raw: tftypes.NewValue(typ, nil)}
	if attrs == nil {
		return s, tfsdk.Plan{Schema: sr.Schema, Raw: s.Raw}
	}
	for k, v := range attrs {
		if diags := s.SetAttribute(ctx, path.Root(k), types.StringValue(v)); diags.HasError() {
			t.Fatal(diags)
		}
	}
	return s, tfsdk.Plan{Schema: sr.Schema, Raw: s.Raw}
}

// The restore plan: deleted_date_time back to null, the PKI recorded as restored in this run, and a warning naming
// the PKI that says what the apply does.
func TestModifyPlanOfADeletedPKIWarnsOfTheRestore(t *testing.T) {
	r, _ := pkiPlanEnv(t)
	id := "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"
	state, plan := pkiValue(t, r, map[string]string{"id": id, "display_name": "Contoso PKI", "deleted_date_time": "2027-01-01T00:00:00Z"})
	resp := resource.ModifyPlanResponse{Plan: plan}
	r.ModifyPlan(t.Context(), resource.ModifyPlanRequest{State: state, Plan: plan}, &resp)
	if resp.Diagnostics.HasError() || len(resp.Diagnostics) != 1 {
		t.Fatalf("diagnostics %v, want one warning", resp.Diagnostics)
	}
	d := resp.Diagnostics[0]
	for _, want := range []string{`"Contoso PKI"`, id, "restored with its CAs", "no new upload"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("warning %q: %q does not say %q", d.Summary(), d.Detail(), want)
		}
	}
	var got types.String
	resp.Plan.GetAttribute(t.Context(), path.Root("deleted_date_time"), &got)
	if !got.IsNull() {
		t.Errorf("planned deleted_date_time %v, want null", got)
	}
	if !r.client.PKIsOfThisRun.Has(strings.ToUpper(id)) {
		t.Error("the PKI to restore is not recorded for the resources under it")
	}
}

// A create beside a PKI of the same display name warns, naming it and the import block; none without a namesake.
func TestModifyPlanOfACreateWarnsOfNamesakes(t *testing.T) {
	r, g := pkiPlanEnv(t)
	other, err := g.CreatePKI(t.Context(), "Contoso PKI")
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"Contoso PKI": other.ID, "Fabrikam PKI": ""} {
		state, _ := pkiValue(t, r, nil)
		_, plan := pkiValue(t, r, map[string]string{"display_name": name})
		resp := resource.ModifyPlanResponse{Plan: plan}
		r.ModifyPlan(t.Context(), resource.ModifyPlanRequest{State: state, Plan: plan}, &resp)
		switch {
		case want == "" && len(resp.Diagnostics) != 0:
			t.Errorf("%s: diagnostics %v, want none", name, resp.Diagnostics)
		case want != "" && (len(resp.Diagnostics) != 1 || resp.Diagnostics.HasError() ||
			!strings.Contains(resp.Diagnostics[0].Detail(), want) || !strings.Contains(resp.Diagnostics[0].Detail(), "import")):
			t.Errorf("%s: diagnostics %v, want one warning naming %s and the import", name, resp.Diagnostics, want)
		}
	}
}
