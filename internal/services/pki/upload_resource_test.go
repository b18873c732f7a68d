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
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// errRe matches words of a diagnostic however Terraform wraps its lines.
func errRe(words string) *regexp.Regexp {
	parts := strings.Fields(words)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `\s+`))
}

func caPathCount(env *acctest.Env, method string) int {
	return env.Emulator.Count(method, "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*/certificateAuthorities/*")
}

func TestAccPKIUpload_happyPath(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, file, hash string }{
		{"DER, upper-case hash", "contoso-pki.p7b", testfixtures.ContosoSHA256},
		{"PEM, lower-case hash", "contoso-pki-pem.p7b", strings.ToLower(testfixtures.ContosoPEMSHA256)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
			url := env.ServeFile(t, tc.file, pkisvc.Fixture(t, tc.file))
			config := env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "test" {
  display_name = %q
}

resource "entracert_certificate_based_auth_pki_upload" "test" {
  pki_id           = entracert_certificate_based_auth_pki.test.id
  upload_url       = %q
  sha256_file_hash = %q
}
`, randomName("acctest happy path"), url, tc.hash)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					if env.Emulator != nil && caPathCount(env, "DELETE") != 2 {
						return fmt.Errorf("destroy deleted %d certificate authorities, want 2", caPathCount(env, "DELETE"))
					}
					return nil
				},
				Steps: []resource.TestStep{
					{
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionCreate),
							// The plan shows what will be trusted: the verified file's thumbprints, before any Graph write.
							plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(0).AtMapKey("thumbprint"),
								knownvalue.StringExact(testfixtures.ContosoRootThumbprint)),
							plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(1).AtMapKey("thumbprint"),
								knownvalue.StringExact(testfixtures.ContosoIntermediateThumb)),
							plancheck.ExpectUnknownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(0).AtMapKey("id")),
							// ... and each CA's subject and own subject key identifier, which CBA policies name CAs by.
							plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(0).AtMapKey("subject_key_identifier"),
								knownvalue.StringExact("9514ECF8A48AB96C779523AC6689717E703627DF")),
							plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(1).AtMapKey("subject_key_identifier"),
								knownvalue.StringExact("3DAB96BBDAC9E8D9959F2CCABD927CB4039589DB")),
							plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(0).AtMapKey("subject"),
								knownvalue.StringRegexp(regexp.MustCompile(`CN=Contoso Fixture Root CA`))),
							// ... and what Graph derives from each certificate: type, expiration, CRL distribution point.
							plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(0).AtMapKey("certificate_authority_type"),
								knownvalue.StringExact("root")),
							plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(1).AtMapKey("certificate_authority_type"),
								knownvalue.StringExact("intermediate")),
							plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(1).AtMapKey("certificate_revocation_list_url"),
								knownvalue.StringExact("http://crl.contoso.example/intermediate.crl")),
							plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(0).AtMapKey("expiration_date_time"),
								knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeeded")),
							statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("sha256_file_hash"), knownvalue.StringExact(tc.hash)),
							statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("id"),
								knownvalue.StringRegexp(regexp.MustCompile(`^[^/]+/`+strings.ToUpper(tc.hash)+`$`))),
							statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
							statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(1).AtMapKey("certificate_revocation_list_url"),
								knownvalue.StringExact(testfixtures.ContosoIntermediateCRLURL)),
							statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(0).AtMapKey("certificate_authority_type"),
								knownvalue.StringExact("root")),
						},
						Check: checkUploads(env, 1),
						// After this step the framework plans again and fails unless the plan is empty.
					},
					{
						ResourceName:      uploadAddr,
						ImportState:       true,
						ImportStateVerify: true,
						ImportStateIdFunc: func(s *terraform.State) (string, error) {
							a := s.RootModule().Resources[uploadAddr].Primary.Attributes
							return a["pki_id"] + "/" + a["sha256_file_hash"], nil
						},
						// The URL cannot be read back from Graph; the CAs are recorded by the next apply; an import
						// stores the hash upper case (a configured lower-case hash is an in-place update writing nothing).
						ImportStateVerifyIgnore: []string{"upload_url", "certificate_authorities", "sha256_file_hash"},
					},
				},
			})
		})
	}
}

func TestAccPKIUpload_badInputs(t *testing.T) {
	t.Parallel()
	for _, deferred := range []bool{false, true} {
		t.Run(fmt.Sprintf("DeferUploadValidation=%v", deferred), func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, graphemu.Options{UploadDuration: time.Second, DeferUploadValidation: deferred})
			env.RequireEmulator(t)
			pki := env.CreatePKI(t, "acctest bad inputs")
			serve := func(name string, data []byte) (string, string) {
				return env.ServeFile(t, name, data), pkcs.SHA256Hex(data)
			}
			contoso, _ := serve("contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
			notP7B, notP7BHash := serve("root-ca.pem", pkisvc.Fixture(t, "root-ca.pem"))
			huge, hugeHash := serve("huge.p7b", make([]byte, pkcs.MaxBundleSize+1))
			many, manyHash := serve("many.p7b", testfixtures.Bundle(t, testfixtures.NewCAs(t, 251, 0)...))
			fat, fatHash := serve("fat.p7b", testfixtures.Bundle(t, testfixtures.NewCAs(t, 1, 9000)...))

			step := func(url, hash string, want *regexp.Regexp) resource.TestStep {
				return resource.TestStep{Config: uploadConfig(env, pki.ID, url, hash, ""), ExpectError: want}
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					// Both hashes are shown.
					step(contoso, testfixtures.FabrikamSHA256, regexp.MustCompile(`(?s)sha256_file_hash does not match.*`+
						testfixtures.FabrikamSHA256+`.*`+testfixtures.ContosoSHA256)),
					step("http://127.0.0.1:1/contoso.p7b", testfixtures.ContosoSHA256, errRe("Cannot download upload_url")),
					step(env.Endpoint+"/files/missing.p7b", testfixtures.ContosoSHA256, errRe("404")),
					step("ftp://pki.contoso.example/contoso.p7b", testfixtures.ContosoSHA256, errRe("upload_url is not an http or https URL")),
					step("file:///tmp/contoso.p7b", testfixtures.ContosoSHA256, errRe("upload_url is not an http or https URL")),
					step(contoso, "not-a-hash", errRe("64 hexadecimal characters")),
					step(notP7B, notP7BHash, errRe("is not a PKCS#7 certificate bundle")),
					step(huge, hugeHash, errRe("larger than 2 MB")),
					step(many, manyHash, errRe("more than 250 certificates")),
					step(fat, fatHash, errRe("larger than 8 KB")),
				},
			})
			if n := uploadCount(env); n != 0 {
				t.Errorf("the emulator saw %d upload requests, want none", n)
			}
			checkPKIIdle(t, env, pki.ID)
		})
	}
}

func TestAccPKIUpload_allPresentAreAdopted(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	pki := env.CreatePKI(t, "acctest adopt")
	addCA(t, env, pki.ID, pkisvc.PEMDER(t, "root-ca.pem"), true)
	addCA(t, env, pki.ID, pkisvc.PEMDER(t, "intermediate-ca.pem"), false)
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		// Adopted, not added: the destroy leaves them to whoever put them there (issue 16).
		CheckDestroy: func(*terraform.State) error {
			if left := caThumbprints(t, env, pki.ID); len(left) != 2 {
				return fmt.Errorf("after destroy the PKI holds %v, want the two adopted CAs", left)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
			},
			Check: checkUploads(env, 0),
		}},
	})
}

// Some CAs of the file already in the PKI (left by a partial job, or added by hand): the missing ones are added
// one by one, the present ones adopted, and nothing is uploaded (Graph would refuse the duplicate).
func TestAccPKIUpload_somePresentAreAdoptedAndTheRestAdded(t *testing.T) {
	t.Parallel()
	for _, deferred := range []bool{false, true} {
		t.Run(fmt.Sprintf("DeferUploadValidation=%v", deferred), func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, graphemu.Options{UploadDuration: time.Second, DeferUploadValidation: deferred})
			env.RequireEmulator(t)
			pki := env.CreatePKI(t, "acctest partial")
			root := addCA(t, env, pki.ID, pkisvc.PEMDER(t, "root-ca.pem"), true)
			url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, ""),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
						statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities").AtSliceIndex(0).AtMapKey("id"), knownvalue.StringExact(root.ID)),
					},
				}},
			})
			if n := uploadCount(env); n != 0 {
				t.Errorf("the emulator saw %d upload requests, want none", n)
			}
			if n := env.Emulator.Count("POST", caCollectionPath); n != 2 {
				t.Errorf("the emulator saw %d CA creates, want 2 (the test's own and the missing intermediate)", n)
			}
			checkPKIIdle(t, env, pki.ID)
		})
	}
}

func TestAccPKIUpload_waitsForAnotherActorsJob(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest external job")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	const external = 4 * time.Second
	var jobEnds time.Time
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				jobEnds = env.Clock.Now().Add(external)
				env.Emulator.StartExternalJob(pki.ID, external)
			},
			Config: uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeeded")),
				statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
			},
			Check: resource.ComposeTestCheckFunc(checkUploads(env, 1), func(*terraform.State) error {
				for _, e := range env.Emulator.Journal() {
					if e.Method == "POST" && strings.HasSuffix(e.Path, "/upload") && e.Time.Before(jobEnds) {
						return fmt.Errorf("uploaded at %s, %s before the other actor's job ended", e.Time, jobEnds.Sub(e.Time))
					}
				}
				return nil
			}),
		}},
	})
}

func TestAccPKIUpload_failedJobIsAnErrorWithDetails(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest failed job")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.Emulator.FailNextJob(pki.ID, "failed", "CRLDownloadFailed: the revocation list could not be fetched")
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)The PKI upload job failed.*"failed".*CRLDownloadFailed`),
			},
			{
				// Nothing was saved: the next apply uploads again and succeeds.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
				Check: checkUploads(env, 2),
			},
		},
	})
}

