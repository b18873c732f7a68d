package pki

import (
	"context"
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

// What the resources under a PKI (uploads, certificate authorities) do about their parent.
//
// Deleted outside Terraform and still restorable: they keep their state, because their CAs come back with the PKI
// (the PKI resource's plan restores it; pki_restore.go). Not restorable: they leave the state, and the plan
// re-creates them (under the new PKI when the PKI is managed). A pki_id that names no PKI, live or restorable,
// fails the plan on pki_id instead of waiting at apply.

// readUnderMissingPKI ends the Read of a resource under pkiID whose PKI was not found, and reports true; it reports
// false when the PKI is there (the child itself was not found, for the caller to handle). The caller's Read has set
// the identity first, which Terraform wants after every Read, also when the object is gone.
func readUnderMissingPKI(ctx context.Context, c *clients.Client, pkiID string, resp *resource.ReadResponse) bool {
	if _, err := c.Graph.GetPKI(ctx, pkiID); !graph.IsNotFound(err) {
		return false
	}
	d := deletedPKI(ctx, c, pkiID)
	if d == nil {
		tflog.Warn(ctx, "The PKI no longer exists and is not restorable; removing the resource from the state", map[string]any{"pki_id": pkiID})
		resp.State.RemoveResource(ctx)
		return true
	}
	tflog.Warn(ctx, "The PKI was deleted outside Terraform and is restorable; keeping the resource, whose CAs come back with it",
		map[string]any{"pki_id": pkiID})
	if !c.PKIsOfThisRun.Has(pkiID) {
		resp.Diagnostics.AddWarning("The PKI was deleted outside Terraform",
			fmt.Sprintf("PKI %q (%s) was deleted at %s and is restorable until %s, with its certificate authorities. "+
				"No entracert_certificate_based_auth_pki of this configuration restores it: restore it in the Entra admin "+
				"center (or POST /directory/deletedItems/%s/restore), and this resource's certificate authorities come back with it.",
				d.DisplayName, pkiID, d.DeletedDateTime.Format(time.RFC3339), d.RestorableUntil().Format(time.RFC3339), pkiID))
	}
	return true
}

// parentPKIVisibleWait is how long the plan looks for a pki_id that is not found and is not in the deleted items
// before failing: long enough for Entra's replication of a PKI created a moment before, far from the 2 minutes
// the apply used to wait.
const parentPKIVisibleWait = 10 * time.Second

// checkParentPKI fails the plan of a new upload or CA resource whose pki_id names a PKI that Graph says does not
// exist and cannot be restored (or that is restorable but not restored by this configuration). Unknown IDs (a PKI
// created in the same apply) and malformed ones (the validator reports those) are not looked up.
func checkParentPKI(ctx context.Context, c *clients.Client, pkiID types.String, creating bool) diag.Diagnostics {
	var diags diag.Diagnostics
	if !creating || c == nil || c.Graph == nil || !known(pkiID) {
		return nil
	}
	id, ok := normalGUID(pkiID.ValueString())
	if !ok {
		return nil
	}
	if c.PKIsOfThisRun.Has(id) {
		return nil // created in this run (replica lag may hide it), or restored first
	}
	_, err := c.Graph.GetPKICached(ctx, id)
	if graph.IsNotFound(err) && deletedPKI(ctx, c, id) == nil {
		// A PKI created a moment ago (outside this run) may not be replicated yet: look again for a short while.
		_, err = c.Graph.WaitForPKI(ctx, id, c.Clock.Now().Add(parentPKIVisibleWait))
	}
	if err == nil {
		return nil
	}
	if !graph.IsNotFound(err) {
		diags.AddAttributeWarning(path.Root("pki_id"), "Cannot check the PKI",
			fmt.Sprintf("Reading PKI %s to check that it exists: %v. The apply reads it again.", id, err))
		return diags
	}
	if d := deletedPKI(ctx, c, id); d != nil {
		diags.AddAttributeError(path.Root("pki_id"), "The PKI was deleted",
			fmt.Sprintf("PKI %q (%s) was deleted at %s. It is restorable until %s: restore it (Entra admin center, deleted "+
				"items; or manage it with entracert_certificate_based_auth_pki, whose plan restores it), or set pki_id to an existing PKI.",
				d.DisplayName, id, d.DeletedDateTime.Format(time.RFC3339), d.RestorableUntil().Format(time.RFC3339)))
		return diags
	}
	diags.AddAttributeError(path.Root("pki_id"), "The PKI does not exist",
		fmt.Sprintf("Graph has no PKI %s (not found, and not in the deleted items). Set pki_id to the ID of an existing PKI, "+
			"e.g. entracert_certificate_based_auth_pki.example.id.", id))
	return diags
}
