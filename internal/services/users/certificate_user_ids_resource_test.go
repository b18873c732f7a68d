package users_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Create by object ID, an empty second plan, an update, imports by ID (upper case too) and by UPN, and a destroy
// that empties the list in Graph.
func TestAccUserCertificateUserIDs_lifecycle(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps: []resource.TestStep{
			{
				Config: config(env, id, pnBob, skiBob),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					// The user is read at plan time: its object ID and UPN are known before the apply.
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("user_principal_name"), knownvalue.StringExact("bob@contoso.com")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(id)),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("user_principal_name"), knownvalue.StringExact("bob@contoso.com")),
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("certificate_user_ids"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(pnBob), knownvalue.StringExact(skiBob)})),
				},
				Check: checkEmulatorUser(env, id, pnBob, skiBob),
			},
			{
				Config:           config(env, id, pnBob, skiBob),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: config(env, id, skiBob, sha1Bob, serialOf),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkEmulatorUser(env, id, skiBob, sha1Bob, serialOf),
			},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: id,
				ImportStateVerifyIgnore: []string{"timeouts"}},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: strings.ToUpper(id),
				ImportStateVerifyIgnore: []string{"timeouts", "user_id"}},
			{ResourceName: addr, ImportState: true, ImportStateVerify: true, ImportStateId: "bob@contoso.com",
				ImportStateVerifyIgnore: []string{"timeouts", "user_id"}},
			{ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: id},
		},
	})
}

// A configuration naming the user by UPN imports by UPN with nothing to change; switching user_id to the same
// user's object ID (or another letter case) changes only the state, and to another user replaces the resource,
// emptying the first user's list.
func TestAccUserCertificateUserIDs_byUPN(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	bob := env.Emulator.AddUser("bob@contoso.com", pnBob)
	alice := env.Emulator.AddUser("alice@contoso.com")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(checkEmulatorUser(env, bob), checkEmulatorUser(env, alice)),
		Steps: []resource.TestStep{
			{
				Config:           config(env, "bob@contoso.com", pnBob),
				ResourceName:     addr,
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithID,
				ImportStateId:    "bob@contoso.com",
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)}},
			},
			{
				Config:             config(env, "bob@contoso.com", pnBob),
				ResourceName:       addr,
				ImportState:        true,
				ImportStateId:      "bob@contoso.com",
				ImportStatePersist: true,
			},
			{
				Config:           config(env, "bob@contoso.com", pnBob),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(bob)),
				},
			},
			{
				Config: config(env, strings.ToUpper(bob), pnBob),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: resource.ComposeTestCheckFunc(checkEmulatorUser(env, bob, pnBob), func(*terraform.State) error {
					if n := env.Emulator.Count("PATCH", "/users/*"); n != 0 {
						return fmt.Errorf("%d PATCH: naming the same user differently must write nothing", n)
					}
					return nil
				}),
			},
			{
				Config: config(env, "alice@contoso.com", "X509:<PN>alice@contoso.com"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: resource.ComposeTestCheckFunc(checkEmulatorUser(env, bob), checkEmulatorUser(env, alice, "X509:<PN>alice@contoso.com")),
			},
		},
	})
}

// A change made in the portal (a value added, or the list emptied) shows in the plan and the apply restores the
// configuration.
func TestAccUserCertificateUserIDs_drift(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps: []resource.TestStep{
			{Config: config(env, id, pnBob)},
			{
				PreConfig: func() { env.Emulator.SetUserCertificateUserIDs(id, pnBob, "X509:<PN>added-in-portal@contoso.com") },
				Config:    config(env, id, pnBob),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("certificate_user_ids"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(pnBob)})),
				}},
				Check: checkEmulatorUser(env, id, pnBob),
			},
			{
				PreConfig: func() { env.Emulator.SetUserCertificateUserIDs(id) },
				Config:    config(env, id, pnBob),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				}},
				Check: checkEmulatorUser(env, id, pnBob),
			},
		},
	})
}

// Destroy empties the user's list in Graph, and only that user's (the destroy plan's warning is asserted by
// TestModifyPlanWarnsBeforeDestroy: terraform-plugin-testing does not expose warnings).
func TestAccUserCertificateUserIDs_destroyEmptiesTheList(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	other := env.Emulator.AddUser("carol@contoso.com", "X509:<PN>carol@contoso.com")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(checkEmulatorUser(env, id),
			checkEmulatorUser(env, other, "X509:<PN>carol@contoso.com"),
			func(*terraform.State) error {
				if n := env.Emulator.Count("PATCH", "/users/"+id); n != 2 {
					return fmt.Errorf("%d PATCH of the user, want 2 (create, destroy)", n)
				}
				return nil
			}),
		Steps: []resource.TestStep{{Config: config(env, id, pnBob, skiBob), Check: checkEmulatorUser(env, id, pnBob, skiBob)}},
	})
}

// The user deleted outside Terraform: the refresh drops the resource with a warning, the plan creates it again
// without failing, and destroy works.
func TestAccUserCertificateUserIDs_userDeletedOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if _, ok := env.Emulator.User(id); ok {
				return fmt.Errorf("the user came back")
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config(env, id, pnBob)},
			{
				PreConfig:          func() { env.Emulator.DeleteUser(id) },
				Config:             config(env, id, pnBob),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}
