package graph

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/identity"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

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
	// AuthenticationType is AuthenticationBasic, AuthenticationCertificate, or "" when the connector has no
	// authenticationConfiguration at all. Any other configuration type is an error of the read, never "".
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
	const path = "/identity/apiConnectors"
	cfg := &identity.ApiConnectorsRequestBuilderGetRequestConfiguration{}
	if displayName != "" {
		filter := "displayName eq " + odataString(displayName)
		cfg.QueryParameters = &identity.ApiConnectorsRequestBuilderGetQueryParameters{Filter: &filter}
	}
	var out []APIConnector
	next := ""
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, errTooManyPages(path)
		}
		resp, err := call(ctx, http.MethodGet, path, func(ctx context.Context) (models.IdentityApiConnectorCollectionResponseable, error) {
			if next != "" {
				return c.apiConnectors().WithUrl(next).Get(ctx, nil)
			}
			return c.apiConnectors().Get(ctx, cfg)
		})
		if err != nil {
			return nil, err
		}
		if resp == nil {
			return nil, errEmptyAnswer(http.MethodGet, path)
		}
		for _, m := range resp.GetValue() {
			a, err := toAPIConnector(m, http.MethodGet, path)
			if err != nil {
				return nil, err
			}
			// Graph's eq may match other letter cases; callers asked for this exact name.
			if displayName == "" || a.DisplayName == displayName {
				out = append(out, *a)
			}
		}
		link := deref(resp.GetOdataNextLink())
		if link == "" || link == next {
			return out, nil
		}
		next = link
	}
}

// GetAPIConnector reads one connector as Graph holds it after the call began: always a request of its own.
// Waits and read-after-write checks use it.
func (c *Client) GetAPIConnector(ctx context.Context, id string) (*APIConnector, error) {
	return c.getAPIConnector(ctx, id, true)
}

// GetAPIConnectorCached reads one connector, or answers from this client's read cache: concurrent readers share
// one request, and later readers get its answer (or the answer of this client's last write) for ReadCacheTTL.
// Refreshes use it, so many certificates of one connector cost one GET.
func (c *Client) GetAPIConnectorCached(ctx context.Context, id string) (*APIConnector, error) {
	return c.getAPIConnector(ctx, id, false)
}

func (c *Client) getAPIConnector(ctx context.Context, id string, fresh bool) (*APIConnector, error) {
	if id == "" {
		return nil, errEmptyID("API connector")
	}
	return c.connectorReads.get(ctx, id, fresh, func(ctx context.Context) (*APIConnector, error) {
		path := connectorPath(id)
		m, err := call(ctx, http.MethodGet, path, func(ctx context.Context) (models.IdentityApiConnectorable, error) {
			return c.apiConnectors().ByIdentityApiConnectorId(id).Get(ctx, nil)
		})
		if err != nil {
			return nil, err
		}
		if m == nil {
			return nil, errEmptyAnswer(http.MethodGet, path)
		}
		return toAPIConnector(m, http.MethodGet, path)
	})
}

// APIConnectorVisibleWindow bounds how long a connector that answers 404 is looked for again before the 404 is
// believed: a connector created elsewhere moments ago may not have reached every replica yet (Entra's replication
// window). Short, because the one who waits is a plan whose ID is usually simply wrong.
const APIConnectorVisibleWindow = 30 * time.Second

// WaitForAPIConnector reads the connector fresh until it answers, tolerating 404 until `until` (clock time). A 404
// that lasts past until is returned as it is (IsNotFound); other errors end the wait at once, transient ones
// (throttling, 5xx) are waited out as in Wait.
func (c *Client) WaitForAPIConnector(ctx context.Context, id string, until time.Time) (*APIConnector, error) {
	a, _, err := WaitFound(ctx, c.clock, WaitOptions{What: "API connector " + id + " to become visible", Deadline: until,
		LogFields: map[string]any{"api_connector_id": id}}, notFoundIsAbsent(func(ctx context.Context) (*APIConnector, error) {
		return c.GetAPIConnector(ctx, id)
	}))
	return a, err
}

