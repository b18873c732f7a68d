package pki_test

import (
	"fmt"
	"strings"
	"testing"

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

// The CA resource's lifecycle matrix (issue 16). The PKI deleted under the CA: the PKI's soft-delete tests.

// Settings left out of the configuration are managed at their documented defaults: a portal change of the CRL URL,
// the delta CRL, the type or the issuer hint shows in the plan (also plan -refresh-only), and the apply sets it back.
func TestAccCA_lifecycleUnsetSettingsChangedOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest ca unset drift")
	config := caConfig(env, pki.ID, pemFixture("intermediate-ca.pem"), "")
	portal := func() {
		ca := caOf(t, env, pki.ID, testfixtures.ContosoIntermediateThumb)
		crl, delta, root, hint := "http://crl.elsewhere.example/x.crl", "http://crl.elsewhere.example/delta.crl", true, true
		if _, err := env.Graph.UpdateCertificateAuthority(acctest.MinuteContext(t), pki.ID, ca.ID, graph.CertificateAuthoritySettings{
			CertificateRevocationListURL: &crl, DeltaCertificateRevocationListURL: &delta, IsRoot: &root, IsIssuerHintEnabled: &hint,
		}); err != nil {
			t.Fatal(err)
		}
	}
	defaults := func(*terraform.State) error {
		ca := caOf(t, env, pki.ID, testfixtures.ContosoIntermediateThumb)
		if ca == nil || ca.CertificateRevocationListURL != testfixtures.ContosoIntermediateCRLURL || ca.DeltaCertificateRevocationListURL != "" ||
			ca.Type != "intermediate" || ca.IsIssuerHintEnabled {
			return fmt.Errorf("Graph holds %+v, want the defaults restored", ca)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAs(t, env, pki.ID),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("certificate_revocation_list_url"), knownvalue.StringExact(testfixtures.ContosoIntermediateCRLURL)),
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("certificate_authority_type"), knownvalue.StringExact("intermediate")),
				},
				Check: defaults,
			},
			{
				PreConfig:          portal,
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(caAddr, tfjsonpath.New("certificate_revocation_list_url"), knownvalue.StringExact(testfixtures.ContosoIntermediateCRLURL)),
					plancheck.ExpectKnownValue(caAddr, tfjsonpath.New("delta_certificate_revocation_list_url"), knownvalue.StringExact("")),
					plancheck.ExpectKnownValue(caAddr, tfjsonpath.New("certificate_authority_type"), knownvalue.StringExact("intermediate")),
					plancheck.ExpectKnownValue(caAddr, tfjsonpath.New("is_issuer_hint_enabled"), knownvalue.Bool(false)),
				}},
			},
			{
				RefreshState:       true,
				Check:              resource.TestCheckResourceAttr(caAddr, "certificate_authority_type", "root"),
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionUpdate),
				}},
				Check: defaults,
			},
		},
	})
}

