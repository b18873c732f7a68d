package pki

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
)

// Fixture reads a file of testdata/ (copied from the project's shared fixtures).
func Fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// PEMDER returns the DER of the first PEM block of a testdata file.
func PEMDER(t *testing.T, name string) []byte {
	t.Helper()
	block, _ := pem.Decode(Fixture(t, name))
	if block == nil {
		t.Fatalf("%s: no PEM block", name)
	}
	return block.Bytes
}

// SelfSignedCAs makes n small self-signed CA certificates; extra bytes of padding go into a private extension.
func SelfSignedCAs(t *testing.T, n, padding int) [][]byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]byte, 0, n)
	for i := range n {
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(int64(i + 1)),
			Subject:               pkix.Name{CommonName: "entracert test CA", SerialNumber: big.NewInt(int64(i + 1)).String()},
			NotBefore:             time.Now().Add(-time.Hour),
			NotAfter:              time.Now().Add(24 * time.Hour),
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		}
		if padding > 0 {
			pad, _ := asn1.Marshal(make([]byte, padding))
			tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 55555, 1}, Value: pad}}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, der)
	}
	return out
}

// P7B wraps certificates in a degenerate PKCS#7 SignedData, as openssl crl2pkcs7 does.
func P7B(t *testing.T, certs [][]byte) []byte {
	t.Helper()
	var all []byte
	for _, c := range certs {
		all = append(all, c...)
	}
	b, err := pkcs7.DegenerateCertificate(all)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
