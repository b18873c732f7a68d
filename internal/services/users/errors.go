package users

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/services/common"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// writeError turns a failed write of user's certificateUserIds into a diagnostic. conflicts names, for a uniqueness
// conflict, which values other users hold (see conflictDetail).
func writeError(ctx context.Context, g *graph.Client, user *graph.User, values []string, timeout time.Duration, err error) diag.Diagnostic {
	const summary = "Cannot set the user's certificate user IDs"
	who := fmt.Sprintf("user %s (%s)", user.UserPrincipalName, user.ID)
	switch kind := graph.KindOf(err); {
	case graph.IsCertificateUserIDConflict(err):
		return diag.NewAttributeErrorDiagnostic(path.Root("certificate_user_ids"), "A certificate user ID is already held by another user",
			conflictDetail(ctx, g, user, values, err))
	case kind == graph.KindNotFound:
		return diag.NewAttributeErrorDiagnostic(path.Root("user_id"), "User not found",
			fmt.Sprintf("The %s no longer exists (Graph: %v). Check user_id.", who, err))
	case graph.IsWaitTimeout(err):
		return diag.NewErrorDiagnostic("The user's certificate user IDs are not visible yet",
			fmt.Sprintf("Graph accepted the new certificateUserIds of %s, but reads still showed the previous ones (%v). "+
				"Entra replicates changes within minutes: run terraform apply again, which reads first and writes only "+
				"if they still differ.", who, err))
	case kind == graph.KindThrottled:
		return diag.NewErrorDiagnostic(summary, fmt.Sprintf("Graph throttled the update of %s beyond the deadline (%s): %v. "+
			"The provider waited each Retry-After and sent it again until the time ran out. Apply again later, or raise the timeouts.", who, timeout, err))
	case kind == graph.KindOutcomeUnknown:
		return diag.NewErrorDiagnostic(summary, fmt.Sprintf("The outcome of the update of %s is unknown: Graph's answers were lost "+
			"or failed (%v). The update replaces the whole list, so applying again is safe: it reads first.", who, err))
	case kind == graph.KindBadRequest:
		return diag.NewAttributeErrorDiagnostic(path.Root("certificate_user_ids"), summary,
			fmt.Sprintf("Graph refused the certificateUserIds of %s: %v. Nothing was changed.", who, err))
	default: // a refusal names the permission and the role (common.UsersWrite)
		return common.GraphError(common.Failure{Summary: summary, Access: common.UsersWrite,
			Doing: "Updating the certificateUserIds of " + who}, err)
	}
}

// conflictDetail names the values another user holds, looking each new value up (the conflict answer does not say
// which value it is); when the look-up fails, it names the values this write adds.
func conflictDetail(ctx context.Context, g *graph.Client, user *graph.User, values []string, err error) string {
	have := map[string]bool{}
	for _, v := range user.CertificateUserIDs {
		have[strings.ToLower(v)] = true
	}
	var added, held []string
	for _, v := range values {
		if have[strings.ToLower(v)] {
			continue
		}
		added = append(added, v)
		others, lerr := g.FindUsersByCertificateUserID(ctx, v)
		if lerr != nil {
			continue
		}
		for _, o := range others {
			if !strings.EqualFold(o.ID, user.ID) {
				held = append(held, fmt.Sprintf("%q is held by user %s (%s)", v, o.UserPrincipalName, o.ID))
				break
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Graph refused the certificateUserIds of user %s (%s): %v\n\n", user.UserPrincipalName, user.ID, err)
	if len(held) > 0 {
		b.WriteString(strings.Join(held, "; "))
		b.WriteString(".")
	} else {
		quoted := make([]string, len(added))
		for i, v := range added {
			quoted[i] = fmt.Sprintf("%q", v)
		}
		b.WriteString("One of the values this change adds is held by another user: " + strings.Join(quoted, ", ") + ".")
	}
	b.WriteString(" Each value must be unique in the tenant: remove it from the other user first (or from this " +
		"configuration). Nothing was changed: Graph refuses the whole list, so the user keeps its current values.")
	return b.String()
}

// readError is a failed read of a user; a refusal names the permission it needs (common.UsersRead).
func readError(what string, err error) diag.Diagnostic {
	return common.GraphError(common.Failure{Summary: "Cannot read the user", Access: common.UsersRead, Doing: what}, err)
}
