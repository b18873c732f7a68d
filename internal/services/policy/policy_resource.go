package policy

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ resource.ResourceWithConfigure      = (*policyResource)(nil)
	_ resource.ResourceWithImportState    = (*policyResource)(nil)
	_ resource.ResourceWithIdentity       = (*policyResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*policyResource)(nil)
	_ resource.ResourceWithValidateConfig = (*policyResource)(nil)
)

// NewPolicyResource is entracert_certificate_based_auth_policy.
func NewPolicyResource() resource.Resource { return &policyResource{} }

type policyResource struct {
	client *clients.Client
}

type policyIdentity struct {
	ID types.String `tfsdk:"id"`
}

func (r *policyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_policy"
}

func (r *policyResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = resourceSchema(ctx)
}

func (r *policyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"id": identityschema.StringAttribute{RequiredForImport: true, Description: "Always X509Certificate."},
	}}
}

func (r *policyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func addFindings(diags *diag.Diagnostics, fs []finding) {
	for _, f := range fs {
		if f.Error {
			diags.AddAttributeError(f.Path, f.Summary, f.Detail)
		} else {
			diags.AddAttributeWarning(f.Path, f.Summary, f.Detail)
		}
	}
}

func (r *policyResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg policyResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	addFindings(&resp.Diagnostics, validateConfigFindings(plannedFrom(ctx, cfg.policyModel)))
}

const destroyWarning = "Destroying entracert_certificate_based_auth_policy deletes the tenant's customised X.509 certificate " +
	"authentication configuration, and Graph restores the default one: CBA disabled (nobody can sign in with a certificate), " +
	"include target all_users, the default username bindings, single-factor, no rules, CRL validation and issuer hints disabled, no CA scopes. " +
	"Remove the resource from the state instead (terraform state rm, or a removed block) to keep the policy as it is."

func (r *policyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		resp.Diagnostics.AddWarning("CBA goes back to its defaults (disabled)", destroyWarning)
		return
	}
	if req.Plan.Raw.Equal(req.State.Raw) {
		// Nothing changes: the checks run when the policy changes, but CAs planned in this run get their CRLs checked.
		resp.Diagnostics.Append(r.preflightPlannedOnly(ctx, req.Plan)...) // crl_preflight.go
		return
	}
	var plan policyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planned := plannedFrom(ctx, plan.policyModel)
	if r.client == nil {
		addFindings(&resp.Diagnostics, checkAllUsers(planned))
		return // the provider is not configured yet: the Graph checks run at the next plan
	}
	var cfg policyResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var cur *graph.CBAPolicy
	readCurrent := func() bool {
		if cur != nil {
			return true
		}
		var err error
		if cur, err = r.client.Graph.GetCBAPolicy(ctx); err != nil {
			resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot check the CBA policy", Access: common.PolicyRead,
				Doing: "Reading the tenant's current configuration"}, err))
			return false
		}
		return true
	}
	if left := leftOutOf(ctx, cfg.policyModel); left.any() && planned.hasUnknownLeftOut(left) {
		// What the configuration leaves out keeps Graph's values (unknown in a create plan): check those.
		if !readCurrent() {
			return
		}
		planned = withGraphValues(planned, left, cur)
	}
	addFindings(&resp.Diagnostics, checkAllUsers(planned))
	if !needsTrustStore(planned) {
		return
	}
	cas, err := readTrustStore(ctx, r.client.Graph)
	if err != nil {
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot check the CBA policy against the trust store",
			Access: common.PKIRead, Doing: "Reading the tenant's PKIs and CAs to check CRL validation and subject key identifiers"}, err))
		return
	}
	var applied appliedValues
	if req.State.Raw.IsNull() {
		// A create or a replacement: what Graph's policy holds now is applied already.
		if !readCurrent() {
			return
		}
		applied.add(recordOfGraph(cur))
	} else {
		var state policyResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		applied.add(recordOf(plannedFrom(ctx, state.policyModel)))
	}
	if req.Private != nil {
		if rec, ok := readApplied(ctx, req.Private); ok {
			applied.add(rec)
		}
	}
	addFindings(&resp.Diagnostics, checkTrustStore(planned, cas, r.client.PlannedCAs.Has, applied))
	addFindings(&resp.Diagnostics, r.preflight(ctx, planned, cas)) // crl_preflight.go
}

// theIdentity is the policy's identity: its one ID.
var theIdentity = policyIdentity{ID: types.StringValue(graph.CBAPolicyID)}

// sameAs reports whether a prior identity names the policy (its ID in any letter case).
func (want policyIdentity) sameAs(prior policyIdentity) bool {
	return strings.EqualFold(prior.ID.ValueString(), want.ID.ValueString())
}

