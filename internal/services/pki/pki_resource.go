package pki

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const (
	maxDisplayNameLength = 256
	defaultPKIDeleteWait = 45 * time.Minute // a running upload job (up to 30 minutes) may delay the deletion
)

var (
	notBlank            = regexp.MustCompile(`\S`)
	noControlCharacters = regexp.MustCompile(`^[^\x00-\x1f\x7f]*$`)
)

var (
	_ resource.ResourceWithConfigure   = (*pkiResource)(nil)
	_ resource.ResourceWithImportState = (*pkiResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*pkiResource)(nil)
)

// NewPKIResource is entracert_certificate_based_auth_pki.
func NewPKIResource() resource.Resource { return &pkiResource{} }

type pkiResource struct {
	client *clients.Client
}

type pkiModel struct {
	ID                   types.String   `tfsdk:"id"`
	DisplayName          types.String   `tfsdk:"display_name"`
	Status               types.String   `tfsdk:"status"`
	StatusDetails        types.String   `tfsdk:"status_details"`
	LastModifiedDateTime types.String   `tfsdk:"last_modified_date_time"`
	DeletedDateTime      types.String   `tfsdk:"deleted_date_time"`
	Timeouts             timeouts.Value `tfsdk:"timeouts"`
}

func (r *pkiResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_pki"
}

func (r *pkiResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "An Entra certificate-based-authentication PKI (`certificateBasedAuthPki`): a container of trusted " +
			"certificate authorities. Add certificate authorities with `entracert_certificate_based_auth_pki_upload`.\n\n" +
			"PKIs are soft-deleted directory objects: Entra keeps a deleted one, with its certificate authorities, restorable " +
			"for 30 days. When this PKI was deleted outside Terraform and is still restorable, the plan shows an in-place " +
			"update (`deleted_date_time` back to null) with a warning, and the apply restores it: the same ID, its " +
			"certificate authorities and their settings, and no new upload; the upload and certificate authority resources " +
			"under it keep their state. Once it is no longer restorable (purged, or deleted more than 30 days ago) the plan " +
			"creates a new PKI, and the resources under it plan their re-creation in it.\n\n" +
			"Destroying this resource deletes the PKI as Graph does: a soft delete, so it stays restorable for 30 days " +
			"(Entra admin center, or `POST /directory/deletedItems/{id}/restore`). The provider never purges it.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "ID of the PKI.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"display_name": schema.StringAttribute{
				MarkdownDescription: "Display name of the PKI: 1 to 256 characters (characters, not bytes), not only blanks, no control characters (NUL, tab, newline). Changing it renames the PKI in place.",
				Required:            true,
				Validators: []validator.String{
					stringvalidator.UTF8LengthBetween(1, maxDisplayNameLength),
					stringvalidator.RegexMatches(notBlank, "must not be empty or only blanks"),
					stringvalidator.RegexMatches(noControlCharacters, "must not contain control characters such as NUL, tab or newline"),
				},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Status of the PKI's last job: `running` while an upload or deletion runs, `succeeded` after.",
				Computed:            true,
			},
			"status_details": schema.StringAttribute{
				MarkdownDescription: "Details Graph gives about the status.",
				Computed:            true,
			},
			"last_modified_date_time": schema.StringAttribute{
				MarkdownDescription: "When the PKI last changed (RFC 3339).",
				Computed:            true,
			},
			"deleted_date_time": schema.StringAttribute{
				MarkdownDescription: "Null while the PKI exists. When it was deleted outside Terraform and is still restorable, " +
					"the time Graph deleted it (RFC 3339): the plan sets it back to null, and the apply restores the PKI.",
				Computed: true,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "How long creating the PKI may take, including finding it after a lost answer (default 10m).",
				ReadDescription:   "How long reading the PKI may take (default 5m).",
				UpdateDescription: "How long renaming the PKI may take (default 10m).",
				DeleteDescription: "How long to wait for the PKI to be gone after deleting it, including for a running job to end first (default 45m).",
			}),
		},
	}
}

func (r *pkiResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func pkiToModel(p *graph.PKI, m *pkiModel) {
	m.ID = types.StringValue(p.ID)
	m.DisplayName = types.StringValue(p.DisplayName)
	m.Status = types.StringValue(p.Status)
	m.StatusDetails = types.StringValue(p.StatusDetails)
	m.LastModifiedDateTime = timeString(p.LastModifiedDateTime)
	m.DeletedDateTime = types.StringNull()
}

func (r *pkiResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan pkiModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Create, defaultPKIWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	p, err := createPKIOnce(ctx, r.client, plan.DisplayName.ValueString(), op.Deadline)
	if err != nil {
		addError(&resp.Diagnostics, err, common.Failure{Summary: "Cannot create the PKI", Access: common.PKIWrite, Timeout: "create",
			Doing: fmt.Sprintf("Creating PKI %q", plan.DisplayName.ValueString())})
		return
	}
	r.client.PKIsOfThisRun.Add(p.ID)
	pkiToModel(p, &plan)
	// Keep the configured name, as Graph may normalise it.
	plan.DisplayName = types.StringValue(plan.DisplayName.ValueString())
	resp.Diagnostics.Append(clients.MarkWritten(ctx, resp.Private, r.client.Clock.Now())...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, pkiIdentityOf(p.ID))...)
}

