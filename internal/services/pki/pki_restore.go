package pki

import (
	"context"
	"fmt"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Restore, not rebuild: a PKI deleted outside Terraform stays in Graph's deleted items for 30 days with its CAs.
// While it is there, the PKI resource keeps it in the state with deleted_date_time set, its plan restores it
// (pki_plan.go) and the resources under it keep their state (parent_pki.go). Once it is gone for good, the
// resource leaves the state and the plan creates a new PKI.

// deletedPKI returns the PKI from Graph's deleted items, or nil when it is not restorable (never deleted, purged,
// restored, or past the 30 days). A failed look (e.g. a missing permission on deleted items) is logged and
// answers nil, so the plan falls back to creating the PKI rather than failing.
func deletedPKI(ctx context.Context, c *clients.Client, id string) *graph.DeletedPKI {
	d, err := c.Graph.GetDeletedPKI(ctx, id)
	if err != nil {
		if !graph.IsNotFound(err) {
			tflog.Warn(ctx, "Cannot tell whether the deleted PKI is restorable; treating it as gone",
				map[string]any{"pki_id": id, "error": err.Error()})
		}
		return nil
	}
	if !c.Clock.Now().Before(d.RestorableUntil()) {
		return nil
	}
	return d
}

// readDeletedPKI ends a Read whose PKI was not found: kept in the state with deleted_date_time while restorable
// (the plan restores it), removed otherwise (the plan creates it).
func readDeletedPKI(ctx context.Context, c *clients.Client, state *pkiModel, resp *resource.ReadResponse) {
	id := state.ID.ValueString()
	d := deletedPKI(ctx, c, id)
	if d == nil {
		tflog.Warn(ctx, "PKI no longer exists and is not restorable; removing it from the state", map[string]any{"pki_id": id})
		resp.State.RemoveResource(ctx)
		return
	}
	tflog.Warn(ctx, "PKI was deleted outside Terraform and is restorable; the plan restores it",
		map[string]any{"pki_id": id, "deleted_date_time": d.DeletedDateTime.Format(time.RFC3339)})
	state.DisplayName = types.StringValue(d.DisplayName)
	state.DeletedDateTime = timeString(d.DeletedDateTime)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
}

// restorePKI restores the deleted PKI with its CAs. A lost answer is resolved by reading the PKI: restored means
// done. A PKI no longer in the deleted items (purged since the plan) is an error that says what the next plan does.
func restorePKI(ctx context.Context, c *clients.Client, id, name string) error {
	ctx = tflog.SetField(ctx, "pki_id", id)
	_, err := c.Graph.RestorePKI(ctx, id)
	if err == nil {
		tflog.Info(ctx, "Restored the PKI from Graph's deleted items, with its certificate authorities")
		return nil
	}
	if graph.IsOutcomeUnknown(err) || graph.IsNotFound(err) {
		if _, gerr := c.Graph.GetPKI(ctx, id); gerr == nil {
			return nil // restored: by the lost request, or by someone else
		}
	}
	if graph.IsNotFound(err) {
		return fmt.Errorf("PKI %q (%s) is no longer in Graph's deleted items: it was purged or restored elsewhere since "+
			"the plan; run terraform apply again: the next plan creates the PKI (and the resources under it) if it is gone", name, id)
	}
	return fmt.Errorf("restoring PKI %q (%s) from Graph's deleted items: %w", name, id, err)
}
