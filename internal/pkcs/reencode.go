package pkcs

import (
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// ReencodeForGraph re-encodes a base64 PFX as PKCS#12 with TripleDES (pbeWithSHAAnd3-KeyTripleDES-CBC) for the
// key and certificates and a SHA-1 MAC, with the same password, private key and certificate chain, so the leaf's
// thumbprint does not change. Azure AD B2C refuses PFX files encrypted with AES (PBES2, OpenSSL 3's default) with
// "The certificate password provided in request is incorrect" and accepts TripleDES-SHA1 ones; re-encoding makes
// the user's choice of encryption irrelevant. The result is base64 (standard encoding). Errors are those of
// DecodeClientCertificate and never contain the PFX or the password.
func ReencodeForGraph(pkcs12Base64, password string) (string, error) {
	der, err := base64.StdEncoding.DecodeString(strings.TrimSpace(pkcs12Base64))
	if err != nil {
		return "", fmt.Errorf("%w", ErrNotBase64)
	}
	out, err := ReencodeForGraphDER(der, password)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(out), nil
}

// ReencodeForGraphDER is ReencodeForGraph for raw PFX bytes.
func ReencodeForGraphDER(pfx []byte, password string) ([]byte, error) {
	cert, err := DecodeClientCertificateDER(pfx, password)
	if err != nil {
		return nil, err
	}
	key, first, rest, err := pkcs12.DecodeChain(pfx, password)
	if err != nil {
		return nil, classifyPKCS12Error(err, password)
	}
	// The leaf is the certificate matching the key (DecodeClientCertificateDER found it); every other
	// certificate of the file is kept as the chain, in the file's order.
	var chain []*x509.Certificate
	for _, c := range append([]*x509.Certificate{first}, rest...) {
		if !c.Equal(cert.Certificate) {
			chain = append(chain, c)
		}
	}
	out, err := pkcs12.LegacyDES.Encode(key, cert.Certificate, chain, password)
	if err != nil {
		// go-pkcs12's encoder errors name the key type or the password's characters, never their values.
		return nil, fmt.Errorf("re-encoding the PFX with TripleDES failed: %w", err)
	}
	return out, nil
}
