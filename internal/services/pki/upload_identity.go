package pki

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ resource.ResourceWithIdentity = (*uploadResource)(nil)

// uploadIdentity is the upload's resource identity (Terraform 1.12+): the PKI and the file's content.
type uploadIdentity struct {
	PKIID          types.String `tfsdk:"pki_id"`
	SHA256FileHash types.String `tfsdk:"sha256_file_hash"`
}

func (r *uploadResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{Attributes: map[string]identityschema.Attribute{
		"pki_id": identityschema.StringAttribute{RequiredForImport: true,
			Description: "ID of the PKI the file was uploaded to."},
		"sha256_file_hash": identityschema.StringAttribute{RequiredForImport: true,
			Description: "SHA-256 of the file, 64 hex characters (stored uppercase)."},
	}}
}

// uploadIdentityOf is the identity of the upload of the file hash to pkiID, normalised as the import ID.
func uploadIdentityOf(pkiID, hash string) uploadIdentity {
	return uploadIdentity{PKIID: types.StringValue(normalPKIID(pkiID)), SHA256FileHash: types.StringValue(strings.ToUpper(hash))}
}

// sameAs reports whether a prior identity names the same upload as want (in any letter case).
func (want uploadIdentity) sameAs(prior uploadIdentity) bool {
	return strings.EqualFold(prior.PKIID.ValueString(), want.PKIID.ValueString()) &&
		strings.EqualFold(prior.SHA256FileHash.ValueString(), want.SHA256FileHash.ValueString())
}
