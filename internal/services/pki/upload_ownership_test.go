package pki_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	pkisvc "github.com/entracert/terraform-provider-entracert/internal/services/pki"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Issue 16, defect 2: ownership of a CA holds across runs. One CA is declared once: a second object of the
// configuration that declares it fails the plan, whichever was added first, before anything is written.

// sharedFiles are two .p7b files that share the root R: b = R + intermediate, c = R + another CA.
type sharedFiles struct {
	urlB, hashB, urlC, hashC string
	other                    string // thumbprint of c's own CA
}

func newSharedFiles(t *testing.T, env *acctest.Env) sharedFiles {
	root, inter := pkisvc.PEMDER(t, "root-ca.pem"), pkisvc.PEMDER(t, "intermediate-ca.pem")
	other, _ := testfixtures.NewCA(t, "acctest shared other", time.Now().Add(-time.Hour), 0)
	facts, err := pkcs.ParseCertificate(other)
	if err != nil {
		t.Fatal(err)
	}
	b, c := testfixtures.Bundle(t, root, inter), testfixtures.Bundle(t, root, other)
	return sharedFiles{env.ServeFile(t, "b.p7b", b), pkcs.SHA256Hex(b), env.ServeFile(t, "c.p7b", c), pkcs.SHA256Hex(c), facts.Thumbprint}
}

func namedUpload(name, pkiID, url, hash string) string {
	return fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki_upload" %q {
  pki_id           = %q
  upload_url       = %q
  sha256_file_hash = %q
}
`, name, pkiID, url, hash)
}

// noWritesSince asserts from the journal that nothing was uploaded, added or deleted since the counts given.
func noWritesSince(env *acctest.Env, uploads, creates, deletes int) error {
	if n := uploadCount(env); n != uploads {
		return fmt.Errorf("%d uploads, want %d", n, uploads)
	}
	if n := env.Emulator.Count("POST", caCollectionPath); n != creates {
		return fmt.Errorf("%d CA creates, want %d", n, creates)
	}
	if n := caPathCount(env, "DELETE"); n != deletes {
		return fmt.Errorf("%d CA deletions, want %d", n, deletes)
	}
	return nil
}

// The sequence across runs, in both orders: the first upload applies; adding the second, whose file shares
// the root, fails the plan naming both files; the first still holds the root, and the PKI was never written to.
func TestAccPKIUpload_sharedCAAcrossRunsFailsThePlan(t *testing.T) {
	t.Parallel()
	for _, first := range []string{"b", "c"} {
		t.Run("first "+first, func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
			env.RequireEmulator(t)
			pki := env.CreatePKI(t, "acctest shared "+first)
			f := newSharedFiles(t, env)
			b, c := namedUpload("b", pki.ID, f.urlB, f.hashB), namedUpload("c", pki.ID, f.urlC, f.hashC)
			one := b
			if first == "c" {
				one = c
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: env.ProviderConfig() + one, Check: checkUploads(env, 1)},
					{
						// The diagnostic names the CA and both objects (by their files), and says what to do.
						Config:      env.ProviderConfig() + b + c,
						ExpectError: errRe(testfixtures.ContosoRootThumbprint + ", also declared by the entracert_certificate_based_auth_pki_upload of the file with sha256_file_hash"),
					},
					{
						Config:      env.ProviderConfig() + c + b,
						ExpectError: errRe("Declare each certificate authority once"),
					},
					{
						PreConfig: func() {
							if err := noWritesSince(env, 1, 0, 0); err != nil {
								t.Error("after the refused plans: " + err.Error())
							}
						},
						// Back to the first upload alone: nothing to do, and the root is still there.
						Config: env.ProviderConfig() + one,
						Check: func(*terraform.State) error {
							if caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint) == nil {
								return fmt.Errorf("the shared root left the PKI")
							}
							return noWritesSince(env, 1, 0, 0)
						},
					},
				},
			})
		})
	}
}

// Both uploads added in one apply: the plan fails before any upload (the journal shows none).
func TestAccPKIUpload_sharedCAInOneApplyFailsBeforeAnyUpload(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest shared one apply")
	f := newSharedFiles(t, env)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      env.ProviderConfig() + namedUpload("b", pki.ID, f.urlB, f.hashB) + namedUpload("c", pki.ID, f.urlC, f.hashC),
			ExpectError: errRe("A certificate authority is declared twice"),
		}},
	})
	if err := noWritesSince(env, 0, 0, 0); err != nil {
		t.Error(err)
	}
	if got := caThumbprints(t, env, pki.ID); len(got) != 0 {
		t.Errorf("the PKI holds %v, want nothing", got)
	}
}

// A CA resource and an upload whose file holds the same certificate, in either order across runs: refused at plan.
func TestAccPKIUpload_caResourceOverlappingAnUploadFailsThePlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest overlap ca resource")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	upload := namedUpload("test", pki.ID, url, testfixtures.ContosoSHA256)
	ca := fmt.Sprintf(`
