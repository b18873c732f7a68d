package users_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// A value another user holds fails the plan, quoting the value and naming the holder; nothing is written.
func TestAccUserCertificateUserIDs_conflictFailsAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	bob := env.Emulator.AddUser("bob@contoso.com", pnBob)
	alice := env.Emulator.AddUser("alice@contoso.com", skiBob)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: config(env, bob, pnBob, skiBob),
			ExpectError: errRe(fmt.Sprintf(`certificate_user_ids: %q is held by user alice@contoso.com (%s). Each value must be unique in the tenant`,
				skiBob, alice)),
		}},
	})
	noPatch(t, env)
	checkUnchanged(t, env, bob, pnBob)
	checkUnchanged(t, env, alice, skiBob)
}

// When the plan's look-up cannot tell (it failed), Graph's conflict answer fails the apply with the value quoted,
// and neither user changes.
func TestAccUserCertificateUserIDs_conflictAtApply(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	bob := env.Emulator.AddUser("bob@contoso.com", pnBob)
	alice := env.Emulator.AddUser("alice@contoso.com", skiBob)
	// Every look-up by value fails (as when the advanced query is refused): only the PATCH can find the conflict.
	env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: "/users", Status: http.StatusBadRequest, Count: 100})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             resource.ComposeTestCheckFunc(checkEmulatorUser(env, bob), checkEmulatorUser(env, alice, skiBob)),
		Steps: []resource.TestStep{
			{Config: config(env, bob, pnBob)},
			{
				Config: config(env, bob, pnBob, skiBob, sha1Bob),
				ExpectError: errRe(fmt.Sprintf("Another object with the same value for property certificateUserIds already exists. " +
					"(request-id")),
			},
			{
				Config: config(env, bob, pnBob, skiBob),
				ExpectError: errRe(fmt.Sprintf("One of the values this change adds is held by another user: %q. Each value must be unique "+
					"in the tenant: remove it from the other user first (or from this configuration). Nothing was changed", skiBob)),
			},
			{
				Config: config(env, bob, pnBob),
				Check: resource.ComposeTestCheckFunc(checkEmulatorUser(env, bob, pnBob), checkEmulatorUser(env, alice, skiBob),
					func(*terraform.State) error {
						if n := env.Emulator.Count(http.MethodPatch, "/users/"+bob); n != 2 {
							return fmt.Errorf("%d PATCH of bob, want the 2 refused ones", n)
						}
						return nil
					}),
			},
		},
	})
}

// Throttled PATCHes are sent again after Retry-After (on the shared fake clock), and the apply succeeds.
func TestAccUserCertificateUserIDs_throttledPatchWaitsRetryAfter(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	env.Emulator.AddFault(graphemu.Fault{Method: http.MethodPatch, Path: "/users/*", Status: http.StatusTooManyRequests, RetryAfter: "7", Count: 2})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps: []resource.TestStep{{
			Config: config(env, id, pnBob),
			Check: resource.ComposeTestCheckFunc(checkEmulatorUser(env, id, pnBob), func(*terraform.State) error {
				var times []time.Time
				var statuses []int
				for _, j := range env.Emulator.Journal() {
					if j.Method == http.MethodPatch {
						times, statuses = append(times, j.Time), append(statuses, j.Status)
					}
				}
				if len(times) != 3 || statuses[0] != 429 || statuses[1] != 429 || statuses[2] != 204 {
					return fmt.Errorf("PATCH answers %v, want 429, 429, 204", statuses)
				}
				for i := 1; i < 3; i++ {
					if gap := times[i].Sub(times[i-1]); gap < 7*time.Second {
						return fmt.Errorf("PATCH %d came %s after the previous one, before Retry-After (7s)", i+1, gap)
					}
				}
				return nil
			}),
		}},
	})
}

