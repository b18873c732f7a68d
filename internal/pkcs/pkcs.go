// Package pkcs turns PKCS#12 (.pfx) and PKCS#7 (.p7b) bytes into the facts Graph shows about them.
// Pure functions: no Terraform, no HTTP.
package pkcs

import (
	"bytes"
	"crypto"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/smallstep/pkcs7"
	"software.sslmate.com/src/go-pkcs12"
)

// Errors returned (wrapped) by DecodeClientCertificate; test with errors.Is.
// Messages never contain the PFX or the password.
var (
	ErrNotBase64     = errors.New("not valid base64")
	ErrNotPKCS12     = errors.New("not a PKCS#12 (PFX) file, or truncated")
	ErrWrongPassword = errors.New("the PFX could not be decrypted with the given password")
	ErrNoPrivateKey  = errors.New("the PFX holds no private key")
	ErrNoCertificate = errors.New("the PFX holds no certificate matching its private key")
	// ErrUnsupportedPKCS12 is a well-formed PFX using a layout or algorithm that cannot be read here
	// (for example two private keys, or public-key integrity mode).
	ErrUnsupportedPKCS12 = errors.New("the PFX uses a PKCS#12 layout or algorithm that is not supported")
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
	// StdEncoding already skips embedded \r and \n, so wrapped base64 (base64 -w 76) decodes too.
	pfx, err := base64.StdEncoding.DecodeString(strings.TrimSpace(pkcs12Base64))
	if err != nil {
		var corrupt base64.CorruptInputError
		if errors.As(err, &corrupt) {
			return nil, fmt.Errorf("%w: illegal base64 data at input byte %d (standard base64, as filebase64 gives, is expected)", ErrNotBase64, int64(corrupt))
		}
		return nil, fmt.Errorf("%w", ErrNotBase64)
	}
	return DecodeClientCertificateDER(pfx, password)
}

// DecodeClientCertificateDER is DecodeClientCertificate for raw PFX bytes.
func DecodeClientCertificateDER(pfx []byte, password string) (*ClientCertificate, error) {
	if len(pfx) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrNotPKCS12)
	}
	if kind, ok := pemKind(pfx); ok {
		return nil, fmt.Errorf("%w: it is a PEM file (%s); convert it with openssl pkcs12 -export", ErrNotPKCS12, kind)
	}

	// go-pkcs12 verifies the MAC with the two-zero-byte empty password and then with a truly
	// empty one, so "" covers both PKCS#12 encodings of "no password" without a fallback here.
	key, first, rest, err := pkcs12.DecodeChain(pfx, password)
	if err != nil {
		return nil, classifyPKCS12Error(err, password)
	}

	// DecodeChain calls the first certificate bag the leaf; exports may list CAs first, so match by key.
	certs := append([]*x509.Certificate{first}, rest...)
	leaf := matchingCertificate(key, certs)
	if leaf == nil {
		subjects := make([]string, len(certs))
		for i, c := range certs {
			subjects[i] = fmt.Sprintf("%q", c.Subject.String())
		}
		return nil, fmt.Errorf("%w: none of its %d certificate(s) (%s) has the private key's public key",
			ErrNoCertificate, len(certs), strings.Join(subjects, ", "))
	}
	return &ClientCertificate{
		Thumbprint:  Thumbprint(leaf.Raw),
		Subject:     leaf.Subject.String(),
		NotBefore:   leaf.NotBefore,
		NotAfter:    leaf.NotAfter,
		Certificate: leaf,
	}, nil
}

// matchingCertificate returns the first certificate whose public key is key's, or nil.
func matchingCertificate(key any, certs []*x509.Certificate) *x509.Certificate {
	signer, ok := key.(interface{ Public() crypto.PublicKey })
	if !ok {
		return nil
	}
	public, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return nil
	}
	for _, c := range certs {
		if public.Equal(c.PublicKey) {
			return c
		}
	}
	return nil
}

// go-pkcs12 v0.7.4 reports these cases only as plain error strings; the tests pin them.
const (
	pkcs12MsgNoMAC          = "pkcs12: no MAC in data"
	pkcs12MsgCertMissing    = "pkcs12: certificate missing"
	pkcs12MsgKeyMissing     = "pkcs12: private key missing"
	pkcs12MsgTwoKeys        = "pkcs12: expected exactly one key bag"
	pkcs12MsgPasswordNotBMP = "pkcs12: string contains characters that cannot be encoded in UCS-2"
)

