package functions_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/functions"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestPKCS7CertificatesDERAndPEM(t *testing.T) {
	for _, file := range []string{"contoso-pki.p7b", "contoso-pki-pem.p7b"} {
		t.Run(file, func(t *testing.T) {
			v, ferr := run(t, functions.NewPKCS7Certificates(), testfixtures.Base64(file))
			if ferr != nil {
				t.Fatal(ferr)
			}
			list := testfixtures.As[types.List](t, v).Elements()
			if len(list) != 2 {
				t.Fatalf("%d certificates, want 2", len(list))
			}
			byThumb := map[string]map[string]string{}
			for _, e := range list {
				a := attrs(t, e)
				m := map[string]string{}
				for k, av := range a {
					switch x := av.(type) {
					case types.String:
						if x.IsNull() {
							m[k] = "<null>"
						} else {
							m[k] = x.ValueString()
						}
					case types.Bool:
						m[k] = map[bool]string{true: "true", false: "false"}[x.ValueBool()]
					}
				}
				byThumb[m["thumbprint"]] = m
			}
			root, inter := byThumb[testfixtures.ContosoRootThumbprint], byThumb[testfixtures.ContosoIntermediateThumb]
			wantRoot := map[string]string{
				"subject": "CN=Contoso Fixture Root CA,O=Contoso", "issuer": "CN=Contoso Fixture Root CA,O=Contoso",
				"is_ca": "true", "certificate_authority_type": "root",
				"subject_key_identifier": "9514ECF8A48AB96C779523AC6689717E703627DF",
				"crl_distribution_point": "<null>", "not_after": "2046-11-17T03:40:51Z", "missing_issuer": "<null>",
			}
			wantInter := map[string]string{
				"subject": "CN=Contoso Fixture Issuing CA,O=Contoso", "issuer": "CN=Contoso Fixture Root CA,O=Contoso",
				"is_ca": "true", "certificate_authority_type": "intermediate",
				"subject_key_identifier": "3DAB96BBDAC9E8D9959F2CCABD927CB4039589DB",
				"crl_distribution_point": testfixtures.ContosoIntermediateCRLURL, "not_after": "2036-11-19T03:40:51Z",
				"missing_issuer": "<null>",
			}
			for k, w := range wantRoot {
				if root[k] != w {
					t.Errorf("root %s = %q, want %q", k, root[k], w)
				}
			}
			for k, w := range wantInter {
				if inter[k] != w {
					t.Errorf("intermediate %s = %q, want %q", k, inter[k], w)
				}
			}
		})
	}
}

func TestPKCS7CertificatesGeneratedAndBad(t *testing.T) {
	cas := testfixtures.NewCAs(t, 3, 0)
	v, ferr := run(t, functions.NewPKCS7Certificates(), base64.StdEncoding.EncodeToString(testfixtures.Bundle(t, cas...)))
	if ferr != nil {
		t.Fatal(ferr)
	}
	if n := len(testfixtures.As[types.List](t, v).Elements()); n != 3 {
		t.Errorf("%d certificates, want 3", n)
	}

	for name, c := range map[string]struct{ content, want string }{
		"not base64":     {"not base64!", "The bundle is not base64: content_base64 must be the .p7b file in standard base64"},
		"a PFX":          {testfixtures.Base64("client-aes.pfx"), "is not a PKCS#7 certificate bundle (.p7b), DER or PEM"},
		"a PEM cert":     {base64.StdEncoding.EncodeToString(testfixtures.Bytes("root-ca.pem")), "is PEM with CERTIFICATE, not PKCS7"},
		"too many":       {base64.StdEncoding.EncodeToString(testfixtures.Bundle(t, testfixtures.NewCAs(t, 251, 0)...)), "more than 250 certificates"},
		"a CA over 8 KB": {base64.StdEncoding.EncodeToString(testfixtures.Bundle(t, testfixtures.NewCAs(t, 1, 9000)...)), "larger than 8 KB"},
		"over 2 MB":      {base64.StdEncoding.EncodeToString(make([]byte, 2<<20+1)), "larger than 2 MB"},
		"empty input":    {"", "The file in content_base64 is not a PKCS#7 certificate bundle"},
	} {
		t.Run(name, func(t *testing.T) {
			_, ferr := run(t, functions.NewPKCS7Certificates(), c.content)
			if ferr == nil || !strings.Contains(ferr.Text, c.want) {
				t.Fatalf("error %v, want one containing %q", ferr, c.want)
			}
			if ferr.FunctionArgument == nil || *ferr.FunctionArgument != 0 {
				t.Errorf("the error should name argument 0 (content_base64)")
			}
		})
	}
}

func TestAccPKCS7CertificatesFunction(t *testing.T) {
	t.Parallel()
	caCheck := func(thumbprint, subject, kind, ski string, crl knownvalue.Check, notAfter string) knownvalue.Check {
		return knownvalue.ObjectExact(map[string]knownvalue.Check{
			"thumbprint": knownvalue.StringExact(thumbprint), "subject": knownvalue.StringExact(subject),
			"issuer": knownvalue.StringExact("CN=Contoso Fixture Root CA,O=Contoso"), "is_ca": knownvalue.Bool(true),
			"certificate_authority_type": knownvalue.StringExact(kind), "subject_key_identifier": knownvalue.StringExact(ski),
			"crl_distribution_point": crl, "not_after": knownvalue.StringExact(notAfter), "missing_issuer": knownvalue.Null(),
		})
	}
	want := knownvalue.SetExact([]knownvalue.Check{
		caCheck(testfixtures.ContosoRootThumbprint, "CN=Contoso Fixture Root CA,O=Contoso", "root",
			"9514ECF8A48AB96C779523AC6689717E703627DF", knownvalue.Null(), "2046-11-17T03:40:51Z"),
		caCheck(testfixtures.ContosoIntermediateThumb, "CN=Contoso Fixture Issuing CA,O=Contoso", "intermediate",
			"3DAB96BBDAC9E8D9959F2CCABD927CB4039589DB", knownvalue.StringExact(testfixtures.ContosoIntermediateCRLURL), "2036-11-19T03:40:51Z"),
	})
	functionTest(t,
		resource.TestStep{
			Config: fmt.Sprintf(`
output "der" {
  value = toset(provider::entracert::pkcs7_certificates(%s))
}
output "pem" {
  value = toset(provider::entracert::pkcs7_certificates(%s))
}
`, heredoc(testfixtures.Base64("contoso-pki.p7b")), heredoc(testfixtures.Base64("contoso-pki-pem.p7b"))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("der", want),
				statecheck.ExpectKnownOutputValue("pem", want),
			},
		},
		resource.TestStep{
			Config: fmt.Sprintf(`
output "bad" {
  value = provider::entracert::pkcs7_certificates(%s)
}
`, heredoc(testfixtures.Base64("client-aes.pfx"))),
			ExpectError: wrapped("The file in content_base64 is not a PKCS#7 certificate bundle (.p7b), DER or PEM."),
		},
	)
}