func TestAccPKIUpload_interruptedApplyResumesWithoutUploadingAgain(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: 6 * time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest interrupted")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		// The CAs its own job brought are its own (issue 16): the destroy deletes them.
		CheckDestroy: checkNoCAsLeft(t, env, pki.ID),
		Steps: []resource.TestStep{
			{
				Config:      uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "  timeouts {\n    create = \"2s\"\n  }\n"),
				ExpectError: errRe("The PKI upload job is still running"),
			},
			{
				Config: uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// Terraform taints a create that failed; the replacement waits for the job and adopts its CAs.
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeeded")),
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
				Check: checkUploads(env, 1),
			},
		},
	})
}

func TestAccPKIUpload_outOfBandDeletionAndDestroy(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	pki := env.CreatePKI(t, "acctest drift")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if left := caThumbprints(t, env, pki.ID); len(left) != 0 {
				return fmt.Errorf("destroy left certificate authorities %v", left)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config, Check: checkUploads(env, 1)},
			{
				PreConfig:          func() { deleteCAByThumbprint(t, env, pki.ID, testfixtures.ContosoIntermediateThumb) },
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionUpdate),
				}},
			},
			{
				// Drift repaired, not replayed: the apply adds the deleted CA again, in place, without an upload.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
				Check: checkUploads(env, 1),
			},
			{
				// With every CA of the file gone, applying uploads the file again.
				PreConfig: func() {
					deleteCAByThumbprint(t, env, pki.ID, testfixtures.ContosoRootThumbprint)
					deleteCAByThumbprint(t, env, pki.ID, testfixtures.ContosoIntermediateThumb)
				},
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
				Check: checkUploads(env, 2),
			},
		},
	})
}

