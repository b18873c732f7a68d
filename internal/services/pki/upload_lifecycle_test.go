package pki_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	pkisvc "github.com/entracert/terraform-provider-entracert/internal/services/pki"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The upload's lifecycle matrix (issue 16). Covered elsewhere: a setting changed out of band
// (TestAccPKIUpload_certificateAuthoritySettings), create_before_destroy replacements by URL, file and taint with the
// journal showing no CA deletion (TestAccPKIUpload_ownershipSequencesNeverEmptyTheStore), the PKI deleted under the
// upload (the PKI's soft-delete tests).

// checkNoCAsLeft is the CheckDestroy of an upload that added all its CAs.
func checkNoCAsLeft(t *testing.T, env *acctest.Env, pkiID string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if left := caThumbprints(t, env, pkiID); len(left) != 0 {
			return fmt.Errorf("destroy left certificate authorities %v", left)
		}
		return nil
	}
}

// One CA, then all CAs of the file deleted in the portal: refresh-only shows it, the plan proposes the repair in
// place, the apply adds what is missing (one by one, or by uploading again when none is left), destroy works.
func TestAccPKIUpload_lifecycleDeletedOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest lifecycle deleted")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "")
	update := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionUpdate)}}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAsLeft(t, env, pki.ID),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// plan -refresh-only: the deleted CA shows in the state with an empty id.
				PreConfig:          func() { deleteCAByThumbprint(t, env, pki.ID, testfixtures.ContosoIntermediateThumb) },
				RefreshState:       true,
				Check:              resource.TestCheckResourceAttr(uploadAddr, "certificate_authorities.1.id", ""),
				ExpectNonEmptyPlan: true,
			},
			{
				Config:            config,
				ConfigPlanChecks:  update,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...))},
				Check:             resource.ComposeTestCheckFunc(checkUploads(env, 1), func(*terraform.State) error { return noWritesSince(env, 1, 1, 1) }), // the one CA deletion is the portal's
			},
			{
				PreConfig: func() {
					deleteCAByThumbprint(t, env, pki.ID, testfixtures.ContosoRootThumbprint)
					deleteCAByThumbprint(t, env, pki.ID, testfixtures.ContosoIntermediateThumb)
				},
				Config:            config,
				ConfigPlanChecks:  update,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...))},
				Check:             checkUploads(env, 2),
			},
		},
	})
}

// -replace (taint) with the default lifecycle: destroy, then create; the new object uploads the file again and
// owns its CAs (the destroy runs first, so nothing is adopted).
func TestAccPKIUpload_lifecycleTaint(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest lifecycle taint")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAsLeft(t, env, pki.ID),
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config: config,
				Taint:  []string{uploadAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...))},
				Check:             checkUploads(env, 2),
			},
		},
	})
}

// moved: a new address, an empty plan, nothing written.
func TestAccPKIUpload_lifecycleMoved(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest lifecycle moved")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	moved := env.ProviderConfig() + namedUpload("renamed", pki.ID, url, testfixtures.ContosoSHA256) + `
moved {
  from = entracert_certificate_based_auth_pki_upload.test
  to   = entracert_certificate_based_auth_pki_upload.renamed
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAsLeft(t, env, pki.ID),
		Steps: []resource.TestStep{
			{Config: uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "")},
			{
				Config: moved,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("entracert_certificate_based_auth_pki_upload.renamed", plancheck.ResourceActionNoop),
				}},
				Check: func(*terraform.State) error { return noWritesSince(env, 1, 0, 0) },
			},
		},
	})
}

// removed { lifecycle { destroy = false } } keeps the CAs in the PKI; bringing the upload back with an import block
// takes them over as owned (an import owns what it adopts), without a second upload, and destroy deletes them.
// Brought back without an import, the upload adopts them (again no upload) and a destroy leaves them.
func TestAccPKIUpload_lifecycleRemovedThenBack(t *testing.T) {
	t.Parallel()
	for _, viaImport := range []bool{true, false} {
		t.Run(fmt.Sprintf("import=%v", viaImport), func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
			env.RequireEmulator(t)
			pki := env.CreatePKI(t, "acctest lifecycle removed")
			url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
			config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "")
			back := config
			if viaImport {
				back += fmt.Sprintf(`
import {
  to = %s
  id = %q
}
`, uploadAddr, pki.ID+"/"+testfixtures.ContosoSHA256)
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
				CheckDestroy: func(*terraform.State) error {
					left := caThumbprints(t, env, pki.ID)
					if viaImport && len(left) != 0 {
						return fmt.Errorf("destroy after the import left %v, want none (imported CAs are owned)", left)
					}
					if !viaImport && len(left) != 2 {
						return fmt.Errorf("destroy after adopting left %v, want both adopted CAs", left)
					}
					return nil
				},
				Steps: []resource.TestStep{
					{Config: config},
					{
						Config: env.ProviderConfig() + fmt.Sprintf(`
removed {
  from = %s
  lifecycle {
    destroy = false
  }
}
`, uploadAddr),
						Check: func(*terraform.State) error { return noWritesSince(env, 1, 0, 0) },
					},
					{
						Config: back,
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
						},
						Check: func(*terraform.State) error { return noWritesSince(env, 1, 0, 0) },
					},
				},
			})
		})
	}
}

