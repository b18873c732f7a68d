package pki_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const fabrikamDeltaCRL = "http://crl.fabrikam.example/delta.crl"

// existingTenant is a trust store someone built in the portal before Terraform: PKIs and CAs made out of band.
type existingTenant struct {
	Contoso  *graph.PKI // root and issuing CA, added one by one
	Fabrikam *graph.PKI // one root from a .p7b upload, its issuer hint enabled and a delta CRL set afterwards
	Empty    *graph.PKI // no CAs
}

// seedExistingTenant builds the existingTenant through Graph (the test's own client), as an admin would have.
func seedExistingTenant(t *testing.T, env *acctest.Env) existingTenant {
	t.Helper()
	ctx := acctest.MinuteContext(t)
	ten := existingTenant{
		Contoso:  env.CreatePKI(t, "Contoso PKI"),
		Fabrikam: env.CreatePKI(t, "Fabrikam PKI"),
		Empty:    env.CreatePKI(t, "Empty PKI"),
	}
	addCA(t, env, ten.Contoso.ID, certificateDER(t, "root-ca.pem"), true)
	addCA(t, env, ten.Contoso.ID, certificateDER(t, "intermediate-ca.pem"), false)

	url := env.ServeFile(t, "fabrikam-seed.p7b", testfixtures.Bytes("fabrikam-pki.p7b"))
	if err := env.Graph.UploadPKI(ctx, ten.Fabrikam.ID, url, testfixtures.FabrikamSHA256); err != nil {
		t.Fatalf("uploading fabrikam-pki.p7b: %v", err)
	}
	waitPKIIdle(t, env, ten.Fabrikam.ID)
	cas, err := env.Graph.ListCertificateAuthorities(ctx, ten.Fabrikam.ID)
	if err != nil || len(cas) != 1 {
		t.Fatalf("the Fabrikam PKI holds %d CAs after its upload (%v), want 1", len(cas), err)
	}
	hint, delta := true, fabrikamDeltaCRL
	if _, err := env.Graph.UpdateCertificateAuthority(ctx, ten.Fabrikam.ID, cas[0].ID, graph.CertificateAuthoritySettings{
		IsIssuerHintEnabled: &hint, DeltaCertificateRevocationListURL: &delta,
	}); err != nil {
		t.Fatalf("customising the Fabrikam root: %v", err)
	}
	return ten
}

// certificateDER is a PEM fixture's certificate as DER, as Graph stores it.
func certificateDER(t *testing.T, name string) []byte {
	t.Helper()
	return fixtureFacts(t, name).DER
}

// fixtureFacts are what a PEM fixture's certificate says (subject, thumbprint, expiry).
func fixtureFacts(t *testing.T, name string) pkcs.CertificateAuthority {
	t.Helper()
	facts, err := pkcs.ParseCertificate(testfixtures.Bytes(name))
	if err != nil {
		t.Fatal(err)
	}
	return facts
}

// generatedCAs adds n self-signed CA certificates (made by the test, "CN=Generated CA 000" on) to the PKI in batches,
// for lists of many pages, and returns their thumbprints in order.
func generatedCAs(t *testing.T, env *acctest.Env, pkiID string, n int) []string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var in []graph.NewCertificateAuthority
	var thumbprints []string
	for i := range n {
		tmpl := &x509.Certificate{
			SerialNumber:          big.NewInt(int64(i + 1)),
			Subject:               pkix.Name{CommonName: fmt.Sprintf("Generated CA %03d", i)},
			NotBefore:             time.Now().Add(-time.Hour),
			NotAfter:              time.Now().Add(365 * 24 * time.Hour),
			IsCA:                  true,
			BasicConstraintsValid: true,
			KeyUsage:              x509.KeyUsageCertSign,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, graph.NewCertificateAuthority{Certificate: der, Thumbprint: pkcs.Thumbprint(der),
			ExpirationDateTime: tmpl.NotAfter, IsRoot: true})
		thumbprints = append(thumbprints, pkcs.Thumbprint(der))
	}
	for i, r := range env.Graph.CreateCertificateAuthorities(acctest.MinuteContext(t), pkiID, in) {
		if r.Err != nil {
			t.Fatalf("adding generated CA %d: %v", i, r.Err)
		}
	}
	return thumbprints
}

// listBlock is a list block of a Query step's configuration.
func listBlock(resourceType, name string, includeResource bool, config string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "list %q %q {\n  provider = entracert\n", resourceType, name)
	if includeResource {
		b.WriteString("  include_resource = true\n")
	}
	b.WriteString("  limit = 1000\n")
	if config != "" {
		fmt.Fprintf(&b, "  config {\n    %s\n  }\n", config)
	}
	b.WriteString("}\n")
	return b.String()
}

// resultWith asserts, for the result with this identity, the values of its resource object.
func resultWith(address string, identity map[string]knownvalue.Check, values map[string]knownvalue.Check) querycheck.QueryResultCheck {
	var checks []querycheck.KnownValueCheck
	for k, v := range values {
		checks = append(checks, querycheck.KnownValueCheck{Path: tfjsonpath.New(k), KnownValue: v})
	}
	return querycheck.ExpectResourceKnownValues(address, queryfilter.ByResourceIdentity(identity), checks)
}

// namedAs asserts the display name of the result with this identity.
func namedAs(address string, identity map[string]knownvalue.Check, name knownvalue.Check) querycheck.QueryResultCheck {
	return querycheck.ExpectResourceDisplayName(address, queryfilter.ByResourceIdentity(identity), name)
}
