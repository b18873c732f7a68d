package policy

import (
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

func prio(n int64) *int64 { return &n }

func wantFindings(t *testing.T, got []finding, want ...string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d findings %+v, want %d: %q", len(got), got, len(want), want)
	}
	for i, w := range want {
		if !strings.Contains(got[i].Summary+" "+got[i].Detail, w) {
			t.Errorf("finding %d = %q / %q, want it to mention %q", i, got[i].Summary, got[i].Detail, w)
		}
	}
}

func TestCheckBindings(t *testing.T) {
	ok := []plannedBinding{
		{Field: known("PrincipalName"), UserProperty: known("userPrincipalName"), Priority: prio(1)},
		{Field: known("RFC822Name"), UserProperty: known("onPremisesUserPrincipalName"), Priority: prio(2)},
		{Field: known("SubjectKeyIdentifier"), UserProperty: known("certificateUserIds"), Priority: prio(0)},
		{Field: value{}, UserProperty: known("userPrincipalName"), Priority: nil}, // unknown: skipped
	}
	wantFindings(t, checkBindings(ok))

	got := checkBindings([]plannedBinding{
		{Field: known("PrincipalName"), UserProperty: known("userPrincipalName"), Priority: prio(1)},
		{Field: known("RFC822Name"), UserProperty: known("userPrincipalName"), Priority: prio(1)},
		{Field: known("SHA1PublicKey"), UserProperty: known("userPrincipalName"), Priority: prio(-3)},
		{Field: known("IssuerAndSerialNumber"), UserProperty: known("onPremisesUserPrincipalName"), Priority: prio(4)},
	})
	wantFindings(t, got, "Bindings 0 and 1 both have priority 1", "priorities must be 0 or more",
		"SHA1PublicKey to userPrincipalName", "IssuerAndSerialNumber to onPremisesUserPrincipalName")
	if got[0].Path.String() != path.Root("certificate_user_bindings").AtListIndex(1).AtName("priority").String() || !got[0].Error {
		t.Errorf("duplicate priority finding at %s (error %v)", got[0].Path, got[0].Error)
	}
}

func TestCheckRules(t *testing.T) {
	wantFindings(t, checkRules([]plannedRule{{Type: known("issuerSubject"), Identifier: known("CN=A")}, {Type: known("policyOID"), Identifier: value{}}}))
	got := checkRules([]plannedRule{{Type: known("issuerSubject"), Identifier: known("")}, {Type: known("policyOID"), Identifier: known("")}})
	wantFindings(t, got, "Rule 0 has no identifier", "Rule 1 has no identifier")
	if !strings.Contains(got[0].Detail, "issuer subject") || !strings.Contains(got[1].Detail, "policy OID") {
		t.Errorf("rule findings do not say what the identifier is: %q, %q", got[0].Detail, got[1].Detail)
	}
}

func TestCheckScopes(t *testing.T) {
	scope := func(ski string, groups ...string) plannedScope {
		s := plannedScope{SKI: known(ski)}
		for _, g := range groups {
			s.GroupIDs = append(s.GroupIDs, known(g))
		}
		return s
	}
	wantFindings(t, checkScopes([]plannedScope{scope("AA", "g1"), scope("aa", "g1"), scope("BB", "g2"), {SKI: value{}, GroupIDs: []value{known("g3")}}}))
	wantFindings(t, checkScopes([]plannedScope{scope("AA", "g1"), scope("aa", "g2")}), "scoped to group g1 (scope 0) and to g2 (scope 1)")
	wantFindings(t, checkScopes([]plannedScope{scope("AA", "g1", "g2")}), "one group per CA")
	var many []plannedScope
	for range 31 {
		many = append(many, scope("AA", "g"))
	}
	wantFindings(t, checkScopes(many), "There are 31 certificate authority scopes; Graph allows at most 30")
	wantFindings(t, checkScopes(many[:30]))
}

func TestCheckAllUsers(t *testing.T) {
	all := []value{known("pilot"), known("ALL_USERS")}
	got := checkAllUsers(plannedPolicy{State: known("enabled"), IncludeTargetIDs: all})
	wantFindings(t, got, "Don't include All users for CBA")
	if got[0].Error {
		t.Error("the all-users finding is an error, want a warning")
	}
	wantFindings(t, checkAllUsers(plannedPolicy{State: known("disabled"), IncludeTargetIDs: all}))
	wantFindings(t, checkAllUsers(plannedPolicy{State: value{}, IncludeTargetIDs: all}))
	wantFindings(t, checkAllUsers(plannedPolicy{State: known("enabled"), IncludeTargetIDs: []value{known("pilot"), {}}}))
}

