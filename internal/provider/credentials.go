package provider

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	azcloud "github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	pkcs12 "software.sslmate.com/src/go-pkcs12"
)

// credentialSource is one way to authenticate, in the order the provider tries them.
type credentialSource struct {
	Name string
	// Credential is nil when the source is not configured or could not be built; Skipped says why.
	Credential azcore.TokenCredential
	Skipped    string
}

// credentialSources lists every way to authenticate, in azuread's order (go-azure-sdk's NewAuthorizerFromCredentials):
// client certificate, client secret, OIDC with a federated token (given, from a file, or AKS workload identity's),
// OIDC requested from Azure DevOps for a service connection, OIDC requested from GitHub Actions, managed identity,
// Azure CLI. An access token, which azuread lacks, is used alone when set.
func credentialSources(s settings, httpClient *http.Client) []credentialSource {
	if s.AccessToken != "" {
		return []credentialSource{{Name: "access token", Credential: graph.StaticToken(s.AccessToken)}}
	}
	opts := azcore.ClientOptions{Cloud: azcloud.Configuration{ActiveDirectoryAuthorityHost: s.Cloud.Authority}, Transport: httpClient}
	// Instance discovery asks login.microsoftonline.com about the authority, which cannot vouch for a loopback one
	// (a local token endpoint for tests or an emulator).
	noDiscovery := false
	if u, err := url.Parse(s.Cloud.Authority); err == nil && isLoopbackHost(u.Hostname()) {
		noDiscovery = true
	}
	needIDs := func(what string) string {
		var missing []string
		if s.TenantID == "" {
			missing = append(missing, "tenant_id")
		}
		if s.ClientID == "" {
			missing = append(missing, "client_id")
		}
		if len(missing) > 0 {
			return what + " is set but " + strings.Join(missing, " and ") + " is not"
		}
		return ""
	}
	var out []credentialSource
	add := func(name string, build func() (azcore.TokenCredential, string)) {
		cred, skipped := build()
		out = append(out, credentialSource{Name: name, Credential: cred, Skipped: skipped})
	}
	oidc := s.UseOIDC || s.UseAKSWorkloadIdentity
	oidcOff := "use_oidc and use_aks_workload_identity are false"
	assertion := func(what string, get func(context.Context) (string, error)) (azcore.TokenCredential, string) {
		if why := needIDs(what); why != "" {
			return nil, why
		}
		cred, err := azidentity.NewClientAssertionCredential(s.TenantID, s.ClientID, get,
			&azidentity.ClientAssertionCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: noDiscovery})
		if err != nil {
			return nil, err.Error()
		}
		return cred, ""
	}

	add("client certificate", func() (azcore.TokenCredential, string) {
		if len(s.ClientCertificate) == 0 {
			return nil, "client_certificate and client_certificate_path are not set"
		}
		if why := needIDs("a client certificate"); why != "" {
			return nil, why
		}
		key, cert, chain, err := pkcs12.DecodeChain(s.ClientCertificate, s.ClientCertificatePassword)
		if err != nil {
			return nil, "the client certificate PFX could not be read with client_certificate_password (" + pkcsReason(err) + ")"
		}
		cred, err := azidentity.NewClientCertificateCredential(s.TenantID, s.ClientID,
			append([]*x509.Certificate{cert}, chain...), key,
			&azidentity.ClientCertificateCredentialOptions{ClientOptions: opts, SendCertificateChain: true, DisableInstanceDiscovery: noDiscovery})
		if err != nil {
			return nil, err.Error()
		}
		return cred, ""
	})
	add("client secret", func() (azcore.TokenCredential, string) {
		if s.ClientSecret == "" {
			return nil, "client_secret is not set"
		}
		if why := needIDs("client_secret"); why != "" {
			return nil, why
		}
		cred, err := azidentity.NewClientSecretCredential(s.TenantID, s.ClientID, s.ClientSecret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: opts, DisableInstanceDiscovery: noDiscovery})
		if err != nil {
			return nil, err.Error()
		}
		return cred, ""
	})
	add("OIDC token", func() (azcore.TokenCredential, string) {
		switch {
		case !oidc:
			return nil, oidcOff
		case s.OIDCToken == "" && s.OIDCTokenFilePath == "":
			return nil, "neither oidc_token nor oidc_token_file_path is set"
		}
		return assertion("a federated token", federatedToken(s))
	})
	add("OIDC from Azure DevOps", func() (azcore.TokenCredential, string) {
		switch {
		case !oidc:
			return nil, oidcOff
		case s.ADOServiceConnectionID == "":
			return nil, "ado_pipeline_service_connection_id is not set"
		case s.OIDCRequestToken == "" || s.OIDCRequestURL == "":
			return nil, "ado_pipeline_service_connection_id is set but oidc_request_token and oidc_request_url are not " +
				"(map SYSTEM_ACCESSTOKEN: $(System.AccessToken) into the task's environment; SYSTEM_OIDCREQUESTURI is set by Azure Pipelines)"
		}
		return assertion("ado_pipeline_service_connection_id", adoAssertion(s, httpClient))
	})
	add("OIDC from GitHub Actions", func() (azcore.TokenCredential, string) {
		switch {
		case !oidc:
			return nil, oidcOff
		case s.ADOServiceConnectionID != "":
			return nil, "ado_pipeline_service_connection_id is set, so oidc_request_url is Azure DevOps'"
		case s.OIDCRequestToken == "" || s.OIDCRequestURL == "":
			return nil, "oidc_request_token and oidc_request_url are not both set (give the job permissions: id-token: write)"
		}
		return assertion("oidc_request_url", githubAssertion(s, httpClient))
	})
	add("managed identity", func() (azcore.TokenCredential, string) {
		if !s.UseMSI {
			return nil, "use_msi is false"
		}
		if s.MSIEndpoint != "" {
			return newMSIEndpointCredential(s.MSIEndpoint, s.ClientID, httpClient, clock.Real{}), ""
		}
		o := &azidentity.ManagedIdentityCredentialOptions{ClientOptions: opts}
		if s.ClientID != "" {
			o.ID = azidentity.ClientID(s.ClientID) // user-assigned identity
		}
		cred, err := azidentity.NewManagedIdentityCredential(o)
		if err != nil {
			return nil, err.Error()
		}
		return cred, ""
	})
	add("Azure CLI", func() (azcore.TokenCredential, string) {
		if !s.UseCLI {
			return nil, "use_cli is false"
		}
		cred, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: s.TenantID})
		if err != nil {
			return nil, err.Error()
		}
		return cred, ""
	})
	return out
}

