package policy

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/path"
)

// The checks that keep a configuration from locking users out, as pure functions over what the plan says and
// what the trust store holds. A value unknown at plan time (e.g. an SKI that another resource computes) is
// skipped, never reported.

// maxCAScopes is Graph's documented limit of certificate authority scoping rules.
const maxCAScopes = 30

// allUsersID is the documented include target for everyone.
const allUsersID = "all_users"

// value is a planned string: Known is false while it is unknown; a known "" is null or empty.
type value struct {
	S     string
	Known bool
}

func known(s string) value { return value{S: s, Known: true} }

// plannedPolicy is the part of a plan (or configuration) the checks look at.
type plannedPolicy struct {
	State value
	// IncludeTargetIDs is nil when the set is unknown.
	IncludeTargetIDs []value
	// IncludeTargetTypes is parallel to IncludeTargetIDs (target_type, unknown or "" when not set).
	IncludeTargetTypes []value
	ExcludeTargetIDs   []value
	Bindings           []plannedBinding
	Rules              []plannedRule
	CRLState           value
	// Exempted is nil when the set is unknown; an element may still be unknown.
	Exempted []value
	// ScopesKnown is false when the list of scopes is unknown.
	ScopesKnown bool
	Scopes      []plannedScope
}

type plannedBinding struct {
	Field, UserProperty value
	Priority            *int64 // nil while unknown
}

type plannedRule struct {
	Type, Identifier value
}

type plannedScope struct {
	SKI value
	// GroupIDs is nil when the targets are unknown.
	GroupIDs []value
}

// trustedCA is one certificate authority of one of the tenant's PKIs, as the checks need it.
type trustedCA struct {
	PKIName, PKIID string
	DisplayName    string
	// SKI is the CA's own subject key identifier, read from its certificate ("" if unreadable); IssuerSKI is
	// Graph's issuerSubjectKeyIdentifier, which Graph documents as the CA's SKI too. Both count as a match.
	SKI, IssuerSKI string
	CRLURL         string
	// Subject, Thumbprint and DER come from the CA's certificate (empty if unreadable), for the CRL pre-flight.
	Subject, Thumbprint string
	DER                 []byte
}

func (c trustedCA) matches(ski string) bool {
	return ski != "" && (strings.EqualFold(c.SKI, ski) || strings.EqualFold(c.IssuerSKI, ski))
}

func (c trustedCA) describe() string {
	ski := c.SKI
	if ski == "" {
		ski = c.IssuerSKI
	}
	return fmt.Sprintf("%q (subject key identifier %s) in PKI %q", c.DisplayName, ski, c.PKIName)
}

// finding is one diagnostic a check produces.
type finding struct {
	Path    path.Path
	Error   bool // a warning otherwise
	Summary string
	Detail  string
}

func invalid(p path.Path, detail string) finding {
	return finding{Path: p, Error: true, Summary: "Invalid CBA policy configuration", Detail: detail}
}

// fieldBindsOnlyCertificateUserIDs: only PrincipalName and RFC822Name may bind to a UPN property; SubjectKeyIdentifier,
// SHA1PublicKey and the issuer/subject/serial fields bind only to certificateUserIds.
func fieldBindsOnlyCertificateUserIDs(field string) bool {
	return field != "PrincipalName" && field != "RFC822Name"
}

// checkBindings: priorities unique and non-negative; fields other than PrincipalName and RFC822Name bound to
// certificateUserIds.
func checkBindings(bindings []plannedBinding) []finding {
	var out []finding
	seen := map[int64]int{}
	for i, b := range bindings {
		p := path.Root("certificate_user_bindings").AtListIndex(i)
		if b.Priority != nil {
			switch prev, dup := seen[*b.Priority]; {
			case *b.Priority < 0:
				out = append(out, invalid(p.AtName("priority"), fmt.Sprintf("Binding %d has priority %d; priorities must be 0 or more (the lowest number is tried first).", i, *b.Priority)))
			case dup:
				out = append(out, invalid(p.AtName("priority"), fmt.Sprintf("Bindings %d and %d both have priority %d; give every binding its own priority.", prev, i, *b.Priority)))
			default:
				seen[*b.Priority] = i
			}
		}
		if b.Field.Known && b.UserProperty.Known && fieldBindsOnlyCertificateUserIDs(b.Field.S) && b.UserProperty.S != "certificateUserIds" {
			out = append(out, invalid(p.AtName("user_property"), fmt.Sprintf("Binding %d maps the certificate field %s to %s, but Entra binds %s only to "+
				"certificateUserIds (only PrincipalName and RFC822Name may map to userPrincipalName or onPremisesUserPrincipalName). "+
				"Set user_property = \"certificateUserIds\".", i, b.Field.S, b.UserProperty.S, b.Field.S)))
		}
	}
	return out
}

