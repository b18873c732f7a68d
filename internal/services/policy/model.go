package policy

import (
	"context"
	"fmt"
	"reflect"
	"strings"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// policyModel is the resource's and the data source's state: the whole configuration as Graph holds it.
type policyModel struct {
	ID                         types.String `tfsdk:"id"`
	State                      types.String `tfsdk:"state"`
	IncludeTargets             types.Set    `tfsdk:"include_targets"`
	ExcludeTargets             types.Set    `tfsdk:"exclude_targets"`
	AuthenticationMode         types.Object `tfsdk:"authentication_mode"`
	CertificateUserBindings    types.List   `tfsdk:"certificate_user_bindings"`
	CRLValidation              types.Object `tfsdk:"crl_validation"`
	IssuerHintsState           types.String `tfsdk:"issuer_hints_state"`
	CertificateAuthorityScopes types.List   `tfsdk:"certificate_authority_scopes"`
}

// policyResourceModel is the resource's state: the configuration, and the timeouts block the data source lacks.
type policyResourceModel struct {
	policyModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

type includeTargetModel struct {
	ID                     types.String `tfsdk:"id"`
	TargetType             types.String `tfsdk:"target_type"`
	IsRegistrationRequired types.Bool   `tfsdk:"is_registration_required"`
}

type targetModel struct {
	ID         types.String `tfsdk:"id"`
	TargetType types.String `tfsdk:"target_type"`
}

type authModeModel struct {
	DefaultMode                  types.String `tfsdk:"default_mode"`
	DefaultRequiredAffinityLevel types.String `tfsdk:"default_required_affinity_level"`
	Rules                        types.List   `tfsdk:"rules"`
}

type ruleModel struct {
	Type                    types.String `tfsdk:"type"`
	Identifier              types.String `tfsdk:"identifier"`
	IssuerSubjectIdentifier types.String `tfsdk:"issuer_subject_identifier"`
	PolicyOIDIdentifier     types.String `tfsdk:"policy_oid_identifier"`
	AuthenticationMode      types.String `tfsdk:"authentication_mode"`
	RequiredAffinityLevel   types.String `tfsdk:"required_affinity_level"`
}

type bindingModel struct {
	X509CertificateField types.String `tfsdk:"x509_certificate_field"`
	UserProperty         types.String `tfsdk:"user_property"`
	Priority             types.Int64  `tfsdk:"priority"`
	TrustAffinityLevel   types.String `tfsdk:"trust_affinity_level"`
}

type crlModel struct {
	State    types.String `tfsdk:"state"`
	Exempted types.Set    `tfsdk:"exempted_certificate_authority_subject_key_identifiers"`
}

type scopeModel struct {
	SubjectKeyIdentifier              types.String `tfsdk:"subject_key_identifier"`
	PublicKeyInfrastructureIdentifier types.String `tfsdk:"public_key_infrastructure_identifier"`
	IncludeTargets                    types.Set    `tfsdk:"include_targets"`
}

var (
	targetType        = types.ObjectType{AttrTypes: map[string]attr.Type{"id": types.StringType, "target_type": types.StringType}}
	includeTargetType = types.ObjectType{AttrTypes: map[string]attr.Type{"id": types.StringType, "target_type": types.StringType, "is_registration_required": types.BoolType}}
	ruleType          = types.ObjectType{AttrTypes: map[string]attr.Type{"type": types.StringType, "identifier": types.StringType,
		"issuer_subject_identifier": types.StringType, "policy_oid_identifier": types.StringType, "authentication_mode": types.StringType,
		"required_affinity_level": types.StringType}}
	authModeAttrTypes = map[string]attr.Type{"default_mode": types.StringType, "default_required_affinity_level": types.StringType,
		"rules": types.ListType{ElemType: ruleType}}
	bindingType = types.ObjectType{AttrTypes: map[string]attr.Type{"x509_certificate_field": types.StringType, "user_property": types.StringType,
		"priority": types.Int64Type, "trust_affinity_level": types.StringType}}
	crlAttrTypes = map[string]attr.Type{"state": types.StringType,
		"exempted_certificate_authority_subject_key_identifiers": types.SetType{ElemType: types.StringType}}
	scopeType = types.ObjectType{AttrTypes: map[string]attr.Type{"subject_key_identifier": types.StringType,
		"public_key_infrastructure_identifier": types.StringType, "include_targets": types.SetType{ElemType: targetType}}}
)

// optional maps Graph's absent string ("") to null.
func optional(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// policyToModel is Graph → state. Absent collections read as empty, absent objects as null.
func policyToModel(ctx context.Context, p *graph.CBAPolicy) (policyModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	m := policyModel{ID: types.StringValue(p.ID), State: optional(p.State), IssuerHintsState: optional(p.IssuerHintsState)}

	inc := make([]includeTargetModel, 0, len(p.IncludeTargets))
	for _, t := range p.IncludeTargets {
		inc = append(inc, includeTargetModel{ID: types.StringValue(t.ID), TargetType: optional(t.TargetType), IsRegistrationRequired: types.BoolValue(t.IsRegistrationRequired)})
	}
	m.IncludeTargets = setOf(ctx, includeTargetType, inc, &diags)
	m.ExcludeTargets = targetsToSet(ctx, p.ExcludeTargets, &diags)

	if am := p.AuthenticationMode; am == nil {
		m.AuthenticationMode = types.ObjectNull(authModeAttrTypes)
	} else {
		rules := make([]ruleModel, 0, len(am.Rules))
		for _, r := range am.Rules {
			rules = append(rules, ruleModel{Type: optional(r.Type), Identifier: optional(r.Identifier), IssuerSubjectIdentifier: optional(r.IssuerSubjectIdentifier),
				PolicyOIDIdentifier: optional(r.PolicyOIDIdentifier), AuthenticationMode: optional(r.AuthenticationMode), RequiredAffinityLevel: optional(r.RequiredAffinityLevel)})
		}
		m.AuthenticationMode = objectOf(ctx, authModeAttrTypes, authModeModel{DefaultMode: optional(am.DefaultMode),
			DefaultRequiredAffinityLevel: optional(am.DefaultRequiredAffinityLevel), Rules: listOf(ctx, ruleType, rules, &diags)}, &diags)
	}

	bindings := make([]bindingModel, 0, len(p.CertificateUserBindings))
	for _, b := range p.CertificateUserBindings {
		bindings = append(bindings, bindingModel{X509CertificateField: types.StringValue(b.X509CertificateField), UserProperty: types.StringValue(b.UserProperty),
			Priority: types.Int64Value(int64(b.Priority)), TrustAffinityLevel: optional(b.TrustAffinityLevel)})
	}
	m.CertificateUserBindings = listOf(ctx, bindingType, bindings, &diags)

	if cv := p.CRLValidation; cv == nil {
		m.CRLValidation = types.ObjectNull(crlAttrTypes)
	} else {
		ex := setOf(ctx, types.StringType, nonNil(cv.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers), &diags)
		m.CRLValidation = objectOf(ctx, crlAttrTypes, crlModel{State: optional(cv.State), Exempted: ex}, &diags)
	}

	scopes := make([]scopeModel, 0, len(p.CertificateAuthorityScopes))
	for _, s := range p.CertificateAuthorityScopes {
		scopes = append(scopes, scopeModel{SubjectKeyIdentifier: types.StringValue(s.SubjectKeyIdentifier),
			PublicKeyInfrastructureIdentifier: optional(s.PublicKeyInfrastructureIdentifier), IncludeTargets: targetsToSet(ctx, s.IncludeTargets, &diags)})
	}
	m.CertificateAuthorityScopes = listOf(ctx, scopeType, scopes, &diags)
	return m, diags
}

func setOf(ctx context.Context, t attr.Type, elems any, diags *diag.Diagnostics) types.Set {
	v, d := types.SetValueFrom(ctx, t, elems)
	diags.Append(d...)
	return v
}

func listOf(ctx context.Context, t attr.Type, elems any, diags *diag.Diagnostics) types.List {
	v, d := types.ListValueFrom(ctx, t, elems)
	diags.Append(d...)
	return v
}

func objectOf(ctx context.Context, t map[string]attr.Type, obj any, diags *diag.Diagnostics) types.Object {
	v, d := types.ObjectValueFrom(ctx, t, obj)
	diags.Append(d...)
	return v
}

func targetsToSet(ctx context.Context, ts []graph.CBATarget, diags *diag.Diagnostics) types.Set {
	out := make([]targetModel, 0, len(ts))
	for _, t := range ts {
		out = append(out, targetModel{ID: types.StringValue(t.ID), TargetType: optional(t.TargetType)})
	}
	return setOf(ctx, targetType, out, diags)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// given reports whether a planned value decides the property (known and not null); otherwise Graph's value stays.
func given(v attr.Value) bool { return !v.IsUnknown() && !v.IsNull() }

// desiredPolicy is what Graph should hold after the apply: the plan's values where it has them, the current
// configuration's elsewhere (Optional attributes left out keep Graph's values). Nested objects merge per attribute.
func desiredPolicy(ctx context.Context, plan policyModel, cur *graph.CBAPolicy) (*graph.CBAPolicy, diag.Diagnostics) {
	var diags diag.Diagnostics
	d := *cur
	if given(plan.State) {
		d.State = plan.State.ValueString()
	}
	if given(plan.IssuerHintsState) {
		d.IssuerHintsState = plan.IssuerHintsState.ValueString()
	}
	if given(plan.IncludeTargets) {
		var ts []includeTargetModel
		diags.Append(plan.IncludeTargets.ElementsAs(ctx, &ts, false)...)
		d.IncludeTargets = make([]graph.CBAIncludeTarget, 0, len(ts))
		for _, t := range ts {
			d.IncludeTargets = append(d.IncludeTargets, graph.CBAIncludeTarget{ID: t.ID.ValueString(), TargetType: t.TargetType.ValueString(),
				IsRegistrationRequired: t.IsRegistrationRequired.ValueBool()})
		}
	}
	if given(plan.ExcludeTargets) {
		d.ExcludeTargets = targetsFromSet(ctx, plan.ExcludeTargets, &diags)
	}
	if given(plan.AuthenticationMode) {
		var am authModeModel
		diags.Append(plan.AuthenticationMode.As(ctx, &am, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
		merged := graph.CBAAuthenticationMode{}
		if cur.AuthenticationMode != nil {
			merged = *cur.AuthenticationMode
		}
		if given(am.DefaultMode) {
			merged.DefaultMode = am.DefaultMode.ValueString()
		}
		if given(am.DefaultRequiredAffinityLevel) {
			merged.DefaultRequiredAffinityLevel = am.DefaultRequiredAffinityLevel.ValueString()
		}
		if given(am.Rules) {
			var rules []ruleModel
			diags.Append(am.Rules.ElementsAs(ctx, &rules, false)...)
			merged.Rules = make([]graph.CBARule, 0, len(rules))
			for _, r := range rules {
				merged.Rules = append(merged.Rules, graph.CBARule{Type: r.Type.ValueString(), Identifier: r.Identifier.ValueString(),
					IssuerSubjectIdentifier: r.IssuerSubjectIdentifier.ValueString(), PolicyOIDIdentifier: r.PolicyOIDIdentifier.ValueString(),
					AuthenticationMode: r.AuthenticationMode.ValueString(), RequiredAffinityLevel: r.RequiredAffinityLevel.ValueString()})
			}
		}
		merged.Rules = nonNil(merged.Rules)
		d.AuthenticationMode = &merged
	}
	if given(plan.CertificateUserBindings) {
		var bs []bindingModel
		diags.Append(plan.CertificateUserBindings.ElementsAs(ctx, &bs, false)...)
		d.CertificateUserBindings = make([]graph.CBAUserBinding, 0, len(bs))
		for _, b := range bs {
			d.CertificateUserBindings = append(d.CertificateUserBindings, graph.CBAUserBinding{X509CertificateField: b.X509CertificateField.ValueString(),
				UserProperty: b.UserProperty.ValueString(), Priority: int32(b.Priority.ValueInt64()), //nolint:gosec // validated 0..MaxInt32
				TrustAffinityLevel: b.TrustAffinityLevel.ValueString()})
		}
	}
	if given(plan.CRLValidation) {
		var cv crlModel
		diags.Append(plan.CRLValidation.As(ctx, &cv, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
		merged := graph.CBACRLValidation{}
		if cur.CRLValidation != nil {
			merged = *cur.CRLValidation
		}
		if given(cv.State) {
			merged.State = cv.State.ValueString()
		}
		if given(cv.Exempted) {
			var ex []string
			diags.Append(cv.Exempted.ElementsAs(ctx, &ex, false)...)
			merged.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers = ex
		}
		merged.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers = nonNil(merged.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers)
		d.CRLValidation = &merged
	}
	if given(plan.CertificateAuthorityScopes) {
		var ss []scopeModel
		diags.Append(plan.CertificateAuthorityScopes.ElementsAs(ctx, &ss, false)...)
		d.CertificateAuthorityScopes = make([]graph.CBACertificateAuthorityScope, 0, len(ss))
		for _, s := range ss {
			d.CertificateAuthorityScopes = append(d.CertificateAuthorityScopes, graph.CBACertificateAuthorityScope{
				SubjectKeyIdentifier: s.SubjectKeyIdentifier.ValueString(), PublicKeyInfrastructureIdentifier: s.PublicKeyInfrastructureIdentifier.ValueString(),
				IncludeTargets: targetsFromSet(ctx, s.IncludeTargets, &diags)})
		}
	}
	return &d, diags
}

func targetsFromSet(ctx context.Context, s types.Set, diags *diag.Diagnostics) []graph.CBATarget {
	var ts []targetModel
	diags.Append(s.ElementsAs(ctx, &ts, false)...)
	out := make([]graph.CBATarget, 0, len(ts))
	for _, t := range ts {
		out = append(out, graph.CBATarget{ID: t.ID.ValueString(), TargetType: t.TargetType.ValueString()})
	}
	return out
}

// policyUpdate is the PATCH from cur to want: state always (Graph's docs always send it), and each other
// property whole when it differs.
func policyUpdate(cur, want *graph.CBAPolicy) graph.CBAPolicyUpdate {
	u := graph.CBAPolicyUpdate{State: &want.State}
	if !sameSlice(cur.IncludeTargets, want.IncludeTargets) {
		u.IncludeTargets = &want.IncludeTargets
	}
	if !sameSlice(cur.ExcludeTargets, want.ExcludeTargets) {
		u.ExcludeTargets = &want.ExcludeTargets
	}
	if want.AuthenticationMode != nil && !reflect.DeepEqual(normMode(cur.AuthenticationMode), normMode(want.AuthenticationMode)) {
		u.AuthenticationMode = want.AuthenticationMode
	}
	if !sameSlice(cur.CertificateUserBindings, want.CertificateUserBindings) {
		u.CertificateUserBindings = &want.CertificateUserBindings
	}
	if want.CRLValidation != nil && !reflect.DeepEqual(normCRL(cur.CRLValidation), normCRL(want.CRLValidation)) {
		u.CRLValidation = want.CRLValidation
	}
	if want.IssuerHintsState != "" && cur.IssuerHintsState != want.IssuerHintsState {
		u.IssuerHintsState = &want.IssuerHintsState
	}
	if !sameSlice(cur.CertificateAuthorityScopes, want.CertificateAuthorityScopes) {
		u.CertificateAuthorityScopes = &want.CertificateAuthorityScopes
	}
	return u
}

func sameSlice[T any](a, b []T) bool {
	if len(a) == 0 && len(b) == 0 {
		return true
	}
	return reflect.DeepEqual(a, b)
}

func normMode(m *graph.CBAAuthenticationMode) graph.CBAAuthenticationMode {
	if m == nil {
		return graph.CBAAuthenticationMode{Rules: []graph.CBARule{}}
	}
	n := *m
	n.Rules = nonNil(n.Rules)
	return n
}

func normCRL(c *graph.CBACRLValidation) graph.CBACRLValidation {
	if c == nil {
		return graph.CBACRLValidation{ExemptedCertificateAuthoritiesSubjectKeyIdentifiers: []string{}}
	}
	n := *c
	n.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers = nonNil(n.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers)
	return n
}

// Values this provider knows, per Graph enum; anything else Graph reports is kept in state and reported.
var knownEnums = map[string][]string{
	"state":                            {"enabled", "disabled"},
	"include_targets.target_type":      {"group", "user"},
	"exclude_targets.target_type":      {"group", "user"},
	"authentication_mode.default_mode": authModes,
	"authentication_mode.default_required_affinity_level":      affinityLevels,
	"authentication_mode.rules.type":                           ruleTypes,
	"authentication_mode.rules.authentication_mode":            authModes,
	"authentication_mode.rules.required_affinity_level":        affinityLevels,
	"certificate_user_bindings.user_property":                  userProperties,
	"certificate_user_bindings.trust_affinity_level":           affinityLevels,
	"crl_validation.state":                                     {"enabled", "disabled"},
	"issuer_hints_state":                                       {"enabled", "disabled"},
	"certificate_authority_scopes.include_targets.target_type": {"group", "user"},
}

var (
	authModes      = []string{"x509CertificateSingleFactor", "x509CertificateMultiFactor"}
	affinityLevels = []string{"low", "high"}
	ruleTypes      = []string{"issuerSubject", "policyOID", "issuerSubjectAndPolicyOID"}
	userProperties = []string{"userPrincipalName", "onPremisesUserPrincipalName", "certificateUserIds"}
)

// unknownEnumValues lists, as "attribute = value", every enum value Graph reported that this provider does not
// know (unknownFutureValue included): they are kept in state, and Read reports them in a warning.
func unknownEnumValues(p *graph.CBAPolicy) []string {
	var out []string
	check := func(attribute, v string) {
		if v == "" {
			return
		}
		for _, k := range knownEnums[attribute] {
			if v == k {
				return
			}
		}
		out = append(out, fmt.Sprintf("%s = %q", attribute, v))
	}
	check("state", p.State)
	for _, t := range p.IncludeTargets {
		check("include_targets.target_type", t.TargetType)
	}
	for _, t := range p.ExcludeTargets {
		check("exclude_targets.target_type", t.TargetType)
	}
	if am := p.AuthenticationMode; am != nil {
		check("authentication_mode.default_mode", am.DefaultMode)
		check("authentication_mode.default_required_affinity_level", am.DefaultRequiredAffinityLevel)
		for _, r := range am.Rules {
			check("authentication_mode.rules.type", r.Type)
			check("authentication_mode.rules.authentication_mode", r.AuthenticationMode)
			check("authentication_mode.rules.required_affinity_level", r.RequiredAffinityLevel)
		}
	}
	for _, b := range p.CertificateUserBindings {
		check("certificate_user_bindings.user_property", b.UserProperty)
		check("certificate_user_bindings.trust_affinity_level", b.TrustAffinityLevel)
	}
	if cv := p.CRLValidation; cv != nil {
		check("crl_validation.state", cv.State)
	}
	check("issuer_hints_state", p.IssuerHintsState)
	for _, s := range p.CertificateAuthorityScopes {
		for _, t := range s.IncludeTargets {
			check("certificate_authority_scopes.include_targets.target_type", t.TargetType)
		}
	}
	return out
}

// unknownEnumWarning is the Read warning for unknownEnumValues.
func unknownEnumWarning(values []string) (summary, detail string) {
	return "Graph reports CBA policy values this provider does not know",
		"The tenant's X.509 certificate authentication configuration holds: " + strings.Join(values, "; ") +
			". They are kept in the state as Graph reports them. A configuration that sets these attributes must use a " +
			"value this provider knows; upgrade the provider if Graph added new values."
}
