package users_test

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// twoResources is a configuration with two resources for one user: "test" by object ID holding first, "other" by UPN
// holding second.
func twoResources(env *acctest.Env, id, upn string, first, second string) string {
	return config(env, id, first) + fmt.Sprintf(`
resource "entracert_user_certificate_user_ids" "other" {
  user_id              = %q
  certificate_user_ids = [%q]
}
`, upn, second)
}

// Two resources that give one user different lists would overwrite each other at every apply: the plan fails, naming
// the user and both lists, and nothing is written, whether the first resource already exists (it plans no change) or
// both are new. Two resources with the same list do not fight, and plan and apply.
func TestAccUserCertificateUserIDs_twoResourcesForOneUserFailAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	bob := env.Emulator.AddUser("bob@contoso.com")
	fight := errRe("Two resources manage one user's certificate user IDs").String() + `[\s\S]*` +
		errRe(fmt.Sprintf("Another entracert_user_certificate_user_ids resource in this configuration manages user bob@contoso.com (%s)", bob)).String()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkEmulatorUser(env, bob),
		Steps: []resource.TestStep{
			{
				Config:      twoResources(env, bob, "bob@contoso.com", pnBob, skiBob),
				ExpectError: regexp.MustCompile(fight),
			},
			{
				PreConfig: func() { noPatch(t, env) },
				Config:    config(env, bob, pnBob),
				Check:     checkEmulatorUser(env, bob, pnBob),
			},
			{
				Config:      twoResources(env, bob, "bob@contoso.com", pnBob, skiBob),
				ExpectError: regexp.MustCompile(fight),
			},
			{
				PreConfig: func() { checkUnchanged(t, env, bob, pnBob) },
				Config:    twoResources(env, bob, "bob@contoso.com", pnBob, pnBob),
				Check:     checkEmulatorUser(env, bob, pnBob),
			},
		},
	})
}
