package pki_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

const uploadPath = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*/upload"

const caCollectionPath = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*/certificateAuthorities"

const uploadAddr = "entracert_certificate_based_auth_pki_upload.test"

// contosoThumbprints are the CAs of contoso-pki.p7b (and its PEM twin), in file order.
var contosoThumbprints = []string{testfixtures.ContosoRootThumbprint, testfixtures.ContosoIntermediateThumb}

func randomName(prefix string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return prefix + " " + hex.EncodeToString(b)
}

// uploadCount is how many upload requests the emulator saw (-1 live, where it cannot be known).
func uploadCount(env *acctest.Env) int {
	if env.Emulator == nil {
		return -1
	}
	return env.Emulator.Count("POST", uploadPath)
}

// checkUploads asserts the number of upload requests in the emulator's journal (skipped live).
func checkUploads(env *acctest.Env, want int) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := uploadCount(env); got >= 0 && got != want {
			return fmt.Errorf("the emulator saw %d upload requests, want %d", got, want)
		}
		return nil
	}
}

func uploadConfig(env *acctest.Env, pkiID, url, hash, extra string) string {
	return env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki_upload" "test" {
  pki_id           = %q
  upload_url       = %q
  sha256_file_hash = %q
%s}
`, pkiID, url, hash, extra)
}

// thumbprintsExact matches certificate_authorities by thumbprint, in order.
func thumbprintsExact(thumbs ...string) knownvalue.Check {
	elems := make([]knownvalue.Check, 0, len(thumbs))
	for _, th := range thumbs {
		elems = append(elems, knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"thumbprint": knownvalue.StringExact(th),
			"id":         knownvalue.NotNull(),
		}))
	}
	return knownvalue.ListExact(elems)
}

// waitIdle waits until the PKI runs no job.
func waitPKIIdle(t *testing.T, env *acctest.Env, pkiID string) *graph.PKI {
	t.Helper()
	ctx := acctest.MinuteContext(t)
	for {
		p, err := env.Graph.GetPKI(ctx, pkiID)
		if err != nil {
			t.Fatalf("reading PKI %s: %v", pkiID, err)
		}
		if p.Status != graph.PKIStatusRunning {
			return p
		}
		if ctx.Err() != nil {
			t.Fatalf("PKI %s still running", pkiID)
		}
		advance(env, 200*time.Millisecond)
	}
}

// advance moves the test's shared clock (emulator mode) or waits for real (live).
func advance(env *acctest.Env, d time.Duration) {
	if env.Clock != nil {
		env.Clock.Advance(d)
		return
	}
	time.Sleep(d)
}

// checkPKIIdle asserts that the PKI is not left running.
func checkPKIIdle(t *testing.T, env *acctest.Env, pkiID string) {
	t.Helper()
	p, err := env.Graph.GetPKI(acctest.MinuteContext(t), pkiID)
	if err != nil {
		t.Fatalf("reading PKI %s: %v", pkiID, err)
	}
	if p.Status == graph.PKIStatusRunning {
		t.Fatalf("PKI %s was left running", pkiID)
	}
}

// addCA adds a certificate authority out of band.
func addCA(t *testing.T, env *acctest.Env, pkiID string, der []byte, isRoot bool) *graph.CertificateAuthority {
	t.Helper()
	facts, err := pkcs.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := env.Graph.CreateCertificateAuthority(acctest.MinuteContext(t), pkiID, graph.NewCertificateAuthority{
		Certificate: der, Thumbprint: facts.Thumbprint, ExpirationDateTime: facts.NotAfter, IsRoot: isRoot,
	})
	if err != nil {
		t.Fatalf("adding a certificate authority to PKI %s: %v", pkiID, err)
	}
	return ca
}

// deleteCAByThumbprint deletes a certificate authority out of band.
func deleteCAByThumbprint(t *testing.T, env *acctest.Env, pkiID, thumbprint string) {
	t.Helper()
	ctx := acctest.MinuteContext(t)
	cas, err := env.Graph.ListCertificateAuthorities(ctx, pkiID)
	if err != nil {
		t.Fatal(err)
	}
	for _, ca := range cas {
		if ca.Thumbprint == thumbprint {
			if err := env.Graph.DeleteCertificateAuthority(ctx, pkiID, ca.ID); err != nil {
				t.Fatal(err)
			}
			return
		}
	}
	t.Fatalf("PKI %s has no certificate authority %s", pkiID, thumbprint)
}

func caThumbprints(t *testing.T, env *acctest.Env, pkiID string) []string {
	t.Helper()
	cas, err := env.Graph.ListCertificateAuthorities(acctest.MinuteContext(t), pkiID)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(cas))
	for _, ca := range cas {
		out = append(out, ca.Thumbprint)
	}
	return out
}
