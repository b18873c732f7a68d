package pkcs

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotCRL is returned (wrapped) by ParseCRL.
var ErrNotCRL = errors.New("not a certificate revocation list (DER, or PEM \"X509 CRL\")")

// CRL is what Entra looks at in a certificate revocation list.
type CRL struct {
	ThisUpdate time.Time
	NextUpdate time.Time // zero when the CRL has none
	// Number is the CRL number in decimal ("" when the CRL has none).
	Number       string
	RevokedCount int
	// AuthorityKeyIdentifier is the uppercase hex of the CRL's authority key identifier ("" when it has none): Entra
	// matches it against the CA's subject key identifier.
	AuthorityKeyIdentifier string
	Issuer                 string // RFC 2253
	list                   *x509.RevocationList
}

// ParseCRL reads a CRL given as DER or as PEM ("-----BEGIN X509 CRL-----").
func ParseCRL(data []byte) (*CRL, error) {
	der := data
	if trimmed := bytes.TrimSpace(data); bytes.HasPrefix(trimmed, []byte("-----BEGIN ")) {
		block, _ := pem.Decode(trimmed)
		if block == nil {
			return nil, fmt.Errorf("%w: it looks like PEM but has no readable PEM block", ErrNotCRL)
		}
		if block.Type != "X509 CRL" && block.Type != "CRL" {
			return nil, fmt.Errorf("%w: its PEM block is %q, not X509 CRL", ErrNotCRL, block.Type)
		}
		der = block.Bytes
	}
	if len(der) == 0 {
		return nil, fmt.Errorf("%w: it is empty", ErrNotCRL)
	}
	rl, err := x509.ParseRevocationList(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrNotCRL, strings.TrimPrefix(err.Error(), "x509: "))
	}
	c := &CRL{
		ThisUpdate:             rl.ThisUpdate,
		NextUpdate:             rl.NextUpdate,
		RevokedCount:           len(rl.RevokedCertificateEntries),
		AuthorityKeyIdentifier: strings.ToUpper(hex.EncodeToString(rl.AuthorityKeyId)),
		Issuer:                 rl.Issuer.String(),
		list:                   rl,
	}
	if rl.Number != nil {
		c.Number = rl.Number.String()
	}
	return c, nil
}

// SignedBy reports whether issuer's key signed the CRL (nil), or why not.
func (c *CRL) SignedBy(issuerDER []byte) error {
	issuer, err := x509.ParseCertificate(issuerDER)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrNotCertificate, strings.TrimPrefix(err.Error(), "x509: "))
	}
	return c.list.CheckSignatureFrom(issuer)
}

// ExpiredAt reports whether the CRL's nextUpdate has passed at now (a CRL without nextUpdate never expires).
func (c *CRL) ExpiredAt(now time.Time) bool {
	return !c.NextUpdate.IsZero() && !now.Before(c.NextUpdate)
}
