package graph

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	abs "github.com/microsoft/kiota-abstractions-go"
)

// StaticToken is a credential that always returns token, for a ready bearer token (the provider's access_token)
// and for tests. Printing it never shows the token.
func StaticToken(token string) azcore.TokenCredential { return staticToken{token: token} }

type staticToken struct{ token string }

func (s staticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if s.token == "" {
		return azcore.AccessToken{}, fmt.Errorf("graph: the access token is empty")
	}
	// The expiry is unknown; an hour is what Entra issues by default and nothing here caches on it.
	return azcore.AccessToken{Token: s.token, ExpiresOn: time.Now().Add(time.Hour)}, nil
}

func (staticToken) String() string   { return "graph.StaticToken(redacted)" }
func (staticToken) GoString() string { return "graph.StaticToken(redacted)" }

// bearerAuth attaches a token only to requests for the configured Graph endpoint (scheme, host and port), so a
// nextLink or redirect to any other host never carries it.
type bearerAuth struct {
	cred    azcore.TokenCredential
	scopes  []string
	allowed endpointKey
}

type endpointKey struct{ scheme, host, port string }

func keyOf(u *url.URL) endpointKey {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return endpointKey{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(strings.TrimSuffix(u.Hostname(), ".")), port: port}
}

func (a *bearerAuth) AuthenticateRequest(ctx context.Context, req *abs.RequestInformation, extra map[string]any) error {
	if req == nil {
		return fmt.Errorf("graph: no request to authenticate")
	}
	u, err := req.GetUri()
	if err != nil {
		return fmt.Errorf("graph: building the request URL: %w", err)
	}
	if keyOf(u) != a.allowed {
		req.Headers.Remove("Authorization")
		return nil
	}
	claims, _ := extra["claims"].(string)
	if claims != "" {
		// A continuous-access-evaluation challenge: the old token was refused.
		req.Headers.Remove("Authorization")
	} else if req.Headers.ContainsKey("Authorization") {
		return nil
	}
	tok, err := a.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: a.scopes, Claims: claims, EnableCAE: true})
	if err != nil {
		return fmt.Errorf("graph: getting a token for %s: %w", strings.Join(a.scopes, " "), err)
	}
	req.Headers.Add("Authorization", "Bearer "+tok.Token)
	return nil
}

// isLoopback reports whether host (no port) is 127.0.0.0/8, ::1 or localhost.
func isLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackHost is isLoopback for the provider's own checks (sign-in authorities, downloads next to an emulator).
func IsLoopbackHost(host string) bool { return isLoopback(host) }
