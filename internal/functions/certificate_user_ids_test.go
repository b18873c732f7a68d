package functions_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/functions"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func userIDs(t *testing.T, certificate string) map[string]string {
	t.Helper()
	v, ferr := run(t, functions.NewCertificateUserIDs(), certificate)
	if ferr != nil {
		t.Fatal(ferr)
	}
	out := map[string]string{}
	for k, av := range attrs(t, v) {
		s := testfixtures.As[types.String](t, av)
		if s.IsNull() {
			out[k] = "<null>"
		} else {
			out[k] = s.ValueString()
		}
	}
	return out
}

func TestCertificateUserIDsTestVector(t *testing.T) {
	pemText, der := userCertificatePEM(t, true, true)
	want := map[string]string{
		"principal_name":           "X509:<PN>" + vectorUPN,
		"rfc822_name":              "X509:<RFC822>" + vectorEmail,
		"issuer_and_subject":       "X509:<I>CN=Contoso<S>" + vectorSubject,
		"subject":                  "X509:<S>" + vectorSubject,
		"subject_key_identifier":   "X509:<SKI>5A01FE",
		"sha1_public_key":          "X509:<SHA1-PUKEY>" + pkcs.Thumbprint(der),
		"issuer_and_serial_number": "X509:<I>CN=Contoso<SR>1e8c974144bf86964423fa6464082d8a",
	}
	for name, in := range map[string]string{"PEM": pemText, "base64 DER": base64.StdEncoding.EncodeToString(der)} {
		t.Run(name, func(t *testing.T) {
			got := userIDs(t, in)
			for k, w := range want {
				if got[k] != w {
					t.Errorf("%s = %q, want %q", k, got[k], w)
				}
			}
			if len(got) != len(want) {
				t.Errorf("attributes %v, want %d", got, len(want))
			}
		})
	}
}

func TestCertificateUserIDsMissingFieldsAreNull(t *testing.T) {
	pemText, _ := userCertificatePEM(t, false, false)
	got := userIDs(t, pemText)
	for _, k := range []string{"principal_name", "rfc822_name", "subject_key_identifier"} {
		if got[k] != "<null>" {
			t.Errorf("%s = %q, want null", k, got[k])
		}
	}
	if got["subject"] != "X509:<S>"+vectorSubject {
		t.Errorf("subject %q", got["subject"])
	}

	// A fixture certificate: SHA1-PUKEY is its thumbprint, its DNs in encoding order.
	got = userIDs(t, string(testfixtures.Bytes("client.pem")))
	if got["sha1_public_key"] != "X509:<SHA1-PUKEY>"+testfixtures.ClientThumbprint ||
		got["issuer_and_subject"] != "X509:<I>CN=Contoso Fixture Issuing CA,O=Contoso<S>CN=api-connector-client,O=Contoso" ||
		got["issuer_and_serial_number"] != "X509:<I>CN=Contoso Fixture Issuing CA,O=Contoso<SR>3f95ba752d711ddc07e39c470d8a1ebf27ff099a" {
		t.Errorf("client.pem: %v", got)
	}
}

func TestCertificateUserIDsBadInput(t *testing.T) {
	for name, c := range map[string]struct{ in, want string }{
		"a bundle":   {string(testfixtures.Bytes("contoso-pki-pem.p7b")), `its PEM block is "PKCS7", not CERTIFICATE`},
		"not base64": {"not a certificate!", "it is neither PEM nor valid base64"},
		"empty":      {"  ", "it is empty"},
	} {
		t.Run(name, func(t *testing.T) {
			_, ferr := run(t, functions.NewCertificateUserIDs(), c.in)
			if ferr == nil || !strings.Contains(ferr.Text, "Cannot read the certificate") || !strings.Contains(ferr.Text, c.want) {
				t.Fatalf("error %v, want one containing %q", ferr, c.want)
			}
		})
	}
}

func TestAccCertificateUserIDsFunction(t *testing.T) {
	t.Parallel()
	full, der := userCertificatePEM(t, true, true)
	_, bareDER := userCertificatePEM(t, false, false)
	functionTest(t,
		resource.TestStep{
			Config: fmt.Sprintf(`
output "full" {
  value = provider::entracert::certificate_user_ids(%s)
}
output "bare" {
  value = provider::entracert::certificate_user_ids(%s)
}
`, hcl(full), heredoc(base64.StdEncoding.EncodeToString(bareDER))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("full", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"principal_name":           knownvalue.StringExact("X509:<PN>contoso@microsoft.com"),
					"rfc822_name":              knownvalue.StringExact("X509:<RFC822>" + vectorEmail),
					"issuer_and_subject":       knownvalue.StringExact("X509:<I>CN=Contoso<S>DC=com,DC=contoso,DC=corp,OU=UserAccounts,CN=Contoso User"),
					"subject":                  knownvalue.StringExact("X509:<S>DC=com,DC=contoso,DC=corp,OU=UserAccounts,CN=Contoso User"),
					"subject_key_identifier":   knownvalue.StringExact("X509:<SKI>5A01FE"),
					"sha1_public_key":          knownvalue.StringExact("X509:<SHA1-PUKEY>" + pkcs.Thumbprint(der)),
					"issuer_and_serial_number": knownvalue.StringExact("X509:<I>CN=Contoso<SR>1e8c974144bf86964423fa6464082d8a"),
				})),
				statecheck.ExpectKnownOutputValue("bare", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"principal_name":           knownvalue.Null(),
					"rfc822_name":              knownvalue.Null(),
					"issuer_and_subject":       knownvalue.StringExact("X509:<I>CN=Contoso<S>DC=com,DC=contoso,DC=corp,OU=UserAccounts,CN=Contoso User"),
					"subject":                  knownvalue.StringExact("X509:<S>DC=com,DC=contoso,DC=corp,OU=UserAccounts,CN=Contoso User"),
					"subject_key_identifier":   knownvalue.Null(),
					"sha1_public_key":          knownvalue.StringExact("X509:<SHA1-PUKEY>" + pkcs.Thumbprint(bareDER)),
					"issuer_and_serial_number": knownvalue.StringExact("X509:<I>CN=Contoso<SR>1e8c974144bf86964423fa6464082d8a"),
				})),
			},
		},
		resource.TestStep{
			Config: `
output "bad" {
  value = provider::entracert::certificate_user_ids("not a certificate!")
}
`,
			ExpectError: wrapped("Cannot read the certificate: not an X.509 certificate"),
		},
	)
}