func TestAccPKIUpload_importThenPlanAdoptsTheURLInPlace(t *testing.T) {
	t.Parallel()
	for _, jobRunning := range []bool{false, true} {
		t.Run(fmt.Sprintf("job running=%v", jobRunning), func(t *testing.T) {
			t.Parallel()
			testImportAdoptsInPlace(t, jobRunning)
		})
	}
}

// testImportAdoptsInPlace imports an upload made out of band, finished or (jobRunning) still running; the next
// apply adopts upload_url in place, waiting for the job if need be, without uploading.
func testImportAdoptsInPlace(t *testing.T, jobRunning bool) {
	duration := time.Second
	if jobRunning {
		duration = 8 * time.Second
	}
	env := acctest.New(t, graphemu.Options{UploadDuration: duration})
	pki := env.CreatePKI(t, "acctest import")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	if err := env.Graph.UploadPKI(acctest.MinuteContext(t), pki.ID, url, testfixtures.ContosoSHA256); err != nil {
		t.Fatal(err)
	}
	wantStatus := "running"
	if !jobRunning {
		waitPKIIdle(t, env, pki.ID)
		wantStatus = "succeeded"
	}
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
				ImportStateCheck: func(states []*terraform.InstanceState) error {
					a := states[0].Attributes
					if a["upload_url"] != "" || a["status"] != wantStatus || a["id"] != pki.ID+"/"+testfixtures.ContosoSHA256 {
						return fmt.Errorf("unexpected imported state %v", a)
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("upload_url"), knownvalue.StringExact(url)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeeded")),
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("upload_url"), knownvalue.StringExact(url)),
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
				// Only the out-of-band upload: adopting the URL does not upload.
				Check: checkUploads(env, 1),
			},
		},
	})
}

