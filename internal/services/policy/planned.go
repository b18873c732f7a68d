package policy

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

func valueOf(s types.String) value {
	if s.IsUnknown() {
		return value{}
	}
	return known(s.ValueString())
}

// plannedFrom reads what the checks need from a plan or a configuration; unknown values stay unknown.
func plannedFrom(ctx context.Context, m policyModel) plannedPolicy {
	p := plannedPolicy{State: valueOf(m.State)}
	if !m.IncludeTargets.IsUnknown() {
		var ts []includeTargetModel
		_ = m.IncludeTargets.ElementsAs(ctx, &ts, false)
		p.IncludeTargetIDs = make([]value, 0, len(ts))
		for _, t := range ts {
			p.IncludeTargetIDs = append(p.IncludeTargetIDs, valueOf(t.ID))
		}
	}
	if !m.CertificateUserBindings.IsUnknown() {
		var bs []bindingModel
		_ = m.CertificateUserBindings.ElementsAs(ctx, &bs, false)
		for _, b := range bs {
			pb := plannedBinding{Field: valueOf(b.X509CertificateField), UserProperty: valueOf(b.UserProperty)}
			if !b.Priority.IsUnknown() && !b.Priority.IsNull() {
				v := b.Priority.ValueInt64()
				pb.Priority = &v
			}
			p.Bindings = append(p.Bindings, pb)
		}
	}
	if m.CRLValidation.IsNull() {
		p.CRLState = known("")
		p.Exempted = []value{}
	} else if !m.CRLValidation.IsUnknown() {
		var cv crlModel
		_ = m.CRLValidation.As(ctx, &cv, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})
		p.CRLState = valueOf(cv.State)
		switch {
		case cv.Exempted.IsNull():
			p.Exempted = []value{}
		case !cv.Exempted.IsUnknown():
			var ex []types.String
			_ = cv.Exempted.ElementsAs(ctx, &ex, false)
			p.Exempted = make([]value, 0, len(ex))
			for _, e := range ex {
				p.Exempted = append(p.Exempted, valueOf(e))
			}
		}
	}
	if !m.AuthenticationMode.IsUnknown() && !m.AuthenticationMode.IsNull() {
		var am authModeModel
		_ = m.AuthenticationMode.As(ctx, &am, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})
		if !am.Rules.IsUnknown() {
			var rules []ruleModel
			_ = am.Rules.ElementsAs(ctx, &rules, false)
			for _, r := range rules {
				p.Rules = append(p.Rules, plannedRule{Type: valueOf(r.Type), Identifier: valueOf(r.Identifier)})
			}
		}
	}
	if !m.CertificateAuthorityScopes.IsUnknown() {
		p.ScopesKnown = true
		var ss []scopeModel
		_ = m.CertificateAuthorityScopes.ElementsAs(ctx, &ss, false)
		for _, s := range ss {
			ps := plannedScope{SKI: valueOf(s.SubjectKeyIdentifier)}
			if !s.IncludeTargets.IsUnknown() {
				var ts []targetModel
				_ = s.IncludeTargets.ElementsAs(ctx, &ts, false)
				ps.GroupIDs = make([]value, 0, len(ts))
				for _, t := range ts {
					ps.GroupIDs = append(ps.GroupIDs, valueOf(t.ID))
				}
			}
			p.Scopes = append(p.Scopes, ps)
		}
	}
	return p
}
