package pki_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	pkisvc "github.com/entracert/terraform-provider-entracert/internal/services/pki"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Tests of issue 11's upload: identity by content, a new file as a diff, ownership that cannot empty the store.

const cbd = "  lifecycle {\n    create_before_destroy = true\n  }\n"

// writes counts the requests that change Graph's PKI objects (anything but GET).
func writes(env *acctest.Env) int {
	n := 0
	for _, e := range env.Emulator.Journal() {
		if e.Method != "GET" && strings.HasPrefix(e.Path, pkiCollectionPath) {
			n++
		}
	}
	return n
}

// neverLacked asserts from the journal that no CA of want was ever deleted from the PKI (each CA DELETE is
// matched to the thumbprint it removed through the state before and after), and that the PKI holds them now.
func neverLacked(t *testing.T, env *acctest.Env, pkiID string, deletesBefore int, want ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if n := caPathCount(env, "DELETE"); n != deletesBefore {
			return fmt.Errorf("%d CA deletions during the sequence, want none", n-deletesBefore)
		}
		have := map[string]bool{}
		for _, th := range caThumbprints(t, env, pkiID) {
			have[th] = true
		}
		for _, w := range want {
			if !have[w] {
				return fmt.Errorf("the PKI lacks the declared CA %s", w)
			}
		}
		return nil
	}
}

// Changing only the URL (another name for the same file) is an in-place update that writes nothing to Graph;
// with create_before_destroy too, and no CA is ever deleted.
func TestAccPKIUpload_urlOnlyChangeWritesNothing(t *testing.T) {
	t.Parallel()
	for _, lifecycle := range []string{"", cbd} {
		t.Run(fmt.Sprintf("create_before_destroy=%v", lifecycle != ""), func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
			env.RequireEmulator(t)
			pki := env.CreatePKI(t, "acctest url change")
			data := pkisvc.Fixture(t, "contoso-pki.p7b")
			url1, url2 := env.ServeFile(t, "a.p7b", data), env.ServeFile(t, "moved/b.p7b", data)
			var before int
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: uploadConfig(env, pki.ID, url1, testfixtures.ContosoSHA256, lifecycle),
						Check:  func(*terraform.State) error { before = writes(env); return nil },
					},
					{
						Config: uploadConfig(env, pki.ID, url2, testfixtures.ContosoSHA256, lifecycle),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionUpdate),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("upload_url"), knownvalue.StringExact(url2)),
							statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
						},
						Check: func(s *terraform.State) error {
							if n := writes(env) - before; n != 0 {
								return fmt.Errorf("a URL-only change made %d writes to Graph, want none", n)
							}
							return neverLacked(t, env, pki.ID, 0, contosoThumbprints...)(s)
						},
					},
				},
			})
		})
	}
}

// create_before_destroy with a replacement (taint): the new object adopts the CAs, and the deposed object's
// Delete must not delete them. The journal shows no CA deletion and the PKI keeps both.
func TestAccPKIUpload_createBeforeDestroyReplacementKeepsTheCAs(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest cbd")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, cbd)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config: config,
				Taint:  []string{uploadAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionCreateBeforeDestroy),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
				Check: resource.ComposeTestCheckFunc(checkUploads(env, 1), neverLacked(t, env, pki.ID, 0, contosoThumbprints...)),
			},
		},
	})
}