func TestAccPKIUpload_twoUploadsToOnePKIInOneApply(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	contoso := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	fabrikam := env.ServeFile(t, "fabrikam.p7b", pkisvc.Fixture(t, "fabrikam-pki.p7b"))
	config := env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "test" {
  display_name = %q
}

resource "entracert_certificate_based_auth_pki_upload" "contoso" {
  pki_id           = entracert_certificate_based_auth_pki.test.id
  upload_url       = %q
  sha256_file_hash = %q
}

resource "entracert_certificate_based_auth_pki_upload" "fabrikam" {
  pki_id           = entracert_certificate_based_auth_pki.test.id
  upload_url       = %q
  sha256_file_hash = %q
}
`, randomName("acctest two uploads"), contoso, testfixtures.ContosoSHA256, fabrikam, testfixtures.FabrikamSHA256)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("entracert_certificate_based_auth_pki_upload.contoso", tfjsonpath.New("certificate_authorities"),
					thumbprintsExact(contosoThumbprints...)),
				statecheck.ExpectKnownValue("entracert_certificate_based_auth_pki_upload.fabrikam", tfjsonpath.New("certificate_authorities"),
					thumbprintsExact(testfixtures.FabrikamRootThumbprint)),
			},
			Check: resource.ComposeTestCheckFunc(checkUploads(env, 2), func(*terraform.State) error {
				if env.Emulator == nil {
					return nil
				}
				// The provider queues uploads to one PKI: the second starts after the first job ended.
				var at []time.Time
				for _, e := range env.Emulator.Journal() {
					if e.Method == "POST" && strings.HasSuffix(e.Path, "/upload") {
						at = append(at, e.Time)
					}
				}
				if len(at) == 2 && at[1].Sub(at[0]) < time.Second {
					return fmt.Errorf("the second upload came %s after the first, while its job (1s) still ran", at[1].Sub(at[0]))
				}
				return nil
			}),
		}},
	})
}

func TestAccPKIUpload_lostAnswerIsNotUploadedTwice(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest lost answer")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	env.Emulator.AddFault(graphemu.Fault{Method: "POST", Path: uploadPath, DropAfterProcessing: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
			},
			Check: checkUploads(env, 1),
		}},
	})
}
