package graphemu

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/smallstep/pkcs7"
)

// ---- certificate authorities ----

func caContext(pkiID string) string {
	return pkiContext + "('" + pkiID + "')/certificateAuthorities"
}

func (e *Emulator) listCAs(c *call, pkiID string) {
	l, ok := c.startList()
	if !ok {
		return
	}
	p, _ := e.lockPKI(c, pkiID, false)
	if p == nil {
		return
	}
	for _, a := range p.cas {
		l.add(a.displayName, func() any { return a.view() })
	}
	e.mu.Unlock()
	l.answer(caContext(p.id))
}

func (e *Emulator) getCA(c *call, pkiID, caID string) {
	p, a, _ := e.lockCA(c, pkiID, caID, false)
	if a == nil {
		return
	}
	v := a.view()
	e.mu.Unlock()
	c.entity(http.StatusOK, caContext(p.id)+"/$entity", &v)
}

// lockCA is lockPKI, then the CA in that PKI: when either is missing it lets go of e.mu, answers 404 and returns a
// nil CA; otherwise the caller holds e.mu.
func (e *Emulator) lockCA(c *call, pkiID, caID string, write bool) (*pki, *ca, time.Time) {
	p, now := e.lockPKI(c, pkiID, write)
	if p == nil {
		return nil, nil, now
	}
	a := p.caByID(caID)
	if a == nil {
		e.mu.Unlock()
		c.objectNotFound(caID)
	}
	return p, a, now
}

func (p *pki) caByID(id string) *ca {
	for _, a := range p.cas {
		if a.id == normID(id) {
			return a
		}
	}
	return nil
}

var caProperties = []string{"id", "deletedDateTime", "certificate", "certificateAuthorityType", "certificateRevocationListUrl",
	"deltaCertificateRevocationListUrl", "displayName", "expirationDateTime", "isIssuerHintEnabled", "issuer",
	"issuerSubjectKeyIdentifier", "thumbprint", "createdDateTime"}

// caFields are the writable CA properties present in a body.
type caFields struct {
	cert                     *pkcs.CertificateAuthority
	typ, crl, deltaCRL, name *string
	hint                     *bool
}

// caBody reads a CA create or PATCH body; it answers 400 itself and returns ok=false on error.
// The certificate's facts (thumbprint, issuer, expiry...) always come from the certificate itself.
func (c *call) caBody() (o jsonObject, f caFields, ok bool) {
	o, ok = c.typedObject("microsoft.graph.certificateAuthorityDetail", caProperties...)
	if !ok {
		return nil, f, false
	}
	f, ok = c.parseCAFields(o)
	return o, f, ok
}

func (c *call) parseCAFields(o jsonObject) (f caFields, ok bool) {
	strs := map[string]**string{"certificateAuthorityType": &f.typ, "certificateRevocationListUrl": &f.crl,
		"deltaCertificateRevocationListUrl": &f.deltaCRL, "displayName": &f.name}
	for key, dst := range strs {
		v, present, err := o.str(key)
		if err != nil {
			c.badRequest("%v", err)
			return f, false
		}
		if present {
			*dst = &v
		}
	}
	if f.typ != nil && *f.typ != CATypeRoot && *f.typ != CATypeIntermediate && *f.typ != CATypeUnknownFutureValue {
		c.badRequest("The value '%s' is not valid for certificateAuthorityType (root, intermediate, unknownFutureValue).", *f.typ)
		return f, false
	}
	hint, present, err := o.boolean("isIssuerHintEnabled")
	if err != nil {
		c.badRequest("%v", err)
		return f, false
	}
	if present {
		f.hint = &hint
	}
	b64, present, err := o.str("certificate")
	if err != nil {
		c.badRequest("%v", err)
		return f, false
	}
	if present {
		der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64))
		if err != nil {
			c.badRequest("The property 'certificate' is not valid base64.")
			return f, false
		}
		a, err := parseCACertificate(der)
		if err != nil {
			c.badRequest("%v", err)
			return f, false
		}
		f.cert = a
	}
	return f, true
}

// parseCACertificate reads one DER certificate through the same .p7b code the upload uses, so both paths
// describe a CA identically.
func parseCACertificate(der []byte) (*pkcs.CertificateAuthority, error) {
	if len(der) > pkcs.MaxCertificateSize {
		return nil, errors.New("The certificate is larger than the 8 KB limit.")
	}
	if _, err := x509.ParseCertificate(der); err != nil {
		return nil, errors.New("The property 'certificate' is not a valid DER-encoded X.509 certificate.")
	}
	p7, err := pkcs7.DegenerateCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("The certificate could not be read: %w", err)
	}
	cas, err := pkcs.ParseCertificateBundle(p7)
	if err != nil || len(cas) != 1 {
		return nil, fmt.Errorf("The certificate could not be read: %w", err)
	}
	return &cas[0], nil
}