// A new file is a diff: a bundle that gains a CA adds it (nothing deleted, no upload); one that loses a CA deletes
// exactly that one; CAs both files hold are never touched.
func TestAccPKIUpload_newFileIsADiff(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest diff")
	root, inter := pkisvc.PEMDER(t, "root-ca.pem"), pkisvc.PEMDER(t, "intermediate-ca.pem")
	extra, _ := testfixtures.NewCA(t, "acctest extra root", time.Now().Add(-time.Hour), 0)
	extraFacts, err := pkcs.ParseCertificate(extra)
	if err != nil {
		t.Fatal(err)
	}
	two, three := testfixtures.Bundle(t, root, inter), testfixtures.Bundle(t, root, inter, extra)
	url2, url3 := env.ServeFile(t, "two.p7b", two), env.ServeFile(t, "three.p7b", three)
	hash2, hash3 := pkcs.SHA256Hex(two), pkcs.SHA256Hex(three)
	var keptIDs string
	ids := func(s *terraform.State) string {
		a := s.RootModule().Resources[uploadAddr].Primary.Attributes
		return a["certificate_authorities.0.id"] + "," + a["certificate_authorities.1.id"]
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: uploadConfig(env, pki.ID, url2, hash2, ""),
				Check:  func(s *terraform.State) error { keptIDs = ids(s); return nil },
			},
			{
				Config: uploadConfig(env, pki.ID, url3, hash3, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(2).AtMapKey("thumbprint"),
						knownvalue.StringExact(extraFacts.Thumbprint)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"),
						thumbprintsExact(append(append([]string(nil), contosoThumbprints...), extraFacts.Thumbprint)...)),
				},
				Check: resource.ComposeTestCheckFunc(checkUploads(env, 1), neverLacked(t, env, pki.ID, 0, contosoThumbprints...),
					func(s *terraform.State) error {
						if got := ids(s); got != keptIDs {
							return fmt.Errorf("the shared CAs' IDs changed from %s to %s: they were touched", keptIDs, got)
						}
						if n := env.Emulator.Count("POST", caCollectionPath); n != 1 {
							return fmt.Errorf("%d CA creates, want 1", n)
						}
						return nil
					}),
			},
			{
				Config: uploadConfig(env, pki.ID, url2, hash2, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
				Check: func(s *terraform.State) error {
					if n := caPathCount(env, "DELETE"); n != 1 {
						return fmt.Errorf("%d CA deletions, want exactly 1", n)
					}
					if got := caThumbprints(t, env, pki.ID); len(got) != 2 || ids(s) != keptIDs {
						return fmt.Errorf("the PKI holds %v (ids %s), want the two shared CAs untouched", got, ids(s))
					}
					return nil
				},
			},
		},
	})
}

// content_base64: the plan checks the file against the hash and shows its CAs without downloading anything.
func TestAccPKIUpload_contentBase64PlansWithoutDownloading(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest content")
	content := base64.StdEncoding.EncodeToString(pkisvc.Fixture(t, "contoso-pki.p7b"))
	url := env.Endpoint + "/files/not-served-yet.p7b"
	extra := fmt.Sprintf("  content_base64 = %q\n", content)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      uploadConfig(env, pki.ID, url, strings.Repeat("A", 64), extra),
				PlanOnly:    true,
				ExpectError: errRe("sha256_file_hash does not match content_base64"),
			},
			{
				Config:             uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, extra),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(0).AtMapKey("thumbprint"),
						knownvalue.StringExact(testfixtures.ContosoRootThumbprint)),
				}},
			},
		},
	})
	for _, e := range env.Emulator.Journal() {
		if strings.HasPrefix(e.Path, "/files/") {
			t.Errorf("the plan downloaded %s", e.Path)
		}
	}
}

// Importing an upload whose file's CAs are not in the PKI is an error at the next plan, not a silent upload.
func TestAccPKIUpload_importOfMissingCAsFails(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest import missing")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       uploadAddr,
				ImportState:        true,
				ImportStateId:      pki.ID + "/" + testfixtures.ContosoSHA256,
				ImportStatePersist: true,
				ImportStateCheck:   func([]*terraform.InstanceState) error { return nil },
			},
			{
				Config:      config,
				ExpectError: errRe("The imported upload's certificate authorities are not in the PKI"),
			},
		},
	})
	if n := uploadCount(env); n != 0 {
		t.Errorf("%d uploads after importing a missing upload, want none", n)
	}
}

// Per-CA settings: applied once the CAs exist, a change out of band shows as an update back and the apply
// restores it; a key that is not a CA of the file and a non-http CRL URL fail the plan.
func TestAccPKIUpload_certificateAuthoritySettings(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest settings")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	const crl = "http://crl.contoso.example/root.crl"
	settings := func(key, crlURL string) string {
		return fmt.Sprintf(`  certificate_authority_settings = {
    %q = {
      certificate_revocation_list_url = %q
      is_issuer_hint_enabled          = true
    }
  }
`, key, crlURL)
	}
	config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, settings(testfixtures.ContosoRootThumbprint, crl))
	rootInGraph := func(t *testing.T) (string, bool) {
		cas, err := env.Graph.ListCertificateAuthorities(acctest.MinuteContext(t), pki.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, ca := range cas {
			if ca.Thumbprint == testfixtures.ContosoRootThumbprint {
				return ca.CertificateRevocationListURL, ca.IsIssuerHintEnabled
			}
		}
		t.Fatal("the root CA is not in the PKI")
		return "", false
	}
	root := tfjsonpath.New("certificate_authorities").AtSliceIndex(0)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, settings("ABCDEF", crl)),
				ExpectError: errRe("certificate_authority_settings names a CA that is not in the file"),
			},
			{
				Config:      uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, settings(testfixtures.ContosoRootThumbprint, "https://crl.contoso.example/root.crl")),
				ExpectError: errRe("The CRL URL is not an http URL"),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, root.AtMapKey("certificate_revocation_list_url"), knownvalue.StringExact(crl)),
					statecheck.ExpectKnownValue(uploadAddr, root.AtMapKey("is_issuer_hint_enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(1).AtMapKey("is_issuer_hint_enabled"), knownvalue.Bool(false)),
				},
				Check: func(*terraform.State) error {
					if got, hint := rootInGraph(t); got != crl || !hint {
						return fmt.Errorf("Graph holds CRL %q and hint %v for the root, want %q and true", got, hint, crl)
					}
					return nil
				},
			},
			{
				PreConfig: func() {
					off, other := false, "http://elsewhere.example/x.crl"
					cas, _ := env.Graph.ListCertificateAuthorities(acctest.MinuteContext(t), pki.ID)
					for _, ca := range cas {
						if ca.Thumbprint == testfixtures.ContosoRootThumbprint {
							if _, err := env.Graph.UpdateCertificateAuthority(acctest.MinuteContext(t), pki.ID, ca.ID, graph.CertificateAuthoritySettings{
								CertificateRevocationListURL: &other, IsIssuerHintEnabled: &off,
							}); err != nil {
								t.Fatal(err)
							}
						}
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if got, hint := rootInGraph(t); got != crl || !hint {
						return fmt.Errorf("after the apply Graph holds CRL %q and hint %v, want them restored", got, hint)
					}
					return checkUploads(env, 1)(nil)
				},
			},
		},
	})
}

