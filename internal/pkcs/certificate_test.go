package pkcs_test

import (
	"encoding/base64"
	"encoding/pem"
	"errors"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func TestParseCertificateForms(t *testing.T) {
	pemBytes := testfixtures.Bytes("root-ca.pem")
	block, _ := pem.Decode(pemBytes)
	if block == nil {
		t.Fatal("root-ca.pem is not PEM")
	}
	for name, data := range map[string][]byte{
		"PEM":        pemBytes,
		"DER":        block.Bytes,
		"base64 DER": []byte(base64.StdEncoding.EncodeToString(block.Bytes) + "\n"),
	} {
		t.Run(name, func(t *testing.T) {
			ca, err := pkcs.ParseCertificate(data)
			if err != nil {
				t.Fatal(err)
			}
			if ca.Thumbprint != "97B4B3728E56D57F944FDE35056EF206612D21ED" {
				t.Errorf("thumbprint %s", ca.Thumbprint)
			}
			if ca.SubjectKeyIdentifier != "9514ECF8A48AB96C779523AC6689717E703627DF" {
				t.Errorf("subject key identifier %q", ca.SubjectKeyIdentifier)
			}
			if !ca.IsRoot || !ca.IsCA {
				t.Errorf("IsRoot %v IsCA %v, want both true", ca.IsRoot, ca.IsCA)
			}
			if ca.NotBefore.IsZero() || !ca.NotAfter.After(ca.NotBefore) {
				t.Errorf("validity %v .. %v", ca.NotBefore, ca.NotAfter)
			}
		})
	}
}

func TestParseCertificateLeafIsNotCA(t *testing.T) {
	ca, err := pkcs.ParseCertificate(testfixtures.Bytes("client.pem"))
	if err != nil {
		t.Fatal(err)
	}
	if ca.IsCA {
		t.Error("client.pem (CA:FALSE) reported as a CA")
	}
	if ca.SubjectKeyIdentifier != "A38AC90F10054B29CD2F8F8EBC681775008274"+"29" {
		t.Errorf("subject key identifier %q", ca.SubjectKeyIdentifier)
	}
}

func TestParseCertificateRejects(t *testing.T) {
	two := append(testfixtures.Bytes("root-ca.pem"), testfixtures.Bytes("intermediate-ca.pem")...)
	for name, data := range map[string][]byte{
		"empty":      nil,
		"not base64": []byte("not a certificate!"),
		"two PEMs":   two,
		"PKCS7 PEM":  testfixtures.Bytes("contoso-pki-pem.p7b"),
		"garbage":    {0x30, 0x03, 0x01, 0x02, 0x03},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := pkcs.ParseCertificate(data); !errors.Is(err, pkcs.ErrNotCertificate) {
				t.Fatalf("got %v, want ErrNotCertificate", err)
			}
		})
	}
}

// Raw DER is never trimmed: a certificate whose encoding ends in a byte that looks like whitespace still parses.
func TestParseCertificateDERNotTrimmed(t *testing.T) {
	block, _ := pem.Decode(testfixtures.Bytes("root-ca.pem"))
	der := append([]byte(nil), block.Bytes...)
	if _, err := pkcs.ParseCertificate(der); err != nil {
		t.Fatal(err)
	}
	// Trailing whitespace after DER is not the certificate: refused rather than silently dropped.
	if _, err := pkcs.ParseCertificate(append(der, '\n')); !errors.Is(err, pkcs.ErrNotCertificate) {
		t.Fatalf("DER followed by a newline: %v, want ErrNotCertificate", err)
	}
}
