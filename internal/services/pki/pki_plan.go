package pki

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ModifyPlan plans the restore of a PKI deleted outside Terraform (Read kept it with deleted_date_time set): an
// in-place update that brings deleted_date_time back to null, with a warning that names the PKI.
func (r *pkiResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return // destroy (a deleted PKI needs nothing more) or create
	}
	var plan, state pkiModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if state.DeletedDateTime.IsNull() || state.DeletedDateTime.IsUnknown() {
		if plan.DeletedDateTime.IsUnknown() {
			// An update (a rename) leaves a live PKI live.
			resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("deleted_date_time"), types.StringNull())...)
		}
		return
	}
	id := state.ID.ValueString()
	plan.DeletedDateTime = types.StringNull()
	plan.Status = types.StringUnknown()
	plan.StatusDetails = types.StringUnknown()
	plan.LastModifiedDateTime = types.StringUnknown()
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
	if r.client != nil {
		r.client.PKIsOfThisRun.Add(id)
	}
	resp.Diagnostics.AddAttributeWarning(path.Root("deleted_date_time"), "The PKI will be restored",
		fmt.Sprintf("PKI %q (%s) was deleted outside Terraform at %s and is still in Graph's deleted items. This apply "+
			"restores it: the same id, restored with its CAs and their settings, no new upload.",
			state.DisplayName.ValueString(), id, state.DeletedDateTime.ValueString()))
}
