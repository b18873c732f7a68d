package pki_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	pkisvc "github.com/entracert/terraform-provider-entracert/internal/services/pki"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// The PKI under an upload and a CA resource deleted out of band: plan, plan -refresh-only, apply and destroy work.

func pkiUploadAndCAConfig(env *acctest.Env, name, url string) string {
	return pkiWithUploadConfig(env, name, url, "") + fmt.Sprintf(`
resource "entracert_certificate_based_auth_certificate_authority" "test" {
  pki_id      = entracert_certificate_based_auth_pki.test.id
  certificate = %q
}
`, pemFixture("other-root-ca.pem"))
}

// caIDs are the Graph ids of the PKI's CAs, by thumbprint.
func caIDs(t *testing.T, env *acctest.Env, pkiID string) map[string]string {
	t.Helper()
	cas, err := env.Graph.ListCertificateAuthorities(acctest.MinuteContext(t), pkiID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, ca := range cas {
		out[ca.Thumbprint] = ca.ID
	}
	return out
}

// Restorable and managed: the upload and the CA resource keep their state, the plan restores the PKI only, their
// CAs come back with it (same ids), nothing is uploaded or added, and the plan after is empty.
func TestAccPKIParent_deletedAndRestorable(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	url := env.ServeFile(t, "contoso-pki.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := pkiUploadAndCAConfig(env, randomName("acctest parent restorable"), url)
	var id string
	var before map[string]string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkPKIGone(t, env, &id),
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error {
				if err := stateID(s, pkiAddr, &id); err != nil {
					return err
				}
				before = caIDs(t, env, id)
				if len(before) != 3 {
					return fmt.Errorf("%d CAs, want 3", len(before))
				}
				return nil
			}},
			{
				PreConfig:          deletePKIOutOfBand(t, env, &id, false),
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrSet(pkiAddr, "deleted_date_time"),
					resource.TestCheckResourceAttrSet(uploadAddr, "certificate_authorities.1.id"),
					resource.TestCheckResourceAttrSet(caAddr, "certificate_authority_id"),
				),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					after := caIDs(t, env, id)
					if fmt.Sprint(after) != fmt.Sprint(before) {
						return fmt.Errorf("CAs after the restore %v, want %v", after, before)
					}
					if n := env.Emulator.Count("POST", uploadPath) + env.Emulator.Count("POST", caCollectionPath); n != 0 {
						return fmt.Errorf("%d uploads or CA creates after the deletion, want none", n)
					}
					return nil
				},
			},
			{
				// Deleted again, then destroyed while in the deleted items: every Delete finds its object gone.
				PreConfig: deletePKIOutOfBand(t, env, &id, false),
				Config:    config,
				Destroy:   true,
			},
		},
	})
}

// Not restorable (purged): the upload and CA resource leave the state, and the plan re-creates them in the new
// PKI; destroy after a purge also works.
func TestAccPKIParent_deletedAndPurged(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	url := env.ServeFile(t, "contoso-pki.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := pkiUploadAndCAConfig(env, randomName("acctest parent purged"), url)
	var id, newID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkPKIGone(t, env, &newID),
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error { return stateID(s, pkiAddr, &id) }},
			{
				PreConfig:          deletePKIOutOfBand(t, env, &id, true),
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					for _, addr := range []string{pkiAddr, uploadAddr, caAddr} {
						if s.RootModule().Resources[addr] != nil {
							return fmt.Errorf("%s is still in the state after its PKI was purged", addr)
						}
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					if err := stateID(s, pkiAddr, &newID); err != nil || newID == id {
						return fmt.Errorf("PKI %s, want a new one (err %v)", newID, err)
					}
					if n := len(caIDs(t, env, newID)); n != 3 {
						return fmt.Errorf("%d CAs in the new PKI, want 3", n)
					}
					return nil
				},
			},
			{
				PreConfig: deletePKIOutOfBand(t, env, &newID, true),
				Config:    config,
				Destroy:   true,
			},
		},
	})
}

// An upload and a CA resource under a PKI created outside this configuration: deleted and restorable, they keep
// their state (the warning says to restore the PKI); purged, they leave the state, and the plan of their
// re-creation fails on pki_id, since the PKI no longer exists.
func TestAccPKIParent_unmanagedPKIDeleted(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	p := env.CreatePKI(t, "acctest unmanaged parent")
	url := env.ServeFile(t, "contoso-pki.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := uploadConfig(env, p.ID, url, testfixtures.ContosoSHA256, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: deletePKIOutOfBand(t, env, &p.ID, false),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionNoop),
				}},
			},
			{
				PreConfig: func() {
					if err := env.Graph.PurgeDeletedItem(acctest.MinuteContext(t), p.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:      config,
				PlanOnly:    true,
				ExpectError: errRe("The PKI does not exist"),
			},
		},
	})
}

