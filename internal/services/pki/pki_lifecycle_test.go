package pki_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	pkisvc "github.com/entracert/terraform-provider-entracert/internal/services/pki"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// The lifecycle matrix of entracert_certificate_based_auth_pki: deleted out of band (restorable, purged), changed
// out of band, create_before_destroy, -replace, moved, removed then back, and import by every ID form.

const restorePath = "/directory/deletedItems/*/restore"

func pkiWithUploadConfig(env *acctest.Env, name, url, extra string) string {
	return env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "test" {
  display_name = %q
%s}

resource "entracert_certificate_based_auth_pki_upload" "test" {
  pki_id           = entracert_certificate_based_auth_pki.test.id
  upload_url       = %q
  sha256_file_hash = %q
}
`, name, extra, url, testfixtures.ContosoSHA256)
}

func stateID(s *terraform.State, addr string, into *string) error {
	r := s.RootModule().Resources[addr]
	if r == nil {
		return fmt.Errorf("%s is not in the state", addr)
	}
	*into = r.Primary.ID
	return nil
}

func deletePKIOutOfBand(t *testing.T, env *acctest.Env, id *string, purge bool) func() {
	return func() {
		if err := env.Graph.DeletePKI(acctest.MinuteContext(t), *id); err != nil {
			t.Fatal(err)
		}
		if purge {
			if err := env.Graph.PurgeDeletedItem(acctest.MinuteContext(t), *id); err != nil {
				t.Fatal(err)
			}
		}
		env.Emulator.ResetJournal()
	}
}

// checkPKIGoneOrDeleted is the CheckDestroy of these tests: the PKI answers 404 (it stays restorable: destroy is a
// soft delete).
func checkPKIGone(t *testing.T, env *acctest.Env, id *string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if _, err := env.Graph.GetPKI(acctest.MinuteContext(t), *id); !graph.IsNotFound(err) {
			return fmt.Errorf("PKI %s still readable after destroy (err %v)", *id, err)
		}
		return nil
	}
}

// Done when of issue 16: a PKI deleted out of band comes back with the same id, its CAs and their settings, and no
// new upload. plan -refresh-only shows the deletion, the plan an in-place update of the PKI only, and after the
// apply the plan is empty.
func TestAccPKILifecycle_deletedOutOfBandIsRestored(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	url := env.ServeFile(t, "contoso-pki.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := pkiWithUploadConfig(env, randomName("acctest pki restore"), url, "")
	var id string
	var before []graph.CertificateAuthority
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkPKIGone(t, env, &id),
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error {
				if err := stateID(s, pkiAddr, &id); err != nil {
					return err
				}
				// A setting changed on one CA must come back too.
				cas, err := env.Graph.ListCertificateAuthorities(acctest.MinuteContext(t), id)
				if err != nil {
					return err
				}
				before = cas
				return nil
			}},
			{
				PreConfig:          deletePKIOutOfBand(t, env, &id, false),
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("deleted_date_time"), knownvalue.Null()),
					plancheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if v != id {
							return fmt.Errorf("planned id %s, want %s kept", v, id)
						}
						return nil
					})),
				}},
			},
			{
				// plan -refresh-only: the state learns of the deletion (deleted_date_time), nothing else changes.
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeTestCheckFunc(
					resource.TestCheckResourceAttrSet(pkiAddr, "deleted_date_time"),
					resource.TestCheckResourceAttrSet(uploadAddr, "certificate_authorities.0.id"),
				),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("deleted_date_time"), knownvalue.Null()),
				},
				Check: func(s *terraform.State) error {
					var got string
					if err := stateID(s, pkiAddr, &got); err != nil || got != id {
						return fmt.Errorf("PKI id %s after the restore, want %s (err %v)", got, id, err)
					}
					cas, err := env.Graph.ListCertificateAuthorities(acctest.MinuteContext(t), id)
					if err != nil {
						return err
					}
					if len(cas) != len(before) {
						return fmt.Errorf("%d CAs after the restore, want %d", len(cas), len(before))
					}
					for i := range cas {
						if cas[i].ID != before[i].ID || cas[i].CertificateRevocationListURL != before[i].CertificateRevocationListURL {
							return fmt.Errorf("CA %d after the restore = %+v, want %+v", i, cas[i], before[i])
						}
					}
					if n := env.Emulator.Count("POST", restorePath); n != 1 {
						return fmt.Errorf("%d restore requests, want 1", n)
					}
					for _, p := range []string{uploadPath, caCollectionPath, "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"} {
						if n := env.Emulator.Count("POST", p); n != 0 {
							return fmt.Errorf("%d POST %s after the deletion, want none: a restore uploads nothing", n, p)
						}
					}
					return nil
				},
			},
		},
	})
}

// A PKI deleted out of band and purged (no longer restorable) is created anew, and its upload re-created in it.
func TestAccPKILifecycle_purgedIsCreatedAgain(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	url := env.ServeFile(t, "contoso-pki.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := pkiWithUploadConfig(env, randomName("acctest pki purged"), url, "")
	var id, newID string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkPKIGone(t, env, &newID),
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error { return stateID(s, pkiAddr, &id) }},
			{
				PreConfig:          deletePKIOutOfBand(t, env, &id, true),
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionCreate),
				}},
			},
			{
				// Thirty days on the emulator's clock do the same as a purge.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					if err := stateID(s, pkiAddr, &newID); err != nil || newID == id {
						return fmt.Errorf("PKI id %s after the purge, want a new one (err %v)", newID, err)
					}
					if n := env.Emulator.Count("POST", uploadPath); n != 1 {
						return fmt.Errorf("%d uploads, want 1 into the new PKI", n)
					}
					return nil
				},
			},
		},
	})
}

// Past 30 days on the emulator's clock a deleted PKI is no longer restorable: the plan creates it.
func TestAccPKILifecycle_deletedMoreThan30DaysAgoIsCreatedAgain(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	config := pkiConfig(env, randomName("acctest pki expired"))
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error { return stateID(s, pkiAddr, &id) }},
			{
				PreConfig: func() {
					deletePKIOutOfBand(t, env, &id, false)()
					env.Clock.Advance(graph.DeletedItemRetention)
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

// A rename out of band shows in the plan, and the apply sets the configured name back, in place.
func TestAccPKILifecycle_changedOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	name := randomName("acctest pki drift")
	config := pkiConfig(env, name)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkPKIGone(t, env, &id),
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error { return stateID(s, pkiAddr, &id) }},
			{
				PreConfig: func() {
					if err := env.Graph.UpdatePKI(acctest.MinuteContext(t), id, name+" (renamed in the portal)"); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check:              resource.TestCheckResourceAttr(pkiAddr, "display_name", name+" (renamed in the portal)"),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(name)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					p, err := env.Graph.GetPKI(acctest.MinuteContext(t), id)
					if err != nil || p.DisplayName != name {
						return fmt.Errorf("Graph has %+v (err %v), want the configured name back", p, err)
					}
					return nil
				},
			},
		},
	})
}

// -replace (Taint) deletes then creates; with create_before_destroy it creates first. Either way the old PKI ends in
// the deleted items (restorable), a new id is in the state, and the plan after is empty.
func TestAccPKILifecycle_replace(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		extra  string
		action plancheck.ResourceActionType
	}{
		{"replace", "", plancheck.ResourceActionDestroyBeforeCreate},
		{"create_before_destroy", "  lifecycle {\n    create_before_destroy = true\n  }\n", plancheck.ResourceActionCreateBeforeDestroy},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
			config := env.ProviderConfig() + fmt.Sprintf("resource \"entracert_certificate_based_auth_pki\" \"test\" {\n  display_name = %q\n%s}\n",
				randomName("acctest pki replace"), tc.extra)
			var id, newID string
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
				CheckDestroy:             checkPKIGone(t, env, &newID),
				Steps: []resource.TestStep{
					{Config: config, Check: func(s *terraform.State) error { return stateID(s, pkiAddr, &id) }},
					{
						Config: config,
						Taint:  []string{pkiAddr},
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(pkiAddr, tc.action)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						Check: func(s *terraform.State) error {
							if err := stateID(s, pkiAddr, &newID); err != nil || newID == id {
								return fmt.Errorf("id %s after -replace, want a new one (err %v)", newID, err)
							}
							if _, err := env.Graph.GetPKI(acctest.MinuteContext(t), id); !graph.IsNotFound(err) {
								return fmt.Errorf("the replaced PKI %s is still there (err %v)", id, err)
							}
							if env.Emulator != nil {
								if _, err := env.Graph.GetDeletedPKI(acctest.MinuteContext(t), id); err != nil {
									return fmt.Errorf("the replaced PKI %s is not restorable: %v", id, err)
								}
							}
							return nil
						},
					},
				},
			})
		})
	}
}

// moved {} to a new address plans nothing.
func TestAccPKILifecycle_moved(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	name := randomName("acctest pki moved")
	moved := env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "renamed" {
  display_name = %q
}

moved {
  from = entracert_certificate_based_auth_pki.test
  to   = entracert_certificate_based_auth_pki.renamed
}
`, name)
	var id string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkPKIGone(t, env, &id),
		Steps: []resource.TestStep{
			{Config: pkiConfig(env, name), Check: func(s *terraform.State) error { return stateID(s, pkiAddr, &id) }},
			{
				Config: moved,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("entracert_certificate_based_auth_pki.renamed", plancheck.ResourceActionNoop),
				}},
				Check: func(s *terraform.State) error {
					var got string
					if err := stateID(s, "entracert_certificate_based_auth_pki.renamed", &got); err != nil || got != id {
						return fmt.Errorf("moved PKI id %s, want %s (err %v)", got, id, err)
					}
					return nil
				},
			},
		},
	})
}

