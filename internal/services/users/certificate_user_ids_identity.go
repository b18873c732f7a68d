package users

import (
	"context"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
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

// userIdentityOf is the identity of the user id: its object ID, lower case as Graph writes it.
func userIdentityOf(id string) certificateUserIDsIdentity {
	return certificateUserIDsIdentity{ID: types.StringValue(normalID(id))}
}

// sameAs reports whether a prior identity names the same user as want (in any letter case).
func (want certificateUserIDsIdentity) sameAs(prior certificateUserIDsIdentity) bool {
	return strings.EqualFold(prior.ID.ValueString(), want.ID.ValueString())
}

// The import forms: by ID, the user's object ID or user principal name; by identity, the object ID only.
var (
	userImportID = common.ImportIDForm{
		Parts: []common.IDPart{{Name: "id", Label: "user", Check: func(s string) (string, string) {
			switch {
			case s == "":
				return "", "is empty"
			case strings.TrimSpace(s) != s:
				return "", "starts or ends with blanks (got " + common.QuoteShort(s) + ")"
			}
			if id, ok := objectID(s); ok {
				return id, ""
			}
			if isUPN(s) {
				return s, ""
			}
			return "", "is neither a GUID nor a user principal name (got " + common.QuoteShort(s) + ")"
		}}},
		Form: "The import ID is " + userIDForm + ": terraform import <address> <object ID or UPN>, or an import block's id.",
	}
	userIdentityImportID = common.ImportIDForm{
		Parts: []common.IDPart{common.GUIDPart("id", "user's object ID")},
		Form: "The identity holds the user's object ID, a GUID such as 6b2d3bd3-b078-4f46-ac53-f862f35e10b6. To import by " +
			"user principal name, use an import block's id instead.",
	}
)
