package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
)

// msiEndpointCredential gets managed identity tokens from msi_endpoint the way IMDS is called
// (GET ?api-version=2018-02-01&resource=...&client_id=..., header Metadata: true), as go-azure-sdk does for
// azuread's msi_endpoint. azidentity cannot be pointed at a custom endpoint. Tokens are kept until five minutes
// before they expire.
type msiEndpointCredential struct {
	endpoint, clientID string
	httpClient         *http.Client
	clock              clock.Clock

	mu     sync.Mutex
	cached map[string]azcore.AccessToken // by resource
}

func newMSIEndpointCredential(endpoint, clientID string, httpClient *http.Client, c clock.Clock) *msiEndpointCredential {
	return &msiEndpointCredential{endpoint: endpoint, clientID: clientID, httpClient: httpClient, clock: c,
		cached: map[string]azcore.AccessToken{}}
}

const msiRefreshMargin = 5 * time.Minute

func (m *msiEndpointCredential) GetToken(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if len(opts.Scopes) != 1 {
		return azcore.AccessToken{}, fmt.Errorf("managed identity: one scope is needed, got %d", len(opts.Scopes))
	}
	resource := strings.TrimSuffix(opts.Scopes[0], "/.default")
	m.mu.Lock()
	defer m.mu.Unlock()
	if tok, ok := m.cached[resource]; ok && m.clock.Now().Add(msiRefreshMargin).Before(tok.ExpiresOn) {
		return tok, nil
	}
	tok, err := m.request(ctx, resource)
	if err != nil {
		return azcore.AccessToken{}, err
	}
	m.cached[resource] = tok
	return tok, nil
}

func (m *msiEndpointCredential) request(ctx context.Context, resource string) (azcore.AccessToken, error) {
	u, err := url.Parse(m.endpoint)
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("managed identity: msi_endpoint is not a URL: %w", err)
	}
	q := u.Query()
	q.Set("api-version", "2018-02-01")
	q.Set("resource", resource)
	if m.clientID != "" {
		q.Set("client_id", m.clientID)
	}
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return azcore.AccessToken{}, err
	}
	req.Header.Set("Metadata", "true")
	resp, err := m.httpClient.Do(req)
	if err != nil {
		return azcore.AccessToken{}, fmt.Errorf("managed identity: calling msi_endpoint: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return azcore.AccessToken{}, fmt.Errorf("managed identity: msi_endpoint answered %s%s", resp.Status, msiErrorDetail(body))
	}
	var tok struct {
		AccessToken string          `json:"access_token"`
		ExpiresOn   json.RawMessage `json:"expires_on"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.AccessToken == "" {
		return azcore.AccessToken{}, errors.New("managed identity: msi_endpoint did not return an access_token")
	}
	now := m.clock.Now()
	expires := now.Add(time.Hour) // what Entra issues when the endpoint does not say
	if secs, ok := jsonSeconds(tok.ExpiresOn); ok {
		expires = time.Unix(secs, 0)
	} else if secs, ok := jsonSeconds(tok.ExpiresIn); ok {
		expires = now.Add(time.Duration(secs) * time.Second)
	}
	return azcore.AccessToken{Token: tok.AccessToken, ExpiresOn: expires}, nil
}

// jsonSeconds reads a number of seconds given as a JSON number or a string (IMDS sends strings).
func jsonSeconds(raw json.RawMessage) (int64, bool) {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// msiErrorDetail keeps the endpoint's error code and description (OAuth error bodies hold no token).
func msiErrorDetail(body []byte) string {
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &e) != nil || e.Error == "" {
		return ""
	}
	if len(e.Description) > 300 {
		e.Description = e.Description[:300] + "…"
	}
	return ": " + e.Error + ": " + e.Description
}
