package pki

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// ModifyPlan plans the restore of a PKI deleted outside Terraform (Read kept it with deleted_date_time set): an
// in-place update that brings deleted_date_time back to null, with a warning that names the PKI.
func (r *pkiResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy: a deleted PKI needs nothing more
	}
	if req.State.Raw.IsNull() {
		r.warnNamesakes(ctx, req, resp)
		return
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

// warnNamesakes warns, when a plan creates a PKI, about PKIs that already have its display name: the provider never
// adopts a PKI by name (names are not unique), so bringing back a PKI removed from the state takes an import block,
// and a create beside a namesake is said out loud, never done silently.
func (r *pkiResource) warnNamesakes(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var name types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("display_name"), &name)...)
	if r.client == nil || r.client.Graph == nil || !known(name) {
		return
	}
	found, err := r.client.Graph.ListPKIs(ctx, name.ValueString())
	if err != nil || len(found) == 0 {
		return
	}
	ids := make([]string, 0, len(found))
	for _, p := range found {
		ids = append(ids, p.ID)
	}
	resp.Diagnostics.AddAttributeWarning(path.Root("display_name"), "A PKI with this display name exists already",
		fmt.Sprintf("Graph already has %d PKI(s) named %q: %s. This plan creates another one. If the configuration means "+
			"an existing PKI (for example one removed from the state), import it instead: an import block with "+
			"to = <this resource's address> and id = %q.", len(found), name.ValueString(), strings.Join(ids, ", "), ids[0]))
}
