package policy

import (
	"context"

	"github.com/entracert/terraform-provider-entracert/internal/graph"

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
			p.IncludeTargetTypes = append(p.IncludeTargetTypes, valueOf(t.TargetType))
		}
	}
	if !m.ExcludeTargets.IsUnknown() {
		var ts []targetModel
		_ = m.ExcludeTargets.ElementsAs(ctx, &ts, false)
		for _, t := range ts {
			p.ExcludeTargetIDs = append(p.ExcludeTargetIDs, valueOf(t.ID))
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

// leftOut says which checked values the configuration does not set, so they keep Graph's values.
type leftOut struct {
	IncludeTargets, CRLState, Exempted bool
}

func (l leftOut) any() bool { return l.IncludeTargets || l.CRLState || l.Exempted }

func leftOutOf(ctx context.Context, cfg policyModel) leftOut {
	l := leftOut{IncludeTargets: cfg.IncludeTargets.IsNull()}
	switch {
	case cfg.CRLValidation.IsNull():
		l.CRLState, l.Exempted = true, true
	case !cfg.CRLValidation.IsUnknown():
		var cv crlModel
		_ = cfg.CRLValidation.As(ctx, &cv, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})
		l.CRLState, l.Exempted = cv.State.IsNull(), cv.Exempted.IsNull()
	}
	return l
}

// hasUnknownLeftOut reports whether a value the configuration leaves out is unknown in the plan (a create).
func (p plannedPolicy) hasUnknownLeftOut(l leftOut) bool {
	return (l.IncludeTargets && p.IncludeTargetIDs == nil) || (l.CRLState && !p.CRLState.Known) || (l.Exempted && p.Exempted == nil)
}

// withGraphValues fills the values the configuration leaves out, and the plan does not know, from Graph's current ones.
func withGraphValues(p plannedPolicy, l leftOut, cur *graph.CBAPolicy) plannedPolicy {
	if l.IncludeTargets && p.IncludeTargetIDs == nil {
		p.IncludeTargetIDs = []value{}
		for _, t := range cur.IncludeTargets {
			p.IncludeTargetIDs = append(p.IncludeTargetIDs, known(t.ID))
		}
	}
	cv := graph.CBACRLValidation{}
	if cur.CRLValidation != nil {
		cv = *cur.CRLValidation
	}
	if l.CRLState && !p.CRLState.Known {
		p.CRLState = known(cv.State)
	}
	if l.Exempted && p.Exempted == nil {
		p.Exempted = []value{}
		for _, e := range cv.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers {
			p.Exempted = append(p.Exempted, known(e))
		}
	}
	return p
}
