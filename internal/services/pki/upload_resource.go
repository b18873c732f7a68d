package pki

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const (
	defaultUploadTimeout = 45 * time.Minute // a job can take 30 minutes
	// timeoutGrace lets the last look at a job and the state save finish after the wait's own deadline.
	timeoutGrace = 30 * time.Second
	// maxUploadAttempts bounds how often one apply sends the upload (only ever again when none of its
	// certificate authorities reached the PKI).
	maxUploadAttempts = 5
	// caVisibleWait is how long CAs of a succeeded job may take to show up in the list.
	caVisibleWait = 30 * time.Second
)

var sha256Pattern = regexp.MustCompile(`^[0-9A-Fa-f]{64}$`)

var (
	_ resource.ResourceWithConfigure   = (*uploadResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*uploadResource)(nil)
	_ resource.ResourceWithImportState = (*uploadResource)(nil)
)

// NewUploadResource is entracert_certificate_based_auth_pki_upload.
func NewUploadResource() resource.Resource { return &uploadResource{} }

type uploadResource struct {
	client *clients.Client
}

type uploadModel struct {
	ID                     types.String   `tfsdk:"id"`
	PKIID                  types.String   `tfsdk:"pki_id"`
	UploadURL              types.String   `tfsdk:"upload_url"`
	SHA256FileHash         types.String   `tfsdk:"sha256_file_hash"`
	Status                 types.String   `tfsdk:"status"`
	StatusDetails          types.String   `tfsdk:"status_details"`
	CertificateAuthorities types.List     `tfsdk:"certificate_authorities"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`
}

func uploadID(pkiID, hash string) string { return pkiID + "/" + strings.ToUpper(hash) }

func (r *uploadResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_pki_upload"
}

func (r *uploadResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Uploads a PKCS#7 bundle (`.p7b`) of trusted certificate authorities into an Entra " +
			"certificate-based-authentication PKI (`certificateBasedAuthPki`) and records the certificate authorities it added.\n\n" +
			"Microsoft Graph downloads the file itself from `upload_url`, so the URL must be reachable from the internet. " +
			"Before asking Graph to, the provider downloads the file too, checks it against `sha256_file_hash` and reads its " +
			"certificates, so a wrong hash, an unreachable URL or a file that is not a usable `.p7b` is reported at plan time " +
			"and nothing is written. The upload is an asynchronous job of up to 30 minutes; the provider waits for it " +
			"(see `timeouts`). If every certificate authority of the file is already in the PKI, they are adopted without an upload.\n\n" +
			"Destroying this resource deletes the certificate authorities it recorded from the PKI. If an apply is interrupted " +
			"(or times out) while the job runs, the upload stays in the state with `status = \"running\"` and the next apply " +
			"waits for that job and adopts its certificate authorities instead of uploading again; destroying it before then " +
			"leaves whatever the job adds in the PKI.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`{pki_id}/{SHA-256 of the file, uppercase}`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"pki_id": schema.StringAttribute{
				MarkdownDescription: "ID of the PKI (`entracert_certificate_based_auth_pki`) to add the certificate authorities to. Changing it uploads to the new PKI.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"upload_url": schema.StringAttribute{
				MarkdownDescription: "http or https URL of the `.p7b` file (DER or PEM, at most 2 MB, 250 certificates, 8 KB each), " +
					"reachable by Microsoft Graph. Changing it uploads again, except right after an import, when the URL is adopted in place.",
				Required:   true,
				Validators: []validator.String{uploadURLValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
					func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
						// After an import the URL is unknown to the state: adopt the configured one in place.
						resp.RequiresReplace = !req.StateValue.IsNull()
					},
					"Replaces the resource when the URL changes, except when the state has no URL (after an import).",
					"Replaces the resource when the URL changes, except when the state has no URL (after an import).",
				)},
			},
			"sha256_file_hash": schema.StringAttribute{
				MarkdownDescription: "SHA-256 of the file at `upload_url`, 64 hex characters in either case, e.g. `filesha256(\"contoso.p7b\")` " +
					"or PowerShell's `Get-FileHash`. Changing it (other than its case) uploads again.",
				Required: true,
				Validators: []validator.String{stringvalidator.RegexMatches(sha256Pattern,
					"must be the file's SHA-256 as 64 hexadecimal characters, e.g. filesha256(\"contoso.p7b\")")},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
					func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
						resp.RequiresReplace = req.PlanValue.IsUnknown() ||
							!strings.EqualFold(req.PlanValue.ValueString(), req.StateValue.ValueString())
					},
					"Replaces the resource when the hash changes other than in case.",
					"Replaces the resource when the hash changes other than in case.",
				)},
			},
			"status": schema.StringAttribute{
				MarkdownDescription: "Status of the PKI's job as last seen: `succeeded` after the upload, `running` while a job runs " +
					"(also when an apply was interrupted while waiting: the next apply resumes waiting instead of uploading again).",
				Computed:      true,
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"status_details": schema.StringAttribute{
				MarkdownDescription: "Details Graph gives about the status.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"certificate_authorities": schema.ListNestedAttribute{
				MarkdownDescription: "The certificate authorities of the file, as the PKI holds them, in file order. If one is " +
					"deleted outside Terraform, the next plan shows the upload to be made again.",
				Computed:      true,
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject:  schema.NestedAttributeObject{Attributes: caResourceAttributes()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Update: true, Delete: true,
				CreateDescription: "How long to wait for the upload job (default 45m; a job can take 30 minutes).",
				UpdateDescription: "How long an update may wait for a job (default 45m): updates only wait when adopting the URL after an import or resuming an interrupted upload.",
				DeleteDescription: "How long to wait for the PKI to finish deleting the certificate authorities (default 45m).",
			}),
		},
	}
}

