package users

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*certificateUserIDsResource)(nil)

// certificateUserIDsIdentity is the resource identity (Terraform 1.12+, OpenTofu 1.12+): the user's object ID.
type certificateUserIDsIdentity struct {
	ID types.String `tfsdk:"id"`
}

func (r *certificateUserIDsResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The user's object ID (a GUID; any letter case on import).",
			},
		},
	}
}

// setIdentity records the identity in every response that writes state (create, read, update, import), from the
// lower-case object ID the state holds. A nil identity (no identity support in the request) is left alone.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, certificateUserIDsIdentity{ID: types.StringValue(id)})
}
