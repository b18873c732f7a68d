package policy

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/clients"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
)

// appliedValues are the trust-store references the policy already holds: those of the prior state, those this
// provider last wrote (kept in private state, which survives a refresh that took a portal change into the state),
// and, when there is no prior state (a create or a replacement), those Graph's policy holds now. A trust-store check
// that fails for an applied value reports drift of the trust store (a warning); for a value the configuration adds,
// it is an error.
type appliedValues struct {
	CRLEnabled bool
	Exempted   map[string]bool // upper-case SKIs
	Scoped     map[string]bool // upper-case SKIs
}

// privateApplied is the private-state key of the values this provider last wrote.
const privateApplied = "applied_trust_references"

type appliedRecord struct {
	CRLState string   `json:"crl_state"`
	Exempted []string `json:"exempted"`
	Scoped   []string `json:"scoped"`
}

func (a *appliedValues) add(r appliedRecord) {
	if a.Exempted == nil {
		a.Exempted, a.Scoped = map[string]bool{}, map[string]bool{}
	}
	a.CRLEnabled = a.CRLEnabled || r.CRLState == "enabled"
	for _, e := range r.Exempted {
		a.Exempted[strings.ToUpper(e)] = true
	}
	for _, s := range r.Scoped {
		a.Scoped[strings.ToUpper(s)] = true
	}
}

// exempts reports whether the applied policy exempted c from CRL validation.
func (a appliedValues) exempts(c trustedCA) bool {
	for ski := range a.Exempted {
		if c.matches(ski) {
			return true
		}
	}
	return false
}

// judge makes f an error when the configuration asks for the failing value (asked), else a warning that says the
// policy already holds it.
func (a appliedValues) judge(asked bool, f finding) finding {
	f.Error = asked
	if !asked {
		f.Detail += " The policy already holds this value and the trust store changed after it was applied (for example a CA or PKI " +
			"deleted outside Terraform), so this is a warning: plan, apply and destroy go on. Restore the CA, or change the policy."
	}
	return f
}

// recordOf is what a plan, state or read-back model refers to in the trust store (known values only).
func recordOf(p plannedPolicy) appliedRecord {
	r := appliedRecord{CRLState: p.CRLState.S}
	for _, e := range p.Exempted {
		if e.Known && e.S != "" {
			r.Exempted = append(r.Exempted, e.S)
		}
	}
	for _, s := range p.Scopes {
		if s.SKI.Known && s.SKI.S != "" {
			r.Scoped = append(r.Scoped, s.SKI.S)
		}
	}
	return r
}

func recordOfGraph(p *graph.CBAPolicy) appliedRecord {
	var r appliedRecord
	if p.CRLValidation != nil {
		r.CRLState = p.CRLValidation.State
		r.Exempted = p.CRLValidation.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers
	}
	for _, s := range p.CertificateAuthorityScopes {
		r.Scoped = append(r.Scoped, s.SubjectKeyIdentifier)
	}
	return r
}

// readApplied is the record privateApplied holds, if any.
func readApplied(ctx context.Context, p clients.PrivateState) (appliedRecord, bool) {
	var r appliedRecord
	if p == nil {
		return r, false
	}
	b, diags := p.GetKey(ctx, privateApplied)
	if diags.HasError() || len(b) == 0 || json.Unmarshal(b, &r) != nil {
		return r, false
	}
	return r, true
}

// writeApplied records what was just written, for the checks of later plans.
func writeApplied(ctx context.Context, p clients.PrivateState, m policyModel) {
	if p == nil {
		return
	}
	b, _ := json.Marshal(recordOf(plannedFrom(ctx, m)))
	_ = p.SetKey(ctx, privateApplied, b)
}
