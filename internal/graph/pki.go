package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/directory"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

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
func (c *Client) ListPKIs(ctx context.Context, displayName string) ([]PKI, error) {
	const path = pkiPrefix
	cfg := &directory.PublicKeyInfrastructureCertificateBasedAuthConfigurationsRequestBuilderGetRequestConfiguration{}
	if displayName != "" {
		filter := "displayName eq " + odataString(displayName)
		cfg.QueryParameters = &directory.PublicKeyInfrastructureCertificateBasedAuthConfigurationsRequestBuilderGetQueryParameters{Filter: &filter}
	}
	var out []PKI
	next := ""
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, errTooManyPages(path)
		}
		resp, err := call(ctx, http.MethodGet, path, func(ctx context.Context) (models.CertificateBasedAuthPkiCollectionResponseable, error) {
			if next != "" {
				return c.pkis().WithUrl(next).Get(ctx, nil)
			}
			return c.pkis().Get(ctx, cfg)
		})
		if err != nil {
			return nil, err
		}
		if resp == nil {
			return nil, errEmptyAnswer(http.MethodGet, path)
		}
		for _, m := range resp.GetValue() {
			p := toPKI(m)
			if displayName == "" || p.DisplayName == displayName {
				out = append(out, *p)
			}
		}
		link := deref(resp.GetOdataNextLink())
		if link == "" || link == next {
			return out, nil
		}
		next = link
	}
}

// GetPKI reads one PKI as Graph holds it after the call began: always a request of its own (pollers use it).
func (c *Client) GetPKI(ctx context.Context, id string) (*PKI, error) { return c.getPKI(ctx, id, true) }

// GetPKICached reads one PKI or answers from this client's read cache (see GetAPIConnectorCached).
func (c *Client) GetPKICached(ctx context.Context, id string) (*PKI, error) {
	return c.getPKI(ctx, id, false)
}

func (c *Client) getPKI(ctx context.Context, id string, fresh bool) (*PKI, error) {
	if id == "" {
		return nil, errEmptyID("PKI")
	}
	return c.pkiReads.get(ctx, id, fresh, func(ctx context.Context) (*PKI, error) {
		path := pkiPath(id)
		m, err := call(ctx, http.MethodGet, path, func(ctx context.Context) (models.CertificateBasedAuthPkiable, error) {
			return c.pkis().ByCertificateBasedAuthPkiId(id).Get(ctx, nil)
		})
		if err != nil {
			return nil, err
		}
		if m == nil {
			return nil, errEmptyAnswer(http.MethodGet, path)
		}
		return toPKI(m), nil
	})
}

// CreatePKI POSTs a new PKI (never re-sent by middleware).
func (c *Client) CreatePKI(ctx context.Context, displayName string) (*PKI, error) {
	body := models.NewCertificateBasedAuthPki()
	body.SetDisplayName(&displayName)
	m, err := call(ctx, http.MethodPost, pkiPrefix, func(ctx context.Context) (models.CertificateBasedAuthPkiable, error) {
		return c.pkis().Post(ctx, body, nil)
	})
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errEmptyAnswer(http.MethodPost, pkiPrefix)
	}
	return toPKI(m), nil
}

func (c *Client) UpdatePKI(ctx context.Context, id, displayName string) error {
	if id == "" {
		return errEmptyID("PKI")
	}
	body := models.NewCertificateBasedAuthPki()
	body.SetDisplayName(&displayName)
	c.pkiReads.invalidate(id)
	defer c.pkiReads.invalidate(id)
	_, err := call(ctx, http.MethodPatch, pkiPath(id), func(ctx context.Context) (models.CertificateBasedAuthPkiable, error) {
		return c.pkis().ByCertificateBasedAuthPkiId(id).Patch(ctx, body, nil)
	})
	return err
}

func (c *Client) DeletePKI(ctx context.Context, id string) error {
	if id == "" {
		return errEmptyID("PKI")
	}
	c.pkiReads.invalidate(id)
	defer c.pkiReads.invalidate(id)
	_, err := call(ctx, http.MethodDelete, pkiPath(id), func(ctx context.Context) (struct{}, error) {
		return struct{}{}, c.pkis().ByCertificateBasedAuthPkiId(id).Delete(ctx, nil)
	})
	return err
}

