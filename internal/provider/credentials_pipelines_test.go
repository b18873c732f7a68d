package provider

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// adoEndpoint serves Azure DevOps' OIDC token endpoint at /ci/ado: a POST for service connection "sc-1" with the
// job's access token gets federated token idToken.
func adoEndpoint(f *fakeEntra, idToken string) {
	f.ciHandlers["ado"] = func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.Method != http.MethodPost || q.Get("api-version") != "7.1" || q.Get("serviceConnectionId") != "sc-1" ||
			r.Header.Get("Authorization") != "Bearer system-access-token" || r.Header.Get("X-TFS-FedAuthRedirect") != "Suppress" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message":"TF400813: not authorized"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"oidcToken": idToken})
	}
}

// githubEndpoint serves GitHub Actions' ID token endpoint at /ci/github.
func githubEndpoint(f *fakeEntra, idToken string) {
	f.ciHandlers["github"] = func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.Header.Get("Authorization") != "Bearer github-request-token" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"value": idToken})
	}
}

// Azure DevOps variables, as a task with the service connection sees them, configure ADO OIDC through resolveSettings.
func TestADOServiceConnectionFromEnvironment(t *testing.T) {
	f := newFakeEntra(t)
	adoEndpoint(f, "ado-id-token")
	vars := map[string]string{
		"ARM_USE_OIDC": "true", "ARM_TENANT_ID": testTenant, "ARM_CLIENT_ID": testClient,
		"ARM_OIDC_AZURE_SERVICE_CONNECTION_ID": "sc-1", // azapi's name, the fallback
		"SYSTEM_ACCESSTOKEN":                   "system-access-token",
		"SYSTEM_OIDCREQUESTURI":                f.srv.URL + "/ci/ado",
		"ARM_USE_CLI":                          "false",
	}
	s, diags := resolveSettings(providerModel{}, fakeEnviron(vars, nil))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s.ADOServiceConnectionID != "sc-1" || s.OIDCRequestToken != "system-access-token" || s.OIDCRequestURL != f.srv.URL+"/ci/ado" {
		t.Fatalf("settings %+v", s)
	}
	got, err := f.token(t, s)
	if err != nil || got != "access-for:"+testClient+":assertion:ado-id-token" {
		t.Fatalf("got %q, %v", got, err)
	}

	// ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID wins over azapi's name; the attribute wins over both.
	vars["ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID"] = "sc-arm"
	s, _ = resolveSettings(providerModel{}, fakeEnviron(vars, nil))
	if s.ADOServiceConnectionID != "sc-arm" {
		t.Errorf("ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID should win, got %q", s.ADOServiceConnectionID)
	}
	s, _ = resolveSettings(providerModel{ADOServiceConnectionID: types.StringValue("sc-attr")}, fakeEnviron(vars, nil))
	if s.ADOServiceConnectionID != "sc-attr" {
		t.Errorf("the attribute should win, got %q", s.ADOServiceConnectionID)
	}
	// GitHub's variables win over Azure DevOps' for the request token and URL, as in azuread.
	vars["ACTIONS_ID_TOKEN_REQUEST_TOKEN"], vars["ACTIONS_ID_TOKEN_REQUEST_URL"] = "gh", "https://gh.example"
	s, _ = resolveSettings(providerModel{}, fakeEnviron(vars, nil))
	if s.OIDCRequestToken != "gh" || s.OIDCRequestURL != "https://gh.example" {
		t.Errorf("ACTIONS_ID_TOKEN_REQUEST_* should win over SYSTEM_*: %q %q", s.OIDCRequestToken, s.OIDCRequestURL)
	}
}

