package graphemu

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
)

// PKI job states. Graph documents running and succeeded; the emulator ends failed jobs with StatusFailed.
const (
	StatusRunning   = "running"
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
)

// @odata.type discriminators of the PKI resources.
const (
	TypeCertificateBasedAuthPki    = "#microsoft.graph.certificateBasedAuthPki"
	TypeCertificateAuthorityDetail = "#microsoft.graph.certificateAuthorityDetail"
)

// Certificate authority types.
const (
	CATypeRoot               = "root"
	CATypeIntermediate       = "intermediate"
	CATypeUnknownFutureValue = "unknownFutureValue"
)

// MaxPKIDisplayNameLength is Graph's documented limit on a PKI's displayName.
const MaxPKIDisplayNameLength = 256

const pkiContext = "directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"

type pki struct {
	id, displayName string
	visibleAt       time.Time
	lastModified    time.Time
	status          string
	statusDetails   *string
	cas             []*ca
	job             *job
	// downloading reserves the PKI while an upload fetches its file outside the lock.
	downloading bool
	failNext    *jobOutcome
}

type job struct {
	end     time.Time
	pending []pkcs.CertificateAuthority
	outcome jobOutcome
}

type jobOutcome struct{ status, details string }

type ca struct {
	id                 string
	der                []byte
	typ                string
	crl, deltaCRL      string
	displayName        string
	issuer             string
	issuerSKI          string
	thumbprint         string
	expiration         time.Time
	created            time.Time
	isIssuerHintEnable bool
}

// settle applies a job whose end has passed: job progress is computed lazily from the clock, no goroutines.
// Callers hold e.mu.
func (e *Emulator) settle(p *pki, now time.Time) {
	j := p.job
	if j == nil || now.Before(j.end) {
		return
	}
	if j.outcome.status == StatusSucceeded {
		for _, a := range j.pending {
			if p.caByThumbprint(a.Thumbprint) == nil {
				p.cas = append(p.cas, newCA(a, j.end))
			}
		}
	}
	p.status = j.outcome.status
	p.statusDetails = nil
	if j.outcome.details != "" {
		d := j.outcome.details
		p.statusDetails = &d
	}
	p.lastModified = j.end
	p.job = nil
}

func (p *pki) caByThumbprint(t string) *ca {
	for _, a := range p.cas {
		if strings.EqualFold(a.thumbprint, t) {
			return a
		}
	}
	return nil
}

func newCA(a pkcs.CertificateAuthority, created time.Time) *ca {
	typ := CATypeIntermediate
	if a.IsRoot {
		typ = CATypeRoot
	}
	return &ca{
		id:          newGUID(),
		der:         a.DER,
		typ:         typ,
		crl:         a.CRLURL,
		displayName: a.Subject,
		issuer:      a.Issuer,
		issuerSKI:   a.IssuerSubjectKeyIdentifier,
		thumbprint:  strings.ToUpper(a.Thumbprint),
		expiration:  a.NotAfter,
		created:     created,
	}
}

// ---- JSON ----

type pkiJSON struct {
	Context              string  `json:"@odata.context,omitempty"`
	Type                 string  `json:"@odata.type"`
	ID                   string  `json:"id"`
	DeletedDateTime      *string `json:"deletedDateTime"`
	DisplayName          string  `json:"displayName"`
	Status               string  `json:"status"`
	StatusDetails        *string `json:"statusDetails"`
	LastModifiedDateTime string  `json:"lastModifiedDateTime"`
}

func (p *pki) view() pkiJSON {
	return pkiJSON{
		Type:                 TypeCertificateBasedAuthPki,
		ID:                   p.id,
		DisplayName:          p.displayName,
		Status:               p.status,
		StatusDetails:        p.statusDetails,
		LastModifiedDateTime: graphTime(p.lastModified),
	}
}