// UploadPKI POSTs the asynchronous upload once (never re-sent by middleware).
func (c *Client) UploadPKI(ctx context.Context, id, uploadURL, sha256FileHash string) error {
	if id == "" {
		return errEmptyID("PKI")
	}
	body := directory.NewPublicKeyInfrastructureCertificateBasedAuthConfigurationsItemUploadPostRequestBody()
	body.SetUploadUrl(&uploadURL)
	body.SetSha256FileHash(&sha256FileHash)
	c.pkiReads.invalidate(id)
	defer c.pkiReads.invalidate(id)
	_, err := call(ctx, http.MethodPost, pkiPath(id)+"/upload", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, c.pkis().ByCertificateBasedAuthPkiId(id).Upload().Post(ctx, body, nil)
	})
	return err
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
	if pkiID == "" {
		return nil, errEmptyID("PKI")
	}
	path := pkiPath(pkiID) + "/certificateAuthorities"
	var out []CertificateAuthority
	next := ""
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, errTooManyPages(path)
		}
		resp, err := call(ctx, http.MethodGet, path, func(ctx context.Context) (models.CertificateAuthorityDetailCollectionResponseable, error) {
			cas := c.pkis().ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities()
			if next != "" {
				return cas.WithUrl(next).Get(ctx, nil)
			}
			return cas.Get(ctx, nil)
		})
		if err != nil {
			return nil, err
		}
		if resp == nil {
			return nil, errEmptyAnswer(http.MethodGet, path)
		}
		for _, m := range resp.GetValue() {
			out = append(out, *toCertificateAuthority(m))
		}
		link := deref(resp.GetOdataNextLink())
		if link == "" || link == next {
			return out, nil
		}
		next = link
	}
}

func (c *Client) GetCertificateAuthority(ctx context.Context, pkiID, caID string) (*CertificateAuthority, error) {
	if pkiID == "" || caID == "" {
		return nil, errEmptyID("PKI or certificate authority")
	}
	path := caPath(pkiID, caID)
	m, err := call(ctx, http.MethodGet, path, func(ctx context.Context) (models.CertificateAuthorityDetailable, error) {
		return c.pkis().ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().ByCertificateAuthorityDetailId(caID).Get(ctx, nil)
	})
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errEmptyAnswer(http.MethodGet, path)
	}
	return toCertificateAuthority(m), nil
}

// CreateCertificateAuthority adds one CA directly (not through a .p7b upload).
// It POSTs certificate (base64 DER) and certificateAuthorityType, never re-sent by middleware.
func (c *Client) CreateCertificateAuthority(ctx context.Context, pkiID string, der []byte, isRoot bool) (*CertificateAuthority, error) {
	if pkiID == "" {
		return nil, errEmptyID("PKI")
	}
	path := pkiPath(pkiID) + "/certificateAuthorities"
	body := models.NewCertificateAuthorityDetail()
	body.SetCertificate(der)
	kind := models.INTERMEDIATE_CERTIFICATEAUTHORITYTYPE
	if isRoot {
		kind = models.ROOT_CERTIFICATEAUTHORITYTYPE
	}
	body.SetCertificateAuthorityType(&kind)
	c.pkiReads.invalidate(pkiID)
	defer c.pkiReads.invalidate(pkiID)
	m, err := call(ctx, http.MethodPost, path, func(ctx context.Context) (models.CertificateAuthorityDetailable, error) {
		return c.pkis().ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().Post(ctx, body, nil)
	})
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errEmptyAnswer(http.MethodPost, path)
	}
	return toCertificateAuthority(m), nil
}

func (c *Client) DeleteCertificateAuthority(ctx context.Context, pkiID, caID string) error {
	if pkiID == "" || caID == "" {
		return errEmptyID("PKI or certificate authority")
	}
	c.pkiReads.invalidate(pkiID)
	defer c.pkiReads.invalidate(pkiID)
	_, err := call(ctx, http.MethodDelete, caPath(pkiID, caID), func(ctx context.Context) (struct{}, error) {
		return struct{}{}, c.pkis().ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().ByCertificateAuthorityDetailId(caID).Delete(ctx, nil)
	})
	return err
}

const pkiPrefix = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"

func pkiPath(id string) string { return pkiPrefix + "/" + id }

func caPath(pkiID, caID string) string { return pkiPath(pkiID) + "/certificateAuthorities/" + caID }

func toPKI(m models.CertificateBasedAuthPkiable) *PKI {
	return &PKI{
		ID:                   deref(m.GetId()),
		DisplayName:          deref(m.GetDisplayName()),
		Status:               deref(m.GetStatus()),
		StatusDetails:        deref(m.GetStatusDetails()),
		LastModifiedDateTime: timeUTC(m.GetLastModifiedDateTime()),
	}
}

func clonePKI(p *PKI) *PKI {
	if p == nil {
		return nil
	}
	q := *p
	return &q
}

func toCertificateAuthority(m models.CertificateAuthorityDetailable) *CertificateAuthority {
	ca := &CertificateAuthority{
		ID:                           deref(m.GetId()),
		Thumbprint:                   deref(m.GetThumbprint()),
		DisplayName:                  deref(m.GetDisplayName()),
		Issuer:                       deref(m.GetIssuer()),
		IssuerSubjectKeyIdentifier:   deref(m.GetIssuerSubjectKeyIdentifier()),
		CertificateRevocationListURL: deref(m.GetCertificateRevocationListUrl()),
		ExpirationDateTime:           timeUTC(m.GetExpirationDateTime()),
		Certificate:                  m.GetCertificate(),
	}
	if t := m.GetCertificateAuthorityType(); t != nil {
		ca.Type = t.String()
	}
	return ca
}
