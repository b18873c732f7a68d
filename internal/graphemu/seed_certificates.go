package graphemu

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
	"time"
)

// seedCertificate is a certificate SeedTenant makes: ECDSA P-256 (fast to generate), CA:TRUE unless leaf.
type seedCertificate struct {
	der []byte
	key crypto.Signer
}

// seedCertificateSpec says what to make. A nil parent makes a self-signed root.
type seedCertificateSpec struct {
	commonName, organization string
	notBefore, notAfter      time.Time
	crlURL                   string // CRL distribution point ("" for none)
	leaf                     bool   // an API connector's client certificate rather than a CA
	parent                   *seedCertificate
}

func makeSeedCertificate(s seedCertificateSpec) (*seedCertificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: s.commonName, Organization: []string{s.organization}},
		NotBefore:             s.notBefore.UTC().Truncate(time.Second),
		NotAfter:              s.notAfter.UTC().Truncate(time.Second),
		BasicConstraintsValid: true,
		IsCA:                  !s.leaf,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}
	if s.leaf {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
	if s.crlURL != "" {
		tmpl.CRLDistributionPoints = []string{s.crlURL}
	}
	parent, signer := tmpl, crypto.Signer(key)
	if s.parent != nil {
		p, err := x509.ParseCertificate(s.parent.der)
		if err != nil {
			return nil, err
		}
		parent, signer = p, s.parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, fmt.Errorf("graphemu: making the seed certificate %q: %w", s.commonName, err)
	}
	return &seedCertificate{der: der, key: key}, nil
}

// parseLeaf is what certificateList shows of a client certificate.
func parseLeaf(der []byte) (TenantClientCertificate, error) {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return TenantClientCertificate{}, err
	}
	sum := sha1.Sum(der) //nolint:gosec // a thumbprint, not a signature
	return TenantClientCertificate{Thumbprint: strings.ToUpper(hex.EncodeToString(sum[:])), NotBefore: c.NotBefore.UTC(), NotAfter: c.NotAfter.UTC()}, nil
}

// subjectKeyIdentifier is the certificate's own SKI in uppercase hex ("" when it has none).
func subjectKeyIdentifier(der []byte) string {
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return ""
	}
	return strings.ToUpper(hex.EncodeToString(c.SubjectKeyId))
}
