package pkcs_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

// userCert describes a generated user certificate; zero fields are left out of it.
type userCert struct {
	issuerCN string
	subject  pkix.RDNSequence
	serial   string // hex
	upn      string
	email    string
	ski      []byte
}

var (
	oidDC = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 25}
	oidOU = asn1.ObjectIdentifier{2, 5, 4, 11}
	oidCN = asn1.ObjectIdentifier{2, 5, 4, 3}
)

// contosoVector is the entra-powershell test vector: issuer CN=Contoso, subject
// DC=com, DC=contoso, DC=corp, OU=UserAccounts, CN=Contoso User, UPN contoso@microsoft.com.
var contosoVector = userCert{
	issuerCN: "Contoso",
	subject: pkix.RDNSequence{
		{{Type: oidDC, Value: "com"}}, {{Type: oidDC, Value: "contoso"}}, {{Type: oidDC, Value: "corp"}},
		{{Type: oidOU, Value: "UserAccounts"}}, {{Type: oidCN, Value: "Contoso User"}},
	},
	serial: "1E8C974144BF86964423FA6464082D8A",
	upn:    "contoso@microsoft.com",
	email:  "contoso.user@contoso.com",
	ski:    []byte{0x01, 0xab, 0xcd, 0xef, 0x10},
}

