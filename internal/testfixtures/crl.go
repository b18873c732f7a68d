package testfixtures

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"testing"
	"time"
)

// NewSubCA makes an EC P-256 CA certificate (DER) and its key, issued by parent (DER and key), valid from an hour
// before validFrom for a year, with crlURL as its CRL distribution point when not "".
func NewSubCA(t testing.TB, cn string, parentDER []byte, parentKey *ecdsa.PrivateKey, crlURL string, validFrom time.Time) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	parent, err := x509.ParseCertificate(parentDER)
	if err != nil {
		t.Fatal(err)
	}
	key, serial := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn, SerialNumber: serial.String()},
		NotBefore:             validFrom.Add(-time.Hour),
		NotAfter:              validFrom.AddDate(1, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
	}
	if crlURL != "" {
		tmpl.CRLDistributionPoints = []string{crlURL}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

// NewCAWithCRL is NewCA (self-signed, no padding) with crlURL as its CRL distribution point.
func NewCAWithCRL(t testing.TB, cn, crlURL string, validFrom time.Time) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, serial := newKey(t)
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: cn, SerialNumber: serial.String()},
		NotBefore:             validFrom.Add(-time.Hour),
		NotAfter:              validFrom.AddDate(1, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		CRLDistributionPoints: []string{crlURL},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

func newKey(t testing.TB) (*ecdsa.PrivateKey, *big.Int) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	return key, serial
}

// NewCRL makes a DER CRL that the CA (certificate DER and key) signs with x509.CreateRevocationList, valid from
// thisUpdate to nextUpdate, with CRL number number and revoked revoked entries. It carries the CA's subject key
// identifier as its authority key identifier.
func NewCRL(t testing.TB, caDER []byte, key *ecdsa.PrivateKey, thisUpdate, nextUpdate time.Time, number int64, revoked int) []byte {
	t.Helper()
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	entries := make([]x509.RevocationListEntry, 0, revoked)
	for i := range revoked {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: big.NewInt(int64(1000 + i)), RevocationTime: thisUpdate.Add(-time.Hour)})
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number: big.NewInt(number), ThisUpdate: thisUpdate, NextUpdate: nextUpdate, RevokedCertificateEntries: entries,
	}, ca, key)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

var oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}

// NewCRLWithoutAKI makes a DER CRL signed by the CA's key that has no authority key identifier (which
// x509.CreateRevocationList always adds), only a CRL number: as some old CAs publish and Entra rejects.
func NewCRLWithoutAKI(t testing.TB, caDER []byte, key *ecdsa.PrivateKey, thisUpdate, nextUpdate time.Time, number int64) []byte {
	t.Helper()
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	var issuer pkix.RDNSequence
	if _, err := asn1.Unmarshal(ca.RawSubject, &issuer); err != nil {
		t.Fatal(err)
	}
	num, err := asn1.Marshal(big.NewInt(number))
	if err != nil {
		t.Fatal(err)
	}
	alg := pkix.AlgorithmIdentifier{Algorithm: oidECDSAWithSHA256}
	tbs := pkix.TBSCertificateList{ //nolint:staticcheck // the deprecated type is the plain ASN.1 shape needed here
		Version: 1, Signature: alg, Issuer: issuer, ThisUpdate: thisUpdate.UTC(), NextUpdate: nextUpdate.UTC(),
		Extensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 20}, Value: num}},
	}
	tbsDER, err := asn1.Marshal(tbs)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256(tbsDER)
	sig, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	tbs.Raw = tbsDER
	der, err := asn1.Marshal(pkix.CertificateList{ //nolint:staticcheck // as above
		TBSCertList: tbs, SignatureAlgorithm: alg, SignatureValue: asn1.BitString{Bytes: sig, BitLength: 8 * len(sig)},
	})
	if err != nil {
		t.Fatal(err)
	}
	return der
}
