package graphemu_test

// The CBA policy's round trip through msgraph-sdk-go (see sdk_test.go for why the adapter is built by hand).
// issuerHintsConfiguration and certificateAuthorityScopes are v1.0 but missing from the SDK's model, so they
// travel in its additional data both ways.

import (
	"net/http/httptest"
	"testing"

	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	"github.com/microsoft/kiota-abstractions-go/store"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/policies"

	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
)

func newSDKPolicyBuilder(t *testing.T, baseURL string) *policies.AuthenticationMethodsPolicyAuthenticationMethodConfigurationsAuthenticationMethodConfigurationItemRequestBuilder {
	t.Helper()
	absser.DefaultSerializationWriterFactoryInstance.ContentTypeAssociatedFactories["application/json"] = jsonser.NewJsonSerializationWriterFactory()
	absser.DefaultParseNodeFactoryInstance.ContentTypeAssociatedFactories["application/json"] = jsonser.NewJsonParseNodeFactory()
	adapter, err := msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		bearer(testToken), msgraphcore.GraphClientOptions{GraphServiceLibraryVersion: "1.89.0"}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	adapter.SetBaseUrl(baseURL + "/v1.0")
	adapter.EnableBackingStore(store.BackingStoreFactoryInstance)
	params := map[string]string{"baseurl": adapter.GetBaseUrl()}
	return policies.NewAuthenticationMethodsPolicyAuthenticationMethodConfigurationsRequestBuilderInternal(params, adapter).
		ByAuthenticationMethodConfigurationId("X509Certificate")
}

func getX509(t *testing.T, b *policies.AuthenticationMethodsPolicyAuthenticationMethodConfigurationsAuthenticationMethodConfigurationItemRequestBuilder) *models.X509CertificateAuthenticationMethodConfiguration {
	t.Helper()
	got, err := b.Get(t.Context(), nil)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	x, ok := got.(*models.X509CertificateAuthenticationMethodConfiguration)
	if !ok {
		t.Fatalf("GET parsed as %T, want *models.X509CertificateAuthenticationMethodConfiguration (is @odata.type there?)", got)
	}
	return x
}

func TestMSGraphSDKRoundTrip_CBAPolicy(t *testing.T) {
	emu := graphemu.New(graphemu.Options{Token: testToken})
	enc := &encodings{seen: map[string]string{}}
	srv := httptest.NewServer(enc.wrap(emu))
	defer srv.Close()
	b := newSDKPolicyBuilder(t, srv.URL)

	// The default configuration parses into the typed model.
	x := getX509(t, b)
	if x.GetState() == nil || x.GetState().String() != "disabled" || *x.GetId() != "X509Certificate" {
		t.Fatalf("default state/id = %v/%v", x.GetState(), x.GetId())
	}
	if ts := x.GetIncludeTargets(); len(ts) != 1 || *ts[0].GetId() != "all_users" || ts[0].GetTargetType().String() != "group" {
		t.Errorf("default includeTargets = %v", ts)
	}
	if bs := x.GetCertificateUserBindings(); len(bs) != 2 || *bs[0].GetX509CertificateField() != "PrincipalName" || *bs[0].GetPriority() != 1 {
		t.Errorf("default bindings = %v", bs)
	}
	if am := x.GetAuthenticationModeConfiguration(); am == nil || am.GetX509CertificateAuthenticationDefaultMode().String() != "x509CertificateSingleFactor" {
		t.Errorf("default authenticationModeConfiguration = %v", am)
	}
	if ih, ok := x.GetAdditionalData()["issuerHintsConfiguration"].(map[string]any); !ok || derefAny(ih["state"]) != "disabled" {
		t.Errorf("additional issuerHintsConfiguration = %#v", x.GetAdditionalData()["issuerHintsConfiguration"])
	}

	// PATCH through the SDK (gzip), the two missing properties in additional data.
	body := models.NewX509CertificateAuthenticationMethodConfiguration()
	enabled := models.ENABLED_AUTHENTICATIONMETHODSTATE
	body.SetState(&enabled)
	rule := models.NewX509CertificateRule()
	ruleType := models.ISSUERSUBJECT_X509CERTIFICATERULETYPE
	multi := models.X509CERTIFICATEMULTIFACTOR_X509CERTIFICATEAUTHENTICATIONMODE
	high := models.HIGH_X509CERTIFICATEAFFINITYLEVEL
	rule.SetX509CertificateRuleType(&ruleType)
	rule.SetIdentifier(ptr("CN=ContosoCA"))
	rule.SetX509CertificateAuthenticationMode(&multi)
	am := models.NewX509CertificateAuthenticationModeConfiguration()
	single := models.X509CERTIFICATESINGLEFACTOR_X509CERTIFICATEAUTHENTICATIONMODE
	am.SetX509CertificateAuthenticationDefaultMode(&single)
	am.SetX509CertificateDefaultRequiredAffinityLevel(&high)
	am.SetRules([]models.X509CertificateRuleable{rule})
	body.SetAuthenticationModeConfiguration(am)
	body.SetAdditionalData(map[string]any{
		"issuerHintsConfiguration": map[string]any{"state": "enabled"},
		"certificateAuthorityScopes": []any{map[string]any{"subjectKeyIdentifier": "AB12", "publicKeyInfrastructureIdentifier": "Contoso PKI",
			"includeTargets": []any{map[string]any{"id": "g1", "targetType": "group"}}}},
	})
	if _, err := b.Patch(t.Context(), body, nil); err != nil {
		t.Fatalf("PATCH: %v", err)
	}
	if e := enc.get("PATCH /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/X509Certificate"); e != "gzip" {
		t.Errorf("PATCH Content-Encoding = %q, want gzip (the SDK's default)", e)
	}

	x = getX509(t, b)
	if x.GetState().String() != "enabled" {
		t.Errorf("state = %v", x.GetState())
	}
	rules := x.GetAuthenticationModeConfiguration().GetRules()
	if len(rules) != 1 || *rules[0].GetIdentifier() != "CN=ContosoCA" || rules[0].GetX509CertificateAuthenticationMode().String() != "x509CertificateMultiFactor" {
		t.Errorf("rules = %v", rules)
	}
	ih, _ := x.GetAdditionalData()["issuerHintsConfiguration"].(map[string]any)
	if derefAny(ih["state"]) != "enabled" {
		t.Errorf("issuerHintsConfiguration = %#v", x.GetAdditionalData()["issuerHintsConfiguration"])
	}
	scopes, _ := x.GetAdditionalData()["certificateAuthorityScopes"].([]any)
	if len(scopes) != 1 {
		t.Fatalf("certificateAuthorityScopes = %#v", x.GetAdditionalData()["certificateAuthorityScopes"])
	}
	scope, _ := scopes[0].(map[string]any)
	targets, _ := scope["includeTargets"].([]any)
	if derefAny(scope["subjectKeyIdentifier"]) != "AB12" || derefAny(scope["publicKeyInfrastructureIdentifier"]) != "Contoso PKI" || len(targets) != 1 {
		t.Errorf("scope = %#v", scope)
	}

	if err := b.Delete(t.Context(), nil); err != nil {
		t.Fatalf("DELETE: %v", err)
	}
	if x = getX509(t, b); x.GetState().String() != "disabled" {
		t.Errorf("after DELETE state = %v", x.GetState())
	}
}

// derefAny unwraps the *string kiota's raw values hold.
func derefAny(v any) any {
	if p, ok := v.(*string); ok && p != nil {
		return *p
	}
	return v
}