// A PATCH whose answer is lost after Graph applied it is sent again (it is idempotent) and the apply succeeds
// with the values in Graph once.
func TestAccUserCertificateUserIDs_lostPatchAnswer(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	env.Emulator.AddFault(graphemu.Fault{Method: http.MethodPatch, Path: "/users/*", DropAfterProcessing: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps: []resource.TestStep{
			{
				Config: config(env, id, pnBob, skiBob),
				Check: resource.ComposeTestCheckFunc(checkEmulatorUser(env, id, pnBob, skiBob), func(*terraform.State) error {
					if n := env.Emulator.Count(http.MethodPatch, "/users/*"); n != 2 {
						return fmt.Errorf("%d PATCH, want 2 (the lost one and its re-send)", n)
					}
					return nil
				}),
			},
			{Config: config(env, id, pnBob, skiBob), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// A PATCH answered 500 (outcome unknown, here not applied) beyond the Graph client's own retries (1 + 10 sends) is
// resolved by reading: the read shows the old list, so the PATCH is sent once more.
func TestAccUserCertificateUserIDs_patchOutcomeUnknownResolvedByReading(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	env.Emulator.AddFault(graphemu.Fault{Method: http.MethodPatch, Path: "/users/*", Status: http.StatusInternalServerError, Count: 11})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps: []resource.TestStep{{
			Config: config(env, id, pnBob),
			Check: resource.ComposeTestCheckFunc(checkEmulatorUser(env, id, pnBob), func(*terraform.State) error {
				var seq []string
				for _, j := range env.Emulator.Journal() {
					if j.Path == "/users/"+id {
						seq = append(seq, fmt.Sprintf("%s %d", j.Method, j.Status))
					}
				}
				// plan: GET; apply: GET, PATCH 500 (11 times), GET (old list), PATCH 204, GET (the new list); refresh: GET.
				want := []string{"PATCH 500", "GET 200", "PATCH 204"}
				for i := 0; i+len(want) <= len(seq); i++ {
					if fmt.Sprint(seq[i:i+len(want)]) == fmt.Sprint(want) {
						return nil
					}
				}
				return fmt.Errorf("requests %v, want %v in a row", seq, want)
			}),
		}},
	})
}

// Reads lag behind the PATCH: the apply waits (on the fake clock) until a read shows the new values, so the state
// and the next plan agree with Graph.
func TestAccUserCertificateUserIDs_readAfterWriteLag(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com", pnBob)
	env.Emulator.SetReadAfterWriteLag(20 * time.Second)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps: []resource.TestStep{
			{
				Config: config(env, id, skiBob),
				Check: resource.ComposeTestCheckFunc(checkEmulatorUser(env, id, skiBob), func(*terraform.State) error {
					var patchAt time.Time
					stale := 0
					for _, j := range env.Emulator.Journal() {
						switch {
						case j.Method == http.MethodPatch:
							patchAt = j.Time
						case j.Method == http.MethodGet && !patchAt.IsZero() && j.Time.Sub(patchAt) < 20*time.Second:
							stale++
						}
					}
					if stale == 0 {
						return fmt.Errorf("no read inside the lag after the PATCH: the test did not exercise the wait")
					}
					return nil
				}),
			},
			{Config: config(env, id, skiBob), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

// A 403 on the write names the least-privileged permission and the role Entra requires; a 403 on the read names
// the read permission.
func TestAccUserCertificateUserIDs_forbiddenNamesPermissionAndRole(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	id := env.Emulator.AddUser("bob@contoso.com")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, id),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.Emulator.AddFault(graphemu.Fault{Method: http.MethodPatch, Path: "/users/*", Status: http.StatusForbidden, Count: 1})
				},
				Config:      config(env, id, pnBob),
				ExpectError: errRe("Authorization_RequestDenied: The request could not be processed. (request-id"),
			},
			{
				PreConfig: func() {
					env.Emulator.AddFault(graphemu.Fault{Method: http.MethodPatch, Path: "/users/*", Status: http.StatusForbidden, Count: 1})
				},
				Config: config(env, id, pnBob),
				ExpectError: errRe("The identity needs the Microsoft Graph permission User.ReadUpdate.All (the least privileged one for " +
					"updating users; User.ReadWrite.All or Directory.ReadWrite.All also work), with admin consent and, when it is a " +
					"signed-in user, the Entra role Privileged Authentication Administrator"),
			},
			{
				PreConfig: func() {
					env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: "/users/*", Status: http.StatusForbidden, Count: 1})
				},
				Config:      config(env, id, pnBob),
				ExpectError: errRe("The identity needs the Microsoft Graph permission User.Read.All"),
			},
			{Config: config(env, id, pnBob), Check: checkEmulatorUser(env, id, pnBob)},
		},
	})
}
