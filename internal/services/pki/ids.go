package pki

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// Import IDs of the PKI's children are {pki_id}/{key}: Graph's GUIDs are kept lower case, thumbprints and hashes
// upper case, so an ID typed in either case imports the same object and the next plan is empty.

var guidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

const examplePKIID = "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"

// childKey describes the second part of a child's import ID.
type childKey struct {
	Name    string         // as the user knows it: "sha256_file_hash"
	What    string         // "the file's SHA-256 (64 hex characters)"
	Pattern *regexp.Regexp // accepts either case
	Example string
}

var (
	uploadKey = childKey{"sha256_file_hash", "the file's SHA-256 (64 hex characters)", sha256Pattern,
		"14FF50E98B7263ECE04A094FF75E5DD3B9A051AD8AB801E8740E3D027E8480FA"}
	caKey = childKey{"thumbprint", "the certificate's SHA-1 thumbprint (40 hex characters)", thumbprintPattern,
		"97B4B3728E56D57F944FDE35056EF206612D21ED"}
)

// normalPKIID is a PKI ID as Graph writes it (lower case), other values unchanged.
func normalPKIID(id string) string {
	if guidPattern.MatchString(strings.TrimSpace(id)) {
		return strings.ToLower(strings.TrimSpace(id))
	}
	return id
}

// parseChildID splits {pki_id}/{key} and normalises both parts; problem is a sentence for the diagnostic's detail
// (naming what is wrong and the expected form) when the ID is malformed.
func parseChildID(id string, key childKey) (pkiID, value, problem string) {
	form := fmt.Sprintf("The import ID is {pki_id}/{%s}: the PKI's ID (a GUID) and %s, e.g. %s/%s.", key.Name, key.What, examplePKIID, key.Example)
	parts := strings.Split(strings.TrimSpace(id), "/")
	switch {
	case strings.TrimSpace(id) == "":
		return "", "", "The import ID is empty. " + form
	case len(parts) != 2:
		return "", "", fmt.Sprintf("%q has %d parts separated by \"/\", want 2. %s", id, len(parts), form)
	case !guidPattern.MatchString(parts[0]):
		return "", "", fmt.Sprintf("%q: the first part, %q, is not a GUID. %s", id, parts[0], form)
	case !key.Pattern.MatchString(parts[1]):
		return "", "", fmt.Sprintf("%q: the second part, %q, is not %s. %s", id, parts[1], key.What, form)
	}
	return strings.ToLower(parts[0]), strings.ToUpper(parts[1]), ""
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
