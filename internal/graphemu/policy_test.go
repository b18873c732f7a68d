package graphemu_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

const policyPath = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/X509Certificate"

const x509Type = "#microsoft.graph.x509CertificateAuthenticationMethodConfiguration"

// jsonEqual compares a decoded value with a JSON literal.
func jsonEqual(t *testing.T, what string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(got)
	var g any
	_ = json.Unmarshal(gb, &g)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s = %s, want %s", what, gb, want)
	}
}

func TestCBAPolicy_defaultConfiguration(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	r := v.do(http.MethodGet, policyPath, nil)
	wantStatus(t, r, http.StatusOK)
	m := r.obj(t)
	if m["@odata.type"] != x509Type || m["id"] != "X509Certificate" || m["state"] != "disabled" {
		t.Errorf("type/id/state = %v/%v/%v", m["@odata.type"], m["id"], m["state"])
	}
	jsonEqual(t, "includeTargets", m["includeTargets"], `[{"targetType":"group","id":"all_users","isRegistrationRequired":false}]`)
	jsonEqual(t, "excludeTargets", m["excludeTargets"], `[]`)
	jsonEqual(t, "certificateUserBindings", m["certificateUserBindings"],
		`[{"x509CertificateField":"PrincipalName","userProperty":"onPremisesUserPrincipalName","priority":1,"trustAffinityLevel":"low"},
		  {"x509CertificateField":"RFC822Name","userProperty":"userPrincipalName","priority":2,"trustAffinityLevel":"low"}]`)
	jsonEqual(t, "authenticationModeConfiguration", m["authenticationModeConfiguration"],
		`{"x509CertificateAuthenticationDefaultMode":"x509CertificateSingleFactor","x509CertificateDefaultRequiredAffinityLevel":"low","rules":[]}`)
	jsonEqual(t, "crlValidationConfiguration", m["crlValidationConfiguration"], `{"state":"disabled","exemptedCertificateAuthoritiesSubjectKeyIdentifiers":[]}`)
	jsonEqual(t, "issuerHintsConfiguration", m["issuerHintsConfiguration"], `{"state":"disabled"}`)
	jsonEqual(t, "certificateAuthorityScopes", m["certificateAuthorityScopes"], `[]`)

	// The id is case-insensitive, as the docs write x509Certificate.
	wantStatus(t, v.do(http.MethodGet, strings.Replace(policyPath, "X509Certificate", "x509certificate", 1), nil), http.StatusOK)
	wantError(t, v.do(http.MethodGet, strings.Replace(policyPath, "X509Certificate", "Fido2", 1), nil), http.StatusNotFound, "ResourceNotFound", "X509Certificate")
	wantError(t, v.do(http.MethodPost, policyPath, map[string]any{}), http.StatusMethodNotAllowed, "MethodNotAllowed", "POST")
}

