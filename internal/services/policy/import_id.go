package policy

import (
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
)

// policyImportID is the policy's one ID, X509Certificate, in any letter case (Graph's docs write x509Certificate
// in paths), normalised as Graph spells it. Anything else, blank and surrounding spaces included, is refused.
var policyImportID = common.ImportIDForm{
	Parts: []common.IDPart{{Name: "id", Label: "ID", Check: func(s string) (string, string) {
		if strings.EqualFold(s, graph.CBAPolicyID) {
			return graph.CBAPolicyID, ""
		}
		if s == "" {
			return "", "is empty"
		}
		return "", "is not " + graph.CBAPolicyID + " (got " + common.QuoteShort(s) + ")"
	}}},
	Form: "The tenant has one X.509 certificate authentication configuration and its ID is always " + graph.CBAPolicyID +
		" (letter case does not matter). Import it with ID " + graph.CBAPolicyID + ": terraform import " +
		"entracert_certificate_based_auth_policy.<name> " + graph.CBAPolicyID + ", or an import block with id = \"" + graph.CBAPolicyID + "\".",
}
