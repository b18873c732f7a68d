package pki

import (
	"context"
	"encoding/pem"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

const (
	caTypeRoot         = "root"
	caTypeIntermediate = "intermediate"
	// defaultCAWriteTimeout: a write waits for the PKI's lock, which an upload in the same run holds while its job
	// runs (up to 30 minutes), as the upload's own default does.
	defaultCAWriteTimeout = defaultUploadTimeout
)

var (
	_ resource.ResourceWithConfigure      = (*caResource)(nil)
	_ resource.ResourceWithModifyPlan     = (*caResource)(nil)
	_ resource.ResourceWithImportState    = (*caResource)(nil)
	_ resource.ResourceWithIdentity       = (*caResource)(nil)
	_ resource.ResourceWithValidateConfig = (*caResource)(nil)
)

// NewCAResource is entracert_certificate_based_auth_certificate_authority.
func NewCAResource() resource.Resource { return &caResource{} }

type caResource struct {
	client *clients.Client
}

type caResourceModel struct {
	ID                                types.String   `tfsdk:"id"`
	PKIID                             types.String   `tfsdk:"pki_id"`
	Certificate                       types.String   `tfsdk:"certificate"`
	CertificateAuthorityType          types.String   `tfsdk:"certificate_authority_type"`
	CertificateRevocationListURL      types.String   `tfsdk:"certificate_revocation_list_url"`
	DeltaCertificateRevocationListURL types.String   `tfsdk:"delta_certificate_revocation_list_url"`
	IsIssuerHintEnabled               types.Bool     `tfsdk:"is_issuer_hint_enabled"`
	CertificateAuthorityID            types.String   `tfsdk:"certificate_authority_id"`
	Thumbprint                        types.String   `tfsdk:"thumbprint"`
	DisplayName                       types.String   `tfsdk:"display_name"`
	Issuer                            types.String   `tfsdk:"issuer"`
	IssuerSubjectKeyIdentifier        types.String   `tfsdk:"issuer_subject_key_identifier"`
	SubjectKeyIdentifier              types.String   `tfsdk:"subject_key_identifier"`
	ExpirationDateTime                types.String   `tfsdk:"expiration_date_time"`
	Timeouts                          timeouts.Value `tfsdk:"timeouts"`
}

type caIdentityModel struct {
	PKIID      types.String `tfsdk:"pki_id"`
	Thumbprint types.String `tfsdk:"thumbprint"`
}

func caResourceID(pkiID, thumbprint string) string {
	return normalPKIID(pkiID) + "/" + strings.ToUpper(thumbprint)
}

// caIdentityOf is the identity of the CA at pkiID with thumbprint, normalised as import IDs are.
func caIdentityOf(pkiID, thumbprint string) caIdentityModel {
	return caIdentityModel{PKIID: types.StringValue(normalPKIID(pkiID)), Thumbprint: types.StringValue(strings.ToUpper(thumbprint))}
}

// sameAs reports whether a prior identity names the same CA as want (in any letter case).
func (want caIdentityModel) sameAs(prior caIdentityModel) bool {
	return strings.EqualFold(prior.PKIID.ValueString(), want.PKIID.ValueString()) &&
		strings.EqualFold(prior.Thumbprint.ValueString(), want.Thumbprint.ValueString())
}

func (r *caResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_based_auth_certificate_authority"
}

func (r *caResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"pki_id":     identityschema.StringAttribute{RequiredForImport: true, Description: "ID of the PKI."},
			"thumbprint": identityschema.StringAttribute{RequiredForImport: true, Description: "Uppercase SHA-1 thumbprint of the certificate."},
		},
	}
}