func (a *ca) apply(f caFields) {
	if f.cert != nil {
		fresh := newCA(*f.cert, a.created)
		a.der, a.typ, a.crl, a.displayName = fresh.der, fresh.typ, fresh.crl, fresh.displayName
		a.issuer, a.issuerSKI, a.thumbprint, a.expiration = fresh.issuer, fresh.issuerSKI, fresh.thumbprint, fresh.expiration
	}
	if f.typ != nil {
		a.typ = *f.typ
	}
	if f.crl != nil {
		a.crl = *f.crl
	}
	if f.deltaCRL != nil {
		a.deltaCRL = *f.deltaCRL
	}
	if f.name != nil {
		a.displayName = *f.name
	}
	if f.hint != nil {
		a.isIssuerHintEnable = *f.hint
	}
}

func (e *Emulator) createCA(c *call, pkiID string) {
	if !e.requirePKI(c, pkiID) {
		return
	}
	o, f, ok := c.caBody()
	if !ok {
		return
	}
	if f.cert == nil {
		c.badRequest("The property 'certificate' is required.")
		return
	}
	if !c.checkCreateCAIdentity(o, f.cert) {
		return
	}
	p, now := e.lockPKI(c, pkiID, true)
	if p == nil {
		return
	}
	if p.caByThumbprint(f.cert.Thumbprint) != nil {
		e.mu.Unlock()
		c.duplicateCA(f.cert.Thumbprint)
		return
	}
	a := newCA(*f.cert, now)
	f.cert = nil
	a.apply(f)
	p.cas = append(p.cas, a)
	p.lastModified = now
	v := a.view()
	e.mu.Unlock()
	c.entity(http.StatusCreated, caContext(p.id)+"/$entity", &v)
}

func (c *call) duplicateCA(thumbprint string) {
	c.badRequest("Duplicate Certificate exists: the certificate %s is already in this PKI.", strings.ToUpper(thumbprint))
}

func (e *Emulator) patchCA(c *call, pkiID, caID string) {
	// The PKI and the CA are looked up first, so missing ones answer 404 whatever the body holds.
	e.mu.Lock()
	p := e.pkis[normID(pkiID)]
	found := p != nil && p.caByID(caID) != nil
	e.mu.Unlock()
	switch {
	case p == nil:
		c.objectNotFound(pkiID)
		return
	case !found:
		c.objectNotFound(caID)
		return
	}
	_, f, ok := c.caBody()
	if !ok {
		return
	}
	p, a, now := e.lockCA(c, pkiID, caID, true)
	if a == nil {
		return
	}
	if f.cert != nil {
		if other := p.caByThumbprint(f.cert.Thumbprint); other != nil && other != a {
			e.mu.Unlock()
			c.duplicateCA(f.cert.Thumbprint)
			return
		}
	}
	a.apply(f)
	p.lastModified = now
	v := a.view()
	e.mu.Unlock()
	c.entity(http.StatusOK, caContext(p.id)+"/$entity", &v)
}

func (e *Emulator) deleteCA(c *call, pkiID, caID string) {
	p, a, now := e.lockCA(c, pkiID, caID, true)
	if a == nil {
		return
	}
	out := p.cas[:0]
	for _, x := range p.cas {
		if x != a {
			out = append(out, x)
		}
	}
	p.cas = out
	p.lastModified = now
	e.softDeleteCA(p.id, a, now) // deleted_items.go
	e.mu.Unlock()
	c.noContent()
}

// checkCreateCAIdentity enforces what Graph documents as required on a CA create besides the certificate:
// thumbprint (which must be the certificate's) and expirationDateTime. It answers 400 itself.
func (c *call) checkCreateCAIdentity(o jsonObject, cert *pkcs.CertificateAuthority) bool {
	thumb, present, err := o.str("thumbprint")
	switch {
	case err != nil:
		c.badRequest("%v", err)
		return false
	case !present || thumb == "":
		c.badRequest("The property 'thumbprint' is required.")
		return false
	case !strings.EqualFold(thumb, cert.Thumbprint):
		c.badRequest("The thumbprint '%s' does not match the certificate (%s).", thumb, cert.Thumbprint)
		return false
	}
	exp, present, err := o.str("expirationDateTime")
	switch {
	case err != nil:
		c.badRequest("%v", err)
		return false
	case !present || exp == "":
		c.badRequest("The property 'expirationDateTime' is required.")
		return false
	}
	if _, err := time.Parse(time.RFC3339, exp); err != nil {
		c.badRequest("The property 'expirationDateTime' is not a valid DateTimeOffset.")
		return false
	}
	return true
}
