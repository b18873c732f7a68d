package apiconnector

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultDeleteTimeout = 5 * time.Minute
)

var (
	_ resource.ResourceWithConfigure        = (*certificateResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*certificateResource)(nil)
	_ resource.ResourceWithImportState      = (*certificateResource)(nil)
	_ resource.ResourceWithConfigValidators = (*certificateResource)(nil)
)

// NewCertificateResource is the entracert_api_connector_client_certificate resource.
func NewCertificateResource() resource.Resource { return &certificateResource{} }

type certificateResource struct {
	client *clients.Client
}

type certificateModel struct {
	ID             types.String   `tfsdk:"id"`
	APIConnectorID types.String   `tfsdk:"api_connector_id"`
	PKCS12Value    types.String   `tfsdk:"pkcs12_value"`
	PKCS12ValueWO  types.String   `tfsdk:"pkcs12_value_wo"`
	Password       types.String   `tfsdk:"password"`
	PasswordWO     types.String   `tfsdk:"password_wo"`
	Thumbprint     types.String   `tfsdk:"thumbprint"`
	Subject        types.String   `tfsdk:"subject"`
	NotBefore      types.String   `tfsdk:"not_before"`
	NotAfter       types.String   `tfsdk:"not_after"`
	IsActive       types.Bool     `tfsdk:"is_active"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

func (m *certificateModel) input() certificateInput {
	return inputFromConfig(m.PKCS12Value, m.PKCS12ValueWO, m.Password, m.PasswordWO)
}

func (r *certificateResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_api_connector_client_certificate"
}

func (r *certificateResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computedString := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Uploads a client certificate (PFX) to an Entra External ID / Azure AD B2C API connector, " +
			"so the connector authenticates to its REST API with it.\n\n" +
			"The provider decodes the PFX while planning, so `thumbprint`, `subject`, `not_before` and `not_after` are " +
			"known in the plan, and a bad file, a wrong password or an expired certificate fails the plan before anything " +
			"is uploaded. The thumbprint is the resource's identity: a PFX holding another certificate replaces the " +
			"resource; the same certificate exported again (another password or encryption) changes nothing in Graph. " +
			"Before uploading, the provider re-encodes the PFX as TripleDES with a SHA-1 MAC (same key, chain, password and " +
			"thumbprint), because Azure AD B2C refuses AES-encrypted (PBES2) files; a connector on basic authentication " +
			"is switched to certificate authentication, and the plan says so.\n\n" +
			"Microsoft Graph cannot remove a single certificate from a connector: destroying this resource only removes it " +
			"from the Terraform state. To rotate, give the new certificate with `lifecycle { create_before_destroy = true }`: " +
			"Graph makes the most recently uploaded valid certificate the active one.\n\n" +
			"Prefer the write-only `pkcs12_value_wo` and `password_wo` (Terraform 1.11 or later): they never reach the plan or state. " +
			"API connectors exist in the global and China clouds only.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "`{api_connector_id}/{thumbprint}`: the connector's ID in lower case, the thumbprint in upper case.",
			},
			attrAPIConnectorID: schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The object ID of the API connector, a GUID (any letter case; `id` and the identity hold it in " +
					"lower case). The plan fails when Graph has no connector with this ID (looked for again for 30 seconds, in case " +
					"it was created moments ago), unless the ID is only known at apply; while this resource is still in the saved " +
					"state (its connector deleted since), the plan only warns, so that `terraform destroy` works, and the apply fails. " +
					"Changing it to another connector uploads the certificate there (the certificate stays on the old one); " +
					"changing only its letter case is an in-place update that calls Graph for nothing.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(otherConnector,
					"Another API connector (not only another letter case) replaces the resource.",
					"Another API connector (not only another letter case) replaces the resource.")},
				Validators: []validator.String{connectorIDValidator{}},
			},
			attrPKCS12Value: schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The PFX (PKCS#12) file with the certificate and its private key, base64-encoded, e.g. " +
					"`filebase64(\"client.pfx\")`. Kept in the state (marked sensitive). Exactly one of `pkcs12_value` and `pkcs12_value_wo` is required.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			attrPKCS12ValueWO: schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				WriteOnly: true,
				MarkdownDescription: "Write-only variant of `pkcs12_value` (Terraform 1.11 or later): never stored in plan or state. " +
					"A change to another certificate is still detected, through the planned `thumbprint`.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			attrPassword: schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				MarkdownDescription: "The PFX's password, kept in the state (marked sensitive). Omit it, or set `\"\"`, for a PFX without a password. At most one of `password` and `password_wo`.",
			},
			attrPasswordWO: schema.StringAttribute{
				Optional:            true,
				Sensitive:           true,
				WriteOnly:           true,
				MarkdownDescription: "Write-only variant of `password` (Terraform 1.11 or later): never stored in plan or state.",
			},
			"thumbprint": computedString("The certificate's thumbprint as Graph shows it: uppercase hex SHA-1 of the leaf " +
				"certificate (the one matching the private key). Known at plan time."),
			"subject": computedString("The certificate's subject (RFC 2253). Known at plan time. Graph does not report it, so " +
				"after an import it stays empty until the certificate is next changed."),
			"not_before": computedString("Start of the certificate's validity, RFC 3339 in UTC. Known at plan time."),
			"not_after":  computedString("End of the certificate's validity, RFC 3339 in UTC. Known at plan time."),
			"is_active": schema.BoolAttribute{
				Computed: true,
				MarkdownDescription: "Whether Graph uses this certificate now: the most recently uploaded certificate that is " +
					"valid now is the active one.",
			},
		},
		Blocks: map[string]schema.Block{
			// No update: an update only records configuration in the state (another certificate replaces the resource).
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Delete: true,
				CreateDescription: "How long uploading the certificate may take, including waiting out throttling and finding it after a lost answer (default 10m).",
				ReadDescription:   "How long reading the API connector may take, including waiting for a certificate uploaded moments ago to show (default 5m).",
				DeleteDescription: "How long removing the certificate from the state may take (default 5m). Graph is not called: it cannot remove a single certificate.",
			}),
		},
	}
}

