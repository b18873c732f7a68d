// Package pkcs turns PKCS#12 (.pfx) and PKCS#7 (.p7b) bytes into the facts Graph shows about them.
// Pure functions: no Terraform, no HTTP.
package pkcs

import (
	"crypto/x509"
	"errors"
	"time"
)

// Errors returned (wrapped) by DecodeClientCertificate; test with errors.Is.
// Messages never contain the PFX or the password.
var (
	ErrNotBase64     = errors.New("not valid base64")
	ErrNotPKCS12     = errors.New("not a PKCS#12 (PFX) file, or truncated")
	ErrWrongPassword = errors.New("the PFX could not be decrypted with the given password")
	ErrNoPrivateKey  = errors.New("the PFX holds no private key")
	ErrNoCertificate = errors.New("the PFX holds no certificate matching its private key")
)

// Errors returned (wrapped) by ParseCertificateBundle.
var (
	ErrNotPKCS7       = errors.New("not a PKCS#7 (.p7b) file, DER or PEM")
	ErrNoCertificates = errors.New("the PKCS#7 file holds no certificates")
	ErrTooManyCAs     = errors.New("the PKCS#7 file holds more than 250 certificates")
	ErrCATooLarge     = errors.New("a certificate in the PKCS#7 file is larger than 8 KB")
	ErrFileTooLarge   = errors.New("the file is larger than 2 MB")
)

// Graph's documented limits for a CBA PKI upload.
const (
	MaxBundleSize      = 2 << 20
	MaxBundleCAs       = 250
	MaxCertificateSize = 8 << 10
)

// ClientCertificate is what Graph records about an uploaded PFX: its leaf certificate,
// the one whose public key matches the private key.
type ClientCertificate struct {
	Thumbprint  string // uppercase hex SHA-1 of the leaf's DER
	Subject     string // leaf subject, RFC 2253 string
	NotBefore   time.Time
	NotAfter    time.Time
	Certificate *x509.Certificate
}

// DecodeClientCertificate decodes a base64 PFX (standard encoding; surrounding whitespace tolerated)
// with password ("" means no password, in either of PKCS#12's two encodings).
func DecodeClientCertificate(pkcs12Base64, password string) (*ClientCertificate, error) {
	panic("TODO")
}

// DecodeClientCertificateDER is DecodeClientCertificate for raw PFX bytes.
func DecodeClientCertificateDER(pfx []byte, password string) (*ClientCertificate, error) {
	panic("TODO")
}

// CertificateAuthority is what Graph records for one certificate of an uploaded .p7b.
type CertificateAuthority struct {
	Thumbprint                 string // uppercase hex SHA-1 of the DER
	Subject                    string // RFC 2253, used as Graph's displayName
	Issuer                     string // RFC 2253
	IssuerSubjectKeyIdentifier string // uppercase hex of the Authority Key Identifier ("" if absent)
	IsRoot                     bool   // self-signed
	NotAfter                   time.Time
	CRLURL                     string // first http(s) CRL distribution point, "" if none
	DER                        []byte
}

// ParseCertificateBundle parses a PKCS#7 certificate bundle (DER or PEM-armoured) and enforces
// Graph's limits (2 MB, 250 certificates, 8 KB each), in file order.
func ParseCertificateBundle(data []byte) ([]CertificateAuthority, error) {
	panic("TODO")
}

// SHA256Hex is the uppercase hex SHA-256 of data, as Get-FileHash prints it.
func SHA256Hex(data []byte) string {
	panic("TODO")
}

// Thumbprint is the uppercase hex SHA-1 of a certificate's DER.
func Thumbprint(der []byte) string {
	panic("TODO")
}