// The ownership sequences in one walk, create_before_destroy throughout: an import, a URL change, a hash change
// that gains a CA, a replacement (taint). The journal shows no CA deletion at any point, and the PKI holds every
// declared CA at the end of each step. (Interrupted jobs: TestAccPKIConsistency_progressiveJobInterruptedThenResumed
// and TestAccPKIUpload_interruptedApplyResumesWithoutUploadingAgain.)
func TestAccPKIUpload_ownershipSequencesNeverEmptyTheStore(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Minute})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest ownership")
	root, inter := pkisvc.PEMDER(t, "root-ca.pem"), pkisvc.PEMDER(t, "intermediate-ca.pem")
	extra, _ := testfixtures.NewCA(t, "acctest ownership extra", time.Now().Add(-time.Hour), 0)
	extraFacts, err := pkcs.ParseCertificate(extra)
	if err != nil {
		t.Fatal(err)
	}
	two, three := testfixtures.Bundle(t, root, inter), testfixtures.Bundle(t, root, inter, extra)
	urlA, urlB, url3 := env.ServeFile(t, "a.p7b", two), env.ServeFile(t, "b.p7b", two), env.ServeFile(t, "three.p7b", three)
	hash2, hash3 := pkcs.SHA256Hex(two), pkcs.SHA256Hex(three)
	// The out-of-band upload that the first step imports.
	if err := env.Graph.UploadPKI(acctest.MinuteContext(t), pki.ID, urlA, hash2); err != nil {
		t.Fatal(err)
	}
	waitPKIIdle(t, env, pki.ID)
	all := append(append([]string(nil), contosoThumbprints...), extraFacts.Thumbprint)
	declared := func(ths ...string) func(*terraform.State) error { return neverLacked(t, env, pki.ID, 0, ths...) }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		// Known limit (issue 16): the create_before_destroy replacement (the taint below) finds every CA of its file in
		// the PKI before the deposed object is destroyed, so it records them as adopted, and the destroy leaves them.
		CheckDestroy: func(*terraform.State) error {
			if left := caThumbprints(t, env, pki.ID); len(left) != 3 {
				return fmt.Errorf("after destroy the PKI holds %v, want the three CAs the replacement adopted", left)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: uploadConfig(env, pki.ID, urlA, hash2, cbd), ResourceName: uploadAddr,
				ImportState: true, ImportStateId: pki.ID + "/" + hash2, ImportStatePersist: true,
				ImportStateCheck: func([]*terraform.InstanceState) error { return nil },
			},
			{Config: uploadConfig(env, pki.ID, urlA, hash2, cbd), Check: declared(contosoThumbprints...)},
			{Config: uploadConfig(env, pki.ID, urlB, hash2, cbd), Check: declared(contosoThumbprints...)},
			// The third CA is added one by one (the other two are present); nothing is deleted.
			{Config: uploadConfig(env, pki.ID, url3, hash3, cbd), Check: declared(all...)},
			{Config: uploadConfig(env, pki.ID, url3, hash3, cbd), Taint: []string{uploadAddr}, Check: declared(all...)},
		},
	})
	if n := uploadCount(env); n != 1 {
		t.Errorf("%d uploads, want only the out-of-band one", n)
	}
}