var testCAs = []trustedCA{
	{PKIName: "Contoso PKI", DisplayName: "Contoso Root", SKI: "AA11", IssuerSKI: "", CRLURL: ""},
	{PKIName: "Contoso PKI", DisplayName: "Contoso Issuing", SKI: "BB22", IssuerSKI: "AA11", CRLURL: "http://crl.contoso.example/i.crl"},
	{PKIName: "Fabrikam PKI", DisplayName: "Fabrikam Root", SKI: "", IssuerSKI: "CC33", CRLURL: ""},
}

func TestCheckTrustStore_CRL(t *testing.T) {
	p := plannedPolicy{CRLState: known("enabled"), Exempted: []value{}}
	got := checkTrustStore(p, testCAs, nil, appliedValues{})
	wantFindings(t, got, `"Contoso Root" (subject key identifier AA11) in PKI "Contoso PKI"; "Fabrikam Root" (subject key identifier CC33) in PKI "Fabrikam PKI"`)
	if got[0].Path.String() != "crl_validation.state" {
		t.Errorf("path %s", got[0].Path)
	}
	// Exempted case-insensitively, by the certificate's SKI or Graph's issuerSubjectKeyIdentifier.
	p.Exempted = []value{known("aa11"), known("cc33")}
	wantFindings(t, checkTrustStore(p, testCAs, nil, appliedValues{}))
	// An unknown exemption might exempt the rest: the CRL check is skipped, the known one is still checked.
	p.Exempted = []value{known("aa11"), {}}
	wantFindings(t, checkTrustStore(p, testCAs, nil, appliedValues{}))
	p.Exempted = nil
	wantFindings(t, checkTrustStore(p, testCAs, nil, appliedValues{}))
	// Disabled: nothing to check.
	wantFindings(t, checkTrustStore(plannedPolicy{CRLState: known("disabled"), Exempted: []value{}}, testCAs, nil, appliedValues{}))
}

func TestCheckTrustStore_unknownSKIs(t *testing.T) {
	p := plannedPolicy{CRLState: known("disabled"), Exempted: []value{known("AA11"), known("DEAD")},
		Scopes: []plannedScope{{SKI: known("bb22")}, {SKI: known("BEEF")}, {SKI: value{}}}}
	got := checkTrustStore(p, testCAs, nil, appliedValues{})
	wantFindings(t, got, "subject key identifier DEAD", "subject key identifier BEEF")
	if got[1].Path.String() != "certificate_authority_scopes[1].subject_key_identifier" {
		t.Errorf("path %s", got[1].Path)
	}
}

func TestNeedsTrustStore(t *testing.T) {
	for _, tc := range []struct {
		p    plannedPolicy
		want bool
	}{
		{plannedPolicy{CRLState: known("disabled")}, false},
		{plannedPolicy{CRLState: known("enabled")}, true},
		{plannedPolicy{Exempted: []value{known("AA")}}, true},
		{plannedPolicy{Exempted: []value{{}}}, false},
		{plannedPolicy{Scopes: []plannedScope{{SKI: known("AA")}}}, true},
		{plannedPolicy{Scopes: []plannedScope{{SKI: value{}}}}, false},
	} {
		if got := needsTrustStore(tc.p); got != tc.want {
			t.Errorf("needsTrustStore(%+v) = %v, want %v", tc.p, got, tc.want)
		}
	}
}

func TestWithGraphValues(t *testing.T) {
	cur := &graph.CBAPolicy{IncludeTargets: []graph.CBAIncludeTarget{{ID: "all_users"}},
		CRLValidation: &graph.CBACRLValidation{State: "enabled", ExemptedCertificateAuthoritiesSubjectKeyIdentifiers: []string{"AA11"}}}
	p := withGraphValues(plannedPolicy{State: known("enabled")}, leftOut{IncludeTargets: true, CRLState: true, Exempted: true}, cur)
	if len(p.IncludeTargetIDs) != 1 || p.IncludeTargetIDs[0] != known("all_users") || p.CRLState != known("enabled") ||
		len(p.Exempted) != 1 || p.Exempted[0] != known("AA11") {
		t.Errorf("withGraphValues = %+v", p)
	}
	// What the configuration sets is not replaced.
	p = withGraphValues(plannedPolicy{CRLState: known("disabled"), IncludeTargetIDs: []value{known("g")}}, leftOut{CRLState: true, IncludeTargets: true}, cur)
	if p.CRLState != known("disabled") || p.IncludeTargetIDs[0] != known("g") {
		t.Errorf("withGraphValues replaced planned values: %+v", p)
	}
}