// Defect 7: a pki_id that is no GUID, or names no PKI, fails the plan on pki_id, after at most a 10 s look (the
// apply used to wait about 2 minutes before failing).
func TestAccPKIParent_nonExistentPKIFailsThePlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	url := env.ServeFile(t, "contoso-pki.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	deleted := env.CreatePKI(t, "acctest deleted parent")
	if err := env.Graph.DeletePKI(acctest.MinuteContext(t), deleted.ID); err != nil {
		t.Fatal(err)
	}
	start := env.Clock.Now()
	missing := "3f1e1b9c-2a4d-4c7e-9b1a-7d2c5e8f0a61"
	ca := func(pkiID string) string { return caConfig(env, pkiID, pemFixture("root-ca.pem"), "") }
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: uploadConfig(env, "not-a-guid", url, testfixtures.ContosoSHA256, ""), PlanOnly: true, ExpectError: errRe("Invalid PKI ID")},
			{Config: uploadConfig(env, "   ", url, testfixtures.ContosoSHA256, ""), PlanOnly: true, ExpectError: errRe("Invalid PKI ID")},
			{Config: uploadConfig(env, missing, url, testfixtures.ContosoSHA256, ""), PlanOnly: true, ExpectError: errRe("The PKI does not exist")},
			{Config: uploadConfig(env, deleted.ID, url, testfixtures.ContosoSHA256, ""), PlanOnly: true, ExpectError: errRe("The PKI was deleted")},
			{Config: ca("not-a-guid"), PlanOnly: true, ExpectError: errRe("Invalid PKI ID")},
			{Config: ca(missing), PlanOnly: true, ExpectError: errRe("The PKI does not exist")},
			{
				Config: ca(missing), PlanOnly: true, ExpectError: errRe("The PKI does not exist"),
				PreConfig: func() {
					// Three plans of a missing PKI so far, each looking for 10 s (replication of a PKI made a moment
					// before) instead of the 2 minutes the apply used to wait.
					if waited := env.Clock.Now().Sub(start); waited > 31*time.Second {
						t.Fatalf("the plans waited %s on the emulator's clock, want at most 3 x 10 s", waited)
					}
				},
			},
		},
	})
	if n := env.Emulator.Count("POST", uploadPath) + env.Emulator.Count("POST", caCollectionPath); n != 0 {
		t.Fatalf("%d writes, want none", n)
	}
}

// A policy scoping a CA of a PKI deleted out of band. Restorable: the plan restores the PKI, the upload and the
// policy plan nothing. Purged: the PKI and upload are created again, and the policy (the same subject key
// identifier, known from the file at plan time) plans nothing. Either way the plan after the apply is empty, and
// destroy works with the PKI deleted again.
func TestAccPKIParent_policyScopingADeletedPKI(t *testing.T) {
	t.Parallel()
	for _, purge := range []bool{false, true} {
		t.Run(fmt.Sprintf("purged=%v", purge), func(t *testing.T) {
			t.Parallel()
			testPolicyScopingADeletedPKI(t, purge)
		})
	}
}

func testPolicyScopingADeletedPKI(t *testing.T, purge bool) {
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	url := env.ServeFile(t, "contoso-pki.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	const policyAddr = "entracert_certificate_based_auth_policy.test"
	base := pkiWithUploadConfig(env, randomName("acctest parent policy"), url, "")
	config := base + `
resource "entracert_certificate_based_auth_policy" "test" {
  state = "disabled"
  certificate_authority_scopes = [{
    subject_key_identifier = entracert_certificate_based_auth_pki_upload.test.certificate_authorities[1].subject_key_identifier
    include_targets        = [{ id = "0b9e2c4a-5f1d-4e3b-8a7c-6d2f1e0a9b8c" }]
  }]
}
`
	expect := []plancheck.PlanCheck{
		plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionUpdate),
		plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionNoop),
		plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionNoop),
	}
	if purge {
		expect = []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionCreate),
			plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionCreate),
			plancheck.ExpectResourceAction(policyAddr, plancheck.ResourceActionNoop),
		}
	}
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			// The CA exists before the policy names it (a reference in one go is the policy's own case, issue 16 #4).
			{Config: base, Check: func(s *terraform.State) error { return stateID(s, pkiAddr, &id) }},
			{Config: config},
			{
				PreConfig:          deletePKIOutOfBand(t, env, &id, purge),
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             expect,
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error { return stateID(s, pkiAddr, &id) },
			},
			{
				PreConfig: deletePKIOutOfBand(t, env, &id, false),
				Config:    config,
				Destroy:   true,
			},
		},
	})
}