func (r *caResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true,
			PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One trusted certificate authority of an Entra certificate-based-authentication PKI, added directly " +
			"(`POST .../certificateAuthorities`) rather than through a `.p7b` upload: no public URL is needed, and tenants without " +
			"Entra ID P1/P2 can add their CAs one by one this way.\n\n" +
			"A certificate whose thumbprint is already in the PKI is refused at plan time; bring it under management with `terraform import` " +
			"instead. The certificate is checked at plan time: a certificate that is not a CA, an expired one and one expiring within " +
			"30 days are warned about. Destroying the resource deletes the CA from the PKI.\n\n" +
			"A CA deleted outside Terraform stays in Graph's deleted items for 30 days: meanwhile the plan is an in-place update " +
			"with a warning, and the apply restores it (same Graph ID and settings). Once purged, the plan adds it anew. Under a " +
			"PKI deleted outside Terraform the resource keeps its state while the PKI is restorable (its CA comes back with the " +
			"PKI), and is planned anew once the PKI is purged. `pki_id` must be a GUID naming a PKI Graph has: otherwise the plan fails.",
		Attributes: map[string]schema.Attribute{
			"id": computed("`{pki_id}/{thumbprint}`."),
			"pki_id": schema.StringAttribute{
				MarkdownDescription: "ID of the PKI (`entracert_certificate_based_auth_pki`). Changing it moves the CA: it is added to the new PKI and deleted from the old one.",
				Required:            true,
				Validators:          []validator.String{pkiIDValidator{}},
				PlanModifiers:       []planmodifier.String{pkiIDRequiresReplace()},
			},
			"certificate": schema.StringAttribute{
				MarkdownDescription: "The CA certificate: PEM (`file(\"root.pem\")`) or base64 of its DER (`filebase64(\"root.cer\")`), at most 8 KB. " +
					"Changing it to another certificate replaces the CA; another encoding of the same certificate changes nothing in Graph.",
				Required: true,
				// Checked by ValidateConfig, which parses through the provider's cache of certificates.
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplaceIf(
					func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
						resp.RequiresReplace = !sameCertificate(nil, req.StateValue, req.PlanValue)
					},
					"Replaces the CA when the certificate (its thumbprint) changes.",
					"Replaces the CA when the certificate (its thumbprint) changes.",
				)},
			},
			"certificate_authority_type": schema.StringAttribute{
				MarkdownDescription: "`root` or `intermediate`. Default: `root` for a self-signed certificate, else `intermediate`. Changed in place. " +
					"Left out, the default is managed: a change made in the portal shows in the next plan and the apply sets it back.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{stringvalidator.OneOf(caTypeRoot, caTypeIntermediate)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"certificate_revocation_list_url": schema.StringAttribute{
				MarkdownDescription: "http URL of the CA's CRL (Entra checks only HTTP distribution points). Default: the certificate's first " +
					"HTTP CRL distribution point, as Graph sets it. `\"\"` sets none. Changed in place. Left out, the default is managed: " +
					"a change made in the portal shows in the next plan and the apply sets it back.",
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{crlURLValidator{}},
				// Not configured: the default is planned (ModifyPlan), so an admin's edit shows and is set back.
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"delta_certificate_revocation_list_url": schema.StringAttribute{
				MarkdownDescription: "http URL of the CA's delta CRL. Default: none. `\"\"` removes it. Changed in place. Left out, a delta CRL " +
					"set in the portal shows in the next plan and the apply removes it.",
				Optional:      true,
				Computed:      true,
				Validators:    []validator.String{crlURLValidator{}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"is_issuer_hint_enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether Entra sends this CA as an issuer hint when it asks for a certificate. Entra's CBA guide: enable it " +
					"only for the CAs that issue user certificates. Default: `false`. Changed in place. Left out, a hint enabled in the " +
					"portal shows in the next plan and the apply disables it.",
				Optional:      true,
				Computed:      true,
				PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
			"certificate_authority_id": computed("Graph's ID of the CA in the PKI."),
			"thumbprint":               computed("Uppercase hex SHA-1 of the certificate (known at plan time)."),
			"display_name":             computed("Graph's display name of the CA (the certificate's subject)."),
			"issuer":                   computed("The certificate's issuer, as Graph reports it."),
			"issuer_subject_key_identifier": computed("`issuerSubjectKeyIdentifier` as Graph reports it. Graph documents it as the CA's own " +
				"subject key identifier while its name says the issuer's; do not make policies depend on it, use `subject_key_identifier`."),
			"subject_key_identifier": computed("The CA's own subject key identifier, uppercase hex, read from the certificate (known at plan time); " +
				"what CBA policies name a CA by. Empty when the certificate has none."),
			"expiration_date_time": computed("When the certificate expires (RFC 3339, known at plan time)."),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "How long adding the certificate authority may take, including waiting for other changes to the PKI in this run (an upload's job can take 30 minutes) and finding it after a lost answer (default 45m).",
				ReadDescription:   "How long reading the certificate authority may take (default 5m).",
				UpdateDescription: "How long changing its settings or restoring it may take, including waiting for other changes to the PKI in this run (default 45m).",
				DeleteDescription: "How long deleting it may take, including waiting for other changes to the PKI in this run (default 45m).",
			}),
		},
	}
}

