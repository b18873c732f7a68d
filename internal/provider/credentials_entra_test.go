package provider

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
)

const (
	testTenant = "00000000-0000-0000-0000-0000000000aa"
	testClient = "00000000-0000-0000-0000-0000000000bb"
)

// fakeEntra is a Microsoft Entra token endpoint on loopback (TLS, as azidentity requires https authorities),
// plus the CI systems' ID-token endpoints. It issues "access-for:{client_id}:{credential}" access tokens, where
// credential is "secret:{secret}" or "assertion:{federated token}", and refuses secrets and assertions in reject.
type fakeEntra struct {
	srv    *httptest.Server
	reject map[string]bool
	// ciHandlers serve the ID-token endpoints under /ci/.
	ciHandlers map[string]http.HandlerFunc

	mu       sync.Mutex
	requests []string // the credential of every token request, in order
}

func newFakeEntra(t *testing.T) *fakeEntra {
	t.Helper()
	f := &fakeEntra{reject: map[string]bool{}, ciHandlers: map[string]http.HandlerFunc{}}
	f.srv = httptest.NewTLSServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// cloud is a cloud whose authority is this fake.
func (f *fakeEntra) cloud() cloud {
	c := clouds["public"]
	c.Authority = f.srv.URL + "/"
	return c
}

func (f *fakeEntra) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, "/ci/"):
		h, ok := f.ciHandlers[strings.TrimPrefix(p, "/ci/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	case strings.HasSuffix(p, "/discovery/instance"):
		host := strings.TrimPrefix(f.srv.URL, "https://")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"tenant_discovery_endpoint": f.srv.URL + "/" + testTenant + "/v2.0/.well-known/openid-configuration",
			"api-version":               "1.1",
			"metadata":                  []map[string]any{{"preferred_network": host, "preferred_cache": host, "aliases": []string{host}}},
		})
	case strings.HasSuffix(p, "/.well-known/openid-configuration"):
		tenant := strings.Split(strings.TrimPrefix(p, "/"), "/")[0]
		base := f.srv.URL + "/" + tenant
		_ = json.NewEncoder(w).Encode(map[string]any{
			"token_endpoint":         base + "/oauth2/v2.0/token",
			"authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"issuer":                 base + "/v2.0",
		})
	case strings.HasSuffix(p, "/oauth2/v2.0/token"):
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		credential := "assertion:" + r.PostForm.Get("client_assertion")
		if secret := r.PostForm.Get("client_secret"); secret != "" {
			credential = "secret:" + secret
		}
		f.mu.Lock()
		f.requests = append(f.requests, credential)
		f.mu.Unlock()
		if f.reject[credential] {
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": "invalid_client",
				"error_description": "AADSTS7000215: Invalid client credential provided.", "error_codes": []int{7000215}})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600,
			"access_token": "access-for:" + r.PostForm.Get("client_id") + ":" + credential})
	default:
		http.NotFound(w, r)
	}
}

// token runs the chain built from s against the fake and returns the access token it got.
func (f *fakeEntra) token(t *testing.T, s settings) (string, error) {
	t.Helper()
	s.Cloud = f.cloud()
	chain := newChainCredential(credentialSources(s, f.srv.Client()))
	tok, err := chain.GetToken(t.Context(), policy.TokenRequestOptions{Scopes: []string{s.Cloud.Scope()}})
	return tok.Token, err
}

// The fake itself: a client secret gets a token, a refused one an AADSTS error the chain reports.
func TestFakeEntraIssuesAndRefuses(t *testing.T) {
	f := newFakeEntra(t)
	s := settings{TenantID: testTenant, ClientID: testClient, ClientSecret: "good"}
	got, err := f.token(t, s)
	if err != nil || got != "access-for:"+testClient+":secret:good" {
		t.Fatalf("got %q, %v", got, err)
	}
	f.reject["secret:bad"] = true
	s.ClientSecret = "bad"
	_, err = f.token(t, s)
	if err == nil || !strings.Contains(err.Error(), "client secret: failed:") || !strings.Contains(err.Error(), "AADSTS7000215") {
		t.Fatalf("want the refused secret reported, got %v", err)
	}
}