// checkRules: every rule needs its identifier (the issuer DN or the policy OID it matches).
func checkRules(rules []plannedRule) []finding {
	var out []finding
	for i, r := range rules {
		if r.Identifier.Known && r.Identifier.S == "" {
			what := "the issuer subject (e.g. \"CN=ContosoCA,DC=Contoso,DC=org\") or the policy OID (e.g. \"1.2.3.4\")"
			switch r.Type.S {
			case "issuerSubject":
				what = "the issuer subject it matches, e.g. \"CN=ContosoCA,DC=Contoso,DC=org\""
			case "policyOID":
				what = "the certificate policy OID it matches, e.g. \"1.2.3.4\""
			}
			out = append(out, invalid(path.Root("authentication_mode").AtName("rules").AtListIndex(i).AtName("identifier"),
				fmt.Sprintf("Rule %d has no identifier; Graph requires one. Set identifier to %s.", i, what)))
			continue
		}
		if r.Type.Known && r.Type.S == "policyOID" && r.Identifier.Known && !oidPattern.MatchString(r.Identifier.S) {
			out = append(out, invalid(path.Root("authentication_mode").AtName("rules").AtListIndex(i).AtName("identifier"),
				fmt.Sprintf("Rule %d is a policyOID rule, but its identifier %q is no certificate policy OID. Set identifier to the OID in "+
					"dotted-decimal form, e.g. \"1.3.6.1.4.1.311.21.8.1\".", i, r.Identifier.S)))
		}
	}
	return out
}

// checkScopes: at most 30 scopes, and one CA (by SKI, case-insensitively) scoped to one group only.
func checkScopes(scopes []plannedScope) []finding {
	var out []finding
	if len(scopes) > maxCAScopes {
		out = append(out, invalid(path.Root("certificate_authority_scopes"), fmt.Sprintf(
			"There are %d certificate authority scopes; Graph allows at most %d. Scope fewer CAs, e.g. scope the intermediate CAs only.", len(scopes), maxCAScopes)))
	}
	type firstUse struct {
		index int
		group string
	}
	groups := map[string]firstUse{}
	for i, s := range scopes {
		if !s.SKI.Known || s.SKI.S == "" {
			continue
		}
		key := strings.ToUpper(s.SKI.S)
		for _, g := range s.GroupIDs {
			if !g.Known {
				continue
			}
			prev, ok := groups[key]
			if !ok {
				groups[key] = firstUse{i, g.S}
				continue
			}
			if prev.group != g.S {
				out = append(out, invalid(path.Root("certificate_authority_scopes").AtListIndex(i),
					fmt.Sprintf("The CA with subject key identifier %s is scoped to group %s (scope %d) and to %s (scope %d); Entra allows one group per CA. "+
						"Put the users of both in one group.", s.SKI.S, prev.group, prev.index, g.S, i)))
				break
			}
		}
	}
	return out
}

// checkAllUsers warns when CBA is enabled for everyone, quoting Entra's guidance.
func checkAllUsers(p plannedPolicy) []finding {
	if !p.State.Known || p.State.S != "enabled" {
		return nil
	}
	for _, id := range p.IncludeTargetIDs {
		if id.Known && strings.EqualFold(id.S, allUsersID) {
			return []finding{{Path: path.Root("include_targets"), Summary: "CBA is enabled for all users",
				Detail: "include_targets holds all_users while state is \"enabled\". Entra's guidance: \"Don't include All users for CBA. " +
					"Use only groups of users who have valid certificates.\" Scope the policy to a pilot group instead, then widen it."}}
		}
	}
	return nil
}

// checkTargets: no target named twice in one set (the set would hold it twice with different settings), and all_users
// only as a group (it is the group of everyone).
func checkTargets(p plannedPolicy) []finding {
	var out []finding
	dups := func(at path.Path, ids []value) {
		seen := map[string]bool{}
		for _, id := range ids {
			if !id.Known || id.S == "" {
				continue
			}
			key := strings.ToLower(id.S)
			if seen[key] {
				out = append(out, invalid(at, fmt.Sprintf("%s is named twice; name each group or user once (with one target_type and "+
					"is_registration_required).", id.S)))
				continue
			}
			seen[key] = true
		}
	}
	dups(path.Root("include_targets"), p.IncludeTargetIDs)
	dups(path.Root("exclude_targets"), p.ExcludeTargetIDs)
	for i, s := range p.Scopes {
		dups(path.Root("certificate_authority_scopes").AtListIndex(i).AtName("include_targets"), s.GroupIDs)
	}
	for i, id := range p.IncludeTargetIDs {
		if i < len(p.IncludeTargetTypes) && id.Known && strings.EqualFold(id.S, allUsersID) && p.IncludeTargetTypes[i].Known && p.IncludeTargetTypes[i].S == "user" {
			out = append(out, invalid(path.Root("include_targets"), "all_users is the group of every user: set target_type = \"group\" (or leave it out) for it."))
		}
	}
	return out
}