// CreateAPIConnector POSTs a new connector with basic authentication (never re-sent by middleware).
func (c *Client) CreateAPIConnector(ctx context.Context, in NewAPIConnector) (*APIConnector, error) {
	const path = "/identity/apiConnectors"
	body := models.NewIdentityApiConnector()
	body.SetDisplayName(&in.DisplayName)
	body.SetTargetUrl(&in.TargetURL)
	body.SetAuthenticationConfiguration(basicAuthentication(in.Username, in.Password))
	c.connectorReads.invalidate(newObjectKey) // lists from before the new connector are stale (ListAPIConnectorsShared)
	defer c.connectorReads.invalidate(newObjectKey)
	m, err := call(ctx, http.MethodPost, path, func(ctx context.Context) (models.IdentityApiConnectorable, error) {
		return c.apiConnectors().Post(ctx, body, nil)
	})
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errEmptyAnswer(http.MethodPost, path)
	}
	return toAPIConnector(m, http.MethodPost, path)
}

// SetAPIConnectorBasicAuthentication PATCHes the connector to basic authentication, which removes every certificate.
func (c *Client) SetAPIConnectorBasicAuthentication(ctx context.Context, id, username, password string) error {
	if id == "" {
		return errEmptyID("API connector")
	}
	body := models.NewIdentityApiConnector()
	body.SetAuthenticationConfiguration(basicAuthentication(username, password))
	c.connectorReads.invalidate(id)
	defer c.connectorReads.invalidate(id)
	_, err := call(ctx, http.MethodPatch, connectorPath(id), func(ctx context.Context) (models.IdentityApiConnectorable, error) {
		return c.apiConnectors().ByIdentityApiConnectorId(id).Patch(ctx, body, nil)
	})
	return err
}

func (c *Client) DeleteAPIConnector(ctx context.Context, id string) error {
	if id == "" {
		return errEmptyID("API connector")
	}
	c.connectorReads.invalidate(id)
	defer c.connectorReads.invalidate(id)
	_, err := call(ctx, http.MethodDelete, connectorPath(id), func(ctx context.Context) (struct{}, error) {
		return struct{}{}, c.apiConnectors().ByIdentityApiConnectorId(id).Delete(ctx, nil)
	})
	return err
}

// UploadClientCertificate POSTs uploadClientCertificate once (never re-sent by middleware).
// The password is always sent, "" when the PFX has none (Graph requires the field).
func (c *Client) UploadClientCertificate(ctx context.Context, id, pkcs12Base64, password string) (*APIConnector, error) {
	if id == "" {
		return nil, errEmptyID("API connector")
	}
	path := connectorPath(id) + "/uploadClientCertificate"
	body := identity.NewApiConnectorsItemUploadClientCertificatePostRequestBody()
	body.SetPkcs12Value(&pkcs12Base64)
	body.SetPassword(&password)
	// Graph answers with the whole connector as the upload left it: that answer becomes the cached state, so the
	// next upload's look at the certificate list (serialized per connector) costs no request, and cached reads made
	// while the upload runs wait for it rather than asking Graph. Any failure invalidates.
	finish := c.connectorReads.beginWrite(id)
	m, err := call(ctx, http.MethodPost, path, func(ctx context.Context) (models.IdentityApiConnectorable, error) {
		return c.apiConnectors().ByIdentityApiConnectorId(id).UploadClientCertificate().Post(ctx, body, nil)
	})
	if err == nil && m == nil {
		err = errEmptyAnswer(http.MethodPost, path)
	}
	var conn *APIConnector
	if err == nil {
		conn, err = toAPIConnector(m, http.MethodPost, path)
	}
	if err != nil {
		finish(nil, false)
		return nil, err
	}
	finish(conn, true)
	return conn, nil
}