func (r *certificateResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.Conflicting(path.MatchRoot(attrPKCS12Value), path.MatchRoot(attrPKCS12ValueWO)),
		pfxRequired{}, // neither: says what to add (certificate_pfx_required.go)
		resourcevalidator.Conflicting(path.MatchRoot(attrPassword), path.MatchRoot(attrPasswordWO)),
	}
}

func (r *certificateResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

func (r *certificateResource) now() time.Time {
	if r.client != nil && r.client.Clock != nil {
		return r.client.Clock.Now()
	}
	return time.Now()
}

// unsupportedCloud explains why API connectors cannot be managed in the configured cloud.
func unsupportedCloud(c *clients.Client) (summary, detail string, bad bool) {
	if c == nil || c.SupportsAPIConnectors() {
		return "", "", false
	}
	return "API connectors are not available in this cloud",
		fmt.Sprintf("The provider is configured for the %q cloud. Microsoft Graph offers API connectors (Entra External ID / "+
			"Azure AD B2C) only in the global and China clouds, not in US Government L4 or L5. Use a provider configuration "+
			"with environment = \"public\" or \"china\" for this resource.", c.Environment), true
}

func (r *certificateResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		// Destroy: say at plan time what it means for Graph. Only here: Delete only logs it, so that
		// `terraform destroy` (a plan, then an apply) prints it once.
		var state certificateModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if !resp.Diagnostics.HasError() {
			resp.Diagnostics.AddWarning("The certificate stays on the API connector", destroyDetail(state))
		}
		return
	}
	if summary, detail, bad := unsupportedCloud(r.client); bad {
		resp.Diagnostics.AddError(summary, detail)
		return
	}

	var cfg, plan certificateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	var state *certificateModel
	if !req.State.Raw.IsNull() {
		state = &certificateModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}

	in := cfg.input()
	if !in.Present {
		return // the config validators say what is missing
	}
	// Another letter case of the same ID is the same connector (Graph matches IDs in any case).
	sameConnector := state != nil && !plan.APIConnectorID.IsUnknown() &&
		strings.EqualFold(state.APIConnectorID.ValueString(), plan.APIConnectorID.ValueString())

	if !in.Known {
		// Validated again in Create, before any upload.
		plan.ID = types.StringUnknown()
		plan.Thumbprint = types.StringUnknown()
		plan.Subject = types.StringUnknown()
		plan.NotBefore = types.StringUnknown()
		plan.NotAfter = types.StringUnknown()
		plan.IsActive = types.BoolUnknown()
		if state != nil {
			resp.RequiresReplace = append(resp.RequiresReplace, path.Root("thumbprint"))
			resp.Diagnostics.Append(replacedWarning(*state, sameConnector))
		}
		if !plan.APIConnectorID.IsUnknown() {
			resp.Diagnostics.Append(r.connectorChecks(ctx, plan.APIConnectorID.ValueString(), "", in.PKCS12Attr)...)
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}

	cert, diags := decodeCertificate(in, r.now())
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}

	plan.Thumbprint = types.StringValue(cert.Thumbprint)
	plan.NotBefore = types.StringValue(formatTime(cert.NotBefore))
	plan.NotAfter = types.StringValue(formatTime(cert.NotAfter))
	plan.Subject = types.StringValue(cert.Subject)
	if plan.APIConnectorID.IsUnknown() {
		plan.ID = types.StringUnknown()
	} else {
		plan.ID = types.StringValue(certificateID(plan.APIConnectorID.ValueString(), cert.Thumbprint))
	}

	sameCertificate := state != nil && strings.EqualFold(state.Thumbprint.ValueString(), cert.Thumbprint)
	switch {
	case sameCertificate && sameConnector:
		// Nothing changes in Graph: keep what Graph last said about the certificate.
		plan.IsActive = state.IsActive
		if !state.NotBefore.IsNull() {
			plan.NotBefore = state.NotBefore
		}
		if !state.NotAfter.IsNull() {
			plan.NotAfter = state.NotAfter
		}
		if state.Subject.IsNull() {
			// Imported: Graph cannot tell the subject. Fill it in only along with another change, so that a
			// plan right after an import is empty.
			plan.Subject = types.StringNull()
			resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
			if resp.Diagnostics.HasError() || resp.Plan.Raw.Equal(req.State.Raw) {
				return
			}
			plan.Subject = types.StringValue(cert.Subject)
		}
	case state != nil && !sameCertificate:
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("thumbprint"))
		plan.IsActive = types.BoolUnknown()
	default:
		plan.IsActive = types.BoolUnknown()
	}
	if state != nil && (!sameCertificate || !sameConnector) {
		resp.Diagnostics.Append(replacedWarning(*state, sameConnector))
	}
	if creating := !sameCertificate || !sameConnector; creating && !plan.APIConnectorID.IsUnknown() {
		resp.Diagnostics.Append(r.connectorChecks(ctx, plan.APIConnectorID.ValueString(), cert.Thumbprint, in.PKCS12Attr)...)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// otherConnector is api_connector_id's replacement rule: another connector replaces the resource, another letter
// case of the same ID does not (Graph matches object IDs in any case).
func otherConnector(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
	resp.RequiresReplace = !strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString())
}

