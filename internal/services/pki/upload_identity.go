package pki

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
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

// setUploadIdentity records the identity when Terraform supports identities (Identity is nil otherwise).
func setUploadIdentity(ctx context.Context, id *tfsdk.ResourceIdentity, pkiID, hash string) diag.Diagnostics {
	if id == nil || pkiID == "" || hash == "" {
		return nil
	}
	return id.Set(ctx, uploadIdentity{PKIID: types.StringValue(normalPKIID(pkiID)), SHA256FileHash: types.StringValue(strings.ToUpper(hash))})
}

// importIdentity reads {pki_id, sha256_file_hash} from an import by identity ("" when imported by ID).
func importIdentity(ctx context.Context, req resource.ImportStateRequest) (pkiID, hash string, diags diag.Diagnostics) {
	if req.ID != "" || req.Identity == nil || req.Identity.Raw.IsNull() {
		return "", "", nil
	}
	var idn uploadIdentity
	diags.Append(req.Identity.Get(ctx, &idn)...)
	return idn.PKIID.ValueString(), idn.SHA256FileHash.ValueString(), diags
}
