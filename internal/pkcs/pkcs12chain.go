package pkcs

import (
	"crypto/x509"
	"encoding/base64"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// DecodeClientCertificateChain is DecodeClientCertificate that also returns the PFX's other certificates
// (the CA chain exported with the leaf), in file order, without the leaf. Its errors are DecodeClientCertificate's.
func DecodeClientCertificateChain(pkcs12Base64, password string) (*ClientCertificate, []*x509.Certificate, error) {
	leaf, err := DecodeClientCertificate(pkcs12Base64, password)
	if err != nil {
		return nil, nil, err
	}
	// Both decodes succeeded above with the same input, so these cannot fail differently.
	pfx, err := base64.StdEncoding.DecodeString(strings.TrimSpace(pkcs12Base64))
	if err != nil {
		return nil, nil, ErrNotBase64
	}
	_, first, rest, err := pkcs12.DecodeChain(pfx, password)
	if err != nil {
		return nil, nil, classifyPKCS12Error(err, password)
	}
	var chain []*x509.Certificate
	for _, c := range append([]*x509.Certificate{first}, rest...) {
		if !c.Equal(leaf.Certificate) {
			chain = append(chain, c)
		}
	}
	return leaf, chain, nil
}