func (r *caResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.client = clients.FromProviderData(req.ProviderData, &resp.Diagnostics)
}

// parsedCertificate is the certificate of v, or nil when v is unknown, null or unreadable; c's cache parses each
// certificate once per provider process (nil c: every time).
func parsedCertificate(c *clients.Client, v types.String) *pkcs.CertificateAuthority {
	if !known(v) {
		return nil
	}
	ca, err := c.ParseCertificate([]byte(v.ValueString()))
	if err != nil {
		return nil
	}
	return &ca
}

// sameCertificate: both values name the same certificate (thumbprint), whatever their encoding. The same text is
// the same certificate without parsing (every plan of an unchanged CA asks); other texts are parsed through c's
// cache (nil c: every time, as in the schema's plan modifier, which has no provider data).
// A null state (after an import that could not recover the text) adopts the configured certificate in place.
func sameCertificate(c *clients.Client, state, plan types.String) bool {
	if state.IsNull() || state.Equal(plan) {
		return true
	}
	a, b := parsedCertificate(c, state), parsedCertificate(c, plan)
	return a != nil && b != nil && a.Thumbprint == b.Thumbprint
}

// caToModel copies what Graph reports into m; the subject key identifier comes from the certificate's DER (parsed
// through c's cache).
func caToModel(c *clients.Client, ca *graph.CertificateAuthority, pkiID string, m *caResourceModel) {
	m.ID = types.StringValue(caResourceID(pkiID, ca.Thumbprint))
	m.PKIID = types.StringValue(pkiID)
	m.CertificateAuthorityID = types.StringValue(ca.ID)
	m.Thumbprint = types.StringValue(ca.Thumbprint)
	m.DisplayName = types.StringValue(ca.DisplayName)
	m.Issuer = types.StringValue(ca.Issuer)
	m.IssuerSubjectKeyIdentifier = types.StringValue(ca.IssuerSubjectKeyIdentifier)
	m.ExpirationDateTime = timeString(ca.ExpirationDateTime)
	m.CertificateRevocationListURL = types.StringValue(ca.CertificateRevocationListURL)
	m.DeltaCertificateRevocationListURL = types.StringValue(ca.DeltaCertificateRevocationListURL)
	m.IsIssuerHintEnabled = types.BoolValue(ca.IsIssuerHintEnabled)
	m.CertificateAuthorityType = types.StringValue(ca.Type)
	ski := ""
	if facts := parsedCertificate(c, m.Certificate); facts != nil {
		ski = facts.SubjectKeyIdentifier
	} else if len(ca.Certificate) > 0 {
		if facts, err := c.ParseCertificate(ca.Certificate); err == nil {
			ski = facts.SubjectKeyIdentifier
		}
	}
	m.SubjectKeyIdentifier = types.StringValue(ski)
}

// holdPKI is the PKI's lock for the Graph layer's joined CA writes, which hold it while they send.
func (r *caResource) holdPKI(pkiID string) graph.Hold {
	return func(ctx context.Context) (func(), error) { return lockPKI(ctx, r.client.Locks, pkiID) }
}