func TestCBAPolicy_patchReplacesCollectionsAndDeleteRestores(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	body := map[string]any{
		"@odata.type":    x509Type,
		"state":          "enabled",
		"includeTargets": []any{map[string]any{"id": "g1", "targetType": "group", "isRegistrationRequired": true}},
		"certificateUserBindings": []any{
			map[string]any{"x509CertificateField": "SubjectKeyIdentifier", "userProperty": "certificateUserIds", "priority": 1},
		},
		"issuerHintsConfiguration":   map[string]any{"state": "enabled"},
		"certificateAuthorityScopes": []any{map[string]any{"subjectKeyIdentifier": "AB01", "includeTargets": []any{map[string]any{"id": "g1", "targetType": "group"}}}},
	}
	// gzip, as msgraph-sdk-go sends it.
	r := v.request(http.MethodPatch, policyPath, gzipJSON(t, body), map[string]string{"Content-Encoding": "gzip"})
	wantStatus(t, r, http.StatusNoContent)
	if len(r.body) != 0 {
		t.Errorf("PATCH answered a body: %s", r.body)
	}
	var last map[string]any
	if err := json.Unmarshal(v.emu.LastCBAPolicyPatch(), &last); err != nil || last["state"] != "enabled" {
		t.Errorf("LastCBAPolicyPatch = %v (%v), want the decompressed body", last, err)
	}
	m := v.do(http.MethodGet, policyPath, nil).obj(t)
	if m["state"] != "enabled" {
		t.Errorf("state = %v", m["state"])
	}
	jsonEqual(t, "includeTargets", m["includeTargets"], `[{"id":"g1","targetType":"group","isRegistrationRequired":true}]`)
	// Replaced, not merged; the binding got the field's documented affinity.
	jsonEqual(t, "certificateUserBindings", m["certificateUserBindings"],
		`[{"x509CertificateField":"SubjectKeyIdentifier","userProperty":"certificateUserIds","priority":1,"trustAffinityLevel":"high"}]`)
	jsonEqual(t, "issuerHintsConfiguration", m["issuerHintsConfiguration"], `{"state":"enabled"}`)
	jsonEqual(t, "certificateAuthorityScopes", m["certificateAuthorityScopes"],
		`[{"subjectKeyIdentifier":"AB01","publicKeyInfrastructureIdentifier":null,"includeTargets":[{"id":"g1","targetType":"group"}]}]`)
	// What the PATCH left out is untouched.
	jsonEqual(t, "crlValidationConfiguration", m["crlValidationConfiguration"], `{"state":"disabled","exemptedCertificateAuthoritiesSubjectKeyIdentifiers":[]}`)

	wantStatus(t, v.do(http.MethodDelete, policyPath, nil), http.StatusNoContent)
	m = v.do(http.MethodGet, policyPath, nil).obj(t)
	if m["state"] != "disabled" {
		t.Errorf("after DELETE state = %v, want the default", m["state"])
	}
	jsonEqual(t, "includeTargets after DELETE", m["includeTargets"], `[{"targetType":"group","id":"all_users","isRegistrationRequired":false}]`)
}

func TestCBAPolicy_patchRejectsInvalidValues(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	mode := func(rules ...any) map[string]any {
		return map[string]any{"x509CertificateAuthenticationDefaultMode": "x509CertificateSingleFactor",
			"x509CertificateDefaultRequiredAffinityLevel": "low", "rules": rules}
	}
	binding := func(field, prop string, prio int) map[string]any {
		return map[string]any{"x509CertificateField": field, "userProperty": prop, "priority": prio}
	}
	scope := func(ski, group string) map[string]any {
		return map[string]any{"subjectKeyIdentifier": ski, "includeTargets": []any{map[string]any{"id": group, "targetType": "group"}}}
	}
	many := make([]any, 31)
	for i := range many {
		many[i] = scope(strings.Repeat("A", i+1), "g")
	}
	cases := []struct {
		name string
		body map[string]any
		msg  string
	}{
		{"no @odata.type", map[string]any{"state": "enabled"}, "@odata.type"},
		{"bad state", map[string]any{"state": "on"}, "'on' was not found for property 'state'"},
		{"unknown property", map[string]any{"colour": "red"}, "Property 'colour' does not exist"},
		{"bad target type", map[string]any{"includeTargets": []any{map[string]any{"id": "x", "targetType": "device"}}}, "targetType"},
		{"rule without identifier", map[string]any{"authenticationModeConfiguration": mode(map[string]any{
			"x509CertificateRuleType": "issuerSubject", "x509CertificateAuthenticationMode": "x509CertificateMultiFactor"})}, "identifier"},
		{"evolvable rule type without Prefer", map[string]any{"authenticationModeConfiguration": mode(map[string]any{
			"x509CertificateRuleType": "issuerSubjectAndPolicyOID", "identifier": "x", "x509CertificateAuthenticationMode": "x509CertificateMultiFactor"})}, "issuerSubjectAndPolicyOID"},
		{"duplicate priority", map[string]any{"certificateUserBindings": []any{binding("PrincipalName", "userPrincipalName", 1), binding("RFC822Name", "userPrincipalName", 1)}}, "unique"},
		{"negative priority", map[string]any{"certificateUserBindings": []any{binding("PrincipalName", "userPrincipalName", -1)}}, "non-negative"},
		{"unknown binding field", map[string]any{"certificateUserBindings": []any{binding("Bogus", "certificateUserIds", 1)}}, "'Bogus' was not found for property 'x509CertificateField'"},
		{"SKI bound to a UPN", map[string]any{"certificateUserBindings": []any{binding("SubjectKeyIdentifier", "userPrincipalName", 1)}}, "only be bound to certificateUserIds"},
		{"bad CRL state", map[string]any{"crlValidationConfiguration": map[string]any{"state": "yes"}}, "crlValidationConfiguration.state"},
		{"bad issuer hints", map[string]any{"issuerHintsConfiguration": map[string]any{"state": "maybe"}}, "issuerHintsConfiguration.state"},
		{"31 scopes", map[string]any{"certificateAuthorityScopes": many}, "At most 30"},
		{"one CA, two groups", map[string]any{"certificateAuthorityScopes": []any{scope("AB", "g1"), scope("ab", "g2")}}, "more than one group"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name != "no @odata.type" {
				tc.body["@odata.type"] = x509Type
			}
			wantError(t, v.do(http.MethodPatch, policyPath, tc.body), http.StatusBadRequest, "BadRequest", tc.msg)
		})
	}
	if v.emu.LastCBAPolicyPatch() != nil {
		t.Errorf("a rejected PATCH was recorded as accepted")
	}
	if m := v.do(http.MethodGet, policyPath, nil).obj(t); m["state"] != "disabled" {
		t.Errorf("a rejected PATCH changed the policy: state %v", m["state"])
	}
}

