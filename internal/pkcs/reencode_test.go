package pkcs_test

import (
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"software.sslmate.com/src/go-pkcs12"
)

var (
	oidPBEWithSHAAnd3KeyTripleDESCBC = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	oidPBES2                         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidAES256CBC                     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidSHA1                          = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256                        = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
)

// pfxOIDs collects every object identifier of a DER structure, descending into OCTET STRINGs that hold DER
// (PKCS#12 wraps its safe contents that way); encrypted contents do not parse and are skipped.
func pfxOIDs(der []byte) map[string]bool {
	out := map[string]bool{}
	var walk func([]byte, int)
	walk = func(b []byte, depth int) {
		if depth > 20 {
			return
		}
		for len(b) > 0 {
			var v asn1.RawValue
			rest, err := asn1.Unmarshal(b, &v)
			if err != nil {
				return
			}
			b = rest
			switch {
			case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOID:
				var oid asn1.ObjectIdentifier
				if _, err := asn1.Unmarshal(v.FullBytes, &oid); err == nil {
					out[oid.String()] = true
				}
			case v.IsCompound:
				walk(v.Bytes, depth+1)
			case v.Class == asn1.ClassUniversal && v.Tag == asn1.TagOctetString:
				walk(v.Bytes, depth+1)
			}
		}
	}
	walk(der, 0)
	return out
}

func TestReencodeForGraphTurnsAESIntoTripleDESWithSHA1MAC(t *testing.T) {
	in := testfixtures.Bytes("client-aes.pfx")
	before := pfxOIDs(in)
	if !before[oidPBES2.String()] || !before[oidAES256CBC.String()] {
		t.Fatalf("the fixture is not PBES2/AES as the test assumes; its OIDs: %v", before)
	}

	out, err := pkcs.ReencodeForGraph(testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(out)
	if err != nil {
		t.Fatalf("the result is not standard base64: %v", err)
	}
	oids := pfxOIDs(der)
	if !oids[oidPBEWithSHAAnd3KeyTripleDESCBC.String()] {
		t.Errorf("no pbeWithSHAAnd3-KeyTripleDES-CBC in the result: %v", oids)
	}
	if !oids[oidSHA1.String()] {
		t.Errorf("no SHA-1 (MAC) in the result: %v", oids)
	}
	for _, bad := range []asn1.ObjectIdentifier{oidPBES2, oidAES256CBC, oidSHA256} {
		if oids[bad.String()] {
			t.Errorf("the result still uses %v: %v", bad, oids)
		}
	}

	// Same password, same certificate (thumbprint), and a private key that go-pkcs12 decodes.
	cert, err := pkcs.DecodeClientCertificate(out, testfixtures.Password)
	if err != nil {
		t.Fatalf("the re-encoded PFX does not decode with the same password: %v", err)
	}
	if cert.Thumbprint != testfixtures.ClientThumbprint {
		t.Errorf("thumbprint %s, want %s", cert.Thumbprint, testfixtures.ClientThumbprint)
	}
	if _, err := pkcs.DecodeClientCertificate(out, "another password"); !errors.Is(err, pkcs.ErrWrongPassword) {
		t.Errorf("another password: err %v, want ErrWrongPassword", err)
	}
}

func TestReencodeForGraphKeepsTheChain(t *testing.T) {
	in := testfixtures.Bytes("client-with-chain.pfx")
	_, _, wantChain, err := pkcs12.DecodeChain(in, testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	if len(wantChain) == 0 {
		t.Fatal("client-with-chain.pfx holds no chain")
	}
	out, err := pkcs.ReencodeForGraphDER(in, testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	_, leaf, chain, err := pkcs12.DecodeChain(out, testfixtures.Password)
	if err != nil {
		t.Fatal(err)
	}
	if got := pkcs.Thumbprint(leaf.Raw); got != testfixtures.ClientThumbprint {
		t.Errorf("leaf %s, want %s", got, testfixtures.ClientThumbprint)
	}
	if len(chain) != len(wantChain) {
		t.Fatalf("chain of %d certificates, want %d", len(chain), len(wantChain))
	}
	for i := range chain {
		if !chain[i].Equal(wantChain[i]) {
			t.Errorf("chain[%d] is %q, want %q", i, chain[i].Subject, wantChain[i].Subject)
		}
	}
}

func TestReencodeForGraphEmptyPasswordAndErrors(t *testing.T) {
	out, err := pkcs.ReencodeForGraph(testfixtures.Base64("client-empty-password.pfx"), "")
	if err != nil {
		t.Fatal(err)
	}
	if cert, err := pkcs.DecodeClientCertificate(out, ""); err != nil || cert.Thumbprint != testfixtures.ClientThumbprint {
		t.Errorf("empty password: %v, %+v", err, cert)
	}
	const secret = "S3cret-Not-This"
	_, err = pkcs.ReencodeForGraph(testfixtures.Base64("client-aes.pfx"), secret)
	if !errors.Is(err, pkcs.ErrWrongPassword) || strings.Contains(err.Error(), secret) {
		t.Errorf("wrong password: %v", err)
	}
	if _, err := pkcs.ReencodeForGraph("not base64!", ""); !errors.Is(err, pkcs.ErrNotBase64) {
		t.Errorf("not base64: %v", err)
	}
}