// removed { lifecycle { destroy = false } } leaves the PKI in Graph; bringing it back is an import block (the
// provider never adopts a PKI by display name: names are not unique), which plans an import and no create.
func TestAccPKILifecycle_removedThenImportedBack(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	p := env.CreatePKI(t, "acctest pki removed")
	withImport := pkiConfig(env, p.DisplayName) + fmt.Sprintf(`
import {
  to = %s
  id = %q
}
`, pkiAddr, p.ID)
	removed := env.ProviderConfig() + fmt.Sprintf(`
removed {
  from = %s
  lifecycle {
    destroy = false
  }
}
`, pkiAddr)
	idIs := statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("id"), knownvalue.StringExact(p.ID))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkPKIGone(t, env, &p.ID),
		Steps: []resource.TestStep{
			{Config: withImport, ConfigStateChecks: []statecheck.StateCheck{idIs}},
			{
				Config: removed,
				Check: func(*terraform.State) error {
					if _, err := env.Graph.GetPKI(acctest.MinuteContext(t), p.ID); err != nil {
						return fmt.Errorf("removed with destroy = false deleted the PKI: %v", err)
					}
					return nil
				},
			},
			{
				Config: withImport,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{idIs},
			},
		},
	})
}

// Import by every ID form: valid, upper case (stored lower case, so nothing that references the PKI is replaced),
// empty, malformed and non-existent; and a deleted, still restorable PKI (imported, then restored).
func TestAccPKILifecycle_importIDForms(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	name := randomName("acctest pki import")
	url := env.ServeFile(t, "contoso-pki.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := pkiWithUploadConfig(env, name, url, "")
	var id string
	idFunc := func(f func(string) string) resource.ImportStateIdFunc {
		return func(*terraform.State) (string, error) { return f(id), nil }
	}
	importStep := func(f func(string) string, expect string) resource.TestStep {
		s := resource.TestStep{Config: config, ResourceName: pkiAddr, ImportState: true, ImportStateIdFunc: idFunc(f)}
		if expect != "" {
			s.ExpectError = errRe(expect)
		} else {
			s.ImportStateVerify = true
			s.ImportStateVerifyIgnore = []string{"timeouts", "last_modified_date_time"}
		}
		return s
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkPKIGone(t, env, &id),
		Steps: []resource.TestStep{
			{Config: config, Check: func(s *terraform.State) error { return stateID(s, pkiAddr, &id) }},
			importStep(func(id string) string { return id }, ""),
			importStep(strings.ToUpper, ""),
			importStep(func(string) string { return "" }, "Invalid import ID"),
			importStep(func(string) string { return "not-a-guid" }, `The import ID is not a GUID (got "not-a-guid"). The import ID is the PKI's ID, a GUID such as`),
			importStep(func(string) string { return "00000000-0000-0000-0000-000000000000" }, "Cannot import non-existent remote object"),
			{
				// The real import of the upper-case form: state rm, import, then the plan replaces nothing.
				Config: config,
				PreConfig: func() {
					if err := env.Graph.UpdatePKI(acctest.MinuteContext(t), id, name); err != nil {
						t.Fatal(err)
					}
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(pkiAddr, plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(uploadAddr, plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}

// terraform import with an upper-case id into a fresh state, with an upload referencing the PKI: the id is stored
// lower case and nothing is replaced.
func TestAccPKILifecycle_importUpperCaseReplacesNothing(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	p := env.CreatePKI(t, "acctest pki upper")
	config := pkiConfig(env, p.DisplayName) + fmt.Sprintf(`
import {
  to = %s
  id = %q
}

resource "terraform_data" "ref" {
  input = entracert_certificate_based_auth_pki.test.id
  triggers_replace = [entracert_certificate_based_auth_pki.test.id]
}
`, pkiAddr, strings.ToUpper(p.ID))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("id"), knownvalue.StringExact(strings.ToLower(p.ID))),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// NUL and newline in display_name fail the plan on the attribute.
func TestAccPKILifecycle_controlCharactersInDisplayName(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	// HCL escapes, written as they are (Go's %q would write \x00, which HCL does not read).
	rawName := func(hcl string) string {
		return env.ProviderConfig() + "resource \"entracert_certificate_based_auth_pki\" \"test\" {\n  display_name = \"" + hcl + "\"\n}\n"
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: rawName(`Contoso\u0000PKI`), PlanOnly: true, ExpectError: errRe("must not contain control characters such as NUL")},
			{Config: rawName(`Contoso\nPKI`), PlanOnly: true, ExpectError: errRe("display_name")},
		},
	})
}