type caJSON struct {
	Context                           string  `json:"@odata.context,omitempty"`
	Type                              string  `json:"@odata.type"`
	ID                                string  `json:"id"`
	DeletedDateTime                   *string `json:"deletedDateTime"`
	CertificateAuthorityType          string  `json:"certificateAuthorityType"`
	Certificate                       string  `json:"certificate"`
	DisplayName                       string  `json:"displayName"`
	Issuer                            string  `json:"issuer"`
	IssuerSubjectKeyIdentifier        *string `json:"issuerSubjectKeyIdentifier"`
	CreatedDateTime                   string  `json:"createdDateTime"`
	ExpirationDateTime                string  `json:"expirationDateTime"`
	Thumbprint                        string  `json:"thumbprint"`
	CertificateRevocationListURL      *string `json:"certificateRevocationListUrl"`
	DeltaCertificateRevocationListURL *string `json:"deltaCertificateRevocationListUrl"`
	IsIssuerHintEnabled               bool    `json:"isIssuerHintEnabled"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (a *ca) view() caJSON {
	return caJSON{
		Type:                              TypeCertificateAuthorityDetail,
		ID:                                a.id,
		CertificateAuthorityType:          a.typ,
		Certificate:                       base64.StdEncoding.EncodeToString(a.der),
		DisplayName:                       a.displayName,
		Issuer:                            a.issuer,
		IssuerSubjectKeyIdentifier:        nullable(a.issuerSKI),
		CreatedDateTime:                   graphTime(a.created),
		ExpirationDateTime:                graphTime(a.expiration),
		Thumbprint:                        a.thumbprint,
		CertificateRevocationListURL:      nullable(a.crl),
		DeltaCertificateRevocationListURL: nullable(a.deltaCRL),
		IsIssuerHintEnabled:               a.isIssuerHintEnable,
	}
}

// ---- PKI handlers ----

func (c *call) pkiNotFound(id string) {
	c.errorf(http.StatusNotFound, "Request_ResourceNotFound", "Resource '%s' does not exist or one of its queried reference-property objects are not present.", id)
}

// visiblePKI returns the PKI for a read, settled, or nil when missing or still inside the read-after-write lag.
// Callers hold e.mu.
func (e *Emulator) visiblePKI(id string, now time.Time) *pki {
	p := e.pkis[normID(id)]
	if p == nil || now.Before(p.visibleAt) {
		return nil
	}
	e.settle(p, now)
	return p
}

// writablePKI returns the PKI for a write (lag does not apply), settled. Callers hold e.mu.
func (e *Emulator) writablePKI(id string, now time.Time) *pki {
	p := e.pkis[normID(id)]
	if p != nil {
		e.settle(p, now)
	}
	return p
}

func (e *Emulator) listPKIs(c *call) {
	match, top, skip, ok := c.listQuery()
	if !ok {
		return
	}
	e.mu.Lock()
	now := e.clk.Now()
	var items []any
	for _, id := range e.pkiOrder {
		p := e.pkis[id]
		if now.Before(p.visibleAt) || !match(p.displayName) {
			continue
		}
		e.settle(p, now)
		items = append(items, p.view())
	}
	e.mu.Unlock()
	c.page(pkiContext, items, top, skip)
}

func (e *Emulator) getPKI(c *call, id string) {
	e.mu.Lock()
	p := e.visiblePKI(id, e.clk.Now())
	if p == nil {
		e.mu.Unlock()
		c.pkiNotFound(id)
		return
	}
	v := p.view()
	e.mu.Unlock()
	v.Context = c.context(pkiContext + "/$entity")
	c.json(http.StatusOK, v)
}

var pkiProperties = []string{"id", "displayName", "status", "statusDetails", "lastModifiedDateTime", "deletedDateTime", "certificateAuthorities"}

func (c *call) pkiDisplayName(o jsonObject, required bool) (string, bool, bool) {
	name, present, err := o.str("displayName")
	if err != nil {
		c.badRequest("%v", err)
		return "", false, false
	}
	if (required || present) && strings.TrimSpace(name) == "" {
		c.badRequest("The property 'displayName' is required and cannot be empty.")
		return "", false, false
	}
	if utf8.RuneCountInString(name) > MaxPKIDisplayNameLength {
		c.badRequest("The property 'displayName' is longer than %d characters.", MaxPKIDisplayNameLength)
		return "", false, false
	}
	return name, present, true
}

func (e *Emulator) createPKI(c *call) {
	o, ok := c.object()
	if !ok || !c.checkProperties(o, "microsoft.graph.certificateBasedAuthPki", pkiProperties...) {
		return
	}
	name, _, ok := c.pkiDisplayName(o, true)
	if !ok {
		return
	}
	e.mu.Lock()
	now := e.clk.Now()
	p := e.newPKI(name, now, now.Add(e.lag))
	v := p.view()
	e.mu.Unlock()
	v.Context = c.context(pkiContext + "/$entity")
	c.json(http.StatusCreated, v)
}

// newPKI stores a PKI. Graph documents no status before the first job; the emulator reports "succeeded"
// with statusDetails null, so a fresh PKI reads as idle. Callers hold e.mu.
func (e *Emulator) newPKI(name string, now, visibleAt time.Time) *pki {
	p := &pki{id: newGUID(), displayName: name, visibleAt: visibleAt, lastModified: now, status: StatusSucceeded}
	e.pkis[p.id] = p
	e.pkiOrder = append(e.pkiOrder, p.id)
	return p
}

func (e *Emulator) patchPKI(c *call, id string) {
	if !e.pkiExists(id) {
		c.pkiNotFound(id)
		return
	}
	o, ok := c.object()
	if !ok || !c.checkProperties(o, "microsoft.graph.certificateBasedAuthPki", pkiProperties...) {
		return
	}
	name, present, ok := c.pkiDisplayName(o, false)
	if !ok {
		return
	}
	e.mu.Lock()
	now := e.clk.Now()
	p := e.writablePKI(id, now)
	if p == nil {
		e.mu.Unlock()
		c.pkiNotFound(id)
		return
	}
	if present {
		p.displayName = name
		p.lastModified = now
	}
	v := p.view()
	e.mu.Unlock()
	v.Context = c.context(pkiContext + "/$entity")
	c.json(http.StatusOK, v)
}

// deletePKI removes the PKI at once. Graph runs a delete job (status running) and soft-deletes; the emulator
// keeps it simple and deletes immediately, even while an upload job runs, since the docs are silent there.
func (e *Emulator) deletePKI(c *call, id string) {
	e.mu.Lock()
	key := normID(id)
	if e.pkis[key] == nil {
		e.mu.Unlock()
		c.pkiNotFound(id)
		return
	}
	delete(e.pkis, key)
	e.pkiOrder = removeID(e.pkiOrder, key)
	e.mu.Unlock()
	c.noContent()
}

// pkiExists ignores read-after-write lag (writes reach the primary); a missing PKI answers 404 whatever the body.
func (e *Emulator) pkiExists(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.pkis[normID(id)] != nil
}

// ---- upload ----

const msgInProgress = "Another upload or delete operation is in progress for this PKI. Only one operation can run at a time; wait until its status is no longer 'running'."

// uploadProblem is a reason an upload cannot succeed; with DeferUploadValidation it becomes the job's statusDetails.
type uploadProblem struct{ msg string }

func (e *Emulator) uploadPKI(c *call, id string) {
	if !e.pkiExists(id) {
		c.pkiNotFound(id)
		return
	}
	o, ok := c.object()
	if !ok || !c.checkProperties(o, "microsoft.graph.certificateBasedAuthPki.upload", "uploadUrl", "sha256FileHash") {
		return
	}
	rawURL, _, err1 := o.str("uploadUrl")
	hash, _, err2 := o.str("sha256FileHash")
	if err := errors.Join(err1, err2); err != nil {
		c.badRequest("%v", err)
		return
	}
	if strings.TrimSpace(rawURL) == "" {
		c.badRequest("The parameter 'uploadUrl' is required.")
		return
	}
	if strings.TrimSpace(hash) == "" {
		c.badRequest("The parameter 'sha256FileHash' is required.")
		return
	}
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The URL is not repeated: it may carry a SAS token.
		c.badRequest("The uploadUrl is not an absolute http or https URL.")
		return
	}

	// Reserve the PKI, then download without holding the lock: the URL may point back at this emulator.
	e.mu.Lock()
	p := e.writablePKI(id, e.clk.Now())
	switch {
	case p == nil:
		e.mu.Unlock()
		c.pkiNotFound(id)
		return
	case p.job != nil || p.downloading:
		e.mu.Unlock()
		c.badRequest(msgInProgress)
		return
	}
	p.downloading = true
	e.mu.Unlock()

	cas, problem := e.fetchBundle(c.r.Context(), u, hash)

	e.mu.Lock()
	now := e.clk.Now()
	p.downloading = false
	if e.pkis[p.id] != p {
		e.mu.Unlock()
		c.pkiNotFound(id)
		return
	}
	// StartExternalJob may have begun another operation while the file downloaded.
	e.settle(p, now)
	if p.job != nil {
		e.mu.Unlock()
		c.badRequest(msgInProgress)
		return
	}
	if problem == nil {
		for _, a := range cas {
			if p.caByThumbprint(a.Thumbprint) != nil {
				problem = &uploadProblem{fmt.Sprintf("Duplicate Certificate exists: the certificate %s is already in this PKI.", strings.ToUpper(a.Thumbprint))}
				break
			}
		}
	}
	if problem != nil && !e.deferUploads {
		e.mu.Unlock()
		c.badRequest("%s", problem.msg)
		return
	}
	j := &job{end: now.Add(e.uploadDuration), outcome: jobOutcome{status: StatusSucceeded}}
	if problem != nil {
		j.outcome = jobOutcome{status: StatusFailed, details: problem.msg}
	} else {
		j.pending = cas
	}
	if p.failNext != nil {
		j.outcome = *p.failNext
		p.failNext = nil
	}
	p.job = j
	p.status, p.statusDetails = StatusRunning, nil
	p.lastModified = now
	e.mu.Unlock()
	c.noContent()
}

// fetchBundle downloads uploadUrl and checks it the way the service does: size, hash, PKCS#7, limits.
func (e *Emulator) fetchBundle(ctx context.Context, u *url.URL, wantHash string) ([]pkcs.CertificateAuthority, *uploadProblem) {
	data, err := e.download(ctx, u)
	if err != nil {
		return nil, &uploadProblem{fmt.Sprintf("The file at uploadUrl could not be downloaded: %v", err)}
	}
	if len(data) > pkcs.MaxBundleSize {
		return nil, &uploadProblem{"The PKI file is larger than the 2 MB limit."}
	}
	got := pkcs.SHA256Hex(data)
	if !strings.EqualFold(got, strings.TrimSpace(wantHash)) {
		return nil, &uploadProblem{fmt.Sprintf("The sha256FileHash %s does not match the SHA-256 hash of the downloaded file (%s).", strings.TrimSpace(wantHash), got)}
	}
	cas, err := pkcs.ParseCertificateBundle(data)
	if err != nil {
		switch {
		case errors.Is(err, pkcs.ErrTooManyCAs):
			return nil, &uploadProblem{"The PKI file holds more than the limit of 250 certificate authorities."}
		case errors.Is(err, pkcs.ErrCATooLarge):
			return nil, &uploadProblem{"A certificate authority in the PKI file is larger than the 8 KB limit."}
		case errors.Is(err, pkcs.ErrFileTooLarge):
			return nil, &uploadProblem{"The PKI file is larger than the 2 MB limit."}
		case errors.Is(err, pkcs.ErrNoCertificates):
			return nil, &uploadProblem{"The PKI file holds no certificates."}
		default:
			return nil, &uploadProblem{fmt.Sprintf("The file is not a valid PKCS#7 (.p7b) certificate file: %v", err)}
		}
	}
	// A bundle listing one certificate twice is one CA, not a duplicate of an existing one.
	seen := map[string]bool{}
	out := cas[:0]
	for _, a := range cas {
		t := strings.ToUpper(a.Thumbprint)
		if !seen[t] {
			seen[t] = true
			out = append(out, a)
		}
	}
	return out, nil
}

// checkDownloadURL enforces http/https and, unless remote downloads are allowed, loopback hosts only,
// so tests never leave the machine.
func (e *Emulator) checkDownloadURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("only http and https URLs can be downloaded, not %q", u.Scheme)
	}
	if e.allowRemote {
		return nil
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("the emulator only downloads from loopback hosts, not %q (enable remote downloads to allow it)", host)
}

func (e *Emulator) download(ctx context.Context, u *url.URL) ([]byte, error) {
	if err := e.checkDownloadURL(u); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := e.downloadClient.Do(req)
	if err != nil {
		// The URL may embed credentials (a SAS token); report only scheme, host and path.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("GET %s://%s%s: %w", u.Scheme, u.Host, u.Path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, fmt.Errorf("GET %s://%s%s answered %d %s", u.Scheme, u.Host, u.Path, resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	// One byte past the limit is enough to know the file is too large.
	return io.ReadAll(io.LimitReader(resp.Body, pkcs.MaxBundleSize+1))
}