// Import by every form of ID: upper-case GUID (the next plan adopts the URL in place, never a replacement),
// empty, malformed and non-existent IDs each get a diagnostic with the expected form.
func TestAccPKIUpload_importIDForms(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest import forms")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	if err := env.Graph.UploadPKI(acctest.MinuteContext(t), pki.ID, url, testfixtures.ContosoSHA256); err != nil {
		t.Fatal(err)
	}
	waitPKIIdle(t, env, pki.ID)
	config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "")
	bad := func(id, words string) resource.TestStep {
		return resource.TestStep{
			Config: config, ResourceName: uploadAddr, ImportState: true,
			ImportStateIdFunc: func(*terraform.State) (string, error) { return id, nil },
			ExpectError:       errRe(words),
		}
	}
	form := "The import ID is {pki_id}/{sha256_file_hash}"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAsLeft(t, env, pki.ID),
		Steps: []resource.TestStep{
			bad("", "The import ID is empty. "+form),
			bad(pki.ID, "has no \"/\" between the PKI ID and the SHA-256. "+form),
			bad(pki.ID+"/"+testfixtures.ContosoSHA256+"/x", "has 3 parts"),
			bad("not-a-guid/"+testfixtures.ContosoSHA256, `The PKI ID in the import ID is not a GUID (got "not-a-guid")`),
			bad(pki.ID+"/"+strings.Repeat("Z", 64), "The SHA-256 in the import ID is not 64 hex digits"),
			// A PKI that does not exist: Terraform's own "non-existent" error, not "Missing Resource Identity".
			bad("0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e/"+testfixtures.ContosoSHA256, "Cannot import non-existent remote object"),
			{
				Config: config, ResourceName: uploadAddr, ImportState: true, ImportStatePersist: true,
				ImportStateId: strings.ToUpper(pki.ID) + "/" + strings.ToLower(testfixtures.ContosoSHA256),
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					if len(s) != 1 || s[0].Attributes["pki_id"] != strings.ToLower(pki.ID) ||
						s[0].Attributes["sha256_file_hash"] != testfixtures.ContosoSHA256 {
						return fmt.Errorf("imported %v, want the GUID lower case and the hash upper case", s[0].Attributes)
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error { return noWritesSince(env, 1, 0, 0) },
			},
		},
	})
}

// A file that holds one CA twice fails the plan naming the thumbprint; nothing is written.
func TestAccPKIUpload_duplicateCAInTheFileFailsThePlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest duplicate")
	root := pkisvc.PEMDER(t, "root-ca.pem")
	twice := testfixtures.Bundle(t, root, pkisvc.PEMDER(t, "intermediate-ca.pem"), root)
	url := env.ServeFile(t, "twice.p7b", twice)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      uploadConfig(env, pki.ID, url, pkcs.SHA256Hex(twice), ""),
			ExpectError: errRe("The .p7b of upload_url holds these certificates more than once: " + testfixtures.ContosoRootThumbprint),
		}},
	})
	if err := noWritesSince(env, 0, 0, 0); err != nil {
		t.Error(err)
	}
}

// Issue 16, defect 5: with the PKI deleted out of band, the upload's refresh removes it from the state, and plan,
// refresh-only, apply and destroy work on Terraform 1.11 (no "Missing Resource Identity After Read"). What the plan
// proposes for the PKI itself (create or restore) is the PKI's own tests' concern; this asserts only that it works.
func TestAccPKIUpload_pkiDeletedOutOfBandHasNoIdentityError(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "test" {
  display_name = %q
}

resource "entracert_certificate_based_auth_pki_upload" "test" {
  pki_id           = entracert_certificate_based_auth_pki.test.id
  upload_url       = %q
  sha256_file_hash = %q
}
`, randomName("acctest pki deleted under upload"), url, testfixtures.ContosoSHA256)
	var pkiID string
	remember := func(s *terraform.State) error {
		pkiID = s.RootModule().Resources["entracert_certificate_based_auth_pki.test"].Primary.ID
		return nil
	}
	deletePKI := func() {
		if err := env.Graph.DeletePKI(acctest.MinuteContext(t), pkiID); err != nil {
			t.Fatal(err)
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: remember},
			{PreConfig: deletePKI, RefreshState: true, ExpectNonEmptyPlan: true},
			{Config: config, PlanOnly: true, ExpectNonEmptyPlan: true},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
			},
		},
	})
}
