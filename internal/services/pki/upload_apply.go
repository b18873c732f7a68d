package pki

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

func (r *uploadResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config uploadModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Create, defaultUploadTimeout)
	if !ok {
		return
	}
	defer op.End()
	newState, adopted, diags := r.apply(ctx, plan, config, nil, priorOwnership{}, op)
	resp.Diagnostics.Append(diags...)
	if newState != nil {
		// Also on error: an upload that is still running is kept in state, so the next apply waits for it.
		resp.Diagnostics.Append(clients.MarkWritten(ctx, resp.Private, r.client.Clock.Now())...)
		resp.Diagnostics.Append(setAdopted(ctx, resp.Private, adopted)...)
		resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, uploadIdentityOf(newState.PKIID.ValueString(), newState.SHA256FileHash.ValueString()))...)
		resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	}
}

func (r *uploadResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, config, state uploadModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hashChanged := !strings.EqualFold(plan.SHA256FileHash.ValueString(), state.SHA256FileHash.ValueString())
	if !hashChanged && !needsWork(ctx, state) && plan.CASettings.Equal(state.CASettings) {
		// Only the URL, the hash's case, content_base64 or the timeouts changed: nothing to do in Graph.
		plan.ID = types.StringValue(uploadID(plan.PKIID.ValueString(), plan.SHA256FileHash.ValueString()))
		plan.Status, plan.StatusDetails, plan.CertificateAuthorities = state.Status, state.StatusDetails, state.CertificateAuthorities
		resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, uploadIdentityOf(plan.PKIID.ValueString(), plan.SHA256FileHash.ValueString()))...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	ctx, op, ok := common.Begin(ctx, r.client, &resp.Diagnostics, plan.Timeouts.Update, defaultUploadTimeout)
	if !ok {
		return
	}
	defer op.End()
	b, _ := req.Private.GetKey(ctx, privateImported)
	prior := priorOwnership{Adopted: adoptedOf(ctx, req.Private), Imported: len(b) > 0}
	newState, adopted, diags := r.apply(ctx, plan, config, &state, prior, op)
	resp.Diagnostics.Append(diags...)
	if newState != nil {
		resp.Diagnostics.Append(clients.MarkWritten(ctx, resp.Private, r.client.Clock.Now())...)
		resp.Diagnostics.Append(setAdopted(ctx, resp.Private, adopted)...)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateImported, nil)...)
		resp.Diagnostics.Append(common.SetIdentity(ctx, resp.Identity, uploadIdentityOf(newState.PKIID.ValueString(), newState.SHA256FileHash.ValueString()))...)
		resp.Diagnostics.Append(resp.State.Set(ctx, newState)...)
	}
	// Otherwise the prior state stays, and the next plan tries again.
}

// priorOwnership is what an existing upload's private state says about its CAs.
type priorOwnership struct {
	Adopted  map[string]bool // thumbprints it adopted (never deletes)
	Imported bool            // imported and not applied yet: it owns what it adopts now
}

