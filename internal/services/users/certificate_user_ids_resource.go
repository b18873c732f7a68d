package users

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// The timeouts' defaults, said in the schema's descriptions.
const (
	defaultWriteTimeout = 5 * time.Minute
	defaultReadTimeout  = 2 * time.Minute
)

var (
	_ resource.ResourceWithConfigure   = (*certificateUserIDsResource)(nil)
	_ resource.ResourceWithImportState = (*certificateUserIDsResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*certificateUserIDsResource)(nil)
)

// NewCertificateUserIDsResource is entracert_user_certificate_user_ids.
func NewCertificateUserIDsResource() resource.Resource { return &certificateUserIDsResource{} }

type certificateUserIDsResource struct {
	client *clients.Client
}

type certificateUserIDsModel struct {
	ID                 types.String   `tfsdk:"id"`
	UserID             types.String   `tfsdk:"user_id"`
	UserPrincipalName  types.String   `tfsdk:"user_principal_name"`
	CertificateUserIDs types.Set      `tfsdk:"certificate_user_ids"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
}

func (r *certificateUserIDsResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_user_certificate_user_ids"
}

func (r *certificateUserIDsResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `certificateUserIds` of one Entra user (`authorizationInfo.certificateUserIds`): the values " +
			"the CBA policy's username bindings match a user certificate against (SKI, SHA1-PUKEY, issuer and serial number, " +
			"and the rest). This resource owns the user's **whole** list: values set elsewhere (the portal, a script) show " +
			"as drift and the next apply removes them. Declare each user in one resource: a second resource giving the same user " +
			"a different list fails the plan, naming both lists.\n\n" +
			"Every value is checked at plan time against Entra's table of formats, with the exact letter case of the " +
			"`X509:<…>` prefixes, at most 10 values of at most 1024 characters each; an error names the value and the form " +
			"expected. The `provider::entracert::certificate_user_ids` function builds the values from a user certificate " +
			"in these forms. Each value must be unique in the tenant: a value another user holds fails the apply, naming " +
			"the value and the user holding it, and changes nothing.\n\n" +
			"Destroying the resource empties the user's list (the plan warns): the user can no longer sign in with a " +
			"certificate bound through certificateUserIds. To stop managing the list without emptying it, remove the " +
			"resource from the state instead (`terraform state rm`, or a `removed` block). When the user is deleted outside " +
			"Terraform, the resource leaves the state and the next plan creates it again.\n\n" +
			"Needs the Microsoft Graph permission `User.ReadUpdate.All` (or `User.ReadWrite.All`) and at least the " +
			"Privileged Authentication Administrator role; synchronized users' values can only come from on-premises " +
			"through Microsoft Entra Connect.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The user's object ID (lower case).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The user: its object ID (a GUID) or user principal name (`bob@contoso.com`). Changing it " +
					"to another user replaces the resource (the old user's list is emptied); changing it between the same " +
					"user's object ID and UPN, or its letter case, changes nothing in Entra (the plan shows an in-place update " +
					"of user_id alone). An import by identity sets it to the object ID.",
				Required:   true,
				Validators: []validator.String{userIDValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(replaceUnlessSameUser,
					"Replaced when user_id names another user.", "Replaced when `user_id` names another user.")},
			},
			"user_principal_name": schema.StringAttribute{
				MarkdownDescription: "The user's principal name, as Graph holds it.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"certificate_user_ids": schema.SetAttribute{
				MarkdownDescription: "The user's certificateUserIds, all of them: at most 10, each at most 1024 characters, in " +
					"one of Entra's forms, with the prefix in this exact letter case: `X509:<PN>{UPN}`, `X509:<RFC822>{e-mail}`, " +
					"`X509:<I>{issuer DN}<S>{subject DN}`, `X509:<S>{subject DN}`, `X509:<SKI>{hex}`, " +
					"`X509:<SHA1-PUKEY>{SHA-1 thumbprint, 40 hex digits}` or `X509:<I>{issuer DN}<SR>{serial number in hex}`. " +
					"An empty set removes every value.",
				Required:    true,
				ElementType: types.StringType,
				Validators:  []validator.Set{certificateUserIDsValidator{}},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "How long setting the values may take, including waiting for reads to show them (default 5m).",
				ReadDescription:   "How long reading the user may take (default 2m).",
				UpdateDescription: "How long changing the values may take, including waiting for reads to show them (default 5m).",
				DeleteDescription: "How long emptying the list may take (default 5m).",
			}),
		},
	}
}

func (r *certificateUserIDsResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

// replaceUnlessSameUser: a new user_id that names the same user (its object ID in another letter case, or its UPN
// instead of its ID) changes only the state.
func replaceUnlessSameUser(ctx context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	if req.PlanValue.IsUnknown() {
		resp.RequiresReplace = true
		return
	}
	var id, upn types.String
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("user_principal_name"), &upn)...)
	resp.RequiresReplace = !sameUser(req.PlanValue.ValueString(), id.ValueString(), upn.ValueString())
}

func stringsOf(ctx context.Context, s types.Set, diags *diag.Diagnostics) []string {
	var out []string
	diags.Append(s.ElementsAs(ctx, &out, false)...)
	sort.Strings(out)
	if out == nil {
		out = []string{}
	}
	return out
}

func setOf(values []string) types.Set {
	elems := make([]string, len(values))
	copy(elems, values)
	sort.Strings(elems)
	v, _ := types.SetValueFrom(context.Background(), types.StringType, elems)
	return v
}

// write makes the user's list exactly values, after reading it (nothing is sent when it already is), serialised
// per user within the run.
// found is false when the user does not exist (diags then say so, on user_id). op (common.Begin) bounds the wait for
// reads to show the new values.
func (r *certificateUserIDsResource) write(ctx context.Context, userID string, values []string, op common.Operation) (u *graph.User, found bool, diags diag.Diagnostics) {
	// Values unknown at plan time were not checked then: check them before anything is sent.
	for _, p := range pkcs.CheckCertificateUserIDs(values) {
		diags.AddAttributeError(path.Root("certificate_user_ids"), "Invalid certificate user ID", "certificate_user_ids: "+p.Problem)
	}
	if diags.HasError() {
		return nil, true, diags
	}
	g := r.client.Graph
	u, err := g.GetUser(ctx, userID)
	if graph.IsNotFound(err) {
		diags.AddAttributeError(path.Root("user_id"), "User not found",
			fmt.Sprintf("Graph has no user %s (%v). Set user_id to an existing user's object ID or user principal name.", quoteShort(userID), err))
		return nil, false, diags
	}
	if err != nil {
		diags.Append(readError(fmt.Sprintf("Reading user %s before setting its certificateUserIds", userID), err))
		return nil, true, diags
	}
	unlock, err := r.client.Locks.Lock(ctx, "user:"+u.ID)
	if err != nil {
		diags.AddError("Cannot set the user's certificate user IDs", "Stopped while waiting for another change to the same user in this run: "+err.Error())
		return nil, true, diags
	}
	defer unlock()
	if graph.SameCertificateUserIDs(u.CertificateUserIDs, values) {
		return u, true, diags
	}
	ctx = tflog.SetField(ctx, "user_id", u.ID)
	got, err := g.SetCertificateUserIDs(ctx, u.ID, values, op.Deadline)
	if err != nil {
		diags.Append(writeError(ctx, g, u, values, op.Timeout, err))
		return nil, true, diags
	}
	return got, true, diags
}

func (r *certificateUserIDsResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan certificateUserIDsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Create, defaultWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	values := stringsOf(ctx, plan.CertificateUserIDs, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	u, _, diags := r.write(ctx, plan.UserID.ValueString(), values, op)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(normalID(u.ID))
	plan.UserPrincipalName = types.StringValue(u.UserPrincipalName)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, userIdentityOf(plan.ID.ValueString()))...)
}

func (r *certificateUserIDsResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state certificateUserIDsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Before anything else: the framework wants an identity even with the resource removed from state.
	want := userIdentityOf(state.ID.ValueString())
	resp.Diagnostics.Append(common.ReadIdentity(ctx, req.Identity, resp.Identity, want, want.sameAs)...)
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Read, defaultReadTimeout)
	if !ok {
		return
	}
	defer op.End()
	u, err := r.client.Graph.GetUser(ctx, state.ID.ValueString())
	if graph.IsNotFound(err) {
		tflog.Warn(ctx, "User no longer exists; removing its certificate user IDs from the state", map[string]any{"user_id": state.ID.ValueString()})
		resp.Diagnostics.AddWarning("The user no longer exists",
			fmt.Sprintf("Graph has no user %s (%s): it was deleted outside Terraform, and its certificateUserIds went with it. "+
				"The resource is removed from the state; the next plan creates it again, which fails until user_id names an "+
				"existing user.", state.ID.ValueString(), state.UserPrincipalName.ValueString()))
		// The plan that follows in this run recreates it: it must warn, not fail, on the missing user (see ModifyPlan).
		for _, k := range []string{state.ID.ValueString(), state.UserPrincipalName.ValueString(), state.UserID.ValueString()} {
			r.client.GoneParents.Mark(goneUserMark(k))
		}
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(readError(fmt.Sprintf("Reading user %s", state.ID.ValueString()), err))
		return
	}
	state.ID = types.StringValue(normalID(u.ID))
	state.UserPrincipalName = types.StringValue(u.UserPrincipalName)
	state.CertificateUserIDs = setOf(u.CertificateUserIDs)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *certificateUserIDsResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state certificateUserIDsModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Update, defaultWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	values := stringsOf(ctx, plan.CertificateUserIDs, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	// user_id names the same user (else the plan replaces the resource): write by the object ID in the state.
	u, _, diags := r.write(ctx, state.ID.ValueString(), values, op)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.ID = types.StringValue(normalID(u.ID))
	plan.UserPrincipalName = types.StringValue(u.UserPrincipalName)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, userIdentityOf(plan.ID.ValueString()))...)
}

func (r *certificateUserIDsResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state certificateUserIDsModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Delete, defaultWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	if _, found, diags := r.write(ctx, state.ID.ValueString(), []string{}, op); found {
		resp.Diagnostics.Append(diags...)
	} // else deleted outside Terraform: nothing left to empty
}

func normalID(id string) string {
	if g, ok := objectID(id); ok {
		return g
	}
	return id
}

// goneUserMark is the clients.GoneParents key of a user (by object ID or UPN) a refresh in this run found deleted.
func goneUserMark(idOrUPN string) string { return "user:" + strings.ToLower(idOrUPN) }
