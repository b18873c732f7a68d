package apiconnector

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*certificateResource)(nil)

// certificateIdentity is the resource identity (Terraform 1.12+, OpenTofu 1.12+): the same two facts as the
// import ID {api_connector_id}/{thumbprint}, typed, so an import block needs no hand-assembled string.
type certificateIdentity struct {
	APIConnectorID types.String `tfsdk:"api_connector_id"`
	Thumbprint     types.String `tfsdk:"thumbprint"`
}

func (r *certificateResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			attrAPIConnectorID: identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The object ID of the API connector, a GUID (any letter case; stored in lower case).",
			},
			"thumbprint": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The certificate's SHA-1 thumbprint, 40 hex digits (any case; stored in upper case).",
			},
		},
	}
}

// setCertificateIdentity records the identity in every response that writes state (create, read, update,
// import): Terraform 1.12+ refuses a response without one, and earlier versions ignore it. A nil identity
// (no identity support in the request) is left alone.
func setCertificateIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, connectorID, thumbprint string) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, certificateIdentity{
		APIConnectorID: types.StringValue(normalizeGUID(connectorID)),
		Thumbprint:     types.StringValue(strings.ToUpper(thumbprint)),
	})
}

// keepOrSetCertificateIdentity is Read's identity: the prior one when it names the same certificate in another letter
// case (an identity stored before IDs were normalised), so that Terraform never sees an identity change on a
// refresh; else the normalised one.
func keepOrSetCertificateIdentity(ctx context.Context, prior, identity *tfsdk.ResourceIdentity, connectorID, thumbprint string) diag.Diagnostics {
	if prior != nil && identity != nil && !prior.Raw.IsNull() {
		var old certificateIdentity
		if d := prior.Get(ctx, &old); !d.HasError() &&
			strings.EqualFold(old.APIConnectorID.ValueString(), connectorID) && strings.EqualFold(old.Thumbprint.ValueString(), thumbprint) {
			return identity.Set(ctx, old)
		}
	}
	return setCertificateIdentity(ctx, identity, connectorID, thumbprint)
}

// importIDFromIdentity turns an import by identity into the import ID that ImportState parses, after checking
// each attribute, so a bad identity is reported by its attribute's name rather than as a bad import ID.
func importIDFromIdentity(ctx context.Context, req resource.ImportStateRequest) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if req.Identity == nil {
		diags.AddError("Cannot import the client certificate",
			"The import has neither an ID nor an identity. Give id = \"{api_connector_id}/{thumbprint}\" or "+
				"identity = { api_connector_id = ..., thumbprint = ... } in the import block.")
		return "", diags
	}
	var id certificateIdentity
	diags.Append(req.Identity.Get(ctx, &id)...)
	if diags.HasError() {
		return "", diags
	}
	connectorID, thumbprint := id.APIConnectorID.ValueString(), id.Thumbprint.ValueString()
	if connectorID == "" && thumbprint == "" {
		return "", diags // neither an ID nor an identity: ImportState reports the empty import ID
	}
	if p := connectorIDProblem(connectorID); p != "" {
		diags.AddError("Cannot import the client certificate",
			fmt.Sprintf("identity.api_connector_id %s. It must be the API connector's object ID, a GUID such as "+
				"45715bb8-13f9-4bf6-927f-ef96c102d394.", p))
	}
	if p := thumbprintProblem(thumbprint); p != "" {
		diags.AddError("Cannot import the client certificate",
			fmt.Sprintf("identity.thumbprint %s. It must be the certificate's 40-digit hex SHA-1 thumbprint, e.g. "+
				"0EB255CC895477798BA418B378255204304897AD.", p))
	}
	return certificateID(connectorID, thumbprint), diags
}
