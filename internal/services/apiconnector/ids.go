package apiconnector

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// The canonical forms of this package's IDs: Graph's object IDs are GUIDs, which Graph answers in lower case
// and matches in any case; thumbprints are uppercase hex, as Graph lists them. `id`, the identity and the
// state after an import always hold these forms, so an ID typed in another case never looks like another object.

// exampleCertificateID is the form shown in every diagnostic about a malformed import ID.
const exampleCertificateID = "45715bb8-13f9-4bf6-927f-ef96c102d394/0EB255CC895477798BA418B378255204304897AD"

var (
	guidPattern       = regexp.MustCompile(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)
	thumbprintPattern = regexp.MustCompile(`^[0-9A-Fa-f]{40}$`)
)

const zeroGUID = "00000000-0000-0000-0000-000000000000"

// certificateID is the resource ID {api_connector_id}/{thumbprint}, normalised.
func certificateID(connectorID, thumbprint string) string {
	return normalizeGUID(connectorID) + "/" + strings.ToUpper(thumbprint)
}

func normalizeGUID(id string) string { return strings.ToLower(id) }

// connectorIDProblem says what is wrong with an API connector ID, or "" when it is a well-formed object ID.
func connectorIDProblem(id string) string {
	switch {
	case id == "":
		return "is empty"
	case !guidPattern.MatchString(id):
		return fmt.Sprintf("is not a GUID (got %s)", quoteShort(id))
	case id == zeroGUID:
		return "is the all-zero GUID, which is never an object's ID"
	}
	return ""
}

// thumbprintProblem says what is wrong with a thumbprint, or "" when it is 40 hex digits (any case).
func thumbprintProblem(thumbprint string) string {
	switch {
	case thumbprint == "":
		return "is empty"
	case !thumbprintPattern.MatchString(thumbprint):
		return fmt.Sprintf("is not 40 hex digits (got %s)", quoteShort(thumbprint))
	}
	return ""
}

// parseCertificateID splits and normalises an import ID {api_connector_id}/{thumbprint}. The error says which
// part is wrong; callers add the expected form.
func parseCertificateID(importID string) (connectorID, thumbprint string, err error) {
	if strings.TrimSpace(importID) == "" {
		return "", "", fmt.Errorf("the import ID is empty")
	}
	parts := strings.Split(importID, "/")
	switch {
	case len(parts) == 1:
		return "", "", fmt.Errorf("the import ID %s has no \"/\" between the API connector's ID and the thumbprint", quoteShort(importID))
	case len(parts) > 2:
		return "", "", fmt.Errorf("the import ID %s has %d parts separated by \"/\", not 2", quoteShort(importID), len(parts))
	}
	if p := connectorIDProblem(parts[0]); p != "" {
		return "", "", fmt.Errorf("the API connector ID in the import ID %s", p)
	}
	if p := thumbprintProblem(parts[1]); p != "" {
		return "", "", fmt.Errorf("the thumbprint in the import ID %s", p)
	}
	return normalizeGUID(parts[0]), strings.ToUpper(parts[1]), nil
}

// quoteShort quotes a user's value for a diagnostic, cut to a readable length (a value can be kilobytes long).
func quoteShort(s string) string {
	const limit = 100
	if len(s) > limit {
		return fmt.Sprintf("%q… (%d characters)", s[:limit], len(s))
	}
	return fmt.Sprintf("%q", s)
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
