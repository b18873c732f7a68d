package testfixtures

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
)

// NewCA makes a self-signed EC P-256 CA certificate (DER) and its key, valid from an hour before validFrom for a
// year. padding > 0 adds a private extension of that many bytes, to build certificates over Graph's size limit.
func NewCA(t testing.TB, cn string, validFrom time.Time, padding int) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn, SerialNumber: serial.String()},
		NotBefore:             validFrom.Add(-time.Hour),
		NotAfter:              validFrom.AddDate(1, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}
	if padding > 0 {
		val, err := asn1.Marshal(make([]byte, padding))
		if err != nil {
			t.Fatal(err)
		}
		tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 55555, 1}, Value: val}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

// NewCAs makes n CA certificates as NewCA does, valid now.
func NewCAs(t testing.TB, n, padding int) [][]byte {
	t.Helper()
	out := make([][]byte, 0, n)
	for i := range n {
		der, _ := NewCA(t, "entracert test CA "+big.NewInt(int64(i+1)).String(), time.Now(), padding)
		out = append(out, der)
	}
	return out
}

// Bundle wraps DER certificates in a degenerate PKCS#7 SignedData (a .p7b, as openssl crl2pkcs7 makes).
func Bundle(t testing.TB, ders ...[]byte) []byte {
	t.Helper()
	var all []byte
	for _, d := range ders {
		all = append(all, d...)
	}
	p7, err := pkcs7.DegenerateCertificate(all)
	if err != nil {
		t.Fatal(err)
	}
	return p7
}