// replacedWarning says at plan time that a replacement leaves the replaced certificate on its connector. Said at
// plan time only: at apply, the new object is planned again without prior state, so this is not repeated.
func replacedWarning(state certificateModel, sameConnector bool) diag.Diagnostic {
	where := "stays on API connector " + normalizeGUID(state.APIConnectorID.ValueString())
	if sameConnector {
		where += "; Graph makes the newly uploaded certificate the active one once it is valid"
	}
	return diag.NewWarningDiagnostic("The replaced certificate stays on the API connector",
		fmt.Sprintf("Microsoft Graph cannot remove a single certificate from an API connector, so replacing this resource "+
			"removes the old certificate %s from the Terraform state only: it %s.",
			strings.ToUpper(state.Thumbprint.ValueString()), where))
}

func (r *certificateResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, cfg certificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Create, defaultCreateTimeout)
	if !ok {
		return
	}
	defer op.End()
	if summary, detail, bad := unsupportedCloud(r.client); bad {
		resp.Diagnostics.AddError(summary, detail)
		return
	}

	// The values may have been unknown while planning: check them now, before anything is uploaded.
	in := cfg.input()
	if !in.Present || !in.Known {
		resp.Diagnostics.AddAttributeError(path.Root(attrPKCS12ValueWO), "PFX missing",
			"Set exactly one of pkcs12_value and pkcs12_value_wo to the base64-encoded PFX.")
		return
	}
	cert, diags := decodeCertificate(in, r.now())
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}
	if !plan.Thumbprint.IsUnknown() && !strings.EqualFold(plan.Thumbprint.ValueString(), cert.Thumbprint) {
		resp.Diagnostics.AddAttributeError(path.Root(in.PKCS12Attr), "PFX changed between plan and apply",
			fmt.Sprintf("The plan was made for the certificate with thumbprint %s, but %s now holds %s. Run terraform plan again.",
				plan.Thumbprint.ValueString(), in.PKCS12Attr, cert.Thumbprint))
		return
	}

	// Graph (Azure AD B2C) refuses AES-encrypted PFX files: upload the same key and chain as TripleDES-SHA1.
	pfx, err := pkcs.ReencodeForGraph(in.PKCS12Base64, in.Password)
	if err != nil {
		// The PFX decoded a moment ago; pkcs's messages never contain the PFX or the password.
		resp.Diagnostics.AddAttributeError(path.Root(in.PKCS12Attr), "Cannot prepare the PFX for Graph",
			fmt.Sprintf("Re-encoding the PFX in %s with TripleDES (the encryption Graph accepts) failed: %v. Export the "+
				"certificate and its private key again as .pfx.", in.PKCS12Attr, err))
		return
	}

	connectorID := plan.APIConnectorID.ValueString()
	info, outcome, err := ensureCertificate(ctx, r.client, upload{
		ConnectorID: connectorID, PKCS12Base64: pfx, Password: in.Password, Thumbprint: cert.Thumbprint, Deadline: op.Deadline,
	})
	if err != nil {
		resp.Diagnostics.Append(uploadError(connectorID, cert.Thumbprint, op.Timeout, ctx.Err() != nil, err))
		return
	}
	tflog.Info(ctx, "client certificate is on the API connector", map[string]any{
		"api_connector_id": connectorID, "thumbprint": cert.Thumbprint, "adopted": outcome == outcomeAdopted,
		"switched_from_basic_authentication": outcome == outcomeSwitched,
	})

	plan.ID = types.StringValue(certificateID(connectorID, cert.Thumbprint))
	plan.Thumbprint = types.StringValue(cert.Thumbprint)
	plan.Subject = types.StringValue(cert.Subject)
	if plan.NotBefore.IsUnknown() {
		plan.NotBefore = types.StringValue(formatTime(cert.NotBefore))
	}
	if plan.NotAfter.IsUnknown() {
		plan.NotAfter = types.StringValue(formatTime(cert.NotAfter))
	}
	plan.IsActive = types.BoolValue(info.IsActive)
	plan.PKCS12ValueWO = types.StringNull()
	plan.PasswordWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, certificateIdentityOf(connectorID, cert.Thumbprint))...)
	if outcome != outcomeAdopted {
		resp.Diagnostics.Append(clients.MarkWritten(ctx, resp.Private, r.now())...)
	}
}