// SetAPIConnectorCertificateAuthentication PATCHes the connector's authenticationConfiguration to a
// #microsoft.graph.pkcs12Certificate with this PFX: Graph's documented way to move a connector from basic
// authentication to a client certificate. It replaces the whole configuration (basic credentials included).
// The password is always sent, "" when the PFX has none.
func (c *Client) SetAPIConnectorCertificateAuthentication(ctx context.Context, id, pkcs12Base64, password string) error {
	if id == "" {
		return errEmptyID("API connector")
	}
	cert := models.NewPkcs12Certificate() // sets @odata.type #microsoft.graph.pkcs12Certificate
	cert.SetPkcs12Value(&pkcs12Base64)
	cert.SetPassword(&password)
	body := models.NewIdentityApiConnector()
	body.SetAuthenticationConfiguration(cert)
	c.connectorReads.invalidate(id)
	defer c.connectorReads.invalidate(id)
	_, err := call(ctx, http.MethodPatch, connectorPath(id), func(ctx context.Context) (models.IdentityApiConnectorable, error) {
		return c.apiConnectors().ByIdentityApiConnectorId(id).Patch(ctx, body, nil)
	})
	return err
}

func connectorPath(id string) string { return "/identity/apiConnectors/" + id }

func basicAuthentication(username, password string) *models.BasicAuthentication {
	b := models.NewBasicAuthentication() // sets @odata.type #microsoft.graph.basicAuthentication
	b.SetUsername(&username)
	b.SetPassword(&password)
	return b
}

// UnexpectedAnswerError is an answer that parsed but cannot be what Graph documents (no id, an authentication
// type this provider does not know): reading it as "nothing there" would drop objects from state.
type UnexpectedAnswerError struct {
	Method, Path, Problem string
}

func (e *UnexpectedAnswerError) Error() string {
	return fmt.Sprintf("graph: %s %s: unexpected answer: %s", e.Method, e.Path, e.Problem)
}

func toAPIConnector(m models.IdentityApiConnectorable, method, path string) (*APIConnector, error) {
	a := &APIConnector{
		ID:          deref(m.GetId()),
		DisplayName: deref(m.GetDisplayName()),
		TargetURL:   deref(m.GetTargetUrl()),
	}
	if a.ID == "" {
		return nil, &UnexpectedAnswerError{Method: method, Path: path, Problem: "an API connector without id"}
	}
	// The SDK picks the concrete type from @odata.type, and falls back to the base type for one it does not know.
	switch cfg := m.GetAuthenticationConfiguration().(type) {
	case nil:
		// No configuration at all: nothing to report.
	case *models.BasicAuthentication:
		a.AuthenticationType = AuthenticationBasic
		a.BasicUsername = deref(cfg.GetUsername())
	case *models.ClientCertificateAuthentication:
		a.AuthenticationType = AuthenticationCertificate
		a.Certificates = certificateList(cfg.GetCertificateList())
	default:
		return nil, &UnexpectedAnswerError{Method: method, Path: path, Problem: fmt.Sprintf(
			"API connector %s has an authenticationConfiguration of type %q, which this provider does not know",
			a.ID, authenticationTypeName(cfg))}
	}
	return a, nil
}

// authenticationTypeName is the @odata.type Graph sent for an authentication configuration.
func authenticationTypeName(cfg models.ApiAuthenticationConfigurationBaseable) string {
	if t := deref(cfg.GetOdataType()); t != "" {
		return t
	}
	return fmt.Sprintf("%T", cfg)
}

// certificateList converts Graph's certificateList. A thumbprint listed twice is one certificate: the active
// entry wins (Graph uses it), else the first.
func certificateList(list []models.Pkcs12CertificateInformationable) []ClientCertificateInfo {
	var out []ClientCertificateInfo
	index := map[string]int{}
	for _, ci := range list {
		if ci == nil {
			continue
		}
		info := ClientCertificateInfo{
			Thumbprint: strings.ToUpper(deref(ci.GetThumbprint())),
			NotBefore:  unixUTC(ci.GetNotBefore()),
			NotAfter:   unixUTC(ci.GetNotAfter()),
			IsActive:   deref(ci.GetIsActive()),
		}
		if i, seen := index[info.Thumbprint]; seen {
			if info.IsActive && !out[i].IsActive {
				out[i] = info
			}
			continue
		}
		index[info.Thumbprint] = len(out)
		out = append(out, info)
	}
	return out
}

func cloneAPIConnector(a *APIConnector) *APIConnector {
	if a == nil {
		return nil
	}
	b := *a
	if a.Certificates != nil {
		b.Certificates = append([]ClientCertificateInfo(nil), a.Certificates...)
	}
	return &b
}