resource "entracert_certificate_based_auth_certificate_authority" "test" {
  pki_id      = %q
  certificate = %q
}
`, pki.ID, pemFixture("root-ca.pem"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: env.ProviderConfig() + ca},
			{
				Config: env.ProviderConfig() + ca + upload,
				// Terraform plans both at once: whichever plans second is refused, naming the other.
				ExpectError: regexp.MustCompile(`(?s)declared twice.*(certificate_authority\s+of\s+certificate.*also\s+declared\s+by\s+the\s+` +
					`entracert_certificate_based_auth_pki_upload|pki_upload\s+of\s+the\s+file.*also\s+declared\s+by\s+the\s+` +
					`entracert_certificate_based_auth_certificate_authority)`),
			},
			{
				PreConfig: func() {
					if err := noWritesSince(env, 0, 1, 0); err != nil {
						t.Error(err)
					}
				},
				Config: env.ProviderConfig() + upload,
				// The CA resource is destroyed (it added the root); the upload adds the root again, in the same apply.
				Check: func(*terraform.State) error {
					got := strings.Join(caThumbprints(t, env, pki.ID), ",")
					if !strings.Contains(got, testfixtures.ContosoRootThumbprint) || !strings.Contains(got, testfixtures.ContosoIntermediateThumb) {
						return fmt.Errorf("the PKI holds %s, want both CAs of the file", got)
					}
					return nil
				},
			},
			{
				Config:      env.ProviderConfig() + upload + ca,
				ExpectError: errRe("A certificate authority is declared twice"),
			},
		},
	})
}

// An upload whose CAs were all in the PKI before it (put there by someone else) adopts them and never deletes
// them; an upload deletes only what it added. Checked on destroy and when a CA leaves the file.
func TestAccPKIUpload_adoptedCAsAreNeverDeleted(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest adopted kept")
	root := pkisvc.PEMDER(t, "root-ca.pem")
	addCA(t, env, pki.ID, root, true) // someone else's
	extra, _ := testfixtures.NewCA(t, "acctest adopted extra", time.Now().Add(-time.Hour), 0)
	extraFacts, err := pkcs.ParseCertificate(extra)
	if err != nil {
		t.Fatal(err)
	}
	two, one := testfixtures.Bundle(t, root, extra), testfixtures.Bundle(t, extra)
	urlTwo, urlOne := env.ServeFile(t, "two.p7b", two), env.ServeFile(t, "one.p7b", one)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			got := strings.Join(caThumbprints(t, env, pki.ID), ",")
			if got != testfixtures.ContosoRootThumbprint {
				return fmt.Errorf("after destroy the PKI holds %q, want only the root the upload adopted", got)
			}
			return nil
		},
		Steps: []resource.TestStep{
			// The root is adopted, the extra CA added one by one.
			{Config: uploadConfig(env, pki.ID, urlTwo, pkcs.SHA256Hex(two), "")},
			{
				// The root leaves the file: it is dropped from the state, not deleted (the upload did not add it).
				Config: uploadConfig(env, pki.ID, urlOne, pkcs.SHA256Hex(one), ""),
				Check: func(*terraform.State) error {
					if caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint) == nil {
						return fmt.Errorf("the adopted root was deleted when it left the file")
					}
					return nil
				},
			},
			{
				// Back in the file: held again, still adopted; the destroy then deletes only the extra CA.
				Config: uploadConfig(env, pki.ID, urlTwo, pkcs.SHA256Hex(two), ""),
				Check: func(*terraform.State) error {
					if caOf(t, env, pki.ID, extraFacts.Thumbprint) == nil {
						return fmt.Errorf("the added CA is missing")
					}
					return nil
				},
			},
		},
	})
}