// uploadError turns a failed upload into a diagnostic that says what happened and what to do. It classifies the
// failure by what Graph's answer means; Graph's messages carry neither the PFX nor the password.
func uploadError(connectorID, thumbprint string, timeout time.Duration, timedOut bool, err error) diag.Diagnostic {
	const summary = "Cannot upload the client certificate"
	what := fmt.Sprintf("the certificate %s to API connector %s", thumbprint, connectorID)
	switch kind := graph.KindOf(err); {
	case kind == graph.KindNotFound:
		return diag.NewAttributeErrorDiagnostic(path.Root(attrAPIConnectorID), "API connector not found",
			fmt.Sprintf("No API connector with ID %q exists (Graph: %v). Check api_connector_id; the entracert_api_connector "+
				"data source can look a connector up by display_name.", connectorID, err))
	case kind == graph.KindThrottled:
		return diag.NewErrorDiagnostic(summary,
			fmt.Sprintf("Graph throttled the upload of %s beyond the deadline (%s): it kept answering 429 Too Many Requests, "+
				"and the provider sent the upload again after each Retry-After until the time ran out (%v). Nothing was "+
				"uploaded. Apply again later, or raise timeouts.create.", what, timeout, err))
	case timedOut || graph.IsWaitTimeout(err):
		return diag.NewErrorDiagnostic("Timed out uploading the client certificate",
			fmt.Sprintf("The certificate %s did not show up on API connector %s within %s (%v). If it was uploaded, the next "+
				"apply adopts it without uploading it again. Raise timeouts.create if Graph is slow.", thumbprint, connectorID, timeout, err))
	case kind == graph.KindBadRequest:
		return diag.NewErrorDiagnostic(summary,
			fmt.Sprintf("Graph refused %s as bad input: %v. Check api_connector_id (an API connector's ID) and the PFX: "+
				"it must hold the client certificate with its private key, and Graph accepts only certificates it can parse.", what, err))
	case kind == graph.KindOutcomeUnknown || graph.IsWriteLost(err):
		return diag.NewErrorDiagnostic(summary,
			fmt.Sprintf("The outcome of the upload of %s is unknown: Graph's answer was lost or it failed (%v). The next "+
				"apply reads the connector first and adopts the certificate if it arrived, so it is not uploaded twice.", what, err))
	default: // a refusal names the permission and the role
		return common.GraphError(common.Failure{Summary: summary, Doing: "Uploading " + what, Access: common.APIConnectorsWrite,
			Timeout: "create"}, err)
	}
}