// validateConfigFindings are the checks that need nothing but the configuration.
func validateConfigFindings(p plannedPolicy) []finding {
	out := checkBindings(p.Bindings)
	out = append(out, checkRules(p.Rules)...)
	out = append(out, checkTargets(p)...)
	return append(out, checkScopes(p.Scopes)...)
}

// needsTrustStore reports whether checkTrustStore has anything to compare.
func needsTrustStore(p plannedPolicy) bool {
	if p.CRLState.Known && p.CRLState.S == "enabled" {
		return true
	}
	for _, e := range p.Exempted {
		if e.Known && e.S != "" {
			return true
		}
	}
	for _, s := range p.Scopes {
		if s.SKI.Known && s.SKI.S != "" {
			return true
		}
	}
	return false
}

// checkTrustStore compares the plan with the tenant's CAs and the CAs planned in this run (planned reports an SKI of
// a CA resource or upload planned before the policy, which Graph does not hold yet):
//   - CRL validation enabled while a CA has no CRL distribution point and is not exempted: every sign-in with its
//     certificates would fail (skipped while any exemption is unknown);
//   - an exempted SKI or a CA scope's SKI that is no CA of the tenant: a typo that silently exempts or scopes nothing.
//
// Each is an error when the configuration asks for it (a value new to the policy), and a warning when the policy
// already holds the value (applied) and the trust store changed under it, so destroy, plan -destroy and the repair of
// drift never fail on it.
func checkTrustStore(p plannedPolicy, cas []trustedCA, planned func(ski string) bool, applied appliedValues) []finding {
	var out []finding
	exists := func(ski string) bool {
		for _, c := range cas {
			if c.matches(ski) {
				return true
			}
		}
		return planned != nil && planned(ski)
	}
	exemptionsKnown := p.Exempted != nil
	for _, e := range p.Exempted {
		exemptionsKnown = exemptionsKnown && e.Known
	}
	if p.CRLState.Known && p.CRLState.S == "enabled" && exemptionsKnown {
		var missing []string
		unexempted := false // a CA the applied policy exempted lost its exemption in this plan
		for _, c := range cas {
			if c.CRLURL != "" {
				continue
			}
			exempt := false
			for _, e := range p.Exempted {
				exempt = exempt || c.matches(e.S)
			}
			if !exempt {
				missing = append(missing, c.describe())
				unexempted = unexempted || applied.exempts(c)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			out = append(out, applied.judge(!applied.CRLEnabled || unexempted, finding{Path: path.Root("crl_validation").AtName("state"),
				Summary: "CRL validation would fail every sign-in with some CAs' certificates",
				Detail: "crl_validation.state = \"enabled\" requires a CRL distribution point on every trusted CA, and these CAs have none " +
					"(no certificate_revocation_list_url): " + strings.Join(missing, "; ") + ". Give each CA a CRL URL, or add its subject key " +
					"identifier to crl_validation.exempted_certificate_authority_subject_key_identifiers, then plan again."}))
		}
	}
	for _, e := range p.Exempted {
		if e.Known && e.S != "" && !exists(e.S) {
			out = append(out, applied.judge(!applied.Exempted[strings.ToUpper(e.S)], finding{
				Path:    path.Root("crl_validation").AtName("exempted_certificate_authority_subject_key_identifiers"),
				Summary: "Unknown CA in the CRL exemptions",
				Detail: fmt.Sprintf("No CA in the tenant's PKIs has the subject key identifier %s, so exempting it exempts nothing. Check for a typo, "+
					"or reference the CA's subject_key_identifier attribute instead of pasting hex.", e.S)}))
		}
	}
	for i, s := range p.Scopes {
		if s.SKI.Known && s.SKI.S != "" && !exists(s.SKI.S) {
			out = append(out, applied.judge(!applied.Scoped[strings.ToUpper(s.SKI.S)], finding{
				Path:    path.Root("certificate_authority_scopes").AtListIndex(i).AtName("subject_key_identifier"),
				Summary: "Unknown CA in a certificate authority scope",
				Detail: fmt.Sprintf("No CA in the tenant's PKIs has the subject key identifier %s, so this scope would scope nothing. Check for a typo, "+
					"or reference the CA's subject_key_identifier attribute instead of pasting hex.", s.SKI.S)}))
		}
	}
	return out
}