func TestADOServiceConnectionPrecedence(t *testing.T) {
	f := newFakeEntra(t)
	adoEndpoint(f, "ado-id-token")
	githubEndpoint(f, "github-id-token")
	ado := settings{UseOIDC: true, TenantID: testTenant, ClientID: testClient, ADOServiceConnectionID: "sc-1",
		OIDCRequestToken: "system-access-token", OIDCRequestURL: f.srv.URL + "/ci/ado"}

	// A client secret comes first (azuread's order); when Entra refuses it, the service connection is used.
	withSecret := ado
	withSecret.ClientSecret = "good"
	if got, err := f.token(t, withSecret); err != nil || !strings.HasSuffix(got, ":secret:good") {
		t.Errorf("a working client secret comes before Azure DevOps OIDC: %q, %v", got, err)
	}
	f.reject["secret:refused"] = true
	withSecret.ClientSecret = "refused"
	if got, err := f.token(t, withSecret); err != nil || !strings.HasSuffix(got, ":assertion:ado-id-token") {
		t.Errorf("after a refused secret, Azure DevOps OIDC: %q, %v", got, err)
	}

	// A federated token given directly comes before asking Azure DevOps.
	withToken := ado
	withToken.OIDCToken = "direct-id-token"
	if got, err := f.token(t, withToken); err != nil || !strings.HasSuffix(got, ":assertion:direct-id-token") {
		t.Errorf("oidc_token comes before Azure DevOps OIDC: %q, %v", got, err)
	}

	// With a service connection, the request URL is Azure DevOps', never GitHub's.
	srcs := credentialSources(ado, f.srv.Client())
	_, skipped := sourceNames(srcs)
	if !strings.Contains(strings.Join(skipped, "\n"), "OIDC from GitHub Actions: ado_pipeline_service_connection_id is set") {
		t.Errorf("GitHub OIDC should be skipped: %v", skipped)
	}
	// Without one, the same request settings are GitHub's.
	gh := ado
	gh.ADOServiceConnectionID, gh.OIDCRequestToken, gh.OIDCRequestURL = "", "github-request-token", f.srv.URL+"/ci/github"
	if got, err := f.token(t, gh); err != nil || !strings.HasSuffix(got, ":assertion:github-id-token") {
		t.Errorf("GitHub OIDC: %q, %v", got, err)
	}

	// use_oidc is required, as in azuread.
	off := ado
	off.UseOIDC = false
	if _, err := f.token(t, off); err == nil || !strings.Contains(err.Error(), "OIDC from Azure DevOps: not used (use_oidc and use_aks_workload_identity are false)") {
		t.Errorf("want Azure DevOps OIDC skipped without use_oidc, got %v", err)
	}
}

func TestADOServiceConnectionErrorsKeepTokensOut(t *testing.T) {
	f := newFakeEntra(t)
	adoEndpoint(f, "ado-id-token")
	s := settings{UseOIDC: true, TenantID: testTenant, ClientID: testClient, ADOServiceConnectionID: "sc-1",
		OIDCRequestToken: "wrong-system-access-token", OIDCRequestURL: f.srv.URL + "/ci/ado"}
	_, err := f.token(t, s)
	if err == nil || !strings.Contains(err.Error(), "the Azure DevOps OIDC endpoint answered 401 Unauthorized for service connection sc-1") {
		t.Fatalf("want the refusal reported, got %v", err)
	}
	if strings.Contains(err.Error(), "wrong-system-access-token") {
		t.Errorf("the error shows the access token: %v", err)
	}

	// Missing request settings are named, with what to map in the pipeline.
	s.OIDCRequestToken = ""
	_, skipped := sourceNames(credentialSources(s, f.srv.Client()))
	if !strings.Contains(strings.Join(skipped, "\n"), "SYSTEM_ACCESSTOKEN: $(System.AccessToken)") {
		t.Errorf("skipped reasons should say how to map SYSTEM_ACCESSTOKEN: %v", skipped)
	}
}