func caResourceAttributes() map[string]schema.Attribute {
	attrs := map[string]schema.Attribute{}
	for name, desc := range certificateAuthorityDescriptions {
		attrs[name] = schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	return attrs
}

func (r *uploadResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

// needsWork reports whether an existing upload still has to wait for its job or record its certificate
// authorities: after an import (no URL, nothing recorded) or an interrupted apply (nothing recorded yet).
func needsWork(ctx context.Context, state uploadModel) bool {
	recorded, _ := caListModels(ctx, state.CertificateAuthorities)
	for _, m := range recorded {
		if m.ID.ValueString() == "" {
			return true // deleted out of band (see Read): add it again
		}
	}
	return len(recorded) == 0 || state.UploadURL.IsNull()
}

func (r *uploadResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan uploadModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	creating := req.State.Raw.IsNull()
	work := creating
	if !creating {
		var state uploadModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		replacing := !plan.PKIID.Equal(state.PKIID) ||
			(!state.UploadURL.IsNull() && !plan.UploadURL.Equal(state.UploadURL)) ||
			plan.SHA256FileHash.IsUnknown() || !strings.EqualFold(plan.SHA256FileHash.ValueString(), state.SHA256FileHash.ValueString())
		if replacing {
			return // Terraform plans the new object as a create, which checks the file then
		}
		if needsWork(ctx, state) {
			work = true
			plan.Status = types.StringUnknown()
			plan.StatusDetails = types.StringUnknown()
			plan.CertificateAuthorities = types.ListUnknown(certificateAuthorityObjectType)
		}
	}
	if known(plan.PKIID) && known(plan.SHA256FileHash) && sha256Pattern.MatchString(plan.SHA256FileHash.ValueString()) {
		plan.ID = types.StringValue(uploadID(plan.PKIID.ValueString(), plan.SHA256FileHash.ValueString()))
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)

	// Check the file now, so a mistake shows in the plan and nothing is written to Graph.
	if work && known(plan.UploadURL) && known(plan.SHA256FileHash) && sha256Pattern.MatchString(plan.SHA256FileHash.ValueString()) {
		if _, err := fetchBundle(ctx, plan.UploadURL.ValueString(), plan.SHA256FileHash.ValueString()); err != nil {
			addError(&resp.Diagnostics, err)
		}
	}
}

func known(v types.String) bool { return !v.IsNull() && !v.IsUnknown() }

func (r *uploadResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan uploadModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultUploadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	newState, diags := r.apply(ctx, plan, timeout)
	resp.Diagnostics.Append(diags...)
	if newState != nil {
		// Also on error: an upload that is still running is kept in state, so the next apply waits for it.
		resp.Diagnostics.Append(setWrittenAt(ctx, resp.Private, r.client.Clock.Now())...)
		resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	}
}

func (r *uploadResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state uploadModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !needsWork(ctx, state) {
		// Only the hash's case or the timeouts changed: nothing to do in Graph.
		plan.ID = types.StringValue(uploadID(plan.PKIID.ValueString(), plan.SHA256FileHash.ValueString()))
		plan.Status, plan.StatusDetails, plan.CertificateAuthorities = state.Status, state.StatusDetails, state.CertificateAuthorities
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultUploadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	newState, diags := r.apply(ctx, plan, timeout)
	resp.Diagnostics.Append(diags...)
	if newState != nil {
		resp.Diagnostics.Append(setWrittenAt(ctx, resp.Private, r.client.Clock.Now())...)
		resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	}
	// Otherwise the prior state stays, and the next plan tries again.
}

// apply checks the file, makes sure its certificate authorities are in the PKI (uploading when none are)
// and returns the state to save: complete on success, with status "running" when the wait for an upload
// it sent was interrupted, nil when nothing should be saved.
func (r *uploadResource) apply(ctx context.Context, plan uploadModel, timeout time.Duration) (*uploadModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	if !configured(r.client, &diags) {
		return nil, diags
	}
	clk := r.client.Clock
	deadline := clk.Now().Add(timeout)
	ctx, cancel := context.WithTimeout(ctx, timeout+timeoutGrace)
	defer cancel()

	pkiID, hash := plan.PKIID.ValueString(), strings.ToUpper(plan.SHA256FileHash.ValueString())
	ctx = tflog.SetField(ctx, "pki_id", pkiID)

	// The file may have changed since the plan: check it again before writing anything.
	b, err := fetchBundle(ctx, plan.UploadURL.ValueString(), hash)
	if err != nil {
		addError(&diags, err)
		return nil, diags
	}
	res, err := r.ensure(ctx, ensureArgs{
		PKIID: pkiID, UploadURL: plan.UploadURL.ValueString(), SHA256: hash, Expected: b.CAs, Deadline: deadline,
	})
	plan.ID = types.StringValue(uploadID(pkiID, hash))
	if err != nil {
		var sre *graph.PKIJobTimeoutError
		if errors.As(err, &sre) && res.Uploaded {
			details := ""
			if sre.LastSeen != nil {
				details = sre.LastSeen.StatusDetails
			}
			plan.Status = types.StringValue(graph.PKIStatusRunning)
			plan.StatusDetails = types.StringValue(details)
			plan.CertificateAuthorities = types.ListValueMust(certificateAuthorityObjectType, nil)
			diags.AddAttributeError(path.Root("timeouts"), "The PKI upload job is still running",
				fmt.Sprintf("%s.\n\nThe upload was accepted and is saved in the state with status \"running\". "+
					"Run terraform apply again: it waits for this job instead of uploading again (if the resource is shown "+
					"as tainted, the replacement waits for the job and adopts its certificate authorities without a second upload). "+
					"A job can take up to 30 minutes; raise timeouts.create if it needs longer.", sre.Error()))
			return &plan, diags
		}
		addError(&diags, err)
		return nil, diags
	}
	plan.Status = types.StringValue(res.Status)
	plan.StatusDetails = types.StringValue(res.StatusDetails)
	list, d := caListValue(ctx, res.CAs)
	diags.Append(d...)
	plan.CertificateAuthorities = list
	return &plan, diags
}

func (r *uploadResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state uploadModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !configured(r.client, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultPKIReadTimeout)
	defer cancel()
	g := r.client.Graph
	pkiID := state.PKIID.ValueString()
	p, err := readPKIAfterWrite(ctx, r.client, req.Private, pkiID)
	if graph.IsNotFound(err) {
		tflog.Warn(ctx, "PKI no longer exists; removing the upload from the state", map[string]any{"pki_id": pkiID})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the PKI", fmt.Sprintf("Reading PKI %s: %v", pkiID, err))
		return
	}
	state.Status = types.StringValue(p.Status)
	state.StatusDetails = types.StringValue(p.StatusDetails)

	recorded, diags := caListModels(ctx, state.CertificateAuthorities)
	resp.Diagnostics.Append(diags...)
	if len(recorded) > 0 {
		cas, err := g.ListCertificateAuthorities(ctx, pkiID)
		if err != nil {
			resp.Diagnostics.AddError("Cannot read the PKI's certificate authorities", fmt.Sprintf("Listing the certificate authorities of PKI %s: %v", pkiID, err))
			return
		}
		byID, byThumb := map[string]graph.CertificateAuthority{}, map[string]graph.CertificateAuthority{}
		for _, ca := range cas {
			byID[ca.ID] = ca
			byThumb[strings.ToUpper(ca.Thumbprint)] = ca
		}
		refreshed := make([]certificateAuthorityModel, 0, len(recorded))
		for _, m := range recorded {
			ca, ok := byID[m.ID.ValueString()]
			if !ok {
				ca, ok = byThumb[strings.ToUpper(m.Thumbprint.ValueString())]
			}
			if !ok {
				// Keep it with an empty id: the next plan shows an in-place update that adds it again.
				tflog.Warn(ctx, "A recorded certificate authority is no longer in the PKI; the next apply adds it again",
					map[string]any{"pki_id": pkiID, "thumbprint": m.Thumbprint.ValueString()})
				m.ID = types.StringValue("")
				refreshed = append(refreshed, m)
				continue
			}
			refreshed = append(refreshed, caModel(ca))
		}
		list, d := types.ListValueFrom(ctx, certificateAuthorityObjectType, refreshed)
		resp.Diagnostics.Append(d...)
		state.CertificateAuthorities = list
	}
	if _, ok := writtenAt(ctx, req.Private); ok {
		resp.Diagnostics.Append(clearWrittenAt(ctx, resp.Private)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *uploadResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state uploadModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !configured(r.client, &resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultUploadTimeout)
	resp.Diagnostics.Append(diags...)
	recorded, diags := caListModels(ctx, state.CertificateAuthorities)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	deadline := r.client.Clock.Now().Add(timeout)
	ctx, cancel := context.WithTimeout(ctx, timeout+timeoutGrace)
	defer cancel()
	pkiID := state.PKIID.ValueString()
	ctx = tflog.SetField(ctx, "pki_id", pkiID)
	if err := r.deleteCertificateAuthorities(ctx, pkiID, recorded, deadline); err != nil {
		resp.Diagnostics.AddError("Cannot delete the uploaded certificate authorities",
			fmt.Sprintf("%v\n\nRun terraform destroy again once the cause is fixed; certificate authorities already deleted are skipped.", err))
	}
}

func (r *uploadResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	i := strings.LastIndex(req.ID, "/")
	if i <= 0 || !sha256Pattern.MatchString(req.ID[i+1:]) {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not {pki_id}/{sha256_file_hash}. Use the PKI's ID and the file's SHA-256 (64 hex characters), "+
				"e.g. 0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10/14FF50E98B7263ECE04A094FF75E5DD3B9A051AD8AB801E8740E3D027E8480FA.", req.ID))
		return
	}
	pkiID, hash := req.ID[:i], req.ID[i+1:]
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), uploadID(pkiID, hash))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("pki_id"), pkiID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("sha256_file_hash"), hash)...)
	// upload_url stays null and nothing is recorded: the next plan adopts the configured URL in place,
	// downloading the file to learn which certificate authorities are this upload's.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("certificate_authorities"),
		types.ListValueMust(certificateAuthorityObjectType, nil))...)
}

