package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
)

// CertificateAuthority is a certificateAuthorityDetail.
type CertificateAuthority struct {
	ID                                string
	Thumbprint                        string
	Type                              string // root, intermediate, unknownFutureValue
	DisplayName                       string
	Issuer                            string
	IssuerSubjectKeyIdentifier        string
	CertificateRevocationListURL      string
	DeltaCertificateRevocationListURL string
	IsIssuerHintEnabled               bool
	ExpirationDateTime                time.Time
	Certificate                       []byte // DER
}

// NewCertificateAuthority is one CA to add directly (POST .../certificateAuthorities), not through a .p7b upload.
// Certificate, Thumbprint and ExpirationDateTime are required by Graph.
type NewCertificateAuthority struct {
	Certificate        []byte // DER
	Thumbprint         string // uppercase hex SHA-1 of Certificate
	ExpirationDateTime time.Time
	IsRoot             bool
	// Optional; nil leaves Graph's default (the certificate's CRL distribution point, no delta CRL, no hint).
	CertificateRevocationListURL      *string
	DeltaCertificateRevocationListURL *string
	IsIssuerHintEnabled               *bool
	DisplayName                       *string
}

// CertificateAuthoritySettings are the per-CA settings an admin edits after an upload (PATCH); nil leaves one as is.
type CertificateAuthoritySettings struct {
	CertificateRevocationListURL      *string
	DeltaCertificateRevocationListURL *string
	IsIssuerHintEnabled               *bool
	// IsRoot, when set, changes certificateAuthorityType (root or intermediate).
	IsRoot *bool
}

// ListCertificateAuthorities lists a PKI's CAs as Graph holds them after the call began (one request per page;
// waits and write checks use it). The answer also refreshes the read cache of ListCertificateAuthoritiesCached.
func (c *Client) ListCertificateAuthorities(ctx context.Context, pkiID string) ([]CertificateAuthority, error) {
	return c.listCertificateAuthorities(ctx, pkiID, true)
}

// ListCertificateAuthoritiesCached lists a PKI's CAs, or answers from this client's read cache: the plans and
// refreshes of every CA resource of one PKI share one list read per operation (one request per page), as connector
// reads do. This client's own writes to the PKI or its CAs invalidate it.
func (c *Client) ListCertificateAuthoritiesCached(ctx context.Context, pkiID string) ([]CertificateAuthority, error) {
	return c.listCertificateAuthorities(ctx, pkiID, false)
}

func (c *Client) listCertificateAuthorities(ctx context.Context, pkiID string, fresh bool) ([]CertificateAuthority, error) {
	if pkiID == "" {
		return nil, errEmptyID("PKI")
	}
	return c.caListReads.get(ctx, strings.ToLower(pkiID), fresh, func(ctx context.Context) ([]CertificateAuthority, error) {
		return c.fetchCertificateAuthorities(ctx, pkiID)
	})
}