// pkcsReason names a PFX problem without repeating any of its content.
func pkcsReason(err error) string {
	if errors.Is(err, pkcs12.ErrIncorrectPassword) {
		return "wrong password"
	}
	return "not a valid PKCS#12 file with one private key"
}

// federatedToken returns the federated token given directly, or read from its file on each use (projected tokens,
// AKS workload identity's included, rotate).
func federatedToken(s settings) func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		if s.OIDCToken != "" {
			return s.OIDCToken, nil
		}
		b, err := osEnviron.ReadFile(s.OIDCTokenFilePath)
		if err != nil {
			return "", fmt.Errorf("reading oidc_token_file_path: %w", err)
		}
		return strings.TrimSpace(string(b)), nil
	}
}

// githubAssertion requests an ID token from GitHub Actions' endpoint (oidc_request_url) with the audience Entra
// expects.
func githubAssertion(s settings, httpClient *http.Client) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		u, err := url.Parse(s.OIDCRequestURL)
		if err != nil {
			return "", fmt.Errorf("oidc_request_url is not a URL: %w", err)
		}
		q := u.Query()
		if q.Get("audience") == "" {
			q.Set("audience", "api://AzureADTokenExchange")
		}
		u.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Authorization", "Bearer "+s.OIDCRequestToken)
		req.Header.Set("Accept", "application/json")
		resp, err := httpClient.Do(req)
		if err != nil {
			return "", fmt.Errorf("requesting the OIDC token from oidc_request_url: %w", err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if resp.StatusCode != http.StatusOK {
			return "", fmt.Errorf("oidc_request_url answered %s", resp.Status)
		}
		var tok struct {
			Value string `json:"value"`
		}
		if err := json.Unmarshal(body, &tok); err != nil || tok.Value == "" {
			return "", errors.New("oidc_request_url did not return a token in {\"value\": ...}")
		}
		return tok.Value, nil
	}
}

// chainCredential tries each configured source in order until one gets a token, then keeps using it.
// When all fail, its error lists every source and why it failed.
type chainCredential struct {
	sources []credentialSource
	mu      sync.Mutex
	chosen  azcore.TokenCredential
}

func newChainCredential(sources []credentialSource) *chainCredential {
	return &chainCredential{sources: sources}
}

func (c *chainCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	c.mu.Lock()
	chosen := c.chosen
	c.mu.Unlock()
	if chosen != nil {
		return chosen.GetToken(ctx, opts)
	}
	var tried []string
	for _, src := range c.sources {
		if src.Credential == nil {
			tried = append(tried, fmt.Sprintf("- %s: not used (%s)", src.Name, src.Skipped))
			continue
		}
		tok, err := src.Credential.GetToken(ctx, opts)
		if err == nil {
			c.mu.Lock()
			c.chosen = src.Credential
			c.mu.Unlock()
			return tok, nil
		}
		if ctx.Err() != nil {
			return azcore.AccessToken{}, ctx.Err()
		}
		tried = append(tried, fmt.Sprintf("- %s: failed: %s", src.Name, summarizeAuthError(err)))
	}
	return azcore.AccessToken{}, &authError{tried: tried}
}

type authError struct{ tried []string }

func (e *authError) Error() string {
	return "no credential could get a token for Microsoft Graph. Tried, in order:\n" + strings.Join(e.tried, "\n")
}

var aadstsCode = regexp.MustCompile(`AADSTS\d+`)

// summarizeAuthError keeps the line naming the AADSTS code when there is one, else the first line.
func summarizeAuthError(err error) string {
	msg := err.Error()
	lines := strings.Split(msg, "\n")
	pick := strings.TrimSpace(lines[0])
	if code := aadstsCode.FindString(msg); code != "" {
		for _, l := range lines {
			if strings.Contains(l, code) {
				pick = strings.TrimSpace(l)
				break
			}
		}
		if !strings.HasPrefix(pick, code) && !strings.Contains(pick, code) {
			pick = code + ": " + pick
		}
	}
	if len(pick) > 400 {
		pick = pick[:400] + "…"
	}
	return pick
}
