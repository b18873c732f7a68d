package pki_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// A CA resource's CA deleted out of band is restored, not added again: the plan is an in-place update, the apply
// restores it with the same Graph ID and its settings and adds nothing. Once purged, the plan adds it anew.
func TestAccCARestore_deletedOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest ca restore")
	config := caConfig(env, pki.ID, pemFixture("root-ca.pem"), "  certificate_revocation_list_url = \"http://crl.contoso.example/root.crl\"\n")
	var caID string
	deleteCA := func(purge bool) func() {
		return func() {
			ca := caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint)
			caID = ca.ID
			if err := env.Graph.DeleteCertificateAuthority(acctest.MinuteContext(t), pki.ID, ca.ID); err != nil {
				t.Fatal(err)
			}
			if purge {
				if err := env.Graph.PurgeDeletedItem(acctest.MinuteContext(t), ca.ID); err != nil {
					t.Fatal(err)
				}
			}
			env.Emulator.ResetJournal()
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAs(t, env, pki.ID),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: deleteCA(false),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					ca := caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint)
					if ca == nil || ca.ID != caID || ca.CertificateRevocationListURL != "http://crl.contoso.example/root.crl" {
						return fmt.Errorf("after the restore Graph has %+v, want CA %s with its CRL URL", ca, caID)
					}
					if got := s.RootModule().Resources[caAddr].Primary.Attributes["certificate_authority_id"]; got != caID {
						return fmt.Errorf("state certificate_authority_id %s, want %s", got, caID)
					}
					if n := env.Emulator.Count("POST", caCollectionPath); n != 0 {
						return fmt.Errorf("%d CA creates, want none: the CA is restored", n)
					}
					if n := env.Emulator.Count("POST", restorePath); n != 1 {
						return fmt.Errorf("%d restores, want 1", n)
					}
					return nil
				},
			},
			{
				PreConfig: deleteCA(true),
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					if ca := caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint); ca == nil || ca.ID == caID {
						return fmt.Errorf("after the purge Graph has %+v, want the CA added anew", ca)
					}
					return nil
				},
			},
		},
	})
}