func (c *Client) fetchCertificateAuthorities(ctx context.Context, pkiID string) ([]CertificateAuthority, error) {
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

// CreateCertificateAuthority adds one CA directly. A 429 is re-sent after Retry-After by the transport; a lost
// answer is not (IsOutcomeUnknown): the caller lists the CAs before adding it again.
func (c *Client) CreateCertificateAuthority(ctx context.Context, pkiID string, in NewCertificateAuthority) (ca *CertificateAuthority, err error) {
	if pkiID == "" {
		return nil, errEmptyID("PKI")
	}
	path := pkiPath(pkiID) + "/certificateAuthorities"
	body := newCertificateAuthorityBody(in)
	written := c.caListWrite(pkiID)
	defer func() { written(err == nil, addedCAs(ca)) }()
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

func newCertificateAuthorityBody(in NewCertificateAuthority) *models.CertificateAuthorityDetail {
	body := models.NewCertificateAuthorityDetail()
	body.SetCertificate(in.Certificate)
	thumb := strings.ToUpper(in.Thumbprint)
	body.SetThumbprint(&thumb)
	exp := in.ExpirationDateTime.UTC()
	body.SetExpirationDateTime(&exp)
	kind := models.INTERMEDIATE_CERTIFICATEAUTHORITYTYPE
	if in.IsRoot {
		kind = models.ROOT_CERTIFICATEAUTHORITYTYPE
	}
	body.SetCertificateAuthorityType(&kind)
	body.SetCertificateRevocationListUrl(in.CertificateRevocationListURL)
	body.SetDeltaCertificateRevocationListUrl(in.DeltaCertificateRevocationListURL)
	body.SetIsIssuerHintEnabled(in.IsIssuerHintEnabled)
	body.SetDisplayName(in.DisplayName)
	return body
}

// UpdateCertificateAuthority PATCHes a CA's settings and returns it as Graph answered.
func (c *Client) UpdateCertificateAuthority(ctx context.Context, pkiID, caID string, in CertificateAuthoritySettings) (ca *CertificateAuthority, err error) {
	if pkiID == "" || caID == "" {
		return nil, errEmptyID("PKI or certificate authority")
	}
	body := models.NewCertificateAuthorityDetail()
	body.SetCertificateRevocationListUrl(in.CertificateRevocationListURL)
	body.SetDeltaCertificateRevocationListUrl(in.DeltaCertificateRevocationListURL)
	body.SetIsIssuerHintEnabled(in.IsIssuerHintEnabled)
	if in.IsRoot != nil {
		kind := models.INTERMEDIATE_CERTIFICATEAUTHORITYTYPE
		if *in.IsRoot {
			kind = models.ROOT_CERTIFICATEAUTHORITYTYPE
		}
		body.SetCertificateAuthorityType(&kind)
	}
	path := caPath(pkiID, caID)
	written := c.caListWrite(pkiID)
	defer func() { written(err == nil, replacedCA(ca)) }()
	m, err := call(ctx, http.MethodPatch, path, func(ctx context.Context) (models.CertificateAuthorityDetailable, error) {
		return c.pkis().ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().ByCertificateAuthorityDetailId(caID).Patch(ctx, body, nil)
	})
	if err != nil {
		return nil, err
	}
	if m == nil {
		// Graph documents 200 with the object; an empty 204 is read back.
		return c.GetCertificateAuthority(ctx, pkiID, caID)
	}
	return toCertificateAuthority(m), nil
}

func (c *Client) DeleteCertificateAuthority(ctx context.Context, pkiID, caID string) (err error) {
	if pkiID == "" || caID == "" {
		return errEmptyID("PKI or certificate authority")
	}
	written := c.caListWrite(pkiID)
	defer func() { written(err == nil || IsNotFound(err), removedCAs(caID)) }()
	_, err = call(ctx, http.MethodDelete, caPath(pkiID, caID), func(ctx context.Context) (struct{}, error) {
		return struct{}{}, c.pkis().ByCertificateBasedAuthPkiId(pkiID).CertificateAuthorities().ByCertificateAuthorityDetailId(caID).Delete(ctx, nil)
	})
	return err
}

// CACreateResult is the outcome of one CA of CreateCertificateAuthorities: CA on success, else Err.
type CACreateResult struct {
	CA  *CertificateAuthority
	Err error
}

// CreateCertificateAuthorities adds many CAs and reports each outcome in the order given. More than one CA goes
// through JSON batching (20 per $batch request): an item answered 429 is sent again after its retry-after; an item
// whose outcome is unknown (5xx, or the whole batch's answer lost) reports IsOutcomeUnknown, and the caller lists
// the PKI's CAs before adding it again.
func (c *Client) CreateCertificateAuthorities(ctx context.Context, pkiID string, in []NewCertificateAuthority) []CACreateResult {
	out := make([]CACreateResult, len(in))
	if len(in) <= 1 || pkiID == "" {
		for i, ca := range in {
			out[i].CA, out[i].Err = c.CreateCertificateAuthority(ctx, pkiID, ca)
		}
		return out
	}
	path := pkiPath(pkiID) + "/certificateAuthorities"
	items := make([]batchItem, len(in))
	for i, ca := range in {
		items[i] = batchItem{Method: http.MethodPost, URL: path, Body: newCertificateAuthorityJSON(ca)}
	}
	written := c.caListWrite(pkiID)
	defer func() {
		var made []*CertificateAuthority
		for _, r := range out {
			if r.Err != nil {
				written(false, nil)
				return
			}
			made = append(made, r.CA)
		}
		written(true, addedCAs(made...))
	}()
	for i, o := range c.runBatch(ctx, items) {
		if o.Err != nil {
			out[i].Err = o.Err
			continue
		}
		var m caJSON
		if err := json.Unmarshal(o.Body, &m); err != nil {
			out[i].Err = &outcomeUnknownError{Method: http.MethodPost, Path: path, err: fmt.Errorf("unreadable answer in the batch: %w", err)}
			continue
		}
		if m.ID == "" {
			out[i].Err = &outcomeUnknownError{Method: http.MethodPost, Path: path, err: errors.New("the batch answer has no CA id")}
			continue
		}
		out[i].CA = m.toCertificateAuthority()
	}
	return out
}

// DeleteCertificateAuthorities deletes many CAs and returns each outcome (nil: deleted or already gone) by index.
// More than one CA goes through JSON batching, like CreateCertificateAuthorities.
func (c *Client) DeleteCertificateAuthorities(ctx context.Context, pkiID string, caIDs []string) []error {
	out := make([]error, len(caIDs))
	if len(caIDs) <= 1 || pkiID == "" {
		for i, id := range caIDs {
			if err := c.DeleteCertificateAuthority(ctx, pkiID, id); err != nil && !IsNotFound(err) {
				out[i] = err
			}
		}
		return out
	}
	items := make([]batchItem, len(caIDs))
	for i, id := range caIDs {
		if id == "" {
			out[i] = errEmptyID("certificate authority")
		}
		items[i] = batchItem{Method: http.MethodDelete, URL: caPath(pkiID, id)}
	}
	written := c.caListWrite(pkiID)
	defer func() {
		for _, err := range out {
			if err != nil {
				written(false, nil)
				return
			}
		}
		written(true, removedCAs(caIDs...))
	}()
	// A DELETE is idempotent: an item whose answer was lost (alone or with its whole batch) is sent again, as the
	// transport re-sends a single DELETE; a 404 then means it is gone.
	pending := make([]int, 0, len(items))
	for i := range items {
		if out[i] == nil {
			pending = append(pending, i)
		}
	}
	for round := 0; len(pending) > 0; round++ {
		batch := make([]batchItem, len(pending))
		for k, i := range pending {
			batch[k] = items[i]
		}
		var again []int
		for k, o := range c.runBatch(ctx, batch) {
			i := pending[k]
			switch {
			case o.Err == nil || IsNotFound(o.Err):
				out[i] = nil
			case IsOutcomeUnknown(o.Err) && round < maxDeleteResends && ctx.Err() == nil:
				again = append(again, i)
			default:
				out[i] = o.Err
			}
		}
		pending = again
	}
	return out
}

// maxDeleteResends bounds how often a CA deletion whose answer was lost is sent again.
const maxDeleteResends = 2

// caJSON is certificateAuthorityDetail on the wire, for batch bodies (encoding/json; []byte is base64).
type caJSON struct {
	ID                                string  `json:"id,omitempty"`
	Certificate                       []byte  `json:"certificate,omitempty"`
	Thumbprint                        string  `json:"thumbprint,omitempty"`
	ExpirationDateTime                string  `json:"expirationDateTime,omitempty"`
	CertificateAuthorityType          string  `json:"certificateAuthorityType,omitempty"`
	CertificateRevocationListURL      *string `json:"certificateRevocationListUrl,omitempty"`
	DeltaCertificateRevocationListURL *string `json:"deltaCertificateRevocationListUrl,omitempty"`
	IsIssuerHintEnabled               *bool   `json:"isIssuerHintEnabled,omitempty"`
	DisplayName                       *string `json:"displayName,omitempty"`
	Issuer                            *string `json:"issuer,omitempty"`
	IssuerSubjectKeyIdentifier        *string `json:"issuerSubjectKeyIdentifier,omitempty"`
}

func newCertificateAuthorityJSON(in NewCertificateAuthority) caJSON {
	kind := "intermediate"
	if in.IsRoot {
		kind = "root"
	}
	return caJSON{
		Certificate:                       in.Certificate,
		Thumbprint:                        strings.ToUpper(in.Thumbprint),
		ExpirationDateTime:                in.ExpirationDateTime.UTC().Format(time.RFC3339),
		CertificateAuthorityType:          kind,
		CertificateRevocationListURL:      in.CertificateRevocationListURL,
		DeltaCertificateRevocationListURL: in.DeltaCertificateRevocationListURL,
		IsIssuerHintEnabled:               in.IsIssuerHintEnabled,
		DisplayName:                       in.DisplayName,
	}
}

func (m caJSON) toCertificateAuthority() *CertificateAuthority {
	exp, _ := time.Parse(time.RFC3339, m.ExpirationDateTime)
	return &CertificateAuthority{
		ID:                                m.ID,
		Thumbprint:                        strings.ToUpper(m.Thumbprint),
		Type:                              m.CertificateAuthorityType,
		DisplayName:                       deref(m.DisplayName),
		Issuer:                            deref(m.Issuer),
		IssuerSubjectKeyIdentifier:        deref(m.IssuerSubjectKeyIdentifier),
		CertificateRevocationListURL:      deref(m.CertificateRevocationListURL),
		DeltaCertificateRevocationListURL: deref(m.DeltaCertificateRevocationListURL),
		IsIssuerHintEnabled:               m.IsIssuerHintEnabled != nil && *m.IsIssuerHintEnabled,
		ExpirationDateTime:                exp.UTC(),
		Certificate:                       m.Certificate,
	}
}

func toCertificateAuthority(m models.CertificateAuthorityDetailable) *CertificateAuthority {
	ca := &CertificateAuthority{
		ID:                                deref(m.GetId()),
		Thumbprint:                        strings.ToUpper(deref(m.GetThumbprint())),
		DisplayName:                       deref(m.GetDisplayName()),
		Issuer:                            deref(m.GetIssuer()),
		IssuerSubjectKeyIdentifier:        deref(m.GetIssuerSubjectKeyIdentifier()),
		CertificateRevocationListURL:      deref(m.GetCertificateRevocationListUrl()),
		DeltaCertificateRevocationListURL: deref(m.GetDeltaCertificateRevocationListUrl()),
		IsIssuerHintEnabled:               deref(m.GetIsIssuerHintEnabled()),
		ExpirationDateTime:                timeUTC(m.GetExpirationDateTime()),
		Certificate:                       m.GetCertificate(),
	}
	if t := m.GetCertificateAuthorityType(); t != nil {
		ca.Type = t.String()
	}
	return ca
}

// caListWrite is called before a write of this client to a PKI's CAs: reads of the list that are in flight from
// before the write no longer fill the cache. The func it returns records the write's outcome: on success the
// cached list, if there is one, is changed as the write changed Graph's (so the plans and refreshes of the other CA
// resources of the PKI keep sharing one read); otherwise, or when the outcome is unknown, the list is read again.
func (c *Client) caListWrite(pkiID string) (written func(ok bool, change func([]CertificateAuthority) []CertificateAuthority)) {
	key := strings.ToLower(pkiID)
	c.caListReads.fence(key)
	return func(ok bool, change func([]CertificateAuthority) []CertificateAuthority) {
		if ok && change != nil {
			c.caListReads.modify(key, change)
			return
		}
		c.caListReads.invalidate(key)
	}
}

func addedCAs(cas ...*CertificateAuthority) func([]CertificateAuthority) []CertificateAuthority {
	return func(list []CertificateAuthority) []CertificateAuthority {
		for _, ca := range cas {
			if ca != nil {
				list = append(removedCAs(ca.ID)(list), *ca)
			}
		}
		return list
	}
}

func replacedCA(ca *CertificateAuthority) func([]CertificateAuthority) []CertificateAuthority {
	if ca == nil {
		return nil
	}
	return addedCAs(ca)
}

func removedCAs(ids ...string) func([]CertificateAuthority) []CertificateAuthority {
	return func(list []CertificateAuthority) []CertificateAuthority {
		return slices.DeleteFunc(list, func(ca CertificateAuthority) bool {
			return slices.ContainsFunc(ids, func(id string) bool { return strings.EqualFold(id, ca.ID) })
		})
	}
}
