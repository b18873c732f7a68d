package provider

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func sourceNames(srcs []credentialSource) (built, skipped []string) {
	for _, s := range srcs {
		if s.Credential != nil {
			built = append(built, s.Name)
		} else {
			skipped = append(skipped, s.Name+": "+s.Skipped)
		}
	}
	return built, skipped
}

func TestCredentialOrder(t *testing.T) {
	everything := settings{
		Cloud: clouds["public"], TenantID: "00000000-0000-0000-0000-000000000001", ClientID: "00000000-0000-0000-0000-000000000002",
		ClientSecret: "s", ClientCertificate: testfixtures.Bytes("client-aes.pfx"), ClientCertificatePassword: testfixtures.Password,
		UseOIDC: true, OIDCToken: "t", UseMSI: true, UseCLI: true,
	}
	built, skipped := sourceNames(credentialSources(everything, http.DefaultClient))
	// azuread's order (go-azure-sdk's NewAuthorizerFromCredentials).
	want := []string{"client certificate", "client secret", "OIDC token", "managed identity", "Azure CLI"}
	if strings.Join(built, ",") != strings.Join(want, ",") {
		t.Errorf("order: got %v (skipped %v), want %v", built, skipped, want)
	}

	withToken := everything
	withToken.AccessToken = "ready"
	built, _ = sourceNames(credentialSources(withToken, http.DefaultClient))
	if strings.Join(built, ",") != "access token" {
		t.Errorf("an access token must be the only credential tried, got %v", built)
	}

	// Missing IDs and a wrong PFX password are reported, not built.
	partial := settings{Cloud: clouds["public"], ClientSecret: "s", ClientCertificate: testfixtures.Bytes("client-aes.pfx"),
		ClientCertificatePassword: "wrong", TenantID: "t", ClientID: "c"}
	partial.TenantID = ""
	_, skipped = sourceNames(credentialSources(partial, http.DefaultClient))
	joined := strings.Join(skipped, "\n")
	for _, want := range []string{"client secret: client_secret is set but tenant_id is not", "Azure CLI: use_cli is false",
		"OIDC token: use_oidc and use_aks_workload_identity are false", "OIDC from Azure DevOps: use_oidc and use_aks_workload_identity are false"} {
		if !strings.Contains(joined, want) {
			t.Errorf("skipped reasons %q lack %q", joined, want)
		}
	}
	partial.TenantID = "t"
	_, skipped = sourceNames(credentialSources(partial, http.DefaultClient))
	if joined := strings.Join(skipped, "\n"); !strings.Contains(joined, "client certificate: the client certificate PFX could not be read with client_certificate_password (wrong password)") {
		t.Errorf("wrong PFX password not reported: %q", joined)
	}
}

type fakeCredential struct {
	err   error
	calls int
}

func (f *fakeCredential) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	f.calls++
	if f.err != nil {
		return azcore.AccessToken{}, f.err
	}
	return azcore.AccessToken{Token: "tok"}, nil
}

func TestChainListsEveryFailureWithAADSTSCode(t *testing.T) {
	oidc := &fakeCredential{err: errors.New("ClientAssertionCredential authentication failed\nPOST https://login...\nAADSTS700213: No matching federated identity record found for presented assertion subject.\nTrace ID: x")}
	secret := &fakeCredential{err: errors.New("ClientSecretCredential authentication failed: AADSTS7000215: Invalid client secret provided.")}
	chain := newChainCredential([]credentialSource{
		{Name: "OIDC", Credential: oidc},
		{Name: "client certificate", Skipped: "client_certificate and client_certificate_path are not set"},
		{Name: "client secret", Credential: secret},
	})
	_, err := chain.GetToken(t.Context(), policy.TokenRequestOptions{})
	if err == nil {
		t.Fatal("expected an error")
	}
	msg := err.Error()
	for _, want := range []string{"- OIDC: failed: AADSTS700213: No matching federated identity record",
		"- client certificate: not used (client_certificate and client_certificate_path are not set)",
		"- client secret: failed: ClientSecretCredential authentication failed: AADSTS7000215"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Index(msg, "OIDC") > strings.Index(msg, "client secret") {
		t.Error("sources must be listed in the order tried")
	}
}

func TestChainKeepsTheFirstCredentialThatWorks(t *testing.T) {
	failing := &fakeCredential{err: errors.New("nope")}
	working := &fakeCredential{}
	chain := newChainCredential([]credentialSource{{Name: "a", Credential: failing}, {Name: "b", Credential: working}})
	for i := 0; i < 3; i++ {
		if _, err := chain.GetToken(t.Context(), policy.TokenRequestOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if failing.calls != 1 || working.calls != 3 {
		t.Errorf("calls: failing %d (want 1), working %d (want 3)", failing.calls, working.calls)
	}
}

func TestOIDCRequestToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer req-token" || r.URL.Query().Get("audience") != "api://AzureADTokenExchange" {
			http.Error(w, "bad", http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte(`{"value":"federated-id-token"}`))
	}))
	defer srv.Close()
	got, err := githubAssertion(settings{OIDCRequestToken: "req-token", OIDCRequestURL: srv.URL + "/token?api-version=2.0"}, srv.Client())(t.Context())
	if err != nil || got != "federated-id-token" {
		t.Fatalf("got %q, %v", got, err)
	}
	_, err = githubAssertion(settings{OIDCRequestToken: "wrong", OIDCRequestURL: srv.URL}, srv.Client())(t.Context())
	if err == nil || strings.Contains(err.Error(), "wrong") {
		t.Errorf("want an error that does not echo the request token, got %v", err)
	}
}