func (r *certificateResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state certificateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Before anything else: the framework wants an identity even with the resource removed from state.
	want := certificateIdentityOf(state.APIConnectorID.ValueString(), state.Thumbprint.ValueString())
	resp.Diagnostics.Append(common.ReadIdentity(ctx, req.Identity, resp.Identity, want, want.sameAs)...)
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Read, defaultReadTimeout)
	if !ok {
		return
	}
	defer op.End()
	readFailed := common.Failure{Summary: "Cannot read the API connector", Access: common.APIConnectorsRead, Timeout: "read",
		Doing: fmt.Sprintf("Reading API connector %s (the state is kept as it was)", state.APIConnectorID.ValueString())}

	connectorID := state.APIConnectorID.ValueString()
	thumbprint := strings.ToUpper(state.Thumbprint.ValueString())
	fields := map[string]any{"api_connector_id": connectorID, "thumbprint": thumbprint}
	conn, err := r.client.Graph.GetAPIConnectorCached(ctx, connectorID)
	if graph.IsNotFound(err) {
		tflog.Warn(ctx, "API connector no longer exists; removing the certificate from state", fields)
		resp.Diagnostics.AddWarning("The API connector no longer exists",
			fmt.Sprintf("Graph has no API connector %s (deleted outside Terraform?), so the certificate %s is removed from "+
				"the Terraform state; a connector's certificates go with it. To put the certificate on another connector, set "+
				"api_connector_id to that connector's ID; otherwise remove this resource from the configuration. Until then, "+
				"applying fails, and later plans fail on api_connector_id.", normalizeGUID(connectorID), thumbprint))
		// The plan that follows in this run (terraform destroy's refresh plan too) must not fail on it: see connectorChecks.
		r.client.GoneParents.Mark(goneConnectorMark(connectorID))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(common.GraphError(readFailed, err))
		return
	}
	info := findCertificate(conn, thumbprint)
	if uploadedAt, ok := clients.WrittenAt(ctx, req.Private); ok {
		// Only a connector still on certificate authentication can be lagging: one switched to basic
		// authentication was changed after our upload, which is drift to show at once.
		if info == nil && conn.AuthenticationType == graph.AuthenticationCertificate && r.now().Before(uploadedAt.Add(graph.NewObjectVisibleWindow)) {
			// Uploaded moments ago by this resource: Graph's readers may not show it yet.
			tflog.Info(ctx, "certificate uploaded recently and not listed yet; waiting for Graph's readers", fields)
			info, _, err = graph.ReadAfterWrite(ctx, r.client.Clock, graph.WaitOptions{
				What: fmt.Sprintf("certificate %s on API connector %s", thumbprint, connectorID), Deadline: op.Deadline, LogFields: fields,
			}, uploadedAt, graph.NewObjectVisibleWindow, lookCertificate(r.client, connectorID, thumbprint))
			if err != nil {
				resp.Diagnostics.Append(common.GraphError(readFailed, err))
				return
			}
		}
		if info != nil {
			resp.Diagnostics.Append(clients.ClearWritten(ctx, resp.Private)...)
		}
	}
	if info == nil {
		tflog.Warn(ctx, "the API connector no longer lists the certificate (removed, or switched to basic authentication); "+
			"removing it from state", fields)
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(certificateID(connectorID, thumbprint))
	state.Thumbprint = types.StringValue(thumbprint)
	state.NotBefore = types.StringValue(formatTime(info.NotBefore))
	state.NotAfter = types.StringValue(formatTime(info.NotAfter))
	state.IsActive = types.BoolValue(info.IsActive)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only records configuration changes that keep the same certificate (re-exported PFX, another password,
// moving between the sensitive and the write-only attributes, timeouts): a different certificate is a replacement.
func (r *certificateResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state certificateModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.Thumbprint.IsUnknown() || !strings.EqualFold(plan.Thumbprint.ValueString(), state.Thumbprint.ValueString()) {
		resp.Diagnostics.AddError("Unexpected certificate change in an update",
			"A different certificate must replace the resource. This is a bug in the provider; please report it.")
		return
	}
	if plan.IsActive.IsUnknown() {
		plan.IsActive = state.IsActive
	}
	plan.PKCS12ValueWO = types.StringNull()
	plan.PasswordWO = types.StringNull()
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, certificateIdentityOf(plan.APIConnectorID.ValueString(), plan.Thumbprint.ValueString()))...)
}