// AKS workload identity: the webhook's AZURE_* variables give the client, tenant and token file.
func TestAKSWorkloadIdentity(t *testing.T) {
	f := newFakeEntra(t)
	tokenFile := filepath.Join(t.TempDir(), "azure-identity-token")
	if err := os.WriteFile(tokenFile, []byte("aks-projected-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const aksClient = "00000000-0000-0000-0000-0000000000cc"
	vars := map[string]string{
		"ARM_USE_AKS_WORKLOAD_IDENTITY": "true", "ARM_USE_CLI": "false",
		"AZURE_CLIENT_ID": aksClient, "AZURE_TENANT_ID": testTenant, "AZURE_FEDERATED_TOKEN_FILE": tokenFile,
	}
	env := environ{Getenv: func(k string) string { return vars[k] }, ReadFile: os.ReadFile}
	s, diags := resolveSettings(providerModel{}, env)
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s.ClientID != aksClient || s.TenantID != testTenant || s.OIDCTokenFilePath != tokenFile || s.UseOIDC {
		t.Fatalf("settings %+v", s)
	}
	got, err := f.token(t, s)
	if err != nil || got != "access-for:"+aksClient+":assertion:aks-projected-token" {
		t.Fatalf("got %q, %v", got, err)
	}

	// The same values configured are fine; different ones are errors naming the attribute.
	same := providerModel{ClientID: types.StringValue(aksClient), OIDCTokenFilePath: types.StringValue(tokenFile)}
	if _, diags := resolveSettings(same, env); diags.HasError() {
		t.Errorf("agreeing values: %v", diags)
	}
	_, diags = resolveSettings(providerModel{ClientID: types.StringValue(testClient)}, env)
	if !diags.HasError() || diags.Errors()[0].Summary() != "Conflicting client_id" ||
		!strings.Contains(diags.Errors()[0].Detail(), "AZURE_CLIENT_ID") {
		t.Errorf("a different client_id should conflict: %v", diags)
	}
	_, diags = resolveSettings(providerModel{OIDCToken: types.StringValue("another-token")}, env)
	if !diags.HasError() || diags.Errors()[0].Summary() != "Conflicting federated tokens" {
		t.Errorf("a different oidc_token should conflict: %v", diags)
	}
	// The same token given directly is accepted and read from the file from then on.
	s, diags = resolveSettings(providerModel{OIDCToken: types.StringValue("aks-projected-token")}, env)
	if diags.HasError() || s.OIDCToken != "" || s.OIDCTokenFilePath != tokenFile {
		t.Errorf("the same token: %+v %v", s, diags)
	}

	// A pod without the webhook's token file is told what to do.
	delete(vars, "AZURE_FEDERATED_TOKEN_FILE")
	_, diags = resolveSettings(providerModel{}, env)
	if !diags.HasError() || !strings.Contains(diags.Errors()[0].Detail(), `azure.workload.identity/use: "true"`) {
		t.Errorf("missing token file: %v", diags)
	}

	// Without use_aks_workload_identity the AZURE_* variables are ignored, as in azuread.
	vars["AZURE_FEDERATED_TOKEN_FILE"] = tokenFile
	delete(vars, "ARM_USE_AKS_WORKLOAD_IDENTITY")
	s, _ = resolveSettings(providerModel{}, env)
	if s.ClientID != "" || s.OIDCTokenFilePath != "" {
		t.Errorf("AZURE_* used without use_aks_workload_identity: %+v", s)
	}
}

func TestAKSWorkloadIdentityPrecedence(t *testing.T) {
	f := newFakeEntra(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("aks-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := settings{UseAKSWorkloadIdentity: true, TenantID: testTenant, ClientID: testClient, OIDCTokenFilePath: tokenFile,
		ClientSecret: "good", UseMSI: true, MSIEndpoint: "http://127.0.0.1:1/unused"}
	built, _ := sourceNames(credentialSources(s, f.srv.Client()))
	if strings.Join(built, ",") != "client secret,OIDC token,managed identity" {
		t.Errorf("order %v", built)
	}
	if got, err := f.token(t, s); err != nil || !strings.HasSuffix(got, ":secret:good") {
		t.Errorf("a working client secret comes first: %q, %v", got, err)
	}
	f.reject["secret:refused"] = true
	s.ClientSecret = "refused"
	if got, err := f.token(t, s); err != nil || !strings.HasSuffix(got, ":assertion:aks-token") {
		t.Errorf("then the AKS token, before managed identity: %q, %v", got, err)
	}
}
