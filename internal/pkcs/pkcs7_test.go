package pkcs_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/smallstep/pkcs7"
)

func TestParseCertificateBundleContoso(t *testing.T) {
	block, _ := pem.Decode(testfixtures.Bytes("contoso-pki-pem.p7b"))
	if block == nil {
		t.Fatal("contoso-pki-pem.p7b is not PEM")
	}
	cms := pem.EncodeToMemory(&pem.Block{Type: "CMS", Bytes: block.Bytes})

	for _, tt := range []struct{ name, file string }{
		{"DER", "contoso-pki.p7b"},
		{"PEM", "contoso-pki-pem.p7b"},
		{"PEM labelled CMS", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := cms
			if tt.file != "" {
				data = testfixtures.Bytes(tt.file)
			}
			cas, err := pkcs.ParseCertificateBundle(data)
			if err != nil {
				t.Fatal(err)
			}
			if len(cas) != 2 {
				t.Fatalf("got %d CAs, want 2", len(cas))
			}
			byThumb := map[string]pkcs.CertificateAuthority{}
			for _, ca := range cas {
				byThumb[ca.Thumbprint] = ca
				if pkcs.Thumbprint(ca.DER) != ca.Thumbprint {
					t.Errorf("%s: Thumbprint does not match DER", ca.Subject)
				}
			}
			root, ok := byThumb[testfixtures.ContosoRootThumbprint]
			if !ok {
				t.Fatalf("root %s missing; got %v", testfixtures.ContosoRootThumbprint, thumbprints(cas))
			}
			inter, ok := byThumb[testfixtures.ContosoIntermediateThumb]
			if !ok {
				t.Fatalf("intermediate %s missing; got %v", testfixtures.ContosoIntermediateThumb, thumbprints(cas))
			}

			rootCert, err := x509.ParseCertificate(root.DER)
			if err != nil {
				t.Fatal(err)
			}
			rootSKI := strings.ToUpper(hex.EncodeToString(rootCert.SubjectKeyId))
			checks := []struct {
				what      string
				got, want any
			}{
				{"root IsRoot", root.IsRoot, true},
				{"root Subject", root.Subject, "CN=Contoso Fixture Root CA,O=Contoso"},
				{"root Issuer", root.Issuer, "CN=Contoso Fixture Root CA,O=Contoso"},
				{"root CRLURL", root.CRLURL, ""},
				{"root SKI", rootSKI, "9514ECF8A48AB96C779523AC6689717E703627DF"},
				// The root has no AKI: its own key identifier stands in.
				{"root IssuerSubjectKeyIdentifier", root.IssuerSubjectKeyIdentifier, rootSKI},
				{"root NotAfter year", root.NotAfter.Year(), 2046},
				{"intermediate IsRoot", inter.IsRoot, false},
				{"intermediate Subject", inter.Subject, "CN=Contoso Fixture Issuing CA,O=Contoso"},
				{"intermediate Issuer", inter.Issuer, root.Subject},
				{"intermediate CRLURL", inter.CRLURL, testfixtures.ContosoIntermediateCRLURL},
				{"intermediate IssuerSubjectKeyIdentifier", inter.IssuerSubjectKeyIdentifier, rootSKI},
				{"intermediate NotAfter year", inter.NotAfter.Year(), 2036},
			}
			for _, c := range checks {
				if c.got != c.want {
					t.Errorf("%s = %v, want %v", c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestParseCertificateBundleFabrikam(t *testing.T) {
	cas, err := pkcs.ParseCertificateBundle(testfixtures.Bytes("fabrikam-pki.p7b"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cas) != 1 {
		t.Fatalf("got %d CAs, want 1", len(cas))
	}
	ca := cas[0]
	if ca.Thumbprint != testfixtures.FabrikamRootThumbprint || !ca.IsRoot || ca.Subject != "CN=Fabrikam Fixture Root CA,O=Fabrikam" {
		t.Errorf("got %+v", ca)
	}
	if ca.IssuerSubjectKeyIdentifier != "2D334E1C91BF9589F3678E8F3DA030796F659456" {
		t.Errorf("IssuerSubjectKeyIdentifier = %s", ca.IssuerSubjectKeyIdentifier)
	}
}

func TestSHA256HexFixtures(t *testing.T) {
	for file, want := range map[string]string{
		"contoso-pki.p7b":     testfixtures.ContosoSHA256,
		"contoso-pki-pem.p7b": testfixtures.ContosoPEMSHA256,
		"fabrikam-pki.p7b":    testfixtures.FabrikamSHA256,
	} {
		if got := pkcs.SHA256Hex(testfixtures.Bytes(file)); got != want {
			t.Errorf("SHA256Hex(%s) = %s, want %s", file, got, want)
		}
	}
}

// Bundles the test builds itself keep their file order and fields.
func TestParseCertificateBundleGenerated(t *testing.T) {
	rootKey, root := newCA(t, "Gen Root", nil, nil, nil)
	_, inter := newCA(t, "Gen Intermediate", root, rootKey, func(c *x509.Certificate) {
		c.CRLDistributionPoints = []string{"ldap://ldap.example/cn=crl", "HTTPS://crl.example/a.crl", "http://crl.example/b.crl"}
	})
	// Self-issued but signed by another key (a key rollover certificate): not a root.
	_, rollover := newCA(t, "Gen Root", root, rootKey, nil)

	cas, err := pkcs.ParseCertificateBundle(degenerate(t, inter, root, rollover))
	if err != nil {
		t.Fatal(err)
	}
	if got := thumbprints(cas); fmt.Sprint(got) != fmt.Sprint([]string{pkcs.Thumbprint(inter.Raw), pkcs.Thumbprint(root.Raw), pkcs.Thumbprint(rollover.Raw)}) {
		t.Fatalf("order/thumbprints = %v", got)
	}
	if cas[0].IsRoot || !cas[1].IsRoot || cas[2].IsRoot {
		t.Errorf("IsRoot = %v %v %v, want false true false", cas[0].IsRoot, cas[1].IsRoot, cas[2].IsRoot)
	}
	if cas[0].CRLURL != "HTTPS://crl.example/a.crl" {
		t.Errorf("CRLURL = %q, want the first http(s) point", cas[0].CRLURL)
	}
	if cas[1].IssuerSubjectKeyIdentifier != strings.ToUpper(hex.EncodeToString(root.SubjectKeyId)) || cas[1].IssuerSubjectKeyIdentifier == "" {
		t.Errorf("root IssuerSubjectKeyIdentifier = %q", cas[1].IssuerSubjectKeyIdentifier)
	}
	if !bytes.Equal(cas[0].DER, inter.Raw) {
		t.Errorf("DER differs from the certificate")
	}

	// BER with an indefinite outer length, as some Windows tools write, parses too.
	if cas, err := pkcs.ParseCertificateBundle(indefiniteLength(t, degenerate(t, inter, root))); err != nil || len(cas) != 2 {
		t.Errorf("BER: %d CAs, err %v; want 2, nil", len(cas), err)
	}

	// A DER file that picked up a trailing newline in an editor still parses.
	if _, err := pkcs.ParseCertificateBundle(append(degenerate(t, root), "\r\n"...)); err != nil {
		t.Errorf("DER with a trailing newline: %v", err)
	}
}

func TestParseCertificateBundleLimits(t *testing.T) {
	rootKey, root := newCA(t, "Limits Root", nil, nil, nil)
	many := func(n int) []*x509.Certificate {
		certs := []*x509.Certificate{root}
		for len(certs) < n {
			_, c := newCA(t, fmt.Sprintf("Limits CA %d", len(certs)), root, rootKey, nil)
			certs = append(certs, c)
		}
		return certs
	}
	certs250 := many(pkcs.MaxBundleCAs)
	certs251 := append(certs250[:len(certs250):len(certs250)], many(2)[1])

	_, bigCA := newCA(t, "Big CA", root, rootKey, func(c *x509.Certificate) {
		c.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 55555, 1}, Value: make([]byte, pkcs.MaxCertificateSize)}}
	})
	if len(bigCA.Raw) <= pkcs.MaxCertificateSize {
		t.Fatalf("big certificate is only %d bytes", len(bigCA.Raw))
	}

	ok, err := pkcs.ParseCertificateBundle(degenerate(t, certs250...))
	if err != nil || len(ok) != pkcs.MaxBundleCAs {
		t.Fatalf("250 certificates: %d CAs, err %v; want 250, nil", len(ok), err)
	}

	enveloped, err := asn1.Marshal(struct {
		ContentType asn1.ObjectIdentifier
		Content     asn1.RawValue `asn1:"explicit,tag:0"`
	}{pkcs7.OIDEnvelopedData, asn1.RawValue{Tag: asn1.TagSequence, IsCompound: true, Bytes: []byte{2, 1, 0}}})
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		data   []byte
		want   error
		detail string
	}{
		{"251 certificates", degenerate(t, certs251...), pkcs.ErrTooManyCAs, "251"},
		{"a certificate over 8 KB", degenerate(t, root, bigCA), pkcs.ErrCATooLarge, fmt.Sprintf(`certificate 2 (subject "CN=Big CA") is %d bytes`, len(bigCA.Raw))},
		{"over 2 MB", append(degenerate(t, root), make([]byte, pkcs.MaxBundleSize)...), pkcs.ErrFileTooLarge, fmt.Sprint(pkcs.MaxBundleSize)},
		{"empty bundle", degenerate(t), pkcs.ErrNoCertificates, ""},
		{"garbage", []byte("this is not a certificate bundle at all"), pkcs.ErrNotPKCS7, ""},
		{"empty file", nil, pkcs.ErrNotPKCS7, "empty"},
		{"random DER-looking bytes", append([]byte{0x30, 0x82, 0x01, 0x00}, make([]byte, 256)...), pkcs.ErrNotPKCS7, ""},
		{"trailing data", append(degenerate(t, root), 0, 0), pkcs.ErrNotPKCS7, ""},
		{"a PFX", testfixtures.Bytes("client-aes.pfx"), pkcs.ErrNotPKCS7, ""},
		{"a PEM certificate", testfixtures.Bytes("root-ca.pem"), pkcs.ErrNotPKCS7, "CERTIFICATE"},
		{"enveloped data", enveloped, pkcs.ErrNotPKCS7, "not signedData"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cas, err := pkcs.ParseCertificateBundle(tt.data)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v (%d CAs), want errors.Is %v", err, len(cas), tt.want)
			}
			if tt.detail != "" && !strings.Contains(err.Error(), tt.detail) {
				t.Errorf("error %q lacks %q", err, tt.detail)
			}
		})
	}
}

// indefiniteLength re-encodes der's outer SEQUENCE with BER's indefinite length.
func indefiniteLength(t testing.TB, der []byte) []byte {
	t.Helper()
	var outer asn1.RawValue
	if _, err := asn1.Unmarshal(der, &outer); err != nil {
		t.Fatal(err)
	}
	ber := append([]byte{0x30, 0x80}, outer.Bytes...)
	return append(ber, 0, 0)
}

func thumbprints(cas []pkcs.CertificateAuthority) []string {
	var out []string
	for _, ca := range cas {
		out = append(out, ca.Thumbprint)
	}
	return out
}

// degenerate encodes certs as a certificates-only PKCS#7, as openssl crl2pkcs7 -nocrl does.
func degenerate(t testing.TB, certs ...*x509.Certificate) []byte {
	t.Helper()
	var raw []byte
	for _, c := range certs {
		raw = append(raw, c.Raw...)
	}
	der, err := pkcs7.DegenerateCertificate(raw)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// newCA makes a CA certificate signed by parent (self-signed when parent is nil).
func newCA(t testing.TB, cn string, parent *x509.Certificate, parentKey *ecdsa.PrivateKey, edit func(*x509.Certificate)) (*ecdsa.PrivateKey, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               pkix.Name{CommonName: cn},
		NotBefore:             date(2024, 1, 1),
		NotAfter:              date(2044, 1, 1),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	if edit != nil {
		edit(tmpl)
	}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent, parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, key.Public(), signerKey)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return key, cert
}
