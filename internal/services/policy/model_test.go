package policy

import (
	"reflect"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// customPolicy uses every property, the two that msgraph-sdk-go lacks included, and values this provider does not know.
func customPolicy() *graph.CBAPolicy {
	return &graph.CBAPolicy{
		ID:             "X509Certificate",
		State:          "enabled",
		IncludeTargets: []graph.CBAIncludeTarget{{ID: "g1", TargetType: "group", IsRegistrationRequired: true}},
		ExcludeTargets: []graph.CBATarget{{ID: "u1", TargetType: "user"}},
		AuthenticationMode: &graph.CBAAuthenticationMode{DefaultMode: "x509CertificateMultiFactor", DefaultRequiredAffinityLevel: "high",
			Rules: []graph.CBARule{
				{Type: "issuerSubject", Identifier: "CN=A", AuthenticationMode: "x509CertificateMultiFactor", RequiredAffinityLevel: "low"},
				{Type: "unknownFutureValue", Identifier: "1.2", IssuerSubjectIdentifier: "CN=B", PolicyOIDIdentifier: "1.2", AuthenticationMode: "x509CertificateSingleFactor"},
			}},
		CertificateUserBindings: []graph.CBAUserBinding{{X509CertificateField: "SubjectKeyIdentifier", UserProperty: "certificateUserIds", Priority: 3, TrustAffinityLevel: "high"}},
		CRLValidation:           &graph.CBACRLValidation{State: "enabled", ExemptedCertificateAuthoritiesSubjectKeyIdentifiers: []string{"AA11"}},
		IssuerHintsState:        "somethingNew",
		CertificateAuthorityScopes: []graph.CBACertificateAuthorityScope{{SubjectKeyIdentifier: "BB22", PublicKeyInfrastructureIdentifier: "Contoso PKI",
			IncludeTargets: []graph.CBATarget{{ID: "g1", TargetType: "group"}}}},
	}
}

func TestPolicyToModel_keepsEveryValue(t *testing.T) {
	ctx := t.Context()
	m, diags := policyToModel(ctx, customPolicy())
	if diags.HasError() {
		t.Fatal(diags)
	}
	if m.IssuerHintsState.ValueString() != "somethingNew" {
		t.Errorf("issuer_hints_state = %s, want Graph's unknown value kept", m.IssuerHintsState)
	}
	var scopes []scopeModel
	_ = m.CertificateAuthorityScopes.ElementsAs(ctx, &scopes, false)
	if len(scopes) != 1 || scopes[0].SubjectKeyIdentifier.ValueString() != "BB22" || scopes[0].PublicKeyInfrastructureIdentifier.ValueString() != "Contoso PKI" {
		t.Errorf("certificate_authority_scopes = %s", m.CertificateAuthorityScopes)
	}
	var am authModeModel
	_ = m.AuthenticationMode.As(ctx, &am, basetypes.ObjectAsOptions{})
	var rules []ruleModel
	_ = am.Rules.ElementsAs(ctx, &rules, false)
	if len(rules) != 2 || rules[1].Type.ValueString() != "unknownFutureValue" || !rules[1].RequiredAffinityLevel.IsNull() {
		t.Errorf("rules = %s", am.Rules)
	}

	// Lossless: the state maps back onto the same configuration.
	back, diags := desiredPolicy(ctx, m, &graph.CBAPolicy{ID: "X509Certificate"})
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !reflect.DeepEqual(back, customPolicy()) {
		t.Errorf("model → Graph\n%+v\nwant\n%+v", back, customPolicy())
	}
}

func TestPolicyToModel_absentObjectsAndCollections(t *testing.T) {
	m, diags := policyToModel(t.Context(), &graph.CBAPolicy{ID: "X509Certificate", State: "disabled"})
	if diags.HasError() {
		t.Fatal(diags)
	}
	if !m.AuthenticationMode.IsNull() || !m.CRLValidation.IsNull() || !m.IssuerHintsState.IsNull() {
		t.Errorf("absent objects should be null: %s %s %s", m.AuthenticationMode, m.CRLValidation, m.IssuerHintsState)
	}
	if len(m.IncludeTargets.Elements()) != 0 || m.IncludeTargets.IsNull() || m.CertificateAuthorityScopes.IsNull() {
		t.Errorf("absent collections should be empty: %s %s", m.IncludeTargets, m.CertificateAuthorityScopes)
	}
}

func TestUnknownEnumValues(t *testing.T) {
	got := unknownEnumValues(customPolicy())
	want := []string{`authentication_mode.rules.type = "unknownFutureValue"`, `issuer_hints_state = "somethingNew"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("unknownEnumValues = %q, want %q", got, want)
	}
	if got := unknownEnumValues(&graph.CBAPolicy{State: "enabled", IssuerHintsState: "disabled"}); got != nil {
		t.Errorf("known values reported: %q", got)
	}
	_, detail := unknownEnumWarning(want)
	if !strings.Contains(detail, `issuer_hints_state = "somethingNew"`) {
		t.Errorf("warning detail %q", detail)
	}
}

func TestDesiredPolicy_leftOutKeepsGraphsValues(t *testing.T) {
	ctx := t.Context()
	cur := customPolicy()
	// A create plan: state and a partial crl_validation configured, everything else unknown.
	plan := policyModel{
		ID:                         types.StringUnknown(),
		State:                      types.StringValue("disabled"),
		IncludeTargets:             types.SetUnknown(includeTargetType),
		ExcludeTargets:             types.SetUnknown(targetType),
		AuthenticationMode:         types.ObjectUnknown(authModeAttrTypes),
		CertificateUserBindings:    types.ListUnknown(bindingType),
		IssuerHintsState:           types.StringUnknown(),
		CertificateAuthorityScopes: types.ListUnknown(scopeType),
		CRLValidation: types.ObjectValueMust(crlAttrTypes, map[string]attr.Value{
			"state": types.StringValue("disabled"),
			"exempted_certificate_authority_subject_key_identifiers": types.SetUnknown(types.StringType),
		}),
	}
	want, diags := desiredPolicy(ctx, plan, cur)
	if diags.HasError() {
		t.Fatal(diags)
	}
	expect := customPolicy()
	expect.State = "disabled"
	expect.CRLValidation.State = "disabled" // exemptions: Graph's, merged per attribute
	if !reflect.DeepEqual(want, expect) {
		t.Errorf("desired\n%+v\nwant\n%+v", want, expect)
	}
	u := policyUpdate(cur, want)
	if *u.State != "disabled" || u.CRLValidation == nil || u.CRLValidation.State != "disabled" ||
		!reflect.DeepEqual(u.CRLValidation.ExemptedCertificateAuthoritiesSubjectKeyIdentifiers, []string{"AA11"}) {
		t.Errorf("update %+v: want state and the whole crl object", u)
	}
	if u.IncludeTargets != nil || u.ExcludeTargets != nil || u.AuthenticationMode != nil || u.CertificateUserBindings != nil ||
		u.IssuerHintsState != nil || u.CertificateAuthorityScopes != nil {
		t.Errorf("update sends unchanged properties: %+v", u)
	}
}

func TestPolicyUpdate_sendsEachChangedPropertyWhole(t *testing.T) {
	cur := customPolicy()
	want := customPolicy()
	want.IssuerHintsState = "enabled"
	want.CertificateAuthorityScopes = nil // emptied
	want.AuthenticationMode.Rules = want.AuthenticationMode.Rules[:1]
	want.ExcludeTargets = []graph.CBATarget{}
	u := policyUpdate(cur, want)
	if u.IssuerHintsState == nil || *u.IssuerHintsState != "enabled" {
		t.Errorf("issuer hints not sent: %+v", u)
	}
	if u.CertificateAuthorityScopes == nil || len(*u.CertificateAuthorityScopes) != 0 {
		t.Errorf("emptied scopes not sent as []: %+v", u.CertificateAuthorityScopes)
	}
	if u.AuthenticationMode == nil || u.AuthenticationMode.DefaultMode != "x509CertificateMultiFactor" || len(u.AuthenticationMode.Rules) != 1 {
		t.Errorf("authentication mode not sent whole: %+v", u.AuthenticationMode)
	}
	if u.ExcludeTargets == nil || u.IncludeTargets != nil || u.CertificateUserBindings != nil || u.CRLValidation != nil {
		t.Errorf("update %+v", u)
	}
}

func TestDocumentedAffinity(t *testing.T) {
	for field, want := range map[string]string{"PrincipalName": "low", "RFC822Name": "low", "SubjectKeyIdentifier": "high",
		"SHA1PublicKey": "high", "IssuerAndSerialNumber": "high", "IssuerAndSubject": "low"} {
		if got := documentedAffinity(field); got != want {
			t.Errorf("documentedAffinity(%s) = %s, want %s", field, got, want)
		}
	}
}
