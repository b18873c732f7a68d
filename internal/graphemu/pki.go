package graphemu

import (
	"encoding/base64"
	"net/http"
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
	// replicatedAt ends the replica lag of a new PKI (PKISwitches.ReplicaLag); stale, until staleUntil, is what
	// lagging replicas show after an upload (PKISwitches.StaleReads).
	replicatedAt time.Time
	stale        *pkiJSON
	staleUntil   time.Time
}

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

func (v *pkiJSON) setContext(s string) { v.Context = s }
func (v *caJSON) setContext(s string)  { v.Context = s }

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

// lockPKI takes e.mu and finds the PKI as a read sees it (visiblePKI) or, with write, as a write does
// (writablePKI). When there is none it lets go of e.mu, answers 404 and returns nil; otherwise the caller holds e.mu.
func (e *Emulator) lockPKI(c *call, id string, write bool) (*pki, time.Time) {
	e.mu.Lock()
	now := e.clk.Now()
	find := e.visiblePKI
	if write {
		find = e.writablePKI
	}
	p := find(id, now)
	if p == nil {
		e.mu.Unlock()
		c.objectNotFound(id)
	}
	return p, now
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
	l, ok := c.startList()
	if !ok {
		return
	}
	e.mu.Lock()
	now := e.clk.Now()
	for _, id := range e.pkiOrder {
		if p := e.pkis[id]; !now.Before(p.visibleAt) {
			l.add(p.displayName, func() any { return e.readView(p, now) })
		}
	}
	e.mu.Unlock()
	l.answer(pkiContext)
}

func (e *Emulator) getPKI(c *call, id string) {
	p, now := e.lockPKI(c, id, false)
	if p == nil {
		return
	}
	v := e.readView(p, now)
	e.mu.Unlock()
	c.entity(http.StatusOK, pkiContext+"/$entity", &v)
}

var pkiProperties = []string{"id", "displayName", "status", "statusDetails", "lastModifiedDateTime", "deletedDateTime", "certificateAuthorities"}

// pkiBody reads a PKI create or PATCH body, whose one writable property is displayName (required on create); it
// answers 400 itself and returns ok=false.
func (c *call) pkiBody(required bool) (name string, present, ok bool) {
	o, ok := c.typedObject("microsoft.graph.certificateBasedAuthPki", pkiProperties...)
	if !ok {
		return "", false, false
	}
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
	name, _, ok := c.pkiBody(true)
	if !ok {
		return
	}
	e.mu.Lock()
	now := e.clk.Now()
	p := e.newPKI(name, now, now.Add(max(e.lag, e.pkiSwitches.ReplicaLag)))
	p.replicatedAt = now.Add(e.pkiSwitches.ReplicaLag)
	v := p.view()
	e.mu.Unlock()
	c.entity(http.StatusCreated, pkiContext+"/$entity", &v)
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
	if !e.requirePKI(c, id) {
		return
	}
	name, present, ok := c.pkiBody(false)
	if !ok {
		return
	}
	p, now := e.lockPKI(c, id, true)
	if p == nil {
		return
	}
	if present {
		p.displayName = name
		p.lastModified = now
	}
	v := p.view()
	e.mu.Unlock()
	c.entity(http.StatusOK, pkiContext+"/$entity", &v)
}

// deletePKI removes the PKI at once into the deleted items (soft delete, with its CAs). Graph runs a delete job
// (status running); the emulator keeps it simple and deletes immediately, even while an upload job runs, since the
// docs are silent there.
func (e *Emulator) deletePKI(c *call, id string) {
	e.mu.Lock()
	key := normID(id)
	if e.pkis[key] == nil {
		e.mu.Unlock()
		c.objectNotFound(id)
		return
	}
	e.softDeletePKI(e.pkis[key], e.clk.Now())
	delete(e.pkis, key)
	e.pkiOrder = removeID(e.pkiOrder, key)
	e.mu.Unlock()
	c.noContent()
}

// requirePKI answers 404 and returns false when the PKI is missing, so a write to it answers 404 whatever its body
// holds. It ignores read-after-write lag: writes reach the primary.
func (e *Emulator) requirePKI(c *call, id string) bool {
	e.mu.Lock()
	found := e.pkis[normID(id)] != nil
	e.mu.Unlock()
	if !found {
		c.objectNotFound(id)
	}
	return found
}
