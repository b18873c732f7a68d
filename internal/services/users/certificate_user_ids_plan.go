package users

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// ModifyPlan warns before a destroy empties the user's list; for a create it checks that the user exists and says
// which values already on the user the apply removes; for a create or an update it looks up who holds each value
// added, so a value another user holds fails the plan instead of the apply.
func (r *certificateUserIDsResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		var state certificateUserIDsModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		resp.Diagnostics.AddWarning("The user's certificate user IDs will be emptied",
			fmt.Sprintf("Destroying entracert_user_certificate_user_ids empties the certificateUserIds of user %s (%s): certificate-based "+
				"authentication can then no longer match this user's certificates through certificateUserIds bindings. To stop "+
				"managing the list and keep its values, remove the resource from the state instead (terraform state rm, or a "+
				"removed block).", state.UserPrincipalName.ValueString(), state.ID.ValueString()))
		return
	}
	if r.client == nil {
		return // not configured yet: the checks run at the next plan
	}
	var plan certificateUserIDsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.Equal(req.State.Raw) {
		// Nothing changes, but the list still counts: another resource may declare a different one for this user.
		r.declareList(plan.ID.ValueString(), plan.UserPrincipalName.ValueString(), plan.CertificateUserIDs, &resp.Diagnostics)
		return
	}
	var have []string
	var user *graph.User
	if req.State.Raw.IsNull() {
		if plan.UserID.IsUnknown() {
			return
		}
		u, err := r.client.Graph.GetUser(ctx, plan.UserID.ValueString())
		if graph.IsNotFound(err) && r.client.GoneParents.Marked(goneUserMark(plan.UserID.ValueString())) {
			resp.Diagnostics.AddAttributeWarning(path.Root("user_id"), "User not found",
				fmt.Sprintf("The user %s was deleted outside Terraform, so this plan creates the resource again, and the apply "+
					"fails until user_id names an existing user. Remove the resource from the configuration, or point user_id at "+
					"another user.", quoteShort(plan.UserID.ValueString())))
			return
		}
		if graph.IsNotFound(err) {
			resp.Diagnostics.AddAttributeError(path.Root("user_id"), "User not found",
				fmt.Sprintf("Graph has no user %s (%v). Set user_id to an existing user's object ID or user principal name.",
					quoteShort(plan.UserID.ValueString()), err))
			return
		}
		if err != nil {
			resp.Diagnostics.Append(readError(fmt.Sprintf("Reading user %s to plan its certificateUserIds", plan.UserID.ValueString()), err))
			return
		}
		user, have = u, u.CertificateUserIDs
		plan.ID = types.StringValue(normalID(u.ID))
		plan.UserPrincipalName = types.StringValue(u.UserPrincipalName)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), plan.ID)...)
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("user_principal_name"), plan.UserPrincipalName)...)
	} else {
		var state certificateUserIDsModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		user = &graph.User{ID: state.ID.ValueString(), UserPrincipalName: state.UserPrincipalName.ValueString()}
		have = stringsOf(ctx, state.CertificateUserIDs, &resp.Diagnostics)
	}
	if plan.CertificateUserIDs.IsUnknown() {
		return // the values are checked when they are known
	}
	// A replacement by another user is planned again with no prior state: that plan declares the new user's list.
	replacing := !req.State.Raw.IsNull() && resp.RequiresReplace.Contains(path.Root("user_id"))
	if !replacing && !r.declareList(user.ID, user.UserPrincipalName, plan.CertificateUserIDs, &resp.Diagnostics) {
		return
	}
	want := knownStrings(plan.CertificateUserIDs)
	if req.State.Raw.IsNull() && len(want) == len(plan.CertificateUserIDs.Elements()) {
		if removed := missingFrom(have, want); len(removed) > 0 {
			resp.Diagnostics.AddAttributeWarning(path.Root("certificate_user_ids"), "Values already on the user will be removed",
				fmt.Sprintf("User %s (%s) already holds certificateUserIds that the configuration does not list: %s. This resource owns "+
					"the whole list, so the apply removes them; add them to certificate_user_ids to keep them.",
					user.UserPrincipalName, user.ID, quoteAll(removed)))
		}
	}
	for _, v := range missingFrom(want, have) {
		others, err := r.client.Graph.FindUsersByCertificateUserID(ctx, v)
		if err != nil {
			// The look-up is an advanced query; when it fails the apply still reports a conflict.
			tflog.Debug(ctx, "Could not look up who holds a certificate user ID", map[string]any{"error": err.Error()})
			continue
		}
		for _, o := range others {
			if !strings.EqualFold(o.ID, user.ID) {
				resp.Diagnostics.AddAttributeError(path.Root("certificate_user_ids"), "A certificate user ID is already held by another user",
					fmt.Sprintf("certificate_user_ids: %q is held by user %s (%s). Each value must be unique in the tenant: remove it "+
						"from that user first, or from this configuration.", v, o.UserPrincipalName, o.ID))
				break
			}
		}
	}
}

