package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// adoOIDCAPIVersion is the Azure DevOps REST version of the OIDC token endpoint, as azidentity's
// AzurePipelinesCredential uses it.
const adoOIDCAPIVersion = "7.1"

// adoAssertion requests an ID token for the service connection from Azure DevOps (SYSTEM_OIDCREQUESTURI, as
// oidc_request_url) with the job's SYSTEM_ACCESSTOKEN (oidc_request_token). It is azidentity's
// AzurePipelinesCredential exchange, done here because that credential reads the URL from the process environment
// only, so neither oidc_request_url nor a test endpoint could be given.
func adoAssertion(s settings, httpClient *http.Client) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		u, err := url.Parse(s.OIDCRequestURL)
		if err != nil || u.Host == "" {
			return "", errors.New("oidc_request_url (SYSTEM_OIDCREQUESTURI) is not an absolute URL")
		}
		q := u.Query()
		q.Set("api-version", adoOIDCAPIVersion)
		q.Set("serviceConnectionId", s.ADOServiceConnectionID)
		u.RawQuery = q.Encode()
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), nil)
		if err != nil {
			return "", err
		}
		req.Header.Set("Authorization", "Bearer "+s.OIDCRequestToken)
		req.Header.Set("Accept", "application/json")
		// Ask for a 401 rather than a redirect to a sign-in page when the access token is not valid.
		req.Header.Set("X-TFS-FedAuthRedirect", "Suppress")
		resp, err := httpClient.Do(req)
		if err != nil {
			return "", fmt.Errorf("requesting the OIDC token from Azure DevOps: %w", err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		if resp.StatusCode != http.StatusOK {
			// The body is not repeated: it could hold a token.
			return "", fmt.Errorf("the Azure DevOps OIDC endpoint answered %s for service connection %s: check "+
				"ado_pipeline_service_connection_id and that the job maps SYSTEM_ACCESSTOKEN", resp.Status, s.ADOServiceConnectionID)
		}
		var tok struct {
			OIDCToken string `json:"oidcToken"`
		}
		if err := json.Unmarshal(body, &tok); err != nil || tok.OIDCToken == "" {
			return "", errors.New("the Azure DevOps OIDC endpoint did not return a token in {\"oidcToken\": ...}")
		}
		return tok.OIDCToken, nil
	}
}