func (r *caResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan caResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Create, defaultCAWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	facts, err := r.client.ParseCertificate([]byte(plan.Certificate.ValueString()))
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("certificate"), "Cannot add the certificate authority", certificateProblem(err))
		return
	}
	pkiID := plan.PKIID.ValueString()
	ctx = tflog.SetField(ctx, "pki_id", pkiID)
	ctx = tflog.SetField(ctx, "thumbprint", facts.Thumbprint)

	in := graph.NewCertificateAuthority{
		Certificate:        facts.DER,
		Thumbprint:         facts.Thumbprint,
		ExpirationDateTime: facts.NotAfter,
		IsRoot:             plan.CertificateAuthorityType.ValueString() == caTypeRoot,
	}
	// "" is Graph's own default for a certificate without an HTTP distribution point and for the delta CRL: sent
	// only when it overrides what Graph would set.
	if known(plan.CertificateRevocationListURL) && (plan.CertificateRevocationListURL.ValueString() != "" || facts.CRLURL != "") {
		in.CertificateRevocationListURL = plan.CertificateRevocationListURL.ValueStringPointer()
	}
	if known(plan.DeltaCertificateRevocationListURL) && plan.DeltaCertificateRevocationListURL.ValueString() != "" {
		in.DeltaCertificateRevocationListURL = plan.DeltaCertificateRevocationListURL.ValueStringPointer()
	}
	if !plan.IsIssuerHintEnabled.IsNull() && !plan.IsIssuerHintEnabled.IsUnknown() {
		in.IsIssuerHintEnabled = plan.IsIssuerHintEnabled.ValueBoolPointer()
	}
	ca, err := r.createOnce(ctx, pkiID, in, op.Deadline)
	if err != nil {
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot add the certificate authority", Access: common.PKIWrite,
			Timeout: "create", Doing: fmt.Sprintf("Adding certificate %s (%s) to PKI %s", facts.Thumbprint, facts.Subject, pkiID)}, err))
		return
	}
	caToModel(r.client, ca, pkiID, &plan)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, caIdentityOf(plan.PKIID.ValueString(), plan.Thumbprint.ValueString()))...)
	resp.Diagnostics.Append(clients.MarkWritten(ctx, resp.Private, r.client.Clock.Now())...)
}

// createOnce adds the CA so that it exists exactly once (graph.WriteOnce): after a lost answer it looks for the CA
// in the PKI's list and adopts it before sending the create again.
func (r *caResource) createOnce(ctx context.Context, pkiID string, in graph.NewCertificateAuthority, deadline time.Time) (*graph.CertificateAuthority, error) {
	g := r.client.Graph
	res, err := graph.WriteOnce[*graph.CertificateAuthority]{
		What:      "certificate authority " + in.Thumbprint + " in PKI " + pkiID,
		LogFields: map[string]any{"pki_id": pkiID, "thumbprint": in.Thumbprint},
		// Creates on one PKI that run at the same moment share $batch requests, sent under the PKI's lock.
		Send: func(ctx context.Context) (*graph.CertificateAuthority, error) {
			return g.CreateCertificateAuthorityJoined(ctx, pkiID, in, r.holdPKI(pkiID))
		},
		Look: func(ctx context.Context) (*graph.CertificateAuthority, bool, error) {
			ca, err := findCAByThumbprint(ctx, g, pkiID, in.Thumbprint)
			return ca, ca != nil, err
		},
		Deadline: deadline,
	}.Run(ctx, r.client.Clock)
	return res.Value, err
}

// findCAByThumbprint looks for the CA in the PKI's list as Graph holds it now (nil when absent).
func findCAByThumbprint(ctx context.Context, g *graph.Client, pkiID, thumbprint string) (*graph.CertificateAuthority, error) {
	cas, err := g.ListCertificateAuthorities(ctx, pkiID)
	return caWithThumbprint(cas, thumbprint), err
}

// findCAByThumbprintCached is findCAByThumbprint on the list the operation shares (plans and refreshes of every CA
// resource of the PKI read it once).
func findCAByThumbprintCached(ctx context.Context, g *graph.Client, pkiID, thumbprint string) (*graph.CertificateAuthority, error) {
	cas, err := g.ListCertificateAuthoritiesCached(ctx, pkiID)
	return caWithThumbprint(cas, thumbprint), err
}

