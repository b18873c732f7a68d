package pki

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*pkiResource)(nil)

// pkiIdentity is the resource identity (Terraform 1.12+, OpenTofu 1.12+): the PKI's ID, as in the import ID.
type pkiIdentity struct {
	ID types.String `tfsdk:"id"`
}

func (r *pkiResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The ID of the PKI (certificateBasedAuthPki).",
			},
		},
	}
}

// setPKIIdentity records the identity in every response that writes state (create, read, update, import):
// Terraform 1.12+ refuses a response without one, and earlier versions ignore it. A nil identity (no identity
// support in the request) is left alone.
func setPKIIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, pkiIdentity{ID: types.StringValue(id)})
}

// importPKI imports by ID (`terraform import`, an import block's id) or by identity (an import block's identity).
// The ID must be a GUID; it is stored lower case, as Graph writes ids, so that nothing referencing the PKI plans a
// replacement after importing it in upper case.
func importPKI(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	raw, from := req.ID, "import ID"
	if raw == "" && req.Identity != nil && !req.Identity.Raw.IsNull() {
		var id pkiIdentity
		if resp.Diagnostics.Append(req.Identity.Get(ctx, &id)...); resp.Diagnostics.HasError() {
			return
		}
		raw, from = id.ID.ValueString(), "identity.id"
	}
	const form = "the PKI's ID, a GUID such as 0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10 (terraform import <address> <id>, or an import block's id)"
	id, ok := normalGUID(raw)
	switch {
	case raw == "":
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("The %s is empty: set it to %s.", from, form))
		return
	case !ok:
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("The %s %q is not a PKI ID. Use %s.", from, raw, form))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setPKIIdentity(ctx, resp.Identity, id)...)
}
