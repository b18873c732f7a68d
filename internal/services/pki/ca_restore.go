package pki

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Restore, not rebuild, for a CA resource: Graph's certificateAuthorityDetail page lists the same deleted-items
// methods as the PKI's, so a CA deleted on its own outside Terraform stays restorable for 30 days with its id and
// settings. While it is, Read keeps the resource and records the CA in private state; the plan is an in-place update
// (certificate_authority_id known after apply) with a warning; the apply restores it instead of adding it again.

const privateRestoreCA = "restore_ca"

// readMissingCA ends the Read of a CA resource whose CA was not found and reports true when its PKI is gone
// (parent_pki.go) or the CA is in the deleted items; false leaves the caller to drop the resource.
func readMissingCA(ctx context.Context, c *clients.Client, pkiID, caID string, resp *resource.ReadResponse) bool {
	return readUnderMissingPKI(ctx, c, pkiID, resp) || readDeletedCA(ctx, c, caID, resp)
}

// readDeletedCA ends the Read of a CA resource whose CA was not found in a live PKI, reporting true, when the CA is in
// the deleted items; false leaves the caller to drop the resource.
func readDeletedCA(ctx context.Context, c *clients.Client, caID string, resp *resource.ReadResponse) bool {
	if caID == "" {
		return false
	}
	d, err := c.Graph.GetDeletedCertificateAuthority(ctx, caID)
	if err != nil || !c.Clock.Now().Before(d.DeletedDateTime.Add(graph.DeletedItemRetention)) {
		return false
	}
	tflog.Warn(ctx, "The certificate authority was deleted outside Terraform and is restorable; the plan restores it",
		map[string]any{"certificate_authority_id": caID})
	b, _ := json.Marshal(struct {
		ID        string    `json:"id"`
		DeletedAt time.Time `json:"deleted_at"`
	}{caID, d.DeletedDateTime})
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateRestoreCA, b)...)
	return true
}

type caPrivateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

func deletedCAMark(ctx context.Context, p caPrivateGetter) (id string, deletedAt time.Time) {
	if p == nil {
		return "", time.Time{}
	}
	b, diags := p.GetKey(ctx, privateRestoreCA)
	if diags.HasError() || len(b) == 0 {
		return "", time.Time{}
	}
	var v struct {
		ID        string    `json:"id"`
		DeletedAt time.Time `json:"deleted_at"`
	}
	if json.Unmarshal(b, &v) != nil {
		return "", time.Time{}
	}
	return v.ID, v.DeletedAt
}

// planCARestore makes the plan of a CA resource whose CA Read found in the deleted items an in-place update that
// restores it.
func planCARestore(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse, thumbprint string) {
	if req.State.Raw.IsNull() {
		return
	}
	id, at := deletedCAMark(ctx, req.Private)
	if id == "" {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("certificate_authority_id"), types.StringUnknown())...)
	resp.Diagnostics.AddAttributeWarning(path.Root("certificate_authority_id"), "The certificate authority will be restored",
		fmt.Sprintf("Certificate authority %s (Graph ID %s) was deleted outside Terraform at %s and is still in Graph's "+
			"deleted items. This apply restores it into its PKI with its settings and the same ID, instead of adding it again.",
			thumbprint, id, at.UTC().Format(time.RFC3339)))
}

// restoreDeletedCA restores the CA Read found deleted, if any, and clears the mark. A CA no longer in the deleted
// items but back in the PKI counts as restored.
func restoreDeletedCA(ctx context.Context, c *clients.Client, pkiID string, req resource.UpdateRequest, resp *resource.UpdateResponse) error {
	id, _ := deletedCAMark(ctx, req.Private)
	if id == "" {
		return nil
	}
	_, err := c.Graph.RestoreCertificateAuthority(ctx, id)
	if err != nil && (graph.IsNotFound(err) || graph.IsOutcomeUnknown(err)) {
		if _, gerr := c.Graph.GetCertificateAuthority(ctx, pkiID, id); gerr == nil {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("restoring certificate authority %s into PKI %s from Graph's deleted items: %w. If it was purged "+
			"since the plan, run terraform apply again: the next plan adds it anew", id, pkiID, err)
	}
	tflog.Info(ctx, "Restored the certificate authority from Graph's deleted items", map[string]any{"certificate_authority_id": id})
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateRestoreCA, nil)...)
	return nil
}
