package graph

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/directory"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// PKI job states (compare with PKIRunning and PKISucceeded: Graph's strings are matched case-insensitively).
// Any status other than running is final.
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
			p, err := toPKI(m, http.MethodGet, path)
			if err != nil {
				return nil, err
			}
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
		return toPKI(m, http.MethodGet, path)
	})
}

// CreatePKI POSTs a new PKI (never re-sent by middleware).
func (c *Client) CreatePKI(ctx context.Context, displayName string) (*PKI, error) {
	body := models.NewCertificateBasedAuthPki()
	body.SetDisplayName(&displayName)
	c.pkiReads.invalidate(newObjectKey) // lists from before the new PKI are stale (ListPKIsShared)
	defer c.pkiReads.invalidate(newObjectKey)
	m, err := call(ctx, http.MethodPost, pkiPrefix, func(ctx context.Context) (models.CertificateBasedAuthPkiable, error) {
		return c.pkis().Post(ctx, body, nil)
	})
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errEmptyAnswer(http.MethodPost, pkiPrefix)
	}
	return toPKI(m, http.MethodPost, pkiPrefix)
}

func (c *Client) UpdatePKI(ctx context.Context, id, displayName string) error {
	if id == "" {
		return errEmptyID("PKI")
	}
	body := models.NewCertificateBasedAuthPki()
	body.SetDisplayName(&displayName)
	defer c.pkiWrite(id)()
	_, err := call(ctx, http.MethodPatch, pkiPath(id), func(ctx context.Context) (models.CertificateBasedAuthPkiable, error) {
		return c.pkis().ByCertificateBasedAuthPkiId(id).Patch(ctx, body, nil)
	})
	return err
}

func (c *Client) DeletePKI(ctx context.Context, id string) error {
	if id == "" {
		return errEmptyID("PKI")
	}
	defer c.pkiWrite(id)()
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
	defer c.pkiWrite(id)()
	_, err := call(ctx, http.MethodPost, pkiPath(id)+"/upload", func(ctx context.Context) (struct{}, error) {
		return struct{}{}, c.pkis().ByCertificateBasedAuthPkiId(id).Upload().Post(ctx, body, nil)
	})
	return err
}

const pkiPrefix = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"

func pkiPath(id string) string { return pkiPrefix + "/" + id }

func caPath(pkiID, caID string) string { return pkiPath(pkiID) + "/certificateAuthorities/" + caID }

// toPKI translates Graph's answer; one without an id is an error, never an empty PKI whose "" status reads as
// finished.
func toPKI(m models.CertificateBasedAuthPkiable, method, path string) (*PKI, error) {
	if deref(m.GetId()) == "" {
		return nil, fmt.Errorf("graph: %s %s: Graph answered with a PKI that has no id", method, path)
	}
	return &PKI{
		ID:                   deref(m.GetId()),
		DisplayName:          deref(m.GetDisplayName()),
		Status:               deref(m.GetStatus()),
		StatusDetails:        deref(m.GetStatusDetails()),
		LastModifiedDateTime: timeUTC(m.GetLastModifiedDateTime()),
	}, nil
}

func clonePKI(p *PKI) *PKI {
	if p == nil {
		return nil
	}
	q := *p
	return &q
}

// pkiWrite invalidates the cached reads of a PKI and of its CA list before a write to it and, through the func it
// returns, once the write is over: a read that began during the write must not fill the cache with the state before.
func (c *Client) pkiWrite(id string) func() {
	invalidate := func() {
		c.pkiReads.invalidate(id)
		c.caListReads.invalidate(strings.ToLower(id))
	}
	invalidate()
	return invalidate
}
