package users

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The destroy plan warns that the user's list will be emptied, naming the user and the way to keep the values.
// (terraform-plugin-testing does not expose a plan's warnings, so this calls ModifyPlan as Terraform does.)
func TestModifyPlanWarnsBeforeDestroy(t *testing.T) {
	ctx := t.Context()
	r := &certificateUserIDsResource{}
	var sr resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &sr)
	state := tfsdk.State{Schema: sr.Schema}
	m := certificateUserIDsModel{
		ID: types.StringValue("6b2d3bd3-b078-4f46-ac53-f862f35e10b6"), UserID: types.StringValue("bob@contoso.com"),
		UserPrincipalName: types.StringValue("bob@contoso.com"), CertificateUserIDs: setOf([]string{"X509:<PN>bob@contoso.com"}),
	}
	m.Timeouts.Object = types.ObjectNull(timeoutsAttrTypes())
	if d := state.Set(ctx, &m); d.HasError() {
		t.Fatal(d)
	}
	plan := tfsdk.Plan{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
	resp := resource.ModifyPlanResponse{Plan: plan}
	r.ModifyPlan(ctx, resource.ModifyPlanRequest{State: state, Plan: plan}, &resp)
	if resp.Diagnostics.HasError() || resp.Diagnostics.WarningsCount() != 1 {
		t.Fatalf("diagnostics %v, want one warning", resp.Diagnostics)
	}
	w := resp.Diagnostics.Warnings()[0]
	for _, want := range []string{"will be emptied", "bob@contoso.com (6b2d3bd3-b078-4f46-ac53-f862f35e10b6)", "terraform state rm, or a removed block"} {
		if !strings.Contains(w.Summary()+" "+w.Detail(), want) {
			t.Errorf("warning %q: %q does not say %q", w.Summary(), w.Detail(), want)
		}
	}
}

func TestSameUser(t *testing.T) {
	const id, upn = "6b2d3bd3-b078-4f46-ac53-f862f35e10b6", "Bob@Contoso.com"
	for v, want := range map[string]bool{
		id: true, strings.ToUpper(id): true, "bob@contoso.com": true, upn: true,
		"alice@contoso.com": false, "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10": false,
	} {
		if got := sameUser(v, id, upn); got != want {
			t.Errorf("sameUser(%q) = %v, want %v", v, got, want)
		}
	}
}

func timeoutsAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{"create": types.StringType, "read": types.StringType, "update": types.StringType, "delete": types.StringType}
}
