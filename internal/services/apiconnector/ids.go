package apiconnector

import (
	"context"
	"fmt"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The canonical forms of this package's IDs: Graph's object IDs are GUIDs, which Graph answers in lower case
// and matches in any case; thumbprints are uppercase hex, as Graph lists them. `id`, the identity and the
// state after an import always hold these forms, so an ID typed in another case never looks like another object.

// exampleCertificateID is the form shown in every diagnostic about a malformed import ID.
const exampleCertificateID = "45715bb8-13f9-4bf6-927f-ef96c102d394/0EB255CC895477798BA418B378255204304897AD"

const zeroGUID = "00000000-0000-0000-0000-000000000000"

// certificateID is the resource ID {api_connector_id}/{thumbprint}, normalised.
func certificateID(connectorID, thumbprint string) string {
	return normalizeGUID(connectorID) + "/" + strings.ToUpper(thumbprint)
}

func normalizeGUID(id string) string { return strings.ToLower(id) }

// connectorIDProblem says what is wrong with an API connector ID, or "" when it is a well-formed object ID.
func connectorIDProblem(id string) string {
	if p := common.GUIDProblem(id); p != "" {
		return p
	}
	if id == zeroGUID {
		return "is the all-zero GUID, which is never an object's ID"
	}
	return ""
}

// certificateImportID is the import ID {api_connector_id}/{thumbprint}, and the identity's two attributes.
var certificateImportID = common.ImportIDForm{
	Parts: []common.IDPart{
		{Name: attrAPIConnectorID, Label: "API connector ID", Check: func(s string) (string, string) {
			if p := connectorIDProblem(s); p != "" {
				return "", p
			}
			return normalizeGUID(s), ""
		}},
		common.ThumbprintPart("thumbprint", "thumbprint"),
	},
	Form: "The import ID is {api_connector_id}/{thumbprint}: the API connector's object ID (a GUID), a slash, and the " +
		"certificate's 40-digit hex SHA-1 thumbprint, e.g. " + exampleCertificateID + ". With Terraform 1.12 or later, an " +
		"import block can give identity = { api_connector_id = ..., thumbprint = ... } instead.",
}

// connectorIDValidator checks at plan time that an attribute holds an API connector's object ID: a GUID in
// any letter case, not the all-zero one. Unknown values are checked by the provider once known.
type connectorIDValidator struct{}

func (connectorIDValidator) Description(context.Context) string {
	return "must be an API connector's object ID, a GUID such as 45715bb8-13f9-4bf6-927f-ef96c102d394"
}

func (v connectorIDValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (connectorIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if p := connectorIDProblem(req.ConfigValue.ValueString()); p != "" {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid API connector ID",
			fmt.Sprintf("%s %s. It must be the API connector's object ID, a GUID such as "+
				"45715bb8-13f9-4bf6-927f-ef96c102d394 (the connector's id in the Entra admin center or in "+
				"GET /identity/apiConnectors). The entracert_api_connector data source can look a connector up by display_name.",
				req.Path, p))
	}
}