func caWithID(cas []graph.CertificateAuthority, id string) *graph.CertificateAuthority {
	for i := range cas {
		if strings.EqualFold(cas[i].ID, id) {
			return &cas[i]
		}
	}
	return nil
}

func caWithThumbprint(cas []graph.CertificateAuthority, thumbprint string) *graph.CertificateAuthority {
	for i := range cas {
		if strings.EqualFold(cas[i].Thumbprint, thumbprint) {
			return &cas[i]
		}
	}
	return nil
}

func (r *caResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state caResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pkiID := state.PKIID.ValueString()
	// The identity first, so every return below has one (see the upload's Read).
	want := caIdentityOf(pkiID, state.Thumbprint.ValueString())
	resp.Diagnostics.Append(common.ReadIdentity(ctx, req.Identity, resp.Identity, want, want.sameAs)...)
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Read, defaultPKIReadTimeout)
	if !ok {
		return
	}
	defer op.End()
	g := r.client.Graph
	var ca *graph.CertificateAuthority
	var err error
	// The refreshes of every CA resource of the PKI share one read of its CA list (one request per page).
	cas, err := g.ListCertificateAuthoritiesCached(ctx, pkiID)
	if known(state.CertificateAuthorityID) {
		caID := state.CertificateAuthorityID.ValueString()
		ca = caWithID(cas, caID)
		if writtenAt, ok := clients.WrittenAt(ctx, req.Private); ok {
			if err == nil && ca == nil && r.client.Clock.Now().Before(writtenAt.Add(graph.NewObjectVisibleWindow)) {
				// Just added: Graph's reads may not show it yet.
				ca, _, err = graph.ReadAfterWrite(ctx, r.client.Clock, graph.WaitOptions{
					What: "certificate authority " + caID + " of PKI " + pkiID + " to be readable", LogFields: map[string]any{"pki_id": pkiID},
				}, writtenAt, graph.NewObjectVisibleWindow, func(ctx context.Context) (*graph.CertificateAuthority, bool, error) {
					ca, err := g.GetCertificateAuthority(ctx, pkiID, caID)
					return ca, err == nil, err
				})
			}
			if err == nil && ca != nil {
				resp.Diagnostics.Append(clients.ClearWritten(ctx, resp.Private)...)
			}
		}
	} else {
		// After an import only the thumbprint is known.
		ca = caWithThumbprint(cas, state.Thumbprint.ValueString())
	}
	if (graph.IsNotFound(err) || err == nil && ca == nil) && readMissingCA(ctx, r.client, pkiID, state.CertificateAuthorityID.ValueString(), resp) { // ca_restore.go
		return
	}
	if graph.IsNotFound(err) || (err == nil && ca == nil) {
		tflog.Warn(ctx, "Certificate authority no longer exists; removing it from the state",
			map[string]any{"pki_id": pkiID, "thumbprint": state.Thumbprint.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot read the certificate authority", Access: common.PKIRead,
			Timeout: "read", Doing: fmt.Sprintf("Reading certificate authority %s of PKI %s", state.Thumbprint.ValueString(), pkiID)}, err))
		return
	}
	if state.Certificate.IsNull() && len(ca.Certificate) > 0 {
		state.Certificate = types.StringValue(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Certificate})))
	}
	caToModel(r.client, ca, pkiID, &state)
	inStateOf(r.client).add(ca.ID)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *caResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state caResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Update, defaultCAWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	pkiID, caID := state.PKIID.ValueString(), state.CertificateAuthorityID.ValueString()
	if err := restoreDeletedCA(ctx, r.client, pkiID, req, resp); err != nil { // ca_restore.go
		resp.Diagnostics.AddError("Cannot restore the certificate authority", err.Error())
		return
	}
	var set graph.CertificateAuthoritySettings
	changed := false
	if known(plan.CertificateRevocationListURL) && !plan.CertificateRevocationListURL.Equal(state.CertificateRevocationListURL) {
		set.CertificateRevocationListURL, changed = plan.CertificateRevocationListURL.ValueStringPointer(), true
	}
	if known(plan.DeltaCertificateRevocationListURL) && !plan.DeltaCertificateRevocationListURL.Equal(state.DeltaCertificateRevocationListURL) {
		set.DeltaCertificateRevocationListURL, changed = plan.DeltaCertificateRevocationListURL.ValueStringPointer(), true
	}
	if !plan.IsIssuerHintEnabled.IsUnknown() && !plan.IsIssuerHintEnabled.IsNull() && !plan.IsIssuerHintEnabled.Equal(state.IsIssuerHintEnabled) {
		set.IsIssuerHintEnabled, changed = plan.IsIssuerHintEnabled.ValueBoolPointer(), true
	}
	if known(plan.CertificateAuthorityType) && !plan.CertificateAuthorityType.Equal(state.CertificateAuthorityType) {
		isRoot := plan.CertificateAuthorityType.ValueString() == caTypeRoot
		set.IsRoot, changed = &isRoot, true
	}
	var ca *graph.CertificateAuthority
	var err error
	if changed {
		unlock, lerr := lockPKI(ctx, r.client.Locks, pkiID)
		if lerr != nil {
			resp.Diagnostics.AddError("Cannot update the certificate authority", fmt.Sprintf("PKI %s: %v. Raise timeouts.update if other changes to it take longer.", pkiID, lerr))
			return
		}
		ca, err = r.client.Graph.UpdateCertificateAuthority(ctx, pkiID, caID, set)
		unlock()
	} else {
		// Only the certificate's text changed (same certificate): nothing to write.
		ca, err = r.client.Graph.GetCertificateAuthority(ctx, pkiID, caID)
	}
	if err != nil {
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot update the certificate authority", Access: common.PKIWrite,
			Timeout: "update", Doing: fmt.Sprintf("Updating certificate authority %s of PKI %s", state.Thumbprint.ValueString(), pkiID)}, err))
		return
	}
	caToModel(r.client, ca, plan.PKIID.ValueString(), &plan) // the configured case of pki_id (a case-only change writes nothing)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, caIdentityOf(plan.PKIID.ValueString(), plan.Thumbprint.ValueString()))...)
}

