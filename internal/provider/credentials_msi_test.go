package provider

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// msiServer is a managed identity endpoint on loopback that answers as IMDS does (expires_on as a string).
func msiServer(t *testing.T, now func() time.Time, calls *atomic.Int32) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		q := r.URL.Query()
		if r.Header.Get("Metadata") != "true" || q.Get("api-version") != "2018-02-01" || q.Get("resource") != "https://graph.microsoft.com" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"Required metadata header not specified"}`))
			return
		}
		if id := q.Get("client_id"); id != "" && id != testClient {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":"invalid_request","error_description":"Identity not found"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{
			"access_token": "msi-token-" + strconv.Itoa(int(calls.Load())) + "-" + q.Get("client_id"),
			"expires_on":   strconv.FormatInt(now().Add(time.Hour).Unix(), 10),
			"resource":     q.Get("resource"), "token_type": "Bearer",
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestMSIEndpointCredentialCachesUntilNearExpiry(t *testing.T) {
	fake := clock.NewFake(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	var calls atomic.Int32
	srv := msiServer(t, fake.Now, &calls)
	cred := newMSIEndpointCredential(srv.URL+"/metadata/identity/oauth2/token", testClient, srv.Client(), fake)
	get := func() string {
		t.Helper()
		tok, err := cred.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}})
		if err != nil {
			t.Fatal(err)
		}
		return tok.Token
	}
	if got := get(); got != "msi-token-1-"+testClient {
		t.Fatalf("token %q", got)
	}
	fake.Advance(54 * time.Minute) // six minutes left: still good
	if got := get(); got != "msi-token-1-"+testClient || calls.Load() != 1 {
		t.Errorf("want the cached token, got %q after %d calls", got, calls.Load())
	}
	fake.Advance(2 * time.Minute) // four minutes left: renew
	if got := get(); got != "msi-token-2-"+testClient {
		t.Errorf("want a new token, got %q", got)
	}

	wrong := newMSIEndpointCredential(srv.URL, "00000000-0000-0000-0000-00000000dead", srv.Client(), fake)
	_, err := wrong.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{"https://graph.microsoft.com/.default"}})
	if err == nil || !strings.Contains(err.Error(), "msi_endpoint answered 400 Bad Request: invalid_request: Identity not found") {
		t.Errorf("want the endpoint's error, got %v", err)
	}
}

func TestMSIEndpointFromEnvironmentAndPrecedence(t *testing.T) {
	var calls atomic.Int32
	srv := msiServer(t, time.Now, &calls)
	s, diags := resolveSettings(providerModel{}, fakeEnviron(map[string]string{
		"ARM_USE_MSI": "true", "ARM_MSI_ENDPOINT": srv.URL + "/msi/token", "ARM_USE_CLI": "false",
	}, nil))
	if diags.HasError() || s.MSIEndpoint != srv.URL+"/msi/token" {
		t.Fatalf("settings %+v %v", s, diags)
	}
	f := newFakeEntra(t)
	got, err := f.token(t, s)
	if err != nil || got != "msi-token-1-" {
		t.Fatalf("system-assigned identity through msi_endpoint: %q, %v", got, err)
	}

	// A refused OIDC token comes first, then the managed identity; the Azure CLI would come after it.
	f.reject["assertion:stale-token"] = true
	s.UseOIDC, s.OIDCToken, s.TenantID, s.ClientID = true, "stale-token", testTenant, testClient
	s.UseCLI = true
	built, _ := sourceNames(credentialSources(s, f.srv.Client()))
	if strings.Join(built, ",") != "OIDC token,managed identity,Azure CLI" {
		t.Errorf("order %v", built)
	}
	got, err = f.token(t, s)
	if err != nil || got != "msi-token-2-"+testClient {
		t.Errorf("user-assigned identity after the refused OIDC token: %q, %v", got, err)
	}

	// msi_endpoint is only used with use_msi.
	s.UseMSI = false
	_, skipped := sourceNames(credentialSources(s, f.srv.Client()))
	if !strings.Contains(strings.Join(skipped, "\n"), "managed identity: use_msi is false") {
		t.Errorf("skipped %v", skipped)
	}

	for _, bad := range []string{"not a url", "http://msi.example.com/token", "ftp://127.0.0.1/token"} {
		_, diags := resolveSettings(providerModel{MSIEndpoint: types.StringValue(bad)}, fakeEnviron(nil, nil))
		if !diags.HasError() || diags.Errors()[0].Summary() != "Invalid msi_endpoint" {
			t.Errorf("%q: want an msi_endpoint error, got %v", bad, diags)
		}
	}
	for _, good := range []string{"http://169.254.169.254/metadata/identity/oauth2/token", "https://msi.example.com/token", "http://localhost:40342/metadata/identity/oauth2/token"} {
		if _, diags := resolveSettings(providerModel{MSIEndpoint: types.StringValue(good)}, fakeEnviron(nil, nil)); diags.HasError() {
			t.Errorf("%q: %v", good, diags)
		}
	}
}