func (r *pkiResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state pkiModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Before anything else: the framework wants an identity even with the resource removed from state.
	want := pkiIdentityOf(state.ID.ValueString())
	resp.Diagnostics.Append(common.ReadIdentity(ctx, req.Identity, resp.Identity, want, want.sameAs)...)
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Read, defaultPKIReadTimeout)
	if !ok {
		return
	}
	defer op.End()
	p, err := readPKIAfterWrite(ctx, r.client, req.Private, state.ID.ValueString())
	if graph.IsNotFound(err) {
		readDeletedPKI(ctx, r.client, &state, resp) // pki_restore.go: kept while restorable, else removed
		return
	}
	if err != nil {
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot read the PKI", Access: common.PKIRead, Timeout: "read",
			Doing: "Reading PKI " + state.ID.ValueString()}, err))
		return
	}
	if _, ok := clients.WrittenAt(ctx, req.Private); ok {
		resp.Diagnostics.Append(clients.ClearWritten(ctx, resp.Private)...)
	}
	pkiToModel(p, &state)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *pkiResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state pkiModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Update, defaultPKIWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	id := state.ID.ValueString()
	if !state.DeletedDateTime.IsNull() {
		if err := restorePKI(ctx, r.client, id, state.DisplayName.ValueString()); err != nil { // pki_restore.go
			resp.Diagnostics.AddError("Cannot restore the PKI", err.Error())
			return
		}
		resp.Diagnostics.Append(clients.MarkWritten(ctx, resp.Private, r.client.Clock.Now())...)
	}
	if !plan.DisplayName.Equal(state.DisplayName) {
		if err := r.client.Graph.UpdatePKI(ctx, id, plan.DisplayName.ValueString()); err != nil {
			resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot rename the PKI", Access: common.PKIWrite,
				Timeout: "update", Attribute: path.Root("display_name"),
				Doing: fmt.Sprintf("Renaming PKI %s to %q", id, plan.DisplayName.ValueString())}, err))
			return
		}
	}
	p, err := r.client.Graph.WaitForPKI(ctx, id, minTime(r.client.Clock.Now().Add(graph.PKIVisibleWindow), op.Deadline))
	if err != nil {
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot read the PKI", Access: common.PKIRead,
			Timeout: "update", Doing: fmt.Sprintf("Reading PKI %s after renaming it", id)}, err))
		return
	}
	pkiToModel(p, &plan)
	plan.DisplayName = types.StringValue(plan.DisplayName.ValueString())
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, pkiIdentityOf(p.ID))...)
}

func (r *pkiResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state pkiModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Delete, defaultPKIDeleteWait)
	if !ok {
		return
	}
	defer op.End()
	g, deadline := r.client.Graph, op.Deadline
	id := state.ID.ValueString()
	ctx = tflog.SetField(ctx, "pki_id", id)

	// Graph runs one operation at a time per PKI: let a running job end first.
	p, err := g.GetPKI(ctx, id)
	if graph.IsNotFound(err) {
		return
	}
	if err != nil {
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot read the PKI", Access: common.PKIRead,
			Timeout: "delete", Doing: fmt.Sprintf("Reading PKI %s before deleting it", id)}, err))
		return
	}
	if graph.PKIRunning(p.Status) {
		if _, err := g.WaitForPKIJob(ctx, id, time.Time{}, deadline); err != nil && !graph.IsNotFound(err) {
			resp.Diagnostics.AddError("Cannot delete the PKI", fmt.Sprintf("%v\n\nRun terraform destroy again later, or raise timeouts.delete.", err))
			return
		}
	}
	if err := g.DeletePKI(ctx, id); err != nil && !graph.IsNotFound(err) {
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot delete the PKI", Access: common.PKIWrite,
			Timeout: "delete", Doing: "Deleting PKI " + id}, err))
		return
	}
	// Wait until the PKI is gone, so that whatever depends on its absence sees it.
	if err := waitPKIGone(ctx, r.client, id, deadline); err != nil {
		resp.Diagnostics.AddError("The PKI is not gone yet", fmt.Sprintf("%v\n\nGraph accepted the deletion; run terraform destroy again to keep waiting, or raise timeouts.delete.", err))
	}
}

// ImportState imports by ID (`terraform import`, an import block's id) or by identity (an import block's
// identity). The ID must be a GUID; it is stored lower case, as Graph writes ids, so that nothing referencing the
// PKI plans a replacement after importing it in upper case.
func (r *pkiResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, ok := pkiImportID.FromRequest(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), parts[0])...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, pkiIdentityOf(parts[0]))...)
}