// A CA planned in this run (a referenced CA resource or upload) counts as a CA of the tenant.
func TestCheckTrustStore_plannedCAs(t *testing.T) {
	p := plannedPolicy{CRLState: known("disabled"), Exempted: []value{known("dead")}, Scopes: []plannedScope{{SKI: known("BEEF")}}}
	planned := func(ski string) bool { return strings.EqualFold(ski, "DEAD") || strings.EqualFold(ski, "beef") }
	wantFindings(t, checkTrustStore(p, testCAs, planned, appliedValues{}))
}

// Values the policy already holds (applied) warn when the trust store drifted; values the configuration adds are errors.
func TestCheckTrustStore_appliedValuesWarn(t *testing.T) {
	var applied appliedValues
	applied.add(appliedRecord{CRLState: "enabled", Exempted: []string{"dead"}, Scoped: []string{"beef"}})

	p := plannedPolicy{CRLState: known("enabled"), Exempted: []value{known("DEAD"), known("cc33")},
		Scopes: []plannedScope{{SKI: known("BEEF")}, {SKI: known("F00D")}}}
	got := checkTrustStore(p, testCAs, nil, applied)
	wantFindings(t, got, "Contoso Root", "subject key identifier DEAD", "subject key identifier BEEF", "subject key identifier F00D")
	for i, wantError := range []bool{false, false, false, true} {
		if got[i].Error != wantError {
			t.Errorf("finding %d (%s) error = %v, want %v", i, got[i].Detail, got[i].Error, wantError)
		}
		if !wantError && !strings.Contains(got[i].Detail, "already holds this value") {
			t.Errorf("warning %d does not say why: %s", i, got[i].Detail)
		}
	}

	// Enabling CRL validation now, or dropping an exemption the policy held, is asked by the configuration: errors.
	var disabled appliedValues
	disabled.add(appliedRecord{CRLState: "disabled"})
	if got := checkTrustStore(plannedPolicy{CRLState: known("enabled"), Exempted: []value{known("cc33")}}, testCAs, nil, disabled); len(got) != 1 || !got[0].Error {
		t.Errorf("enabling CRL validation: %+v, want one error", got)
	}
	var rootExempt appliedValues
	rootExempt.add(appliedRecord{CRLState: "enabled", Exempted: []string{"AA11", "CC33"}})
	if got := checkTrustStore(plannedPolicy{CRLState: known("enabled"), Exempted: []value{known("cc33")}}, testCAs, nil, rootExempt); len(got) != 1 || !got[0].Error {
		t.Errorf("dropping the root's exemption: %+v, want one error", got)
	}
}

func TestPolicyImportID(t *testing.T) {
	for id, want := range map[string]bool{"X509Certificate": true, "x509certificate": true, "x509Certificate": true,
		"": false, " X509Certificate": false, "X509Certificate/x": false, "Fido2": false} {
		got, problem := policyImportID.Parse(id)
		if ok := problem == ""; ok != want || (ok && got[0] != "X509Certificate") {
			t.Errorf("policyImportID.Parse(%q) = %q, %q; want ok %v", id, got, problem, want)
		}
	}
	if _, d := policyImportID.Parse(""); !strings.Contains(d, "The import ID is empty") || !strings.Contains(d, "Import it with ID X509Certificate") {
		t.Errorf("empty ID detail: %s", d)
	}
}

func TestCheckTargets(t *testing.T) {
	p := plannedPolicy{
		IncludeTargetIDs:   []value{known("all_users"), known("AB"), known("ab")},
		IncludeTargetTypes: []value{known("user"), known("group"), known("")},
		ExcludeTargetIDs:   []value{known("cd"), {}, {}},
		Scopes:             []plannedScope{{SKI: known("AA"), GroupIDs: []value{known("ef"), known("EF")}}},
	}
	wantFindings(t, checkTargets(p), "ab is named twice", "EF is named twice", "all_users is the group of every user")
}
