package pki

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
)

var (
	_ resource.ResourceWithConfigure        = (*uploadResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*uploadResource)(nil)
	_ resource.ResourceWithImportState      = (*uploadResource)(nil)
	_ resource.ResourceWithConfigValidators = (*uploadResource)(nil)
)

func (r *uploadResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("upload_url"), path.MatchRoot("upload_url_wo")),
	}
}

// NewUploadResource is entracert_certificate_based_auth_pki_upload.
func NewUploadResource() resource.Resource { return &uploadResource{} }

type uploadResource struct {
	client *clients.Client
}

type uploadModel struct {
	ID                     types.String   `tfsdk:"id"`
	PKIID                  types.String   `tfsdk:"pki_id"`
	UploadURL              types.String   `tfsdk:"upload_url"`
	UploadURLWO            types.String   `tfsdk:"upload_url_wo"`
	ContentBase64          types.String   `tfsdk:"content_base64"`
	SHA256FileHash         types.String   `tfsdk:"sha256_file_hash"`
	Status                 types.String   `tfsdk:"status"`
	StatusDetails          types.String   `tfsdk:"status_details"`
	CertificateAuthorities types.List     `tfsdk:"certificate_authorities"`
	CASettings             types.Map      `tfsdk:"certificate_authority_settings"`
	Timeouts               timeouts.Value `tfsdk:"timeouts"`
}

func uploadID(pkiID, hash string) string { return normalPKIID(pkiID) + "/" + strings.ToUpper(hash) }

func (r *uploadResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_pki_upload"
	// The identity names the file's content, and a new file is an in-place update (a diff of CAs, never an empty
	// trust store), so the identity changes with sha256_file_hash.
	resp.ResourceBehavior.MutableIdentity = true
}

