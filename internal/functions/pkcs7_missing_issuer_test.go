package functions_test

import (
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/functions"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// A file with an intermediate and without its root names the root in missing_issuer (a function cannot warn).
func TestPKCS7CertificatesMissingIssuer(t *testing.T) {
	inter, err := pkcs.ParseCertificate(testfixtures.Bytes("intermediate-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	v, ferr := run(t, functions.NewPKCS7Certificates(), base64.StdEncoding.EncodeToString(testfixtures.Bundle(t, inter.DER)))
	if ferr != nil {
		t.Fatal(ferr)
	}
	list := testfixtures.As[types.List](t, v).Elements()
	if len(list) != 1 {
		t.Fatalf("%d certificates, want 1", len(list))
	}
	got, ok := attrs(t, list[0])["missing_issuer"].(types.String)
	if !ok || got.ValueString() != "CN=Contoso Fixture Root CA,O=Contoso" {
		t.Errorf("missing_issuer = %v, want the root's subject", got)
	}
}

func TestAccPKCS7CertificatesFunction_missingIssuer(t *testing.T) {
	t.Parallel()
	inter, err := pkcs.ParseCertificate(testfixtures.Bytes("intermediate-ca.pem"))
	if err != nil {
		t.Fatal(err)
	}
	file := base64.StdEncoding.EncodeToString(testfixtures.Bundle(t, inter.DER))
	functionTest(t, resource.TestStep{
		Config: fmt.Sprintf(`
output "missing" {
  value = [for ca in provider::entracert::pkcs7_certificates(%s) : ca.missing_issuer if ca.missing_issuer != null]
}
`, heredoc(file)),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("missing", knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact("CN=Contoso Fixture Root CA,O=Contoso"),
			})),
		},
	})
}
