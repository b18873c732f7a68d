package apiconnector

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
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

// certificateIdentityOf is the identity of the certificate thumbprint on connectorID, normalised as the import ID.
func certificateIdentityOf(connectorID, thumbprint string) certificateIdentity {
	return certificateIdentity{
		APIConnectorID: types.StringValue(normalizeGUID(connectorID)),
		Thumbprint:     types.StringValue(strings.ToUpper(thumbprint)),
	}
}

// sameAs reports whether a prior identity names the same certificate as want (in any letter case).
func (want certificateIdentity) sameAs(prior certificateIdentity) bool {
	return strings.EqualFold(prior.APIConnectorID.ValueString(), want.APIConnectorID.ValueString()) &&
		strings.EqualFold(prior.Thumbprint.ValueString(), want.Thumbprint.ValueString())
}
