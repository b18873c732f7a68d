package policy

import (
	"fmt"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
)

// policyImportID accepts the policy's one ID, X509Certificate, in any letter case (Graph's docs write x509Certificate
// in paths), and returns it as Graph spells it. Anything else, blank and surrounding spaces included, is refused.
func policyImportID(id string) (string, bool) {
	if strings.EqualFold(id, graph.CBAPolicyID) {
		return graph.CBAPolicyID, true
	}
	return "", false
}

// importIDProblem is the diagnostic detail for an ID policyImportID refuses; what names it ("import ID", "identity.id").
func importIDProblem(what, id string) string {
	got := fmt.Sprintf("The %s is %q", what, id)
	if strings.TrimSpace(id) == "" {
		got = fmt.Sprintf("The %s is empty", what)
	}
	return got + fmt.Sprintf("; the tenant has one X.509 certificate authentication configuration and its ID is always %[1]s "+
		"(letter case does not matter). Import it with ID %[1]s: terraform import entracert_certificate_based_auth_policy.<name> %[1]s, "+
		"or an import block with id = %[1]q.", graph.CBAPolicyID)
}
