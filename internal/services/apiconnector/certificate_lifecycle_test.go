package apiconnector_test

// The lifecycle matrix of entracert_api_connector_client_certificate: out-of-band deletes and changes of the
// certificate and of its connector, the lifecycle meta-arguments, moved and removed blocks, and import by every
// ID form. After each case plan, plan -refresh-only (a PlanOnly or RefreshState step), apply and destroy work.
// Uploads are counted with the emulator's journal wherever "nothing done twice" matters.

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// lifecycleConfig is the usual certificate (client-aes.pfx, write-only) on connectorID.
func lifecycleConfig(env *acctest.Env, connectorID string) string {
	return certConfig(env, connectorID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true))
}

// checkNotInState passes when addr is not in the state.
func checkNotInState(addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		if s != nil && s.RootModule() != nil {
			if _, ok := s.RootModule().Resources[addr]; ok {
				return fmt.Errorf("%s is still in the state", addr)
			}
		}
		return nil
	}
}

// checkDestroyForgets is every matrix case's CheckDestroy (given the state from before the destroy): destroy
// only forgets, so it uploaded nothing more.
func checkDestroyForgets(t *testing.T, env *acctest.Env, uploads int) resource.TestCheckFunc {
	return checkUploads(t, env, uploads)
}

// expectForget is a plan check: addr is removed from state without being destroyed (removed block).
type expectForget struct{ addr string }

func (e expectForget) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address == e.addr {
			if !rc.Change.Actions.Forget() {
				resp.Error = fmt.Errorf("%s: planned actions %v, want forget", e.addr, rc.Change.Actions)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("%s: no planned change", e.addr)
}

// expectDrift is a plan check: the refresh found attr of addr changed outside Terraform, to want.
type expectDrift struct {
	addr, attr string
	want       any
}

func (e expectDrift) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceDrift {
		if rc.Address != e.addr {
			continue
		}
		after, _ := rc.Change.After.(map[string]any)
		if got := after[e.attr]; got != e.want {
			resp.Error = fmt.Errorf("%s: drifted %s is %v, want %v", e.addr, e.attr, got, e.want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s: the plan shows no drift (changes outside Terraform)", e.addr)
}

// The connector's certificates replaced in the portal (PATCH with another certificate): the plan proposes the
// repair (upload again), plan -refresh-only and apply work, the apply uploads once, destroy forgets.
func TestAccCertificateLifecycle_certificateRemovedOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-lc-removed")
	cfg := lifecycleConfig(env, conn.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyForgets(t, env, 2),
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{
				PreConfig: func() {
					if err := env.Graph.SetAPIConnectorCertificateAuthentication(ctxFor(t), conn.ID,
						testfixtures.Base64("client-ec.pfx"), testfixtures.Password); err != nil {
						t.Fatal(err)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
				}},
			},
			{
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check:              checkNotInState(resourceAddr),
				RefreshPlanChecks: resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
				}},
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkUploads(t, env, 2),
					checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientECThumbprint, testfixtures.ClientThumbprint),
				),
			},
		},
	})
}

// The connector deleted out of band. While the certificate is in the saved state, a plan's refresh drops it with a
// warning and plans the create with a warning, not an error: terraform destroy runs that same plan first and would
// stop on an error. An apply fails on api_connector_id and saves the state without the certificate; from then on
// plans fail on api_connector_id, saying what to do. Pointing at another connector repairs it.
func TestAccCertificateLifecycle_connectorDeletedOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-lc-conn-gone")
	other := env.CreateAPIConnector(t, "acctest-lc-conn-other")
	// Another resource keeps the state non-empty, so that terraform destroy plans the whole configuration first.
	const otherResource = "\nresource \"terraform_data\" \"other\" {}\n"
	cfg := lifecycleConfig(env, conn.ID) + otherResource
	planFails := errorPattern(`API connector not found .* No API connector with ID "` + conn.ID + `" exists \(Graph answered 404 Not Found, also after looking again .* Set api_connector_id to an existing connector's ID`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyForgets(t, env, 2),
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{
				PreConfig: func() {
					if err := env.Graph.DeleteAPIConnector(ctxFor(t), conn.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
				}},
			},
			// A plan saves no state: the next plan finds the certificate in state again, and only warns again.
			{
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
				}},
			},
			// The apply: its plan only warns; the apply plans the create again (without a refresh) and fails there,
			// before any upload, saving the state without the certificate.
			{Config: cfg, ExpectError: planFails, Check: checkUploads(t, env, 1)},
			// From now on the plan fails, before and after a refresh-only run.
			{Config: cfg, PlanOnly: true, ExpectError: planFails},
			{RefreshState: true, Check: checkNotInState(resourceAddr), ExpectError: planFails},
			{Config: cfg, ExpectError: planFails, Check: checkUploads(t, env, 1)},
			// Now destroy fails too, as the diagnostic says, because Terraform plans the whole configuration before
			// destroying; without the resource in the configuration it works.
			{Config: cfg, Destroy: true, ExpectError: errorPattern(`API connector not found .* \(also before terraform destroy`)},
			{Config: env.ProviderConfig() + otherResource, Destroy: true},
			{
				Config: lifecycleConfig(env, other.ID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkUploads(t, env, 2),
					checkConnectorThumbprints(t, env, other.ID, testfixtures.ClientThumbprint),
				),
			},
		},
	})
}

