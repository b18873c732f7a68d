package pki_test

import (
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const crlAddr = "data.entracert_certificate_revocation_list.test"

// crlServer serves files on the emulator's address (the one loopback address downloads may reach), and counts requests.
func crlServer(t *testing.T, env *acctest.Env, files map[string][]byte) (string, *atomic.Int32) {
	t.Helper()
	var requests atomic.Int32
	base := env.ServeHandler(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(b)))
		_, _ = w.Write(b)
	}))
	return base, &requests
}

func crlConfig(env *acctest.Env, url, issuer string) string {
	body := fmt.Sprintf("  url = %q\n", url)
	if issuer != "" {
		body += "  issuer_certificate = <<-EOT\n" + issuer + "\n  EOT\n"
	}
	return env.ProviderConfig() + "\ndata \"entracert_certificate_revocation_list\" \"test\" {\n" + body + "}\n"
}

// The CRL data source reads CRLs the test makes (DER and PEM), reports what Entra looks at, and fails, naming url, on
// a CRL Entra could not download (404, too large, a private address: no request sent) or on a bad issuer_certificate
// (at plan time, no request sent).
func TestAccCRLDataSource(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	now := time.Now().UTC().Truncate(time.Second)
	caDER, key := testfixtures.NewCA(t, "Contoso CRL Test CA", now, 0)
	otherDER, otherKey := testfixtures.NewCA(t, "Fabrikam CRL Test CA", now, 0)
	ca, err := pkcs.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	good := testfixtures.NewCRL(t, caDER, key, now.Add(-time.Hour), now.Add(7*24*time.Hour), 42, 3)
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	base, requests := crlServer(t, env, map[string][]byte{
		"/good.crl":    good,
		"/good.pem":    pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: good}),
		"/expired.crl": testfixtures.NewCRL(t, caDER, key, now.Add(-9*24*time.Hour), now.Add(-2*24*time.Hour), 41, 0),
		"/other.crl":   testfixtures.NewCRL(t, otherDER, otherKey, now.Add(-time.Hour), now.Add(24*time.Hour), 1, 0),
		"/noaki.crl":   testfixtures.NewCRLWithoutAKI(t, caDER, key, now.Add(-time.Hour), now.Add(24*time.Hour), 43),
		"/huge.crl":    make([]byte, 20<<20+1),
	})
	at := func(s string) string { return base + s }
	value := func(attr string, c knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(crlAddr, tfjsonpath.New(attr), c)
	}
	rfc := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	var before int32
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: crlConfig(env, at("/good.crl"), caPEM),
				ConfigStateChecks: []statecheck.StateCheck{
					value("this_update", knownvalue.StringExact(rfc(now.Add(-time.Hour)))),
					value("next_update", knownvalue.StringExact(rfc(now.Add(7*24*time.Hour)))),
					value("crl_number", knownvalue.StringExact("42")),
					value("revoked_count", knownvalue.Int64Exact(3)),
					value("size_bytes", knownvalue.Int64Exact(int64(len(good)))),
					value("signature_valid", knownvalue.Bool(true)),
					value("authority_key_identifier", knownvalue.StringExact(ca.SubjectKeyIdentifier)),
				},
			},
			{
				// PEM, and the issuer as base64 DER; without an issuer, signature_valid is null (next step).
				Config: crlConfig(env, at("/good.pem"), base64.StdEncoding.EncodeToString(caDER)),
				ConfigStateChecks: []statecheck.StateCheck{
					value("crl_number", knownvalue.StringExact("42")),
					value("signature_valid", knownvalue.Bool(true)),
					value("size_bytes", knownvalue.Int64Exact(int64(len(pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: good}))))),
				},
			},
			{
				Config: crlConfig(env, at("/good.crl"), ""),
				ConfigStateChecks: []statecheck.StateCheck{
					value("signature_valid", knownvalue.Null()),
					value("authority_key_identifier", knownvalue.StringExact(ca.SubjectKeyIdentifier)),
				},
			},
			{
				// An expired CRL is read (a check block compares next_update with the time).
				Config: crlConfig(env, at("/expired.crl"), caPEM),
				ConfigStateChecks: []statecheck.StateCheck{
					value("next_update", knownvalue.StringExact(rfc(now.Add(-2*24*time.Hour)))),
					value("crl_number", knownvalue.StringExact("41")),
					value("signature_valid", knownvalue.Bool(true)),
				},
			},
			{
				// Another CA's CRL: the signature does not verify with this issuer, and its AKI is not this CA's SKI.
				Config: crlConfig(env, at("/other.crl"), caPEM),
				ConfigStateChecks: []statecheck.StateCheck{
					value("signature_valid", knownvalue.Bool(false)),
					value("authority_key_identifier", knownvalue.NotNull()),
				},
			},
			{
				Config: crlConfig(env, at("/noaki.crl"), caPEM),
				ConfigStateChecks: []statecheck.StateCheck{
					value("authority_key_identifier", knownvalue.Null()),
					value("crl_number", knownvalue.StringExact("43")),
					value("signature_valid", knownvalue.Bool(true)),
				},
			},
			{Config: crlConfig(env, at("/huge.crl"), ""), ExpectError: errRe("is larger than 20 MB, Entra's limit for a CRL")},
			{Config: crlConfig(env, at("/missing.crl"), ""), ExpectError: errRe("404 Not Found")},
			{
				PreConfig:   func() { before = requests.Load() },
				Config:      crlConfig(env, at("/good.crl"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----"),
				ExpectError: errRe("issuer_certificate is not a usable certificate"),
			},
			{
				PreConfig: func() {
					if n := requests.Load() - before; n != 0 {
						t.Errorf("a bad issuer_certificate still downloaded the CRL (%d requests)", n)
					}
				},
				Config:      crlConfig(env, "http://10.1.2.3/contoso.crl", ""),
				ExpectError: errRe("10.1.2.3: a private address. Entra downloads CRLs from the internet"),
			},
			{
				// In a check block, as the guide uses it: a CRL that is missing or expires soon is a warning, never a failure.
				Config: env.ProviderConfig() + fmt.Sprintf(`
check "missing" {
  data "entracert_certificate_revocation_list" "missing" {
    url = %q
  }
  assert {
    condition     = data.entracert_certificate_revocation_list.missing.next_update != null
    error_message = "no CRL"
  }
}

check "expired" {
  data "entracert_certificate_revocation_list" "expired" {
    url = %q
  }
  assert {
    condition     = timecmp(data.entracert_certificate_revocation_list.expired.next_update, plantimestamp()) > 0
    error_message = "the CRL expired"
  }
}
`, at("/missing.crl"), at("/expired.crl")),
				// Terraform plans the data sources of check blocks to be read again at every apply.
				ExpectNonEmptyPlan: true,
			},
		},
	})
}
