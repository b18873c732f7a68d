package pki_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// Defect 12: a 500 on the PKI create (nothing made) is resolved by a prompt look by name, then one more create:
// exactly one PKI, two POSTs, and no 2-minute wait (at most the 30 s look window on the emulator's clock).
func TestAccPKICreate_500IsResolvedPromptly(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	env.Emulator.AddFault(graphemu.Fault{Method: "POST", Path: pkiCollectionPath, Status: 500})
	name := randomName("acctest create 500")
	start := env.Clock.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: pkiConfig(env, name),
			Check: func(s *terraform.State) error {
				if waited := env.Clock.Now().Sub(start); waited > 31*time.Second {
					return fmt.Errorf("the create took %s on the emulator's clock, want at most the 30 s look window", waited)
				}
				if n := env.Emulator.Count("POST", pkiCollectionPath); n != 2 {
					return fmt.Errorf("%d PKI creates, want 2 (the 500, then one more)", n)
				}
				if n := pkisNamed(t, env, name); n != 1 {
					return fmt.Errorf("%d PKIs named %q, want 1", n, name)
				}
				return nil
			},
		}},
	})
}

// A lost create answer whose PKI shows up after a few seconds of replica lag is adopted at the first look that
// sees it: one POST, one PKI, well under the old 2-minute lookup.
func TestAccPKICreate_lostAnswerAdoptedPromptly(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	env.Emulator.SetPKISwitches(graphemu.PKISwitches{ReplicaLag: 3 * time.Second})
	env.Emulator.AddFault(graphemu.Fault{Method: "POST", Path: pkiCollectionPath, DropAfterProcessing: true})
	name := randomName("acctest create lost")
	start := env.Clock.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: pkiConfig(env, name),
			Check: func(s *terraform.State) error {
				if waited := env.Clock.Now().Sub(start); waited > 10*time.Second {
					return fmt.Errorf("the create took %s on the emulator's clock, want the few seconds of lag", waited)
				}
				if n := env.Emulator.Count("POST", pkiCollectionPath); n != 1 {
					return fmt.Errorf("%d PKI creates, want 1", n)
				}
				if n := pkisNamed(t, env, name); n != 1 {
					return fmt.Errorf("%d PKIs named %q, want 1", n, name)
				}
				return nil
			},
		}},
	})
}
