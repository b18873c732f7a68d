package policy

import (
	"github.com/entracert/terraform-provider-entracert/internal/services/common"

	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// modifyPlan runs the resource's ModifyPlan (provider not configured, so no Graph reads) for a create of plan,
// or a destroy when plan is nil.
func modifyPlan(t *testing.T, plan *policyModel) diag.Diagnostics {
	t.Helper()
	ctx := t.Context()
	s := resourceSchema(ctx)
	null := tftypes.NewValue(s.Type().TerraformType(ctx), nil)
	noTimeouts, d := common.NullTimeouts(ctx, s)
	if d.HasError() {
		t.Fatal(d)
	}
	req := resource.ModifyPlanRequest{
		State:  tfsdk.State{Schema: s, Raw: null},
		Plan:   tfsdk.Plan{Schema: s, Raw: null},
		Config: tfsdk.Config{Schema: s, Raw: null},
	}
	if plan != nil {
		p := tfsdk.Plan{Schema: s, Raw: null}
		if d := p.Set(ctx, &policyResourceModel{policyModel: *plan, Timeouts: noTimeouts}); d.HasError() {
			t.Fatal(d)
		}
		req.Plan = p
		req.Config = tfsdk.Config{Schema: s, Raw: p.Raw}
	} else {
		st := tfsdk.State{Schema: s, Raw: null}
		m, _ := policyToModel(ctx, customPolicy())
		if d := st.Set(ctx, &policyResourceModel{policyModel: m, Timeouts: noTimeouts}); d.HasError() {
			t.Fatal(d)
		}
		req.State = st
	}
	resp := &resource.ModifyPlanResponse{Plan: req.Plan}
	(&policyResource{}).ModifyPlan(ctx, req, resp)
	return resp.Diagnostics
}

func planWithTargets(state string, ids ...string) *policyModel {
	ctx := context.Background()
	m, _ := policyToModel(ctx, customPolicy())
	m.State = types.StringValue(state)
	var elems []attr.Value
	for _, id := range ids {
		elems = append(elems, types.ObjectValueMust(includeTargetType.AttrTypes, map[string]attr.Value{
			"id": types.StringValue(id), "target_type": types.StringValue("group"), "is_registration_required": types.BoolValue(false)}))
	}
	m.IncludeTargets = types.SetValueMust(includeTargetType, elems)
	return &m
}

func TestModifyPlan_warnsWhenEnabledForAllUsers(t *testing.T) {
	d := modifyPlan(t, planWithTargets("enabled", "pilot", "all_users"))
	if d.HasError() || d.WarningsCount() != 1 || !strings.Contains(d.Warnings()[0].Detail(), "Don't include All users for CBA") {
		t.Errorf("diagnostics %v, want the all-users warning", d)
	}
	if d := modifyPlan(t, planWithTargets("disabled", "all_users")); d.WarningsCount() != 0 {
		t.Errorf("disabled policy warned: %v", d)
	}
	if d := modifyPlan(t, planWithTargets("enabled", "pilot")); d.WarningsCount() != 0 {
		t.Errorf("pilot-only policy warned: %v", d)
	}
}

func TestModifyPlan_destroyWarnsCBAGoesBackToDefaults(t *testing.T) {
	d := modifyPlan(t, nil)
	if d.HasError() || d.WarningsCount() != 1 || !strings.Contains(d.Warnings()[0].Detail(), "CBA disabled") {
		t.Errorf("diagnostics %v, want the destroy warning", d)
	}
}