// terraform destroy right after the connector was deleted out of band (the certificate still in state) works.
func TestAccCertificateLifecycle_destroyAfterConnectorDeleted(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-lc-destroy-gone")
	cfg := lifecycleConfig(env, conn.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyForgets(t, env, 1),
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{
				PreConfig: func() {
					if err := env.Graph.DeleteAPIConnector(ctxFor(t), conn.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:  cfg,
				Destroy: true,
				Check:   checkNotInState(resourceAddr),
			},
		},
	})
}

// Changes out of band show in the plan: another certificate uploaded in the portal makes ours inactive (drift,
// nothing Graph could repair); the connector switched to basic authentication (which drops every certificate)
// plans the upload again.
func TestAccCertificateLifecycle_changedOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-lc-changed")
	cfg := lifecycleConfig(env, conn.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyForgets(t, env, 3),
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{
				PreConfig: func() { uploadOutOfBand(t, env, conn.ID, "client-ec.pfx", testfixtures.Password) },
				Config:    cfg,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionNoop),
					expectDrift{resourceAddr, "is_active", false},
				}},
			},
			{RefreshState: true, Check: resource.TestCheckResourceAttr(resourceAddr, "is_active", "false")},
			{
				PreConfig: func() {
					if err := env.Graph.SetAPIConnectorBasicAuthentication(ctxFor(t), conn.ID, "user", "pass-"+conn.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
				}},
			},
			{
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(
					checkUploads(t, env, 3),
					checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
				),
			},
		},
	})
}

// create_before_destroy with another connector: the certificate is uploaded to the new connector before the old
// object leaves the state, and stays on the old connector (Graph cannot remove it).
func TestAccCertificateLifecycle_createBeforeDestroy(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	first := env.CreateAPIConnector(t, "acctest-lc-cbd-1")
	second := env.CreateAPIConnector(t, "acctest-lc-cbd-2")
	cbd := func(connectorID string) string {
		p := fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true)
		p.ExtraLines = "  lifecycle {\n    create_before_destroy = true\n  }\n"
		return certConfig(env, connectorID, p)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyForgets(t, env, 2),
		Steps: []resource.TestStep{
			{Config: cbd(first.ID), Check: checkUploads(t, env, 1)},
			{
				Config: cbd(second.ID),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreateBeforeDestroy),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(second.ID+"/"+testfixtures.ClientThumbprint)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkUploads(t, env, 2),
					checkConnectorThumbprints(t, env, first.ID, testfixtures.ClientThumbprint),
					checkConnectorThumbprints(t, env, second.ID, testfixtures.ClientThumbprint),
				),
			},
		},
	})
}

// -replace (taint): the replacement finds its certificate already on the connector and adopts it: nothing is
// uploaded twice.
func TestAccCertificateLifecycle_replace(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-lc-taint")
	cfg := lifecycleConfig(env, conn.ID)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyForgets(t, env, 1),
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{
				Config: cfg,
				Taint:  []string{resourceAddr},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkUploads(t, env, 1),
					checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
				),
			},
		},
	})
}