func TestCBAPolicy_evolvableRuleTypeNeedsPrefer(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	prefer := map[string]string{"Prefer": "include-unknown-enum-members"}
	body := map[string]any{"@odata.type": x509Type, "authenticationModeConfiguration": map[string]any{
		"x509CertificateAuthenticationDefaultMode": "x509CertificateSingleFactor", "x509CertificateDefaultRequiredAffinityLevel": "low",
		"rules": []any{map[string]any{"x509CertificateRuleType": "issuerSubjectAndPolicyOID", "identifier": "CN=A", "issuerSubjectIdentifier": "CN=A",
			"policyOidIdentifier": "1.2.3", "x509CertificateAuthenticationMode": "x509CertificateMultiFactor"}}}}
	wantStatus(t, v.request(http.MethodPatch, policyPath, body, prefer), http.StatusNoContent)
	ruleType := func(r reply) any {
		am, _ := r.obj(t)["authenticationModeConfiguration"].(map[string]any)
		rules, _ := am["rules"].([]any)
		if len(rules) != 1 {
			t.Fatalf("rules = %v", am["rules"])
		}
		rule, _ := rules[0].(map[string]any)
		return rule["x509CertificateRuleType"]
	}
	if got := ruleType(v.request(http.MethodGet, policyPath, nil, prefer)); got != "issuerSubjectAndPolicyOID" {
		t.Errorf("with Prefer: rule type %v", got)
	}
	if got := ruleType(v.do(http.MethodGet, policyPath, nil)); got != "unknownFutureValue" {
		t.Errorf("without Prefer: rule type %v, want unknownFutureValue", got)
	}
}

func TestCBAPolicy_faultsAndJournal(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	v.emu.AddFault(graphemu.Fault{Method: "PATCH", Path: "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/*", Status: 429, RetryAfter: "2"})
	r := v.do(http.MethodPatch, policyPath, map[string]any{"@odata.type": x509Type, "state": "enabled"})
	wantError(t, r, http.StatusTooManyRequests, "TooManyRequests", "")
	if r.header.Get("Retry-After") != "2" {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	if m := v.do(http.MethodGet, policyPath, nil).obj(t); m["state"] != "disabled" {
		t.Errorf("a faulted PATCH changed the policy")
	}
	wantStatus(t, v.do(http.MethodPatch, policyPath, map[string]any{"@odata.type": x509Type, "state": "enabled"}), http.StatusNoContent)
	if n := v.emu.Count("PATCH", policyPath); n != 2 {
		t.Errorf("journal has %d PATCHes of the policy, want 2", n)
	}
}

func TestCBAPolicy_setPropertyOutOfBand(t *testing.T) {
	v := newEnv(t, graphemu.Options{})
	v.emu.SetCBAPolicyProperty("issuerHintsConfiguration", `{"state":"somethingNew"}`)
	jsonEqual(t, "issuerHintsConfiguration", v.do(http.MethodGet, policyPath, nil).obj(t)["issuerHintsConfiguration"], `{"state":"somethingNew"}`)
}