// Deleted in the portal: refresh-only drops it, the plan creates it again, the apply adds it, destroy works.
// Then -replace (destroy, then create), moved (empty plan), removed without destroy and back through an import
// block (owned again, no second create; without the import the plan points at terraform import).
func TestAccCA_lifecycle(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest ca lifecycle")
	root := pemFixture("root-ca.pem")
	config := caConfig(env, pki.ID, root, "")
	renamed := env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_certificate_authority" "renamed" {
  pki_id      = %q
  certificate = %q
}
`, pki.ID, root)
	const renamedAddr = "entracert_certificate_based_auth_certificate_authority.renamed"
	creates := func(want int) func(*terraform.State) error {
		return func(*terraform.State) error {
			if n := env.Emulator.Count("POST", caCreatePath); n != want {
				return fmt.Errorf("%d CA creates, want %d", n, want)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAs(t, env, pki.ID),
		Steps: []resource.TestStep{
			{Config: config, Check: creates(1)},
			{
				PreConfig:          func() { deleteCAByThumbprint(t, env, pki.ID, testfixtures.ContosoRootThumbprint) },
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					// Restored from Graph's deleted items, not added anew (ca_restore.go).
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionUpdate),
				}},
				Check: creates(1),
			},
			{
				Config: config,
				Taint:  []string{caAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: creates(2),
			},
			{
				Config: renamed + fmt.Sprintf("\nmoved {\n  from = %s\n  to   = %s\n}\n", caAddr, renamedAddr),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(renamedAddr, plancheck.ResourceActionNoop),
				}},
				Check: creates(2),
			},
			{
				Config: env.ProviderConfig() + fmt.Sprintf("\nremoved {\n  from = %s\n  lifecycle {\n    destroy = false\n  }\n}\n", renamedAddr),
				Check: func(*terraform.State) error {
					if caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint) == nil {
						return fmt.Errorf("removed with destroy = false deleted the CA")
					}
					return nil
				},
			},
			{Config: config, ExpectError: errRe("terraform import")},
			{
				Config: config + fmt.Sprintf("\nimport {\n  to = %s\n  id = %q\n}\n", caAddr, strings.ToUpper(pki.ID)+"/"+strings.ToLower(testfixtures.ContosoRootThumbprint)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionNoop),
				}},
				Check: creates(2),
			},
		},
	})
}

// Import by every form of ID: upper-case GUID and lower-case thumbprint give the normalised ID and an empty plan
// (issue 16, defect 6); empty, malformed and non-existent IDs get a diagnostic.
func TestAccCA_importIDForms(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest ca import forms")
	addCA(t, env, pki.ID, pkisvc.PEMDER(t, "root-ca.pem"), true)
	config := caConfig(env, pki.ID, pemFixture("root-ca.pem"), "")
	bad := func(id, words string) resource.TestStep {
		return resource.TestStep{
			Config: config, ResourceName: caAddr, ImportState: true,
			ImportStateIdFunc: func(*terraform.State) (string, error) { return id, nil },
			ExpectError:       errRe(words),
		}
	}
	form := "The import ID is {pki_id}/{thumbprint}"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAs(t, env, pki.ID),
		Steps: []resource.TestStep{
			bad("", "The import ID is empty. "+form),
			bad(testfixtures.ContosoRootThumbprint, "has no \"/\" between the PKI ID and the thumbprint. "+form),
			bad(pki.ID+"/"+testfixtures.ContosoRootThumbprint+"/", "has 3 parts"),
			bad("pki/"+testfixtures.ContosoRootThumbprint, `The PKI ID in the import ID is not a GUID (got "pki")`),
			bad(pki.ID+"/"+strings.Repeat("G", 40), "The thumbprint in the import ID is not 40 hex digits"),
			bad(pki.ID+"/"+strings.Repeat("A", 40), "Cannot import non-existent remote object"),
			{
				Config: config, ResourceName: caAddr, ImportState: true, ImportStatePersist: true,
				ImportStateId: strings.ToUpper(pki.ID) + "/" + strings.ToLower(testfixtures.ContosoRootThumbprint),
				ImportStateCheck: func(s []*terraform.InstanceState) error {
					want := strings.ToLower(pki.ID) + "/" + testfixtures.ContosoRootThumbprint
					if len(s) != 1 || s[0].Attributes["id"] != want || s[0].Attributes["pki_id"] != strings.ToLower(pki.ID) {
						return fmt.Errorf("imported %v, want id %s", s[0].Attributes, want)
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}

// create_before_destroy replacement by a new certificate: the new CA is added before the old one is deleted, and
// the journal shows exactly one deletion, of the old CA.
func TestAccCA_lifecycleCreateBeforeDestroy(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest ca cbd")
	const cbdBlock = "  lifecycle {\n    create_before_destroy = true\n  }\n"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAs(t, env, pki.ID),
		Steps: []resource.TestStep{
			{Config: caConfig(env, pki.ID, pemFixture("root-ca.pem"), cbdBlock)},
			{
				Config: caConfig(env, pki.ID, pemFixture("other-root-ca.pem"), cbdBlock),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionCreateBeforeDestroy),
				}},
				Check: func(*terraform.State) error {
					var order []string
					for _, e := range env.Emulator.Journal() {
						if (e.Method == "POST" && strings.HasSuffix(e.Path, "/certificateAuthorities")) ||
							(e.Method == "DELETE" && strings.Contains(e.Path, "/certificateAuthorities/")) {
							order = append(order, e.Method)
						}
					}
					if strings.Join(order, ",") != "POST,POST,DELETE" {
						return fmt.Errorf("CA writes %v, want the first create, then the new CA's create before the old one's deletion", order)
					}
					if caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint) != nil {
						return fmt.Errorf("the replaced CA is still in the PKI")
					}
					return nil
				},
			},
		},
	})
}