func (r *caResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state caResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, state.Timeouts.Delete, defaultCAWriteTimeout)
	if !ok {
		return
	}
	defer op.End()
	pkiID := state.PKIID.ValueString()
	thumbprint := state.Thumbprint.ValueString()
	// Deletes on one PKI that run at the same moment share $batch requests. Whether another object of this run
	// declares the CA is asked under the PKI's lock (see deleteCertificateAuthorities).
	kept, err := r.client.Graph.DeleteCertificateAuthorityJoined(ctx, pkiID, state.CertificateAuthorityID.ValueString(), r.holdPKI(pkiID),
		func() bool {
			return declarationsOf(r.client).declaredByOther(pkiID, thumbprint, caResourceOwner(pkiID, thumbprint))
		})
	switch {
	case kept:
		// An upload created or updated in this run declares it (it took the CA over): keep it in the PKI.
		tflog.Info(ctx, "Keeping the certificate authority: another object of this run declares it",
			map[string]any{"pki_id": pkiID, "thumbprint": thumbprint})
	case err != nil && !graph.IsNotFound(err):
		resp.Diagnostics.Append(common.GraphError(common.Failure{Summary: "Cannot delete the certificate authority", Access: common.PKIWrite,
			Timeout: "delete", Doing: fmt.Sprintf("Deleting certificate authority %s from PKI %s", thumbprint, pkiID)}, err))
	}
}

func (r *caResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	parts, ok := caImportID.FromRequest(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	pkiID, thumbprint := parts[0], parts[1]
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), caResourceID(pkiID, thumbprint))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("pki_id"), pkiID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("thumbprint"), thumbprint)...)
	resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, caIdentityOf(pkiID, thumbprint))...)
}
