// Package graph is the only place that talks to Microsoft Graph. It wraps msgraph-sdk-go with typed
// calls, this provider's retry policy, error translation and request coalescing. It knows nothing of Terraform.
package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
	khttp "github.com/microsoft/kiota-http-go"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	"github.com/microsoftgraph/msgraph-sdk-go/directory"
	"github.com/microsoftgraph/msgraph-sdk-go/identity"
)

// Options configures a Client.
type Options struct {
	// Endpoint is the Graph root without version, e.g. "https://graph.microsoft.com" or "http://127.0.0.1:8080".
	// The client calls Endpoint + "/v1.0/...". Plain http is accepted only for loopback hosts.
	Endpoint string
	// Credential supplies bearer tokens for Scopes. Tokens are sent only to Endpoint's scheme, host and port.
	Credential azcore.TokenCredential
	// Scopes default to Endpoint + "/.default".
	Scopes []string
	// UserAgent is sent on every request, e.g. "terraform-provider-entracert/1.2.3".
	UserAgent string
	// HTTPClient is the base client (optional). Its Transport carries the requests; its Timeout and
	// CheckRedirect are not used, because retries and redirects happen inside the transport.
	HTTPClient *http.Client
	// Clock drives retry back-off waits and the read cache's expiry (optional; real time by default).
	Clock clock.Clock
	// ReadCacheTTL is how long an answer also answers later cached reads (GetAPIConnectorCached, GetPKICached) of
	// the same object (0: the client's life, see cache.go; negative: no cache, though concurrent cached reads still
	// share one request).
	ReadCacheTTL time.Duration
	// MaxRetries bounds the retries of one GET, PATCH or DELETE (0: 10; negative: none). The request context's
	// deadline bounds them as well.
	MaxRetries int
}

// Client is safe for concurrent use.
type Client struct {
	adapter    *khttp.NetHttpRequestAdapter
	clock      clock.Clock
	userAgent  string
	maxRetries int
	basePath   string // URL path of Endpoint + "/v1.0", to log and report paths below it

	connectorReads *readCache[*APIConnector]
	pkiReads       *readCache[*PKI]
	caListReads    *readCache[[]CertificateAuthority] // by lower-case PKI ID
	caJoins        caJoiner                           // CA writes of one PKI that share $batch requests
	connectorLists *readCache[[]APIConnector]         // ListAPIConnectorsShared
	pkiLists       *readCache[[]PKI]                  // ListPKIsShared
}

// New builds a client.
func New(opts Options) (*Client, error) {
	if opts.Credential == nil {
		return nil, errors.New("graph: no credential")
	}
	root, err := CheckEndpoint(opts.Endpoint)
	if err != nil {
		return nil, fmt.Errorf("graph: the endpoint is not usable: %w", err)
	}
	u, err := url.Parse(root)
	if err != nil {
		return nil, fmt.Errorf("graph: the endpoint is not usable: %w", err)
	}
	scopes := opts.Scopes
	if len(scopes) == 0 {
		scopes = []string{u.Scheme + "://" + u.Host + "/.default"}
	}
	c := &Client{
		clock:      opts.Clock,
		userAgent:  opts.UserAgent,
		maxRetries: opts.MaxRetries,
		basePath:   u.Path + "/v1.0",
	}
	if c.clock == nil {
		c.clock = clock.Real{}
	}
	if c.userAgent == "" {
		c.userAgent = "terraform-provider-entracert"
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = defaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	ttl := opts.ReadCacheTTL
	c.connectorReads = newReadCache(ttl, c.clock, cloneAPIConnector)
	c.pkiReads = newReadCache(ttl, c.clock, clonePKI)
	c.caListReads = newReadCache(ttl, c.clock, slices.Clone[[]CertificateAuthority])
	c.connectorLists = newReadCache(ttl, c.clock, cloneAPIConnectors)
	c.pkiLists = newReadCache(ttl, c.clock, clonePKIs)

	var parent http.RoundTripper
	if opts.HTTPClient != nil {
		parent = opts.HTTPClient.Transport
	}
	httpClient := &http.Client{
		Transport: khttp.NewCustomTransportWithParentTransport(parent, middlewares(c)...),
		// The redirect middleware follows redirects (and drops Authorization across hosts).
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	auth := &bearerAuth{cred: opts.Credential, scopes: scopes, allowed: keyOf(u)}
	adapter, err := khttp.NewNetHttpRequestAdapterWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		auth, jsonserialization.NewJsonParseNodeFactory(), jsonserialization.NewJsonSerializationWriterFactory(), httpClient)
	if err != nil {
		return nil, fmt.Errorf("graph: building the request adapter: %w", err)
	}
	adapter.SetBaseUrl(u.String() + "/v1.0")
	c.adapter = adapter
	return c, nil
}

// The request builders are made from the adapter directly rather than through GraphServiceClient, which would
// compile and link every area of the SDK.
func (c *Client) apiConnectors() *identity.ApiConnectorsRequestBuilder {
	return identity.NewApiConnectorsRequestBuilderInternal(map[string]string{}, c.adapter)
}

func (c *Client) pkis() *directory.PublicKeyInfrastructureCertificateBasedAuthConfigurationsRequestBuilder {
	return directory.NewPublicKeyInfrastructureCertificateBasedAuthConfigurationsRequestBuilderInternal(map[string]string{}, c.adapter)
}

// call runs one SDK request and translates its error into *Error (or an outcome-unknown error).
func call[T any](ctx context.Context, method, path string, do func(context.Context) (T, error)) (T, error) {
	ctx, ci := withCallInfo(ctx)
	v, err := do(ctx)
	if err != nil {
		var zero T
		return zero, translate(err, method, path, ci)
	}
	return v, nil
}

// maxPages stops a list that keeps handing out nextLinks.
const maxPages = 1000

func errEmptyAnswer(method, path string) error {
	return fmt.Errorf("graph: %s %s: Graph answered without a body", method, path)
}

func errTooManyPages(path string) error {
	return fmt.Errorf("graph: GET %s: more than %d pages of results", path, maxPages)
}

func errEmptyID(what string) error { return fmt.Errorf("graph: the %s id is empty", what) }

// odataString quotes s as an OData string literal.
func odataString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func unixUTC(p *int64) time.Time {
	if p == nil {
		return time.Time{}
	}
	return time.Unix(*p, 0).UTC()
}

func timeUTC(p *time.Time) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.UTC()
}
