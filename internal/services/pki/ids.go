package pki

import (
	"context"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/services/common"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// Import IDs of the PKI's children are {pki_id}/{key}: Graph's GUIDs are kept lower case, thumbprints and hashes
// upper case, so an ID typed in either case imports the same object and the next plan is empty.

const examplePKIID = "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"

// The import IDs of the PKI and its children, parsed by the one parser (common.ImportIDForm).
var (
	pkiImportID = common.ImportIDForm{
		Parts: []common.IDPart{common.GUIDPart("id", "PKI ID")},
		Form: "The import ID is the PKI's ID, a GUID such as " + examplePKIID + " (terraform import <address> <id>, or an " +
			"import block's id; with Terraform 1.12 or later, identity = { id = ... }).",
	}
	uploadImportID = common.ImportIDForm{
		Parts: []common.IDPart{common.GUIDPart("pki_id", "PKI ID"), common.SHA256Part("sha256_file_hash", "SHA-256")},
		Form: "The import ID is {pki_id}/{sha256_file_hash}: the PKI's ID (a GUID) and the file's SHA-256 (64 hex characters), e.g. " +
			examplePKIID + "/14FF50E98B7263ECE04A094FF75E5DD3B9A051AD8AB801E8740E3D027E8480FA.",
	}
	caImportID = common.ImportIDForm{
		Parts: []common.IDPart{common.GUIDPart("pki_id", "PKI ID"), common.ThumbprintPart("thumbprint", "thumbprint")},
		Form: "The import ID is {pki_id}/{thumbprint}: the PKI's ID (a GUID) and the certificate's SHA-1 thumbprint (40 hex characters), e.g. " +
			examplePKIID + "/97B4B3728E56D57F944FDE35056EF206612D21ED.",
	}
)

// normalPKIID is a PKI ID as Graph writes it (lower case), other values unchanged.
func normalPKIID(id string) string {
	if common.GUIDPattern.MatchString(strings.TrimSpace(id)) {
		return strings.ToLower(strings.TrimSpace(id))
	}
	return id
}

// pkiIDRequiresReplace replaces a child when pki_id names another PKI; a change of case only (an import typed in
// upper case, a GUID pasted from the portal) names the same PKI and writes nothing.
func pkiIDRequiresReplace() planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString())
		},
		"Replaces the object when pki_id names another PKI (not when only its case changes).",
		"Replaces the object when `pki_id` names another PKI (not when only its case changes).",
	)
}
