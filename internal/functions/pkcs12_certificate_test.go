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

func TestPKCS12CertificateFixtures(t *testing.T) {
	for _, c := range []struct {
		file, password, thumbprint string
		chain                      []string
	}{
		{"client-aes.pfx", testfixtures.Password, testfixtures.ClientThumbprint, nil},
		{"client-legacy-3des.pfx", testfixtures.Password, testfixtures.ClientThumbprint, nil},
		{"client-empty-password.pfx", "", testfixtures.ClientThumbprint, nil},
		{"client-ec.pfx", testfixtures.Password, testfixtures.ClientECThumbprint, nil},
		{"client-with-chain.pfx", testfixtures.Password, testfixtures.ClientThumbprint,
			[]string{testfixtures.ContosoIntermediateThumb, testfixtures.ContosoRootThumbprint}},
	} {
		t.Run(c.file, func(t *testing.T) {
			v, ferr := run(t, functions.NewPKCS12Certificate(), testfixtures.Base64(c.file), c.password)
			if ferr != nil {
				t.Fatal(ferr)
			}
			a := attrs(t, v)
			if got := testfixtures.As[types.String](t, a["thumbprint"]).ValueString(); got != c.thumbprint {
				t.Errorf("thumbprint %s, want %s", got, c.thumbprint)
			}
			var chain []string
			for _, e := range testfixtures.As[types.List](t, a["chain_thumbprints"]).Elements() {
				chain = append(chain, testfixtures.As[types.String](t, e).ValueString())
			}
			if strings.Join(chain, ",") != strings.Join(c.chain, ",") {
				t.Errorf("chain_thumbprints %v, want %v", chain, c.chain)
			}
		})
	}

	v, _ := run(t, functions.NewPKCS12Certificate(), testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	a := attrs(t, v)
	want := map[string]string{
		"subject":       "CN=api-connector-client,O=Contoso",
		"issuer":        "CN=Contoso Fixture Issuing CA,O=Contoso",
		"serial_number": "3F95BA752D711DDC07E39C470D8A1EBF27FF099A",
		"not_before":    "2026-11-22T03:40:52Z",
		"not_after":     "2036-11-19T03:40:52Z",
	}
	for k, w := range want {
		if got := testfixtures.As[types.String](t, a[k]).ValueString(); got != w {
			t.Errorf("%s = %q, want %q", k, got, w)
		}
	}
}

// Bad files and passwords fail with the resource's wording, naming the argument, and never echo a secret.
func TestPKCS12CertificateErrorsKeepSecretsOut(t *testing.T) {
	const wrongPassword = "Wr0ng-Secret-Pa55!"
	pfx := testfixtures.Base64("client-aes.pfx")
	cases := []struct {
		name, pfx, password string
		argument            int64
		want                string
	}{
		{"wrong password", pfx, wrongPassword, 1, "Wrong PFX password: the PFX in pkcs12_base64 could not be decrypted with the password in password"},
		{"missing password", pfx, "", 1, "PFX needs a password"},
		{"not base64", "%%%" + pfx[:40], wrongPassword, 0, "PFX is not base64: pkcs12_base64 must be the PFX (.pfx/.p12) file in standard base64"},
		{"truncated", testfixtures.Base64("truncated.pfx"), testfixtures.Password, 0, "Not a PKCS#12 (PFX) file"},
		{"PEM instead of PFX", base64.StdEncoding.EncodeToString(testfixtures.Bytes("client.pem")), wrongPassword, 0, "Not a PKCS#12 (PFX) file"},
		{"no private key", testfixtures.Base64("cert-only-no-key.pfx"), testfixtures.Password, 0, "PFX holds no private key"},
	}
	secrets := []string{wrongPassword, testfixtures.Password, pfx[:24], pfx[len(pfx)/2 : len(pfx)/2+24]}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ferr := run(t, functions.NewPKCS12Certificate(), c.pfx, c.password)
			if ferr == nil {
				t.Fatal("expected an error")
			}
			if ferr.FunctionArgument == nil || *ferr.FunctionArgument != c.argument {
				t.Errorf("argument %v, want %d", ferr.FunctionArgument, c.argument)
			}
			if !strings.Contains(ferr.Text, c.want) {
				t.Errorf("error %q lacks %q", ferr.Text, c.want)
			}
			for _, s := range secrets {
				if strings.Contains(ferr.Text, s) {
					t.Errorf("error %q contains a secret (%q)", ferr.Text, s)
				}
			}
		})
	}
}

func TestAccPKCS12CertificateFunction(t *testing.T) {
	t.Parallel()
	pfx := heredoc(testfixtures.Base64("client-with-chain.pfx"))
	functionTest(t,
		resource.TestStep{
			Config: fmt.Sprintf(`
variable "password" {
  type      = string
  sensitive = true
  default   = %s
}
output "cert" {
  value     = provider::entracert::pkcs12_certificate(%s, var.password)
  sensitive = true
}
`, hcl(testfixtures.Password), pfx),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("cert", knownvalue.ObjectExact(map[string]knownvalue.Check{
					"thumbprint":    knownvalue.StringExact(testfixtures.ClientThumbprint),
					"subject":       knownvalue.StringExact("CN=api-connector-client,O=Contoso"),
					"issuer":        knownvalue.StringExact("CN=Contoso Fixture Issuing CA,O=Contoso"),
					"serial_number": knownvalue.StringExact("3F95BA752D711DDC07E39C470D8A1EBF27FF099A"),
					"not_before":    knownvalue.StringExact("2026-11-22T03:40:52Z"),
					"not_after":     knownvalue.StringExact("2036-11-19T03:40:52Z"),
					"chain_thumbprints": knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(testfixtures.ContosoIntermediateThumb),
						knownvalue.StringExact(testfixtures.ContosoRootThumbprint),
					}),
				})),
			},
		},
		resource.TestStep{
			Config: fmt.Sprintf(`
output "cert" {
  value = provider::entracert::pkcs12_certificate(%s, "Wr0ng-Secret")
}
`, pfx),
			ExpectError: wrapped("Wrong PFX password: the PFX in pkcs12_base64 could not be decrypted with the password in password"),
		},
	)
}