// classifyPKCS12Error maps a go-pkcs12 error to this package's sentinels. go-pkcs12's own texts
// hold neither the PFX nor the password, so they are kept as detail.
func classifyPKCS12Error(err error, password string) error {
	var notImplemented pkcs12.NotImplementedError
	switch {
	// A failed MAC is the usual wrong password; a failed decryption (bad padding) is one where no MAC caught it.
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		if password == "" {
			return fmt.Errorf("%w: the PFX is password-protected and the password is empty", ErrWrongPassword)
		}
		return fmt.Errorf("%w", ErrWrongPassword)
	case err.Error() == pkcs12MsgNoMAC:
		// Only reached with a non-empty password: go-pkcs12 accepts a MAC-less file with "" alone.
		return fmt.Errorf("%w: the PFX has no password integrity check (MAC); if it was exported without a password, set the password to \"\"", ErrWrongPassword)
	case err.Error() == pkcs12MsgPasswordNotBMP:
		return fmt.Errorf("%w: the password has characters PKCS#12 cannot encode (outside the Unicode Basic Multilingual Plane)", ErrWrongPassword)
	case err.Error() == pkcs12MsgKeyMissing:
		return fmt.Errorf("%w: export the client certificate together with its private key", ErrNoPrivateKey)
	case err.Error() == pkcs12MsgCertMissing:
		return fmt.Errorf("%w: it holds no certificate at all", ErrNoCertificate)
	case err.Error() == pkcs12MsgTwoKeys:
		return fmt.Errorf("%w: it holds more than one private key; export only the client certificate with its key", ErrUnsupportedPKCS12)
	case errors.As(err, &notImplemented):
		return fmt.Errorf("%w: %s", ErrUnsupportedPKCS12, strings.TrimPrefix(err.Error(), "pkcs12: "))
	default:
		return fmt.Errorf("%w: %s", ErrNotPKCS12, err.Error())
	}
}

// CertificateAuthority is what Graph records for one certificate of an uploaded .p7b.
type CertificateAuthority struct {
	Thumbprint                 string // uppercase hex SHA-1 of the DER
	Subject                    string // RFC 2253, used as Graph's displayName
	Issuer                     string // RFC 2253
	IssuerSubjectKeyIdentifier string // uppercase hex of the Authority Key Identifier ("" if absent)
	// SubjectKeyIdentifier is the uppercase hex of the certificate's own Subject Key Identifier extension
	// ("" if absent): what CBA policies (CRL exemptions, CA scopes) name a CA by.
	SubjectKeyIdentifier string
	IsRoot               bool // self-signed
	// IsCA: BasicConstraints present with CA:TRUE. A leaf (CA:FALSE or no BasicConstraints) in a bundle is a mistake.
	IsCA      bool
	NotBefore time.Time
	NotAfter  time.Time
	CRLURL    string // first http(s) CRL distribution point, "" if none
	DER       []byte
}

// pemPKCS7Types are the PEM labels a PKCS#7 bundle is found under (RFC 7468 and older tools).
var pemPKCS7Types = map[string]bool{"PKCS7": true, "CMS": true, "PKCS #7 SIGNED DATA": true}

// ParseCertificateBundle parses a PKCS#7 certificate bundle (DER or PEM-armoured) and enforces
// Graph's limits (2 MB, 250 certificates, 8 KB each), in file order.
func ParseCertificateBundle(data []byte) ([]CertificateAuthority, error) {
	if len(data) > MaxBundleSize {
		return nil, fmt.Errorf("%w: it is %d bytes; Graph accepts at most %d bytes (2 MB) per upload", ErrFileTooLarge, len(data), MaxBundleSize)
	}
	der, err := bundleDER(data)
	if err != nil {
		return nil, err
	}
	if err := checkSignedData(der); err != nil {
		return nil, err
	}
	p7, err := pkcs7.Parse(der)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrNotPKCS7, err.Error())
	}
	if len(p7.Certificates) == 0 {
		return nil, fmt.Errorf("%w: add the CA certificates, e.g. openssl crl2pkcs7 -nocrl -certfile root.pem -certfile intermediate.pem -outform DER", ErrNoCertificates)
	}
	if len(p7.Certificates) > MaxBundleCAs {
		return nil, fmt.Errorf("%w: it holds %d; split them over several uploads or PKIs", ErrTooManyCAs, len(p7.Certificates))
	}
	cas := make([]CertificateAuthority, 0, len(p7.Certificates))
	for i, cert := range p7.Certificates {
		if len(cert.Raw) > MaxCertificateSize {
			return nil, fmt.Errorf("%w: certificate %d (subject %q) is %d bytes; the limit is %d bytes",
				ErrCATooLarge, i+1, cert.Subject.String(), len(cert.Raw), MaxCertificateSize)
		}
		cas = append(cas, certificateAuthority(cert))
	}
	return cas, nil
}