// A moved block renames the resource with an empty plan.
func TestAccCertificateLifecycle_moved(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-lc-moved")
	cfg := lifecycleConfig(env, conn.ID)
	moved := strings.Replace(cfg, `"test" {`, `"renamed" {`, 1) + `
moved {
  from = ` + resourceAddr + `
  to   = ` + resourceType + `.renamed
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyForgets(t, env, 1),
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{
				Config:           moved,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            checkUploads(t, env, 1),
			},
		},
	})
}

// A removed block with destroy = false forgets the certificate; with the resource back in the configuration, the
// create finds its thumbprint on the connector and adopts it instead of uploading it a second time.
func TestAccCertificateLifecycle_removedThenBack(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-lc-removed-block")
	cfg := lifecycleConfig(env, conn.ID)
	removed := env.ProviderConfig() + `
removed {
  from = ` + resourceAddr + `
  lifecycle {
    destroy = false
  }
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyForgets(t, env, 1),
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{
				Config:           removed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectForget{resourceAddr}}},
				Check:            resource.ComposeTestCheckFunc(checkNotInState(resourceAddr), checkUploads(t, env, 1)),
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkUploads(t, env, 1),
					checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
				),
			},
		},
	})
}

// Import by every ID form: a valid one, the connector's GUID in upper case (stored in lower case, so the plan
// with the lower-case configuration is empty), and each malformed or non-existent one with a diagnostic that
// shows the expected form.
func TestAccCertificateLifecycle_importIDForms(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-lc-import")
	cfg := lifecycleConfig(env, conn.ID)
	upper := strings.ToUpper(conn.ID) + "/" + strings.ToLower(testfixtures.ClientThumbprint)
	canonical := conn.ID + "/" + testfixtures.ClientThumbprint
	form := `\{api_connector_id\}/\{thumbprint\}: .* e\.g\. 45715bb8-13f9-4bf6-927f-ef96c102d394/0EB255CC895477798BA418B378255204304897AD`
	bad := func(id, want string) resource.TestStep {
		return resource.TestStep{
			ResourceName:      resourceAddr,
			ImportState:       true,
			ImportStateIdFunc: func(*terraform.State) (string, error) { return id, nil },
			ExpectError:       errorPattern(want),
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyForgets(t, env, 1),
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{ResourceName: resourceAddr, ImportState: true, ImportStateId: canonical, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"subject"}},
			// Upper case: the imported state equals the created one (api_connector_id and id in lower case).
			{ResourceName: resourceAddr, ImportState: true, ImportStateId: upper, ImportStateVerify: true,
				ImportStateVerifyIgnore: []string{"subject"}},
			{
				// The plannable import fails unless the plan is a no-op (it was a replacement).
				Config:          cfg,
				ResourceName:    resourceAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   upper,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("api_connector_id"), knownvalue.StringExact(conn.ID)),
					plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(canonical)),
				}},
			},
			bad("", `Invalid import ID .* The import ID is empty\. .* `+form),
			bad(conn.ID, `The import ID "`+conn.ID+`" has no "/" between .* `+form),
			bad("not-a-guid/"+testfixtures.ClientThumbprint, `The API connector ID in the import ID is not a GUID \(got "not-a-guid"\)\. .* `+form),
			bad(conn.ID+"/not-a-thumbprint", `The thumbprint in the import ID is not 40 hex digits \(got "not-a-thumbprint"\)\. .* `+form),
			bad(canonical+"/extra", `has 3 parts separated by "/", not 2\. .* `+form),
			bad(" /"+testfixtures.ClientThumbprint, `The API connector ID in the import ID is not a GUID`),
			bad("00000000-0000-0000-0000-000000000000/"+testfixtures.ClientThumbprint, `is the all-zero GUID`),
			bad(strings.Repeat("a", 10000)+"/"+testfixtures.ClientThumbprint, `is not a GUID \(got "a{100}"… \(10000 characters\)\)`),
			// Well-formed but not there: no such connector, or the thumbprint is not on the connector.
			bad("d915cc77-0000-4000-8000-000000000001/"+testfixtures.ClientThumbprint, `(?i)cannot import non-existent remote object`),
			bad(conn.ID+"/"+testfixtures.ClientECThumbprint, `(?i)cannot import non-existent remote object`),
			// Still one upload, and the state is as it was.
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: checkUploads(t, env, 1)},
		},
	})
}