// apply PATCHes what the plan changes against Graph's current configuration, then reads it back. timeout names the
// timeouts attribute bounding it ("create" or "update").
func (r *policyResource) apply(ctx context.Context, plan policyModel, timeout string, diags *diag.Diagnostics) (policyModel, bool) {
	g := r.client.Graph
	unlock, err := r.client.Locks.Lock(ctx, "cba-policy")
	if err != nil {
		diags.AddError("Cannot update the CBA policy", "Stopped while waiting for another change to the policy in this run: "+err.Error()+
			". Raise timeouts."+timeout+" if other changes to it take longer.")
		return policyModel{}, false
	}
	defer unlock()
	cur, err := g.GetCBAPolicy(ctx)
	if err != nil {
		diags.Append(common.GraphError(common.Failure{Summary: "Cannot read the CBA policy", Access: common.PolicyRead, Timeout: timeout,
			Doing: "Reading the tenant's X.509 certificate authentication configuration"}, err))
		return policyModel{}, false
	}
	want, d := desiredPolicy(ctx, plan, cur)
	diags.Append(d...)
	if diags.HasError() {
		return policyModel{}, false
	}
	if err := g.UpdateCBAPolicy(ctx, policyUpdate(cur, want)); err != nil {
		var ue *graph.UnknownEnumError
		if errors.As(err, &ue) {
			diags.AddError("Cannot update the CBA policy", fmt.Sprintf("Updating the tenant's X.509 certificate authentication configuration: %v"+
				"\n\nGraph holds a value this provider does not know; set the attribute explicitly in the configuration, or upgrade the provider.", err))
		} else {
			diags.Append(common.GraphError(common.Failure{Summary: "Cannot update the CBA policy", Access: common.PolicyWrite, Timeout: timeout,
				Doing: "Updating the tenant's X.509 certificate authentication configuration"}, err))
		}
		return policyModel{}, false
	}
	r.client.WrittenThisRun.Mark(writtenMark)
	got, err := g.GetCBAPolicy(ctx)
	if err != nil {
		diags.Append(common.GraphError(common.Failure{Summary: "Cannot read the CBA policy", Access: common.PolicyRead, Timeout: timeout,
			Doing: "Reading the configuration after updating it"}, err))
		return policyModel{}, false
	}
	m, d := policyToModel(ctx, got)
	diags.Append(d...)
	return m, !diags.HasError()
}

func (r *policyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan policyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Create, defaultWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	m, ok := r.apply(ctx, plan.policyModel, "create", &resp.Diagnostics)
	if !ok {
		return
	}
	plan.policyModel = m
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if resp.Private != nil {
		writeApplied(ctx, resp.Private, m)
	}
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, theIdentity)...)
}

func (r *policyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan policyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Update, defaultWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	m, ok := r.apply(ctx, plan.policyModel, "update", &resp.Diagnostics)
	if !ok {
		return
	}
	plan.policyModel = m
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	if resp.Private != nil {
		writeApplied(ctx, resp.Private, m)
	}
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, theIdentity)...)
}

func (r *policyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state policyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(common.ReadIdentity(ctx, req.Identity, resp.Identity, theIdentity, theIdentity.sameAs)...)
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Read, defaultReadTimeout)
	if !ok {
		return
	}
	defer op.End()
	p, err := r.client.Graph.GetCBAPolicy(ctx)
	if err != nil {
		// The configuration always exists (DELETE restores the default), so "not found" is an error, not a removal.
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot read the CBA policy", Access: common.PolicyRead,
			Timeout: "read", Doing: "Reading the tenant's X.509 certificate authentication configuration"}, err))
		return
	}
	if vs := unknownEnumValues(p); len(vs) > 0 {
		resp.Diagnostics.AddWarning(unknownEnumWarning(vs))
	}
	m, d := policyToModel(ctx, p)
	resp.Diagnostics.Append(d...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.policyModel = m
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// writtenMark is the clients.RunMarks key set once this run has written the policy.
const writtenMark = "cba-policy-written"

func (r *policyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state policyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Delete, defaultWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	unlock, err := r.client.Locks.Lock(ctx, "cba-policy")
	if err != nil {
		resp.Diagnostics.AddError("Cannot restore the default CBA policy", "Stopped while waiting for another change to the policy in this run: "+err.Error()+
			". Raise timeouts.delete if other changes to it take longer.")
		return
	}
	defer unlock()
	if r.client.WrittenThisRun.Marked(writtenMark) {
		// The policy is a singleton: this destroy is of a deposed object (create_before_destroy, or a resource moved to
		// a new address without a moved block) whose replacement already wrote the tenant's policy in this run.
		resp.Diagnostics.AddWarning("The CBA policy is kept as its replacement wrote it",
			"Another entracert_certificate_based_auth_policy object wrote the tenant's X.509 certificate authentication configuration "+
				"earlier in this apply (a create_before_destroy replacement, or a rename without a moved block). Destroying the old object "+
				"leaves that configuration as it is instead of restoring Graph's defaults.")
		return
	}
	if err := r.client.Graph.DeleteCBAPolicy(ctx); err != nil && !graph.IsNotFound(err) {
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot restore the default CBA policy", Access: common.PolicyWrite,
			Timeout: "delete", Doing: "Deleting the tenant's customised X.509 certificate authentication configuration"}, err))
	}
}

func (r *policyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, ok := policyImportID.FromRequest(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), parts[0])...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, theIdentity)...)
}