// declareList declares values as the list of user (its object ID and UPN, for the diagnostic) for this command
// (userDeclarations). It reports false, with an error on user_id, when another resource declared a different list for
// the same user. A list with unknown values is not declared: it is checked when it is known.
func (r *certificateUserIDsResource) declareList(userID, upn string, values types.Set, diags *diag.Diagnostics) bool {
	if values.IsUnknown() || values.IsNull() {
		return true
	}
	list := knownStrings(values)
	if len(list) != len(values.Elements()) {
		return true
	}
	other, ok := declarationsOf(r.client).declare(userID, list)
	if ok {
		return true
	}
	diags.AddAttributeError(path.Root("user_id"), "Two resources manage one user's certificate user IDs",
		fmt.Sprintf("Another entracert_user_certificate_user_ids resource in this configuration manages user %s (%s), with "+
			"certificate_user_ids %s; this one lists %s. Each resource owns the user's whole certificateUserIds list, so the "+
			"two would overwrite each other at every apply. Keep one resource per user, listing every value, and take the "+
			"other out of the configuration with a removed block (lifecycle { destroy = false }), so that its destroy does not "+
			"empty the user's list.", upn, userID, listOrNone(other), listOrNone(list)))
	return false
}

// listOrNone quotes a list of values, or says it is empty.
func listOrNone(vs []string) string {
	if len(vs) == 0 {
		return "[] (empty)"
	}
	sorted := slices.Clone(vs)
	slices.Sort(sorted)
	return "[" + quoteAll(sorted) + "]"
}

// knownStrings are the set's known values.
func knownStrings(s types.Set) []string {
	var out []string
	for _, e := range s.Elements() {
		if v, ok := e.(types.String); ok && !v.IsNull() && !v.IsUnknown() {
			out = append(out, v.ValueString())
		}
	}
	return out
}

// missingFrom lists the values of a not in b.
func missingFrom(a, b []string) []string {
	in := map[string]bool{}
	for _, v := range b {
		in[v] = true
	}
	var out []string
	for _, v := range a {
		if !in[v] {
			out = append(out, v)
		}
	}
	return out
}

func quoteAll(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

// ImportState imports by object ID (any letter case) or user principal name (`terraform import`, an import block's
// id), or by identity (the object ID). A UPN is resolved to the object ID; user_id keeps the form of the import ID
// (the lower-case object ID from an identity), so a configuration naming the user the same way plans no change.
func (r *certificateUserIDsResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	form, fromIdentity := userImportID, req.ID == "" && req.Identity != nil && !req.Identity.Raw.IsNull()
	if fromIdentity {
		form = userIdentityImportID
	}
	parts, ok := form.FromRequest(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	userID := parts[0]
	id, isGUID := objectID(userID)
	if !isGUID {
		if !clients.Require(r.client, &resp.Diagnostics) {
			return
		}
		u, err := r.client.Graph.GetUser(ctx, userID)
		if graph.IsNotFound(err) {
			resp.Diagnostics.AddError("Cannot import the user's certificate user IDs",
				fmt.Sprintf("Graph has no user with user principal name %s (%v). %s", quoteShort(userID), err, userImportID.Form))
			return
		}
		if err != nil {
			resp.Diagnostics.Append(readError("Resolving the user principal name "+quoteShort(userID), err))
			return
		}
		id = normalID(u.ID)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	// user_id as imported: the object ID (lower case) from an identity or a GUID import ID, else the UPN as typed.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("user_id"), userIDAsImported(req.ID, userID, fromIdentity))...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, userIdentityOf(id))...)
}

// userIDAsImported keeps user_id in the form of the import ID (a GUID in the letter case typed, a UPN), or the
// normalised object ID after an import by identity.
func userIDAsImported(raw, normal string, fromIdentity bool) string {
	if fromIdentity {
		return normal
	}
	return raw
}