func addError(diags *diag.Diagnostics, err error) {
	var ie *inputError
	if errors.As(err, &ie) {
		diags.AddAttributeError(ie.Attribute, ie.Summary, ie.Detail)
		return
	}
	var de *detailedError
	if errors.As(err, &de) {
		if de.Attribute.Equal(path.Empty()) {
			diags.AddError(de.Summary, de.Detail)
		} else {
			diags.AddAttributeError(de.Attribute, de.Summary, de.Detail)
		}
		return
	}
	var sre *graph.PKIJobTimeoutError
	if errors.As(err, &sre) {
		diags.AddError("Stopped waiting for a PKI job", sre.Error()+
			".\n\nNothing was uploaded. Run terraform apply again; raise timeouts if the PKI's jobs take longer.")
		return
	}
	diags.AddError("PKI upload failed", err.Error())
}

// detailedError is an error with a summary, a detail and optionally the attribute it concerns.
type detailedError struct {
	Attribute path.Path
	Summary   string
	Detail    string
}

func (e *detailedError) Error() string { return e.Summary + ": " + e.Detail }

// uploadURLValidator accepts http and https URLs only.
type uploadURLValidator struct{}

func (uploadURLValidator) Description(context.Context) string { return "must be an http or https URL" }
func (v uploadURLValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (uploadURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if msg := checkUploadURL(req.ConfigValue.ValueString()); msg != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "upload_url is not an http or https URL", msg)
	}
}