// apply checks the file, makes sure its certificate authorities are in the PKI (uploading when none are, adding
// the missing ones one by one otherwise), then, for a new file (prior set), deletes the prior file's CAs that
// left it; CAs both files hold are never touched. It returns the state to save: complete on success, with status
// "running" when the wait for an upload it sent was interrupted, nil when nothing should be saved; and the CAs the
// upload adopted (see privateAdopted). op is the Create's or Update's (common.Begin): its deadline bounds the waits.
func (r *uploadResource) apply(ctx context.Context, plan, config uploadModel, prior *uploadModel, own priorOwnership, op common.Operation) (*uploadModel, map[string]bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	deadline := op.Deadline
	pkiID, hash := plan.PKIID.ValueString(), strings.ToUpper(plan.SHA256FileHash.ValueString())
	id := uploadID(pkiID, hash)
	ctx = tflog.SetField(ctx, "pki_id", pkiID)
	failed := common.Failure{Summary: "PKI upload failed", Access: common.PKIWrite, Timeout: "create",
		Doing: fmt.Sprintf("Uploading the file %s to PKI %s", hash, pkiID)}
	if prior != nil {
		failed.Timeout = "update"
	}

	// The file may have changed since the plan: check it again before writing anything.
	b, err := loadBundle(ctx, r.client, r.client.Downloads, config, hash)
	if err != nil {
		addError(&diags, err, failed)
		return nil, nil, diags
	}
	thumbs := thumbprintsOf(b.CAs)
	// The plan refused overlapping declarations already; this catches those it could not see (a pki_id unknown
	// while planning), before this upload writes anything.
	owner := uploadOwner(pkiID, hash)
	declarations := declarationsOf(r.client)
	if taken := declarations.declare(pkiID, owner, thumbs); len(taken) > 0 {
		diags.Append(overlapDiagnostic(path.Root("sha256_file_hash"), pkiID, owner, taken))
		return nil, nil, diags
	}
	res, err := r.ensure(ctx, ensureArgs{
		PKIID: pkiID, UploadURL: uploadURLOf(config).ValueString(), URLAttr: uploadURLAttr(config), SHA256: hash,
		Expected: b.CAs, Deadline: deadline,
	})
	plan.ID = types.StringValue(id)
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
			return &plan, own.Adopted, diags
		}
		addError(&diags, err, failed)
		return nil, nil, diags
	}
	adopted := adoptedNow(b.CAs, prior, own, res.Found)
	if prior != nil {
		recorded, d := caListModels(ctx, prior.CertificateAuthorities)
		diags.Append(d...)
		var doomed []certificateAuthorityModel
		for _, m := range leftTheFile(recorded, b.CAs) {
			thumb := strings.ToUpper(m.Thumbprint.ValueString())
			switch {
			case own.Adopted[thumb]:
				tflog.Info(ctx, "Leaving a certificate authority this upload adopted, not added", map[string]any{"thumbprint": thumb})
			default:
				doomed = append(doomed, m)
			}
		}
		if len(doomed) > 0 {
			if err := r.deleteCertificateAuthorities(ctx, pkiID, doomed, deadline); err != nil {
				diags.AddAttributeError(path.Root("sha256_file_hash"), "Cannot delete the certificate authorities that left the file",
					fmt.Sprintf("The new file's certificate authorities are in PKI %s, but deleting those only the old file held "+
						"failed: %v\n\nApply again once the cause is fixed.", pkiID, err))
				return nil, nil, diags
			}
		}
	}
	cas, err := r.applySettings(ctx, pkiID, res.CAs, plan.CASettings)
	if err != nil {
		diags.AddAttributeError(path.Root("certificate_authority_settings"), "Cannot apply the certificate authorities' settings",
			fmt.Sprintf("The file's certificate authorities are in PKI %s, but: %v\n\nApply again once the cause is fixed.", pkiID, err))
		return nil, nil, diags
	}
	plan.Status = types.StringValue(res.Status)
	plan.StatusDetails = types.StringValue(res.StatusDetails)
	list, d := caListValue(ctx, r.client, cas)
	diags.Append(d...)
	plan.CertificateAuthorities = list
	return &plan, adopted, diags
}

// adoptedNow is what the upload adopted after this apply: of the CAs it adopted before, those still in its file;
// plus the CAs it found in the PKI that it did not hold yet (none after an import, which owns what it adopts).
func adoptedNow(cas []pkcs.CertificateAuthority, prior *uploadModel, own priorOwnership, found map[string]bool) map[string]bool {
	held := map[string]bool{}
	if prior != nil {
		recorded, _ := caListModels(context.Background(), prior.CertificateAuthorities)
		for _, m := range recorded {
			held[strings.ToUpper(m.Thumbprint.ValueString())] = true
		}
	}
	out := map[string]bool{}
	for _, ca := range cas {
		thumb := strings.ToUpper(ca.Thumbprint)
		switch {
		case own.Adopted[thumb]:
			out[thumb] = true
		case found[thumb] && !held[thumb] && !own.Imported:
			out[thumb] = true
		}
	}
	return out
}