func (r *uploadResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Uploads a PKCS#7 bundle (`.p7b`) of trusted certificate authorities into an Entra " +
			"certificate-based-authentication PKI (`certificateBasedAuthPki`) and records the certificate authorities it added.\n\n" +
			"Microsoft Graph downloads the file itself from the URL, so the URL must be reachable from the internet. " +
			"Before asking Graph to, the provider reads the file too (from `content_base64`, or by downloading it), checks it " +
			"against `sha256_file_hash` and reads its certificates, so a wrong hash, an unreachable URL or a file that is not " +
			"a usable `.p7b` is reported at plan time, nothing is written, and the plan lists the thumbprints to be trusted.\n\n" +
			"The upload is identified by its content, `{pki_id}/{sha256}`: changing only the URL writes nothing, and a new " +
			"hash is an in-place diff (the CAs the PKI lacks are added, those that left the file deleted, the others never " +
			"touched). CAs already in the PKI are adopted; missing ones are added one by one when some are there. The upload " +
			"job is asynchronous (up to 30 minutes); the provider waits for it (see `timeouts`). If an apply is interrupted " +
			"while the job runs, the upload stays in the state with `status = \"running\"` and the next apply waits for that " +
			"job instead of uploading again.\n\n" +
			"Each CA is declared by one object: a plan in which another upload or CA resource of the configuration declares a " +
			"CA of this file in the same PKI fails, naming both. Destroying this resource deletes the certificate authorities " +
			"it added (uploaded, added one by one, or imported), never those it adopted (in the PKI, put there by someone " +
			"else, before it declared them) nor those an object created or updated in the same run declares " +
			"(`create_before_destroy`). A file holding one CA twice fails the plan.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "`{pki_id}/{SHA-256 of the file, uppercase}`: the upload is identified by its content. Import " +
					"takes the same form, the GUID and the hash in either case (stored lower and upper case).",
				Computed: true,
			},
			"pki_id": schema.StringAttribute{
				MarkdownDescription: "ID of the PKI (`entracert_certificate_based_auth_pki`) to add the certificate authorities to. Changing it uploads to the new PKI.",
				Required:            true,
				Validators:          []validator.String{pkiIDValidator{}},
				PlanModifiers:       []planmodifier.String{pkiIDRequiresReplace()},
			},
			"upload_url": schema.StringAttribute{
				MarkdownDescription: "http or https URL of the `.p7b` file (DER or PEM, at most 2 MB, 250 certificates, 8 KB each), " +
					"reachable by Microsoft Graph. Kept in the plan and state: use it for a URL without secrets. Changing only " +
					"the URL (a moved blob, another host name for the same file) is an in-place update that writes nothing to " +
					"Graph: the upload is identified by its content (`sha256_file_hash`). Exactly one of `upload_url` and `upload_url_wo`.",
				Optional:   true,
				Validators: []validator.String{uploadURLValidator{}},
			},
			"upload_url_wo": schema.StringAttribute{
				MarkdownDescription: "Write-only form of `upload_url` (Terraform 1.11 or later): never stored in the plan or state. " +
					"Use it for a URL that carries a secret, such as an Azure Storage SAS token in its query. Rotating the token " +
					"needs no change here beyond the value; the file is identified by `sha256_file_hash`.",
				Optional:   true,
				WriteOnly:  true,
				Sensitive:  true,
				Validators: []validator.String{uploadURLValidator{}},
			},
			"content_base64": schema.StringAttribute{
				MarkdownDescription: "Optional: the file's bytes in base64, e.g. `filebase64(\"contoso.p7b\")`. When set, the provider " +
					"checks it against `sha256_file_hash` and reads its certificate authorities from it without downloading " +
					"the URL (for runners without internet access). Graph still downloads the URL when it uploads.",
				Optional: true,
			},
			"sha256_file_hash": schema.StringAttribute{
				MarkdownDescription: "SHA-256 of the file at `upload_url`, 64 hex characters in either case, e.g. `filesha256(\"contoso.p7b\")` " +
					"or PowerShell's `Get-FileHash`. Changing it (to rotate the bundle) is an in-place update: the apply adds " +
					"the certificate authorities of the new file that the PKI lacks (uploading the file when it holds none of " +
					"them, else adding them one by one), then deletes those that left the file; the ones both files hold are " +
					"never touched.",
				Required: true,
				Validators: []validator.String{stringvalidator.RegexMatches(common.SHA256Pattern,
					"must be the file's SHA-256 as 64 hexadecimal characters, e.g. filesha256(\"contoso.p7b\")")},
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
			"certificate_authority_settings": caSettingsAttribute(),
			"certificate_authorities": schema.ListNestedAttribute{
				MarkdownDescription: "The certificate authorities of the file, as the PKI holds them, in file order. The plan " +
					"already shows, read from the verified file, each CA's thumbprint, subject, subject key identifier, and for a " +
					"CA new to the PKI the type, expiration and CRL URL Graph derives from its certificate. If one is deleted " +
					"outside Terraform, the next plan shows an in-place update that adds it again.",
				Computed:      true,
				PlanModifiers: []planmodifier.List{listplanmodifier.UseStateForUnknown()},
				NestedObject:  schema.NestedAttributeObject{Attributes: caResourceAttributes()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "How long to wait for the upload job (default 45m; a job can take 30 minutes).",
				ReadDescription:   "How long reading the PKI and its certificate authorities may take (default 5m).",
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
	attrs["is_issuer_hint_enabled"] = schema.BoolAttribute{MarkdownDescription: isIssuerHintDescription, Computed: true}
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
	return len(recorded) == 0
}

func (r *uploadResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state uploadModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pkiID := state.PKIID.ValueString()
	// The identity first, so every return below has one: the framework requires an identity after every Read,
	// also one that removes the resource, and Terraform before 1.12 sends none to start from.
	want := uploadIdentityOf(pkiID, state.SHA256FileHash.ValueString())
	resp.Diagnostics.Append(common.ReadIdentity(ctx, req.Identity, resp.Identity, want, want.sameAs)...)
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Read, defaultPKIReadTimeout)
	if !ok {
		return
	}
	defer op.End()
	g := r.client.Graph
	if known(state.SHA256FileHash) {
		state.ID = types.StringValue(uploadID(pkiID, state.SHA256FileHash.ValueString()))
	}
	p, err := readPKIAfterWrite(ctx, r.client, req.Private, pkiID)
	if graph.IsNotFound(err) && readUnderMissingPKI(ctx, r.client, pkiID, resp) { // parent_pki.go
		return
	}
	if err != nil {
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot read the PKI", Access: common.PKIRead,
			Timeout: "read", Doing: "Reading PKI " + pkiID}, err))
		return
	}
	state.Status = types.StringValue(p.Status)
	state.StatusDetails = types.StringValue(p.StatusDetails)

	recorded, diags := caListModels(ctx, state.CertificateAuthorities)
	resp.Diagnostics.Append(diags...)
	if len(recorded) > 0 {
		cas, err := g.ListCertificateAuthorities(ctx, pkiID)
		if err != nil {
			resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot read the PKI's certificate authorities",
				Access: common.PKIRead, Timeout: "read", Doing: "Listing the certificate authorities of PKI " + pkiID}, err))
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
			refreshed = append(refreshed, caModel(r.client, ca))
		}
		list, d := types.ListValueFrom(ctx, certificateAuthorityObjectType, refreshed)
		resp.Diagnostics.Append(d...)
		state.CertificateAuthorities = list
		settings, d := refreshSettings(ctx, state.CASettings, cas)
		resp.Diagnostics.Append(d...)
		state.CASettings = settings
	}
	if _, ok := clients.WrittenAt(ctx, req.Private); ok {
		resp.Diagnostics.Append(clients.ClearWritten(ctx, resp.Private)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *uploadResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state uploadModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Delete, defaultUploadTimeout)
	if !ok {
		return
	}
	defer op.End()
	recorded, diags := caListModels(ctx, state.CertificateAuthorities)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	pkiID := state.PKIID.ValueString()
	ctx = tflog.SetField(ctx, "pki_id", pkiID)
	// Delete only the CAs this upload added: never one it adopted (another object or an admin put it there), nor one
	// that an object created or updated in this run declares (create_before_destroy: the new object holds the
	// deposed one's CAs).
	adopted := adoptedOf(ctx, req.Private)
	var doomed []certificateAuthorityModel
	for _, m := range recorded {
		thumb := strings.ToUpper(m.Thumbprint.ValueString())
		switch {
		case adopted[thumb]:
			tflog.Info(ctx, "Keeping a certificate authority this upload adopted, not added", map[string]any{"thumbprint": thumb})
		default:
			doomed = append(doomed, m)
		}
	}
	if len(recorded) == 0 && graph.PKIRunning(state.Status.ValueString()) {
		// An upload interrupted while its job ran has nothing recorded to delete. Not waiting for the job matters
		// for -replace of such a tainted upload: the replacement then sees this job running, waits for it and
		// takes its CAs as added by this upload, not as someone else's.
		tflog.Info(ctx, "The upload's job is still running and nothing is recorded; nothing to delete")
		return
	}
	if err := r.deleteCertificateAuthorities(ctx, pkiID, doomed, op.Deadline); err != nil {
		resp.Diagnostics.AddError("Cannot delete the uploaded certificate authorities",
			fmt.Sprintf("%v\n\nRun terraform destroy again once the cause is fixed; certificate authorities already deleted are skipped.", err))
	}
}

func (r *uploadResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, ok := uploadImportID.FromRequest(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	pkiID, hash := parts[0], parts[1]
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, uploadIdentityOf(pkiID, hash))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), uploadID(pkiID, hash))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("pki_id"), pkiID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("sha256_file_hash"), hash)...)
	// upload_url stays null and nothing is recorded: the next plan adopts the configured URL in place,
	// downloading the file to learn which certificate authorities are this upload's, and refuses when they are
	// not all in the PKI (the private mark).
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, []byte(`{"imported":true}`))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("certificate_authorities"),
		types.ListValueMust(certificateAuthorityObjectType, nil))...)
}

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
		resp.Diagnostics.AddAttributeError(req.Path, req.Path.String()+" is not an http or https URL", msg)
	}
}
