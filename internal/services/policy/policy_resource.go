package policy

import (
	"context"
	"errors"
	"fmt"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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
	var cfg policyModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	addFindings(&resp.Diagnostics, validateConfigFindings(plannedFrom(ctx, cfg)))
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
	var plan policyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	planned := plannedFrom(ctx, plan)
	if r.client == nil {
		addFindings(&resp.Diagnostics, checkAllUsers(planned))
		return // the provider is not configured yet: the Graph checks run at the next plan
	}
	var cfg policyModel
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
			resp.Diagnostics.AddError("Cannot check the CBA policy", fmt.Sprintf("Reading the tenant's current configuration: %v", err))
			return false
		}
		return true
	}
	if left := leftOutOf(ctx, cfg); left.any() && planned.hasUnknownLeftOut(left) {
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
		resp.Diagnostics.AddError("Cannot check the CBA policy against the trust store",
			fmt.Sprintf("Reading the tenant's PKIs and CAs to check CRL validation and subject key identifiers: %v\n\n"+
				"The identity needs PublicKeyInfrastructure.Read.All. Plan again once Graph answers.", err))
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
		var state policyModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		applied.add(recordOf(plannedFrom(ctx, state)))
	}
	if req.Private != nil {
		if rec, ok := readApplied(ctx, req.Private); ok {
			applied.add(rec)
		}
	}
	addFindings(&resp.Diagnostics, checkTrustStore(planned, cas, r.client.PlannedCAs.Has, applied))
	addFindings(&resp.Diagnostics, r.preflight(ctx, planned, cas)) // crl_preflight.go
}

func (r *policyResource) setIdentity(ctx context.Context, id *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if id != nil {
		diags.Append(id.Set(ctx, policyIdentity{ID: types.StringValue(graph.CBAPolicyID)})...)
	}
}

// apply PATCHes what the plan changes against Graph's current configuration, then reads it back.
func (r *policyResource) apply(ctx context.Context, plan policyModel, diags *diag.Diagnostics) (policyModel, bool) {
	g := r.client.Graph
	unlock, err := r.client.Locks.Lock(ctx, "cba-policy")
	if err != nil {
		diags.AddError("Cannot update the CBA policy", "Stopped while waiting for another change to the policy in this run: "+err.Error())
		return policyModel{}, false
	}
	defer unlock()
	cur, err := g.GetCBAPolicy(ctx)
	if err != nil {
		diags.AddError("Cannot read the CBA policy", fmt.Sprintf("Reading the tenant's X.509 certificate authentication configuration: %v", err))
		return policyModel{}, false
	}
	want, d := desiredPolicy(ctx, plan, cur)
	diags.Append(d...)
	if diags.HasError() {
		return policyModel{}, false
	}
	if err := g.UpdateCBAPolicy(ctx, policyUpdate(cur, want)); err != nil {
		var ue *graph.UnknownEnumError
		detail := fmt.Sprintf("Updating the tenant's X.509 certificate authentication configuration: %v", err)
		if errors.As(err, &ue) {
			detail += "\n\nGraph holds a value this provider does not know; set the attribute explicitly in the configuration, or upgrade the provider."
		} else if graph.IsOutcomeUnknown(err) {
			detail += "\n\nThe update may or may not have taken effect; run terraform apply again: it reads the policy first."
		}
		diags.AddError("Cannot update the CBA policy", detail)
		return policyModel{}, false
	}
	r.client.WrittenThisRun.Mark(writtenMark)
	got, err := g.GetCBAPolicy(ctx)
	if err != nil {
		diags.AddError("Cannot read the CBA policy", fmt.Sprintf("Reading the configuration after updating it: %v", err))
		return policyModel{}, false
	}
	m, d := policyToModel(ctx, got)
	diags.Append(d...)
	return m, !diags.HasError()
}

func (r *policyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan policyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m, ok := r.apply(ctx, plan, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	if resp.Private != nil {
		writeApplied(ctx, resp.Private, m)
	}
	r.setIdentity(ctx, resp.Identity, &resp.Diagnostics)
}

func (r *policyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan policyModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m, ok := r.apply(ctx, plan, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	if resp.Private != nil {
		writeApplied(ctx, resp.Private, m)
	}
	r.setIdentity(ctx, resp.Identity, &resp.Diagnostics)
}

func (r *policyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	p, err := r.client.Graph.GetCBAPolicy(ctx)
	if err != nil {
		// The configuration always exists (DELETE restores the default), so a 404 is an error, not a removal.
		resp.Diagnostics.AddError("Cannot read the CBA policy", fmt.Sprintf("Reading the tenant's X.509 certificate authentication configuration: %v", err))
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
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	r.setIdentity(ctx, resp.Identity, &resp.Diagnostics)
}

// writtenMark is the clients.RunMarks key set once this run has written the policy.
const writtenMark = "cba-policy-written"

func (r *policyResource) Delete(ctx context.Context, _ resource.DeleteRequest, resp *resource.DeleteResponse) {
	unlock, err := r.client.Locks.Lock(ctx, "cba-policy")
	if err != nil {
		resp.Diagnostics.AddError("Cannot restore the default CBA policy", "Stopped while waiting for another change to the policy in this run: "+err.Error())
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
		resp.Diagnostics.AddError("Cannot restore the default CBA policy",
			fmt.Sprintf("Deleting the tenant's customised X.509 certificate authentication configuration: %v", err))
	}
}

func (r *policyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, what := req.ID, "import ID"
	if id == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		// Terraform before 1.12 sends no identity: only an identity that is there is read.
		var ident policyIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id, what = ident.ID.ValueString(), "identity.id"
	}
	canonical, ok := policyImportID(id)
	if !ok {
		resp.Diagnostics.AddError("Cannot import the CBA policy", importIDProblem(what, id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), canonical)...)
	r.setIdentity(ctx, resp.Identity, &resp.Diagnostics)
}