// An api_connector_id configured in upper case is the same connector as the lower-case one in state: never a
// replacement. After an import (lower case) the plan is an in-place update that calls Graph for nothing, and
// then plans are empty; the ID and the identity stay in lower case.
func TestAccCertificateLifecycle_upperCaseConnectorIDInConfig(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-lc-upper")
	lower := lifecycleConfig(env, conn.ID)
	upper := lifecycleConfig(env, strings.ToUpper(conn.ID))
	canonical := conn.ID + "/" + testfixtures.ClientThumbprint
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkDestroyForgets(t, env, 1),
		Steps: []resource.TestStep{
			{
				Config: upper,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(canonical)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(canonical)),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("api_connector_id"), knownvalue.StringExact(strings.ToUpper(conn.ID))),
				},
				Check: checkUploads(t, env, 1),
			},
			{
				Config: lower,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionUpdate),
				}},
				Check: checkUploads(t, env, 1),
			},
			{
				Config: upper,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionUpdate),
				}},
				Check: checkUploads(t, env, 1),
			},
			{Config: upper, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{
				// The plannable import (lower case in state) with the upper-case configuration: an update, not a replacement.
				Config:             upper,
				ResourceName:       resourceAddr,
				ImportState:        true,
				ImportStateKind:    resource.ImportBlockWithID,
				ImportStateId:      strings.ToUpper(canonical),
				ExpectNonEmptyPlan: true,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionUpdate),
				}},
			},
		},
	})
}

// Bad api_connector_id values fail at plan, naming the attribute and showing the expected form, before any
// Graph write; a well-formed ID of no connector fails at plan on api_connector_id, saying what to do.
func TestAccCertificate_badConnectorIDsFailAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	form := `45715bb8-13f9-4bf6-927f-ef96c102d394`
	cases := []struct{ id, want string }{
		{"", `Invalid API connector ID .* api_connector_id is empty\. .* ` + form},
		{"   ", `Invalid API connector ID .* api_connector_id is not a GUID \(got "   "\)\. .* ` + form},
		{"not-a-guid", `api_connector_id is not a GUID \(got "not-a-guid"\)\. It must be the API connector's object ID`},
		{strings.Repeat("x", 10*1024), `api_connector_id is not a GUID \(got "x{100}"… \(10240 characters\)\)`},
		{"00000000-0000-0000-0000-000000000000", `api_connector_id is the all-zero GUID, which is never an object's ID`},
		{"d915cc77-0000-4000-8000-000000000001", `API connector not found .* No API connector with ID "d915cc77-0000-4000-8000-000000000001" exists .* Set api_connector_id`},
		{"D915CC77-0000-4000-8000-000000000002", `No API connector with ID "d915cc77-0000-4000-8000-000000000002" exists`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      lifecycleConfig(env, c.id),
			PlanOnly:    true,
			ExpectError: errorPattern(c.want),
		})
	}
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.ProtoV6ProviderFactories, Steps: steps})
	if n := env.Emulator.Count(http.MethodPost, uploadPath); n != 0 {
		t.Errorf("bad connector IDs caused %d uploads, want 0", n)
	}
}

// A connector created moments ago, which Graph's readers do not show yet, plans and applies: the plan-time check
// looks again within graph.APIConnectorVisibleWindow. A connector whose ID is only known at apply (created in the
// same run) is not looked up at plan.
func TestAccCertificate_connectorCheckAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	env.Emulator.SetReadAfterWriteLag(10 * time.Second) // inside graph.APIConnectorVisibleWindow (30 s)
	conn := env.CreateAPIConnector(t, "acctest-lag-parent")
	unknownID := env.ProviderConfig() + fmt.Sprintf(`
resource "terraform_data" "connector" {
  input = %q
}

resource %q "test" {
  api_connector_id = terraform_data.connector.output
  pkcs12_value_wo  = %q
  password_wo      = %q
}
`, conn.ID, resourceType, testfixtures.Base64("client-aes.pfx"), testfixtures.Password)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: lifecycleConfig(env, conn.ID),
				Check:  resource.ComposeTestCheckFunc(checkUploads(t, env, 1)),
			},
			{Config: env.ProviderConfig()},
			{
				Config: unknownID,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(resourceAddr, tfjsonpath.New("api_connector_id")),
				}},
				Check: checkUploads(t, env, 1), // adopted: it was still on the connector
			},
		},
	})
}