// bundleDER returns the DER (or BER) inside data, unwrapping a PEM PKCS7/CMS block.
func bundleDER(data []byte) ([]byte, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: the file is empty", ErrNotPKCS7)
	}
	if !bytes.Contains(trimmed, []byte("-----BEGIN ")) {
		return data, nil
	}
	var seen []string
	for rest := trimmed; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if pemPKCS7Types[block.Type] {
			return block.Bytes, nil
		}
		seen = append(seen, block.Type)
	}
	if len(seen) == 0 {
		return nil, fmt.Errorf("%w: it looks like PEM but has no readable PEM block", ErrNotPKCS7)
	}
	return nil, fmt.Errorf("%w: it is PEM with %s, not PKCS7; bundle the certificates with openssl crl2pkcs7 -nocrl -certfile <file>",
		ErrNotPKCS7, strings.Join(seen, ", "))
}

// checkSignedData rejects DER whose outer content type is not signedData (pkcs7.Parse would
// accept enveloped or encrypted data and report no certificates) or that has trailing data.
// BER (indefinite lengths), which encoding/asn1 cannot read, is left to pkcs7.Parse.
func checkSignedData(der []byte) error {
	var info struct {
		ContentType asn1.ObjectIdentifier
		Rest        asn1.RawValue `asn1:"optional"`
	}
	rest, err := asn1.Unmarshal(der, &info)
	if err != nil {
		var structural asn1.StructuralError
		if errors.As(err, &structural) {
			return fmt.Errorf("%w: %s", ErrNotPKCS7, err.Error())
		}
		return nil
	}
	if !info.ContentType.Equal(pkcs7.OIDSignedData) {
		return fmt.Errorf("%w: its content type is %s, not signedData (1.2.840.113549.1.7.2)", ErrNotPKCS7, info.ContentType)
	}
	// pkcs7.Parse drops what follows the structure; a stray trailing newline is harmless, other bytes are not.
	if extra := len(bytes.TrimSpace(rest)); extra > 0 {
		return fmt.Errorf("%w: %d bytes of trailing data follow the PKCS#7 structure", ErrNotPKCS7, extra)
	}
	return nil
}

func certificateAuthority(cert *x509.Certificate) CertificateAuthority {
	isRoot := isSelfSigned(cert)
	aki := cert.AuthorityKeyId
	if len(aki) == 0 && isRoot {
		// A self-signed certificate is its own issuer, so its own key identifier names the issuer's key.
		aki = cert.SubjectKeyId
	}
	return CertificateAuthority{
		Thumbprint:                 Thumbprint(cert.Raw),
		Subject:                    cert.Subject.String(),
		Issuer:                     cert.Issuer.String(),
		IssuerSubjectKeyIdentifier: strings.ToUpper(hex.EncodeToString(aki)),
		SubjectKeyIdentifier:       strings.ToUpper(hex.EncodeToString(cert.SubjectKeyId)),
		IsRoot:                     isRoot,
		IsCA:                       cert.BasicConstraintsValid && cert.IsCA,
		NotBefore:                  cert.NotBefore,
		NotAfter:                   cert.NotAfter,
		CRLURL:                     firstHTTPCRL(cert.CRLDistributionPoints),
		DER:                        cert.Raw,
	}
}

// isSelfSigned: subject equals issuer and the certificate's own key verifies its signature.
// CheckSignature (unlike CheckSignatureFrom) accepts SHA-1, which many long-lived roots use.
func isSelfSigned(cert *x509.Certificate) bool {
	if !bytes.Equal(cert.RawSubject, cert.RawIssuer) {
		return false
	}
	err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature)
	if err == nil {
		return true
	}
	// Signatures Go cannot check (MD5, unknown algorithms): trust the key identifiers instead.
	var insecure x509.InsecureAlgorithmError
	if errors.As(err, &insecure) || errors.Is(err, x509.ErrUnsupportedAlgorithm) {
		return len(cert.AuthorityKeyId) == 0 || bytes.Equal(cert.AuthorityKeyId, cert.SubjectKeyId)
	}
	return false
}