// newUserCert issues c from a generated CA and returns its DER.
func newUserCert(t *testing.T, c userCert) []byte {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: c.issuerCN},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, ok := new(big.Int).SetString(c.serial, 16)
	if !ok {
		serial = big.NewInt(7)
	}
	rawSubject, err := asn1.Marshal(c.subject)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, RawSubject: rawSubject,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		SubjectKeyId: c.ski,
	}
	if c.ski == nil {
		// Go adds a SubjectKeyId only to CAs, so a leaf without one stays without one.
		tmpl.SubjectKeyId = nil
	}
	var names []asn1.RawValue
	if c.upn != "" {
		utf8, err := asn1.MarshalWithParams(c.upn, "utf8")
		if err != nil {
			t.Fatal(err)
		}
		value, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: utf8})
		if err != nil {
			t.Fatal(err)
		}
		oid, err := asn1.Marshal(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 20, 2, 3})
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 0, IsCompound: true, Bytes: append(oid, value...)})
	}
	if c.email != "" {
		names = append(names, asn1.RawValue{Class: asn1.ClassContextSpecific, Tag: 1, Bytes: []byte(c.email)})
	}
	if len(names) > 0 {
		san, err := asn1.Marshal(names)
		if err != nil {
			t.Fatal(err)
		}
		tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 17}, Value: san}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func TestCertificateUserIDsTestVector(t *testing.T) {
	der := newUserCert(t, contosoVector)
	want := pkcs.CertificateUserIDs{
		PrincipalName:         "X509:<PN>contoso@microsoft.com",
		RFC822Name:            "X509:<RFC822>contoso.user@contoso.com",
		IssuerAndSubject:      "X509:<I>CN=Contoso<S>DC=com,DC=contoso,DC=corp,OU=UserAccounts,CN=Contoso User",
		Subject:               "X509:<S>DC=com,DC=contoso,DC=corp,OU=UserAccounts,CN=Contoso User",
		SubjectKeyIdentifier:  "X509:<SKI>01ABCDEF10",
		SHA1PublicKey:         "X509:<SHA1-PUKEY>" + pkcs.Thumbprint(der),
		IssuerAndSerialNumber: "X509:<I>CN=Contoso<SR>1e8c974144bf86964423fa6464082d8a",
	}
	pemText := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	for name, in := range map[string][]byte{
		"PEM": pemText, "base64 DER": []byte(base64.StdEncoding.EncodeToString(der)), "DER": der,
	} {
		t.Run(name, func(t *testing.T) {
			got, err := pkcs.ParseCertificateUserIDs(in)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestCertificateUserIDsLackingFieldsAreEmpty(t *testing.T) {
	c := contosoVector
	c.upn, c.email, c.ski = "", "", nil
	got, err := pkcs.ParseCertificateUserIDs(newUserCert(t, c))
	if err != nil {
		t.Fatal(err)
	}
	if got.PrincipalName != "" || got.RFC822Name != "" || got.SubjectKeyIdentifier != "" {
		t.Errorf("absent UPN, e-mail and SKI should give empty values: %+v", got)
	}
	if got.Subject == "" || got.IssuerAndSerialNumber == "" || got.SHA1PublicKey == "" {
		t.Errorf("subject, serial and thumbprint are always there: %+v", got)
	}

	// Only an e-mail: the UPN stays empty and the e-mail is found.
	c.email = "only@contoso.com"
	got, err = pkcs.ParseCertificateUserIDs(newUserCert(t, c))
	if err != nil {
		t.Fatal(err)
	}
	if got.PrincipalName != "" || got.RFC822Name != "X509:<RFC822>only@contoso.com" {
		t.Errorf("e-mail only: %+v", got)
	}

	// An empty subject gives neither Subject nor IssuerAndSubject.
	c.subject = pkix.RDNSequence{}
	got, err = pkcs.ParseCertificateUserIDs(newUserCert(t, c))
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != "" || got.IssuerAndSubject != "" || got.IssuerAndSerialNumber == "" {
		t.Errorf("empty subject: %+v", got)
	}
}

func TestSerialNumberKeepsTheEncodedLeadingZero(t *testing.T) {
	c := contosoVector
	c.serial = "8000000000000001" // top bit set: DER encodes it as 00 80 ...
	got, err := pkcs.ParseCertificateUserIDs(newUserCert(t, c))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(got.IssuerAndSerialNumber, "<SR>008000000000000001") {
		t.Errorf("serial: %s", got.IssuerAndSerialNumber)
	}
}

func TestDistinguishedNameMultiValuedAndQuoted(t *testing.T) {
	name := pkix.RDNSequence{
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 6}, Value: "NL"}},
		{{Type: asn1.ObjectIdentifier{2, 5, 4, 10}, Value: "Fabrikam, Inc."}, {Type: oidOU, Value: "Sales"}},
		{{Type: asn1.ObjectIdentifier{1, 2, 3, 4}, Value: "x"}},
		{{Type: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}, Value: "a@b.example"}},
	}
	der, err := asn1.Marshal(name)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pkcs.DistinguishedName(der)
	if err != nil {
		t.Fatal(err)
	}
	// DER sorts a SET's members by their encoding, so OU (shorter) is encoded, and printed, before O.
	if want := `C=NL,OU=Sales,O="Fabrikam, Inc.",OID.1.2.3.4=x,E=a@b.example`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestCertificateUserIDsOfFixtures(t *testing.T) {
	got, err := pkcs.ParseCertificateUserIDs(testfixtures.Bytes("client.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA1PublicKey != "X509:<SHA1-PUKEY>"+testfixtures.ClientThumbprint {
		t.Errorf("SHA1-PUKEY is the certificate thumbprint: %s", got.SHA1PublicKey)
	}
	if !strings.HasPrefix(got.Subject, "X509:<S>") || !strings.HasPrefix(got.IssuerAndSerialNumber, "X509:<I>") {
		t.Errorf("fixture: %+v", got)
	}
	_, err = pkcs.ParseCertificateUserIDs(testfixtures.Bytes("contoso-pki.p7b"))
	if !errors.Is(err, pkcs.ErrNotCertificate) {
		t.Errorf("a .p7b is not one certificate: %v", err)
	}
}

func TestDecodeClientCertificateChain(t *testing.T) {
	leaf, chain, err := pkcs.DecodeClientCertificateChain(testfixtures.Base64("client-with-chain.pfx"), testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	if leaf.Thumbprint != testfixtures.ClientThumbprint || len(chain) != 2 {
		t.Fatalf("leaf %s, chain of %d", leaf.Thumbprint, len(chain))
	}
	got := map[string]bool{}
	for _, c := range chain {
		got[pkcs.Thumbprint(c.Raw)] = true
	}
	if !got[testfixtures.ContosoRootThumbprint] || !got[testfixtures.ContosoIntermediateThumb] {
		t.Errorf("chain %v lacks the Contoso root and intermediate", got)
	}
	_, chain, err = pkcs.DecodeClientCertificateChain(testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	if err != nil || len(chain) != 0 {
		t.Errorf("no chain: %d, %v", len(chain), err)
	}
	_, _, err = pkcs.DecodeClientCertificateChain(testfixtures.Base64("client-aes.pfx"), "wrong")
	if !errors.Is(err, pkcs.ErrWrongPassword) {
		t.Errorf("wrong password: %v", err)
	}
}

// Each of UPN, e-mail and SKI missing alone empties its value only.
func TestCertificateUserIDsEachFieldMissingAlone(t *testing.T) {
	full, err := pkcs.ParseCertificateUserIDs(newUserCert(t, contosoVector))
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		drop  func(*userCert)
		empty func(pkcs.CertificateUserIDs) string
	}{
		"UPN":    {func(u *userCert) { u.upn = "" }, func(ids pkcs.CertificateUserIDs) string { return ids.PrincipalName }},
		"e-mail": {func(u *userCert) { u.email = "" }, func(ids pkcs.CertificateUserIDs) string { return ids.RFC822Name }},
		"SKI":    {func(u *userCert) { u.ski = nil }, func(ids pkcs.CertificateUserIDs) string { return ids.SubjectKeyIdentifier }},
	} {
		t.Run(name, func(t *testing.T) {
			u := contosoVector
			c.drop(&u)
			got, err := pkcs.ParseCertificateUserIDs(newUserCert(t, u))
			if err != nil {
				t.Fatal(err)
			}
			if c.empty(got) != "" {
				t.Errorf("%s should be empty: %+v", name, got)
			}
			// Everything else is as in the full certificate (but the thumbprint, which differs per certificate).
			want := full
			got.SHA1PublicKey, want.SHA1PublicKey = "", ""
			switch name {
			case "UPN":
				want.PrincipalName = ""
			case "e-mail":
				want.RFC822Name = ""
			case "SKI":
				want.SubjectKeyIdentifier = ""
			}
			if got != want {
				t.Errorf("got  %+v\nwant %+v", got, want)
			}
		})
	}
}
