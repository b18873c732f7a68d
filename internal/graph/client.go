// Package graph is the only place that talks to Microsoft Graph. It wraps msgraph-sdk-go with typed
// calls, this provider's retry policy, error translation and request coalescing. It knows nothing of Terraform.
package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/entracert/terraform-provider-entracert/internal/clock"
)

// Options configures a Client.
type Options struct {
	// Endpoint is the Graph root without version, e.g. "https://graph.microsoft.com" or "http://127.0.0.1:8080".
	// The client calls Endpoint + "/v1.0/...".
	Endpoint string
	// Credential supplies bearer tokens for Scopes.
	Credential azcore.TokenCredential
	Scopes     []string
	// UserAgent is sent on every request, e.g. "terraform-provider-entracert/1.2.3".
	UserAgent string
	// HTTPClient is the base client (optional).
	HTTPClient *http.Client
	// Clock drives retry back-off waits (optional; real time by default).
	Clock clock.Clock
}

// Client is safe for concurrent use.
type Client struct{}

// New builds a client.
func New(opts Options) (*Client, error) { panic("TODO") }

// Error is every non-2xx answer from Graph.
type Error struct {
	StatusCode int
	Code       string
	Message    string
	RequestID  string
	Method     string
	Path       string // path below /v1.0, without query
}

func (e *Error) Error() string { panic("TODO") }

// IsNotFound reports whether err is a Graph 404.
func IsNotFound(err error) bool { panic("TODO") }

// IsOutcomeUnknown reports whether a write may or may not have taken effect: the request was sent but the
// connection failed before an answer, or Graph answered 5xx. Callers read before deciding to retry.
func IsOutcomeUnknown(err error) bool { panic("TODO") }

// Authentication types of an API connector.
const (
	AuthenticationBasic       = "basic"
	AuthenticationCertificate = "certificate"
)

// APIConnector is an Entra External ID / B2C API connector.
type APIConnector struct {
	ID          string
	DisplayName string
	TargetURL   string
	// AuthenticationType is AuthenticationBasic, AuthenticationCertificate, or "" when Graph returns something else.
	AuthenticationType string
	BasicUsername      string
	Certificates       []ClientCertificateInfo
}

// ClientCertificateInfo is one entry of a connector's certificateList.
type ClientCertificateInfo struct {
	Thumbprint string // uppercase hex
	NotBefore  time.Time
	NotAfter   time.Time
	IsActive   bool
}

// NewAPIConnector is the input to CreateAPIConnector (basic authentication).
type NewAPIConnector struct {
	DisplayName, TargetURL, Username, Password string
}

// ListAPIConnectors lists connectors, filtered by exact display name when displayName is not "".
func (c *Client) ListAPIConnectors(ctx context.Context, displayName string) ([]APIConnector, error) {
	panic("TODO")
}

func (c *Client) GetAPIConnector(ctx context.Context, id string) (*APIConnector, error) {
	panic("TODO")
}

func (c *Client) CreateAPIConnector(ctx context.Context, in NewAPIConnector) (*APIConnector, error) {
	panic("TODO")
}

// SetAPIConnectorBasicAuthentication PATCHes the connector to basic authentication, which removes every certificate.
func (c *Client) SetAPIConnectorBasicAuthentication(ctx context.Context, id, username, password string) error {
	panic("TODO")
}

func (c *Client) DeleteAPIConnector(ctx context.Context, id string) error { panic("TODO") }

// UploadClientCertificate POSTs uploadClientCertificate once (never re-sent by middleware).
func (c *Client) UploadClientCertificate(ctx context.Context, id, pkcs12Base64, password string) (*APIConnector, error) {
	panic("TODO")
}

// PKI job states. Any status other than running is final.
const (
	PKIStatusRunning   = "running"
	PKIStatusSucceeded = "succeeded"
)

// PKI is a certificateBasedAuthPki.
type PKI struct {
	ID                   string
	DisplayName          string
	Status               string
	StatusDetails        string
	LastModifiedDateTime time.Time
}

// ListPKIs lists PKIs, filtered by exact display name when displayName is not "".
func (c *Client) ListPKIs(ctx context.Context, displayName string) ([]PKI, error) { panic("TODO") }

func (c *Client) GetPKI(ctx context.Context, id string) (*PKI, error) { panic("TODO") }

func (c *Client) CreatePKI(ctx context.Context, displayName string) (*PKI, error) { panic("TODO") }

func (c *Client) UpdatePKI(ctx context.Context, id, displayName string) error { panic("TODO") }

func (c *Client) DeletePKI(ctx context.Context, id string) error { panic("TODO") }

// UploadPKI POSTs the asynchronous upload once (never re-sent by middleware).
func (c *Client) UploadPKI(ctx context.Context, id, uploadURL, sha256FileHash string) error {
	panic("TODO")
}

// CertificateAuthority is a certificateAuthorityDetail.
type CertificateAuthority struct {
	ID                           string
	Thumbprint                   string
	Type                         string // root, intermediate, unknownFutureValue
	DisplayName                  string
	Issuer                       string
	IssuerSubjectKeyIdentifier   string
	CertificateRevocationListURL string
	ExpirationDateTime           time.Time
	Certificate                  []byte // DER
}

func (c *Client) ListCertificateAuthorities(ctx context.Context, pkiID string) ([]CertificateAuthority, error) {
	panic("TODO")
}

func (c *Client) GetCertificateAuthority(ctx context.Context, pkiID, caID string) (*CertificateAuthority, error) {
	panic("TODO")
}

// CreateCertificateAuthority adds one CA directly (not through a .p7b upload).
func (c *Client) CreateCertificateAuthority(ctx context.Context, pkiID string, der []byte, isRoot bool) (*CertificateAuthority, error) {
	panic("TODO")
}

func (c *Client) DeleteCertificateAuthority(ctx context.Context, pkiID, caID string) error {
	panic("TODO")
}