func firstHTTPCRL(points []string) string {
	for _, p := range points {
		lower := strings.ToLower(strings.TrimSpace(p))
		if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
			return strings.TrimSpace(p)
		}
	}
	return ""
}

// ErrNotCertificate is returned (wrapped) by ParseCertificate.
var ErrNotCertificate = errors.New("not an X.509 certificate (PEM, or base64 of its DER)")

// ParseCertificate reads one X.509 certificate given as PEM ("-----BEGIN CERTIFICATE-----", as file("root.pem")
// gives), as base64 of its DER, or as raw DER, and returns the facts Graph records for it as a CA.
func ParseCertificate(data []byte) (CertificateAuthority, error) {
	if len(data) > 0 && data[0] == 0x30 { // raw DER: its last bytes may be whitespace values, never trim them
		return parseCertificateDER(data)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return CertificateAuthority{}, fmt.Errorf("%w: it is empty", ErrNotCertificate)
	}
	der := trimmed
	switch {
	case bytes.Contains(trimmed, []byte("-----BEGIN ")):
		block, rest := pem.Decode(trimmed)
		if block == nil {
			return CertificateAuthority{}, fmt.Errorf("%w: it looks like PEM but has no readable PEM block", ErrNotCertificate)
		}
		if block.Type != "CERTIFICATE" {
			return CertificateAuthority{}, fmt.Errorf("%w: its PEM block is %q, not CERTIFICATE", ErrNotCertificate, block.Type)
		}
		if next, _ := pem.Decode(rest); next != nil {
			return CertificateAuthority{}, fmt.Errorf("%w: it holds more than one PEM block; give one certificate", ErrNotCertificate)
		}
		der = block.Bytes
	case trimmed[0] != 0x30: // not a DER SEQUENCE: try base64
		b, err := base64.StdEncoding.DecodeString(string(trimmed))
		if err != nil {
			return CertificateAuthority{}, fmt.Errorf("%w: it is neither PEM nor valid base64", ErrNotCertificate)
		}
		der = b
	}
	return parseCertificateDER(der)
}

func parseCertificateDER(der []byte) (CertificateAuthority, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return CertificateAuthority{}, fmt.Errorf("%w: %s", ErrNotCertificate, strings.TrimPrefix(err.Error(), "x509: "))
	}
	if len(cert.Raw) > MaxCertificateSize {
		return CertificateAuthority{}, fmt.Errorf("%w: the certificate is %d bytes; Graph's limit is %d bytes", ErrCATooLarge, len(cert.Raw), MaxCertificateSize)
	}
	return certificateAuthority(cert), nil
}

// pemKind reports whether data is PEM text, and its first block's label.
func pemKind(data []byte) (string, bool) {
	block, _ := pem.Decode(data)
	if block == nil {
		return "", false
	}
	return "BEGIN " + block.Type, true
}

// SHA256Hex is the uppercase hex SHA-256 of data, as Get-FileHash prints it.
func SHA256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// Thumbprint is the uppercase hex SHA-1 of a certificate's DER.
func Thumbprint(der []byte) string {
	sum := sha1.Sum(der)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// BundleAdvice words an error of ParseCertificateBundle for a user: what is wrong with the file and what to do,
// as a phrase that follows "the file" ("is not a PKCS#7 certificate bundle …"). It never quotes the file.
func BundleAdvice(err error) string {
	switch {
	case errors.Is(err, ErrNotPKCS7):
		return "is not a PKCS#7 certificate bundle (.p7b), DER or PEM. Export the CA certificates as " +
			"\"Cryptographic Message Syntax Standard - PKCS #7 Certificates (.P7B)\", e.g. " +
			"openssl crl2pkcs7 -nocrl -certfile root.pem -certfile intermediate.pem -outform DER -out pki.p7b"
	case errors.Is(err, ErrNoCertificates):
		return "holds no certificates. Put the root and intermediate CA certificates into it"
	case errors.Is(err, ErrTooManyCAs):
		return "holds more than 250 certificates, Graph's limit per upload. Split them into several .p7b files"
	case errors.Is(err, ErrCATooLarge):
		return "holds a certificate larger than 8 KB, Graph's limit per certificate authority. Remove it from the bundle"
	case errors.Is(err, ErrFileTooLarge):
		return "is larger than 2 MB, Graph's limit for a PKI upload. Split it into several .p7b files"
	}
	return "could not be read as a .p7b"
}
