package common

import (
	"context"
	"errors"
	"fmt"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// Access is what a Graph call needs from the provider's identity: the least-privileged Microsoft Graph permission
// and the Entra role a signed-in user needs, as Graph's and Entra's documentation give them.
type Access struct {
	Permission string
	Role       string
	Note       string // anything else to say about access, or ""
}

// What each area's calls need (Graph's permission reference and each API's page; see the Graph contract).
var (
	APIConnectorsWrite = Access{Permission: "APIConnectors.ReadWrite.All", Role: "External ID User Flow Administrator"}
	APIConnectorsRead  = Access{Permission: "APIConnectors.Read.All (or APIConnectors.ReadWrite.All)", Role: "External ID User Flow Administrator"}
	PKIRead            = Access{Permission: "PublicKeyInfrastructure.Read.All", Role: "Privileged Authentication Administrator or Authentication Administrator"}
	PKIWrite           = Access{Permission: "PublicKeyInfrastructure.ReadWrite.All", Role: "Privileged Authentication Administrator or Authentication Administrator"}
	PolicyRead         = Access{Permission: "Policy.Read.AuthenticationMethod", Role: "Authentication Policy Administrator"}
	PolicyWrite        = Access{Permission: "Policy.ReadWrite.AuthenticationMethod", Role: "Authentication Policy Administrator"}
	// Graph's update-user page lists User.ReadUpdate.All as its least-privileged permission (User.ReadWrite.All and
	// Directory.ReadWrite.All above it); Entra's certificateUserIds page requires at least Privileged Authentication
	// Administrator for cloud-only users, while synchronized users' values come only from on-premises.
	UsersRead  = Access{Permission: "User.Read.All (or one that includes it, such as User.ReadUpdate.All)"}
	UsersWrite = Access{Permission: "User.ReadUpdate.All (the least privileged one for updating users; User.ReadWrite.All or " +
		"Directory.ReadWrite.All also work)", Role: "Privileged Authentication Administrator (Entra requires at least it for certificateUserIds)",
		Note: "A synchronized user's certificateUserIds cannot be written through Graph at all: they come from on-premises " +
			"Active Directory through Microsoft Entra Connect (Hybrid Identity Administrator)."}
)

// Advice is the paragraph a refused call gets: the permission, the role, and what else to check.
func (a Access) Advice() string {
	s := fmt.Sprintf("The identity needs the Microsoft Graph permission %s, with admin consent", a.Permission)
	if a.Role != "" {
		s += " and, when it is a signed-in user, the Entra role " + a.Role
	}
	s += "."
	if a.Note != "" {
		s += " " + a.Note
	}
	return s + " Check also the provider's tenant and credentials."
}

// Failure describes a Graph call that failed, for GraphError.
type Failure struct {
	Summary   string    // "Cannot read the PKI"
	Doing     string    // "Reading PKI 0d7a…": the detail starts "Reading PKI 0d7a…: <Graph's error>."
	Access    Access    // what the call needs, said on a refusal
	Timeout   string    // the timeouts attribute bounding the call ("read"), said when time ran out; "" for none
	Attribute path.Path // the attribute the diagnostic is about, or empty
}

// GraphError is the one mapping of a failed Graph call to a diagnostic: the summary, then what was being done,
// Graph's error, and what to do about its kind (graph.KindOf): the permission and role on a refusal, the timeout on
// a deadline, reading first on a lost answer. Graph's errors carry no secrets.
func GraphError(f Failure, err error) diag.Diagnostic {
	detail := fmt.Sprintf("%s: %v.", f.Doing, err)
	raise := "raise timeouts"
	if f.Timeout != "" {
		raise += "." + f.Timeout
	}
	switch kind := graph.KindOf(err); {
	case kind == graph.KindUnauthenticated || kind == graph.KindForbidden:
		detail += "\n\nGraph refused the provider's identity. " + f.Access.Advice()
	case errors.Is(err, context.DeadlineExceeded) || graph.IsWaitTimeout(err):
		detail += "\n\nThe time ran out. Run terraform again, or " + raise + " if Graph is slow."
	case kind == graph.KindThrottled:
		detail += "\n\nGraph kept throttling the request (429 Too Many Requests or 503) until the deadline. Run terraform " +
			"again later, or " + raise + "."
	case kind == graph.KindOutcomeUnknown:
		detail += "\n\nGraph's answer was lost or Graph failed, so whether the request took effect is unknown. Run terraform " +
			"again once Graph answers: the provider reads before it writes again."
	case kind == graph.KindBadRequest:
		detail += "\n\nGraph refused the request's content; check the configuration's values."
	}
	if f.Attribute.Equal(path.Empty()) {
		return diag.NewErrorDiagnostic(f.Summary, detail)
	}
	return diag.NewAttributeErrorDiagnostic(f.Attribute, f.Summary, detail)
}
