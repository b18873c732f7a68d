package pki

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
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

// pkiIdentityOf is the identity of the PKI id, lower case as Graph writes ids.
func pkiIdentityOf(id string) pkiIdentity {
	return pkiIdentity{ID: types.StringValue(normalPKIID(id))}
}

// sameAs reports whether a prior identity names the same PKI as want (in any letter case).
func (want pkiIdentity) sameAs(prior pkiIdentity) bool {
	return strings.EqualFold(prior.ID.ValueString(), want.ID.ValueString())
}
