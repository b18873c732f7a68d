package pki

import (
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
)

func TestCertificateWarnings(t *testing.T) {
	root, err := pkcs.ParseCertificate(testfixtures.Bytes("root-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := pkcs.ParseCertificate(testfixtures.Bytes("client.pem"))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		ca   pkcs.CertificateAuthority
		now  time.Time
		want []string // summaries, in order
	}{
		{"valid CA", root, now, nil},
		{"leaf", leaf, now, []string{"The certificate is not a certificate authority"}},
		{"expired", root, root.NotAfter, []string{"The certificate authority has expired"}},
		{"expires in 29 days", root, root.NotAfter.Add(-29 * 24 * time.Hour), []string{"The certificate authority expires soon"}},
		{"expires in 31 days", root, root.NotAfter.Add(-31 * 24 * time.Hour), nil},
		{"expired leaf", leaf, leaf.NotAfter.Add(time.Hour), []string{"The certificate is not a certificate authority", "The certificate authority has expired"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := certificateWarnings(&tc.ca, tc.now)
			if diags.HasError() {
				t.Fatalf("warnings include an error: %v", diags)
			}
			var got []string
			for _, d := range diags {
				got = append(got, d.Summary())
				if !strings.Contains(d.Detail(), tc.ca.Thumbprint) {
					t.Errorf("detail %q does not name the certificate", d.Detail())
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("warnings %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCheckCRLURL(t *testing.T) {
	for raw, want := range map[string]string{
		"http://crl.contoso.com/root.crl":  "",
		"HTTP://crl.contoso.com/root.crl":  "",
		"https://crl.contoso.com/root.crl": "only HTTP",
		"ldap://crl.contoso.com/root.crl":  `scheme is "ldap"`,
		"crl.contoso.com/root.crl":         "not an absolute URL",
	} {
		got := checkCRLURL(raw)
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("checkCRLURL(%q) = %q, want %q", raw, got, want)
		}
	}
}