func destroyDetail(state certificateModel) string {
	return fmt.Sprintf("Microsoft Graph cannot remove a single certificate from an API connector, so destroying this resource "+
		"only removes it from the Terraform state: the certificate %s stays on API connector %s, and Graph keeps using it "+
		"while it is the most recently uploaded valid certificate. To remove all of a connector's certificates, switch the connector to basic authentication "+
		"(in the portal or with PATCH /identity/apiConnectors/{id}), or delete the connector.",
		state.Thumbprint.ValueString(), state.APIConnectorID.ValueString())
}

func (r *certificateResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state certificateModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Delete, defaultDeleteTimeout)
	if !ok {
		return
	}
	defer op.End()
	// The plan said so (ModifyPlan's destroy warning, or replacedWarning): a warning here too would print it twice.
	tflog.Info(ctx, "removing the certificate from state only; Graph cannot remove a single certificate", map[string]any{
		"api_connector_id": state.APIConnectorID.ValueString(), "thumbprint": state.Thumbprint.ValueString(),
	})
}

func (r *certificateResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, ok := certificateImportID.FromRequest(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	connectorID, thumbprint := parts[0], parts[1]
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), certificateID(connectorID, thumbprint))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(attrAPIConnectorID), connectorID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("thumbprint"), thumbprint)...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, certificateIdentityOf(connectorID, thumbprint))...)
}
