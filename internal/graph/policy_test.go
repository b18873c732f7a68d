package graph_test

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

const policyPath = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/X509Certificate"

func TestDecodeCBAPolicy_keepsEveryValueIncludingUnknownEnums(t *testing.T) {
	body := `{"@odata.type":"#microsoft.graph.x509CertificateAuthenticationMethodConfiguration","id":"X509Certificate",
	 "state":"enabled",
	 "includeTargets":[{"targetType":"group","id":"g1","isRegistrationRequired":true}],
	 "excludeTargets":[{"targetType":"user","id":"u1"}],
	 "authenticationModeConfiguration":{"x509CertificateAuthenticationDefaultMode":"x509CertificateTripleFactor",
	   "x509CertificateDefaultRequiredAffinityLevel":"high",
	   "rules":[{"x509CertificateRuleType":"issuerSubjectAndPolicyOID","identifier":"CN=A","issuerSubjectIdentifier":"CN=A","policyOidIdentifier":"1.2.3",
	     "x509CertificateAuthenticationMode":"x509CertificateMultiFactor","x509CertificateRequiredAffinityLevel":"medium"}]},
	 "certificateUserBindings":[{"x509CertificateField":"PrincipalName","userProperty":"userPrincipalName","priority":1,"trustAffinityLevel":"low"}],
	 "crlValidationConfiguration":{"state":"enabled","exemptedCertificateAuthoritiesSubjectKeyIdentifiers":["AB12"]},
	 "issuerHintsConfiguration":{"state":"newState"},
	 "certificateAuthorityScopes":[{"subjectKeyIdentifier":"CD34","publicKeyInfrastructureIdentifier":"Contoso PKI","includeTargets":[{"id":"g2","targetType":"group"}]}]}`
	p, err := graph.DecodeCBAPolicy([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := &graph.CBAPolicy{
		ID:             "X509Certificate",
		State:          "enabled",
		IncludeTargets: []graph.CBAIncludeTarget{{ID: "g1", TargetType: "group", IsRegistrationRequired: true}},
		ExcludeTargets: []graph.CBATarget{{ID: "u1", TargetType: "user"}},
		AuthenticationMode: &graph.CBAAuthenticationMode{
			DefaultMode: "x509CertificateTripleFactor", DefaultRequiredAffinityLevel: "high",
			Rules: []graph.CBARule{{Type: "issuerSubjectAndPolicyOID", Identifier: "CN=A", IssuerSubjectIdentifier: "CN=A", PolicyOIDIdentifier: "1.2.3",
				AuthenticationMode: "x509CertificateMultiFactor", RequiredAffinityLevel: "medium"}},
		},
		CertificateUserBindings: []graph.CBAUserBinding{{X509CertificateField: "PrincipalName", UserProperty: "userPrincipalName", Priority: 1, TrustAffinityLevel: "low"}},
		CRLValidation:           &graph.CBACRLValidation{State: "enabled", ExemptedCertificateAuthoritiesSubjectKeyIdentifiers: []string{"AB12"}},
		IssuerHintsState:        "newState",
		CertificateAuthorityScopes: []graph.CBACertificateAuthorityScope{{SubjectKeyIdentifier: "CD34", PublicKeyInfrastructureIdentifier: "Contoso PKI",
			IncludeTargets: []graph.CBATarget{{ID: "g2", TargetType: "group"}}}},
	}
	if !reflect.DeepEqual(p, want) {
		t.Errorf("decoded\n%+v\nwant\n%+v", p, want)
	}
}

func TestDecodeCBAPolicy_refusesEmptyOrForeignObjects(t *testing.T) {
	for _, body := range []string{`{}`, `{"state":"enabled"}`, `{"@odata.type":"#microsoft.graph.fido2AuthenticationMethodConfiguration","id":"Fido2"}`, `[]`} {
		if _, err := graph.DecodeCBAPolicy([]byte(body)); err == nil {
			t.Errorf("DecodeCBAPolicy(%s) = nil error, want one", body)
		}
	}
}

// capture is a Graph stand-in that records PATCH bodies (gunzipped) and headers and answers 204.
type capture struct {
	mu      sync.Mutex
	bodies  [][]byte
	headers []http.Header
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var rd io.Reader = r.Body
	if r.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rd = zr
	}
	b, _ := io.ReadAll(rd)
	c.mu.Lock()
	c.bodies = append(c.bodies, b)
	c.headers = append(c.headers, r.Header.Clone())
	c.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func newCaptureClient(t *testing.T) (*graph.Client, *capture) {
	t.Helper()
	c := &capture{}
	srv := httptest.NewServer(c)
	t.Cleanup(srv.Close)
	g, err := graph.New(graph.Options{Endpoint: srv.URL, Credential: graph.StaticToken(testToken)})
	if err != nil {
		t.Fatal(err)
	}
	return g, c
}

func TestUpdateCBAPolicy_bodyHasTheDocumentedShape(t *testing.T) {
	g, c := newCaptureClient(t)
	state, hints := "enabled", "enabled"
	inc := []graph.CBAIncludeTarget{{ID: "g1", TargetType: "group", IsRegistrationRequired: false}}
	exc := []graph.CBATarget{}
	bindings := []graph.CBAUserBinding{{X509CertificateField: "SubjectKeyIdentifier", UserProperty: "certificateUserIds", Priority: 1, TrustAffinityLevel: "high"}}
	scopes := []graph.CBACertificateAuthorityScope{{SubjectKeyIdentifier: "AB12", PublicKeyInfrastructureIdentifier: "pki-1", IncludeTargets: []graph.CBATarget{{ID: "g1", TargetType: "group"}}}}
	err := g.UpdateCBAPolicy(ctxTimeout(t, 10*time.Second), graph.CBAPolicyUpdate{
		State: &state, IncludeTargets: &inc, ExcludeTargets: &exc, CertificateUserBindings: &bindings,
		AuthenticationMode: &graph.CBAAuthenticationMode{DefaultMode: "x509CertificateSingleFactor", DefaultRequiredAffinityLevel: "low",
			Rules: []graph.CBARule{{Type: "issuerSubject", Identifier: "CN=Contoso", AuthenticationMode: "x509CertificateMultiFactor"}}},
		CRLValidation:              &graph.CBACRLValidation{State: "enabled"},
		IssuerHintsState:           &hints,
		CertificateAuthorityScopes: &scopes,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.bodies) != 1 {
		t.Fatalf("%d requests, want 1", len(c.bodies))
	}
	var got, want any
	if err := json.Unmarshal(c.bodies[0], &got); err != nil {
		t.Fatalf("body %s: %v", c.bodies[0], err)
	}
	_ = json.Unmarshal([]byte(`{"@odata.type":"#microsoft.graph.x509CertificateAuthenticationMethodConfiguration",
	 "state":"enabled",
	 "includeTargets":[{"id":"g1","targetType":"group","isRegistrationRequired":false}],
	 "excludeTargets":[],
	 "authenticationModeConfiguration":{"x509CertificateAuthenticationDefaultMode":"x509CertificateSingleFactor","x509CertificateDefaultRequiredAffinityLevel":"low",
	   "rules":[{"x509CertificateRuleType":"issuerSubject","identifier":"CN=Contoso","x509CertificateAuthenticationMode":"x509CertificateMultiFactor"}]},
	 "certificateUserBindings":[{"x509CertificateField":"SubjectKeyIdentifier","userProperty":"certificateUserIds","priority":1,"trustAffinityLevel":"high"}],
	 "crlValidationConfiguration":{"state":"enabled","exemptedCertificateAuthoritiesSubjectKeyIdentifiers":[]},
	 "issuerHintsConfiguration":{"state":"enabled"},
	 "certificateAuthorityScopes":[{"subjectKeyIdentifier":"AB12","publicKeyInfrastructureIdentifier":"pki-1","includeTargets":[{"id":"g1","targetType":"group"}]}]}`), &want)
	if !reflect.DeepEqual(got, want) {
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		t.Errorf("PATCH body\n%s\nwant\n%s", gb, wb)
	}
	if p := c.headers[0].Get("Prefer"); p != "include-unknown-enum-members" {
		t.Errorf("Prefer = %q", p)
	}
}

func TestUpdateCBAPolicy_onlyNamedPropertiesAreSent(t *testing.T) {
	g, c := newCaptureClient(t)
	state := "disabled"
	if err := g.UpdateCBAPolicy(ctxTimeout(t, 10*time.Second), graph.CBAPolicyUpdate{State: &state}); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	_ = json.Unmarshal(c.bodies[0], &got)
	if len(got) != 2 || got["state"] != "disabled" || got["@odata.type"] == nil {
		t.Errorf("PATCH body %s, want only @odata.type and state", c.bodies[0])
	}
}

func TestUpdateCBAPolicy_unknownEnumIsReportedNotSent(t *testing.T) {
	g, c := newCaptureClient(t)
	hints := "somethingNew"
	mode := &graph.CBAAuthenticationMode{DefaultMode: "x509CertificateTripleFactor", DefaultRequiredAffinityLevel: "low"}
	for _, u := range []graph.CBAPolicyUpdate{{IssuerHintsState: &hints}, {AuthenticationMode: mode}} {
		err := g.UpdateCBAPolicy(ctxTimeout(t, 10*time.Second), u)
		var ue *graph.UnknownEnumError
		if !errors.As(err, &ue) {
			t.Errorf("err = %v, want *graph.UnknownEnumError", err)
		}
	}
	if len(c.bodies) != 0 {
		t.Errorf("%d requests were sent, want none", len(c.bodies))
	}
}

func TestCBAPolicy_roundTripThroughEmulator(t *testing.T) {
	v := newEnv(t)
	ctx := ctxTimeout(t, 10*time.Second)
	p, err := v.client.GetCBAPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.State != "disabled" || p.IssuerHintsState != "disabled" || len(p.IncludeTargets) != 1 || p.IncludeTargets[0].ID != "all_users" ||
		p.CertificateAuthorityScopes == nil || p.CRLValidation == nil || p.AuthenticationMode == nil || len(p.CertificateUserBindings) != 2 {
		t.Fatalf("default policy = %+v", p)
	}
	hints := "enabled"
	scopes := []graph.CBACertificateAuthorityScope{{SubjectKeyIdentifier: "AB12", IncludeTargets: []graph.CBATarget{{ID: "g1", TargetType: "group"}}}}
	rules := []graph.CBARule{{Type: "issuerSubjectAndPolicyOID", Identifier: "CN=A", IssuerSubjectIdentifier: "CN=A", PolicyOIDIdentifier: "1.2.3",
		AuthenticationMode: "x509CertificateMultiFactor", RequiredAffinityLevel: "high"}}
	if err := v.client.UpdateCBAPolicy(ctx, graph.CBAPolicyUpdate{IssuerHintsState: &hints, CertificateAuthorityScopes: &scopes,
		AuthenticationMode: &graph.CBAAuthenticationMode{DefaultMode: "x509CertificateMultiFactor", DefaultRequiredAffinityLevel: "high", Rules: rules}}); err != nil {
		t.Fatal(err)
	}
	p, err = v.client.GetCBAPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if p.IssuerHintsState != "enabled" || !reflect.DeepEqual(p.CertificateAuthorityScopes, scopes) || !reflect.DeepEqual(p.AuthenticationMode.Rules, rules) {
		t.Errorf("after PATCH: %+v (mode %+v)", p, p.AuthenticationMode)
	}
	if err := v.client.DeleteCBAPolicy(ctx); err != nil {
		t.Fatal(err)
	}
	if p, _ = v.client.GetCBAPolicy(ctx); p.IssuerHintsState != "disabled" || len(p.CertificateAuthorityScopes) != 0 {
		t.Errorf("after DELETE: %+v", p)
	}
	v.emu.AddFault(graphemu.Fault{Method: "GET", Path: policyPath, Status: http.StatusForbidden})
	if _, err := v.client.GetCBAPolicy(ctx); graph.StatusCode(err) != http.StatusForbidden {
		t.Errorf("GET with a 403 fault: err %v", err)
	}
}
