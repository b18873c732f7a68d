package pki_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	pkisvc "github.com/entracert/terraform-provider-entracert/internal/services/pki"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Tests of issue 10's real-Graph behaviours on the PKI side, each switched on in the emulator, through terraform.

const pkiCollectionPath = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations"

func pkiAndUploadConfig(env *acctest.Env, name, url, hash string) string {
	return env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_pki" "test" {
  display_name = %q
}

resource "entracert_certificate_based_auth_pki_upload" "test" {
  pki_id           = entracert_certificate_based_auth_pki.test.id
  upload_url       = %q
  sha256_file_hash = %q
}
`, name, url, hash)
}

// pkisNamed is how many PKIs the emulator holds with this display name.
func pkisNamed(t *testing.T, env *acctest.Env, name string) int {
	t.Helper()
	ps, err := env.Graph.ListPKIs(acctest.MinuteContext(t), name)
	if err != nil {
		t.Fatal(err)
	}
	return len(ps)
}

// A PKI created in the same apply as its upload answers 404 for a while (on GET, its CA list and upload), and
// after the upload the first reads still show the old "succeeded": the apply waits both out, uploads once and
// reports the CAs; the refresh keeps both objects and the next plan is empty.
func TestAccPKIConsistency_pkiAndUploadInOneApplyUnderReplicaLagAndStaleReads(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: 2 * time.Minute})
	env.RequireEmulator(t)
	env.Emulator.SetPKISwitches(graphemu.PKISwitches{ReplicaLag: 20 * time.Second, StaleReads: 15 * time.Second})
	name := randomName("acctest lag")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: pkiAndUploadConfig(env, name, url, testfixtures.ContosoSHA256),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeeded")),
				statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
			},
			Check: resource.ComposeTestCheckFunc(checkUploads(env, 1), func(*terraform.State) error {
				if n := env.Emulator.Count("POST", pkiCollectionPath); n != 1 {
					return fmt.Errorf("%d PKI creates, want 1", n)
				}
				if n := pkisNamed(t, env, name); n != 1 {
					return fmt.Errorf("%d PKIs named %q, want 1", n, name)
				}
				var notFound int
				for _, e := range env.Emulator.Journal() {
					if e.Status == 404 {
						notFound++
					}
				}
				if notFound == 0 {
					return fmt.Errorf("the replica lag produced no 404: the test does not test it")
				}
				return nil
			}),
		}},
	})
}

// CAs that appear one by one: an apply interrupted while one of two CAs has landed keeps the upload as running;
// the next apply waits for that job and adopts both CAs without uploading again or refusing the half-filled PKI.
func TestAccPKIConsistency_progressiveJobInterruptedThenResumed(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Minute})
	env.RequireEmulator(t)
	env.Emulator.SetPKISwitches(graphemu.PKISwitches{ProgressiveJobs: true})
	pki := env.CreatePKI(t, "acctest progressive")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		// The CAs its own job brought are its own (issue 16): the destroy deletes them.
		CheckDestroy: checkNoCAsLeft(t, env, pki.ID),
		Steps: []resource.TestStep{
			{
				Config:      uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "  timeouts {\n    create = \"30s\"\n  }\n"),
				ExpectError: errRe("The PKI upload job is still running"),
			},
			{
				PreConfig: func() {
					if got := caThumbprints(t, env, pki.ID); len(got) != 1 {
						t.Errorf("mid-job the PKI holds %v, want exactly the first CA of the progressive job", got)
					}
				},
				Config: uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("status"), knownvalue.StringExact("succeeded")),
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
				Check: resource.ComposeTestCheckFunc(checkUploads(env, 1), func(*terraform.State) error {
					if n := env.Emulator.Count("POST", caCollectionPath); n != 0 {
						return fmt.Errorf("%d CA creates, want none (the job brings both)", n)
					}
					return nil
				}),
			},
		},
	})
}

// A job that fails after adding one of two CAs: the diagnostic names the CA that landed; the next apply adopts it
// and adds the other one by one, with no duplicate refusal, and the PKI ends with exactly the two CAs.
func TestAccPKIConsistency_partialJobThenSecondApplyCompletes(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: 10 * time.Second})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest partial job")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	config := uploadConfig(env, pki.ID, url, testfixtures.ContosoSHA256, "")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		// The CAs its own job brought are its own (issue 16): the destroy deletes them.
		CheckDestroy: checkNoCAsLeft(t, env, pki.ID),
		Steps: []resource.TestStep{
			{
				PreConfig: func() { env.Emulator.FailNextJobAfter(pki.ID, 1, "failed", "CRLDownloadFailed after the first CA") },
				Config:    config,
				ExpectError: regexp.MustCompile(`(?s)The PKI upload job failed.*CRLDownloadFailed.*reached the PKI.*` +
					testfixtures.ContosoRootThumbprint + `.*adopts them`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
				},
				Check: resource.ComposeTestCheckFunc(checkUploads(env, 1), func(*terraform.State) error {
					got := caThumbprints(t, env, pki.ID)
					if strings.Join(got, ",") != strings.Join(contosoThumbprints, ",") {
						return fmt.Errorf("the PKI holds %v, want exactly %v", got, contosoThumbprints)
					}
					if n := env.Emulator.Count("POST", caCollectionPath); n != 1 {
						return fmt.Errorf("%d CA creates, want 1 (the CA the job did not add)", n)
					}
					return nil
				}),
			},
		},
	})
}

// 429 twice on the PKI create and twice on the upload, with Retry-After: 2: one apply succeeds, each request is
// sent again no sooner than 2 s (fake clock) after its 429, and nothing is created twice.
func TestAccPKIConsistency_throttledCreateAndUploadAreSentAgainAfterRetryAfter(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	env.Emulator.AddFault(graphemu.Fault{Method: "POST", Path: pkiCollectionPath, Count: 2, Status: 429, RetryAfter: "2"})
	env.Emulator.AddFault(graphemu.Fault{Method: "POST", Path: uploadPath, Count: 2, Status: 429, RetryAfter: "2"})
	name := randomName("acctest throttled")
	url := env.ServeFile(t, "contoso.p7b", pkisvc.Fixture(t, "contoso-pki.p7b"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: pkiAndUploadConfig(env, name, url, testfixtures.ContosoSHA256),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(uploadAddr, tfjsonpath.New("certificate_authorities"), thumbprintsExact(contosoThumbprints...)),
			},
			Check: func(*terraform.State) error {
				if n := pkisNamed(t, env, name); n != 1 {
					return fmt.Errorf("%d PKIs named %q, want 1", n, name)
				}
				for _, route := range []string{pkiCollectionPath, uploadPath} {
					var sent []graphemu.JournalEntry
					for _, e := range env.Emulator.Journal() {
						if e.Method == "POST" && pathMatch(route, e.Path) {
							sent = append(sent, e)
						}
					}
					if len(sent) != 3 || sent[0].Status != 429 || sent[1].Status != 429 || sent[2].Status >= 300 {
						return fmt.Errorf("POST %s: %d requests %v, want 429, 429, then success", route, len(sent), statuses(sent))
					}
					for i := 1; i < len(sent); i++ {
						if gap := sent[i].Time.Sub(sent[i-1].Time); gap < 2*time.Second {
							return fmt.Errorf("POST %s sent again %s after its 429, want at least Retry-After 2s", route, gap)
						}
					}
				}
				return nil
			},
		}},
	})
}

// A PKI create whose answer is lost: the provider finds the PKI by name instead of creating a second one.
func TestAccPKIConsistency_lostCreateAnswerMakesExactlyOnePKI(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	env.Emulator.SetPKISwitches(graphemu.PKISwitches{ReplicaLag: 5 * time.Second})
	env.Emulator.AddFault(graphemu.Fault{Method: "POST", Path: pkiCollectionPath, DropAfterProcessing: true})
	name := randomName("acctest lost create")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: pkiConfig(env, name),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(pkiAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(name)),
			},
			Check: func(s *terraform.State) error {
				ps, err := env.Graph.ListPKIs(acctest.MinuteContext(t), name)
				if err != nil {
					return err
				}
				if len(ps) != 1 || ps[0].ID != s.RootModule().Resources[pkiAddr].Primary.ID {
					return fmt.Errorf("PKIs named %q: %v, want exactly the one in the state", name, ps)
				}
				if n := env.Emulator.Count("POST", pkiCollectionPath); n != 1 {
					return fmt.Errorf("%d PKI creates, want 1", n)
				}
				return nil
			},
		}},
	})
}

// A lost create answer when another PKI already has the name: the provider listed the PKIs of that name before
// creating, so it adopts the new one, never the other, and creates nothing more.
func TestAccPKIConsistency_lostCreateAnswerWithANamesakeAdoptsTheNewOne(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	other := env.CreatePKI(t, "acctest ambiguous")
	name := other.DisplayName
	env.Emulator.AddFault(graphemu.Fault{Method: "POST", Path: pkiCollectionPath, DropAfterProcessing: true})
	env.Emulator.ResetJournal()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: pkiConfig(env, name),
			Check: func(s *terraform.State) error {
				if id := s.RootModule().Resources[pkiAddr].Primary.ID; id == other.ID {
					return fmt.Errorf("adopted the namesake %s, want the PKI the lost create made", other.ID)
				}
				if n := env.Emulator.Count("POST", pkiCollectionPath); n != 1 {
					return fmt.Errorf("%d PKI creates, want 1", n)
				}
				return nil
			},
		}},
	})
	if n := pkisNamed(t, env, name); n != 1 {
		t.Errorf("%d PKIs named %q after destroy, want 1 (the namesake)", n, name)
	}
}

func pathMatch(pattern, p string) bool {
	ps, qs := strings.Split(strings.ToLower(pattern), "/"), strings.Split(strings.ToLower(p), "/")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if ps[i] != "*" && ps[i] != qs[i] {
			return false
		}
	}
	return true
}

func statuses(es []graphemu.JournalEntry) []int {
	out := make([]int, 0, len(es))
	for _, e := range es {
		out = append(out, e.Status)
	}
	return out
}

// A read that answers 404 right after this provider created the PKI (replica lag) waits instead of dropping the
// PKI from state: the refresh after the apply keeps it and the next plan is empty (no second PKI).
func TestAccPKIConsistency_readRightAfterCreateKeepsThePKI(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{UploadDuration: time.Second})
	env.RequireEmulator(t)
	env.Emulator.SetPKISwitches(graphemu.PKISwitches{ReplicaLag: time.Minute})
	name := randomName("acctest read lag")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: pkiConfig(env, name),
			Check: func(*terraform.State) error {
				if n := env.Emulator.Count("POST", pkiCollectionPath); n != 1 {
					return fmt.Errorf("%d PKI creates, want 1", n)
				}
				return nil
			},
		}},
	})
	var notFound int
	for _, e := range env.Emulator.Journal() {
		if e.Method == "GET" && pathMatch(pkiCollectionPath+"/*", e.Path) && e.Status == 404 {
			notFound++
		}
	}
	if notFound == 0 {
		t.Error("no read of the PKI answered 404: the test does not test Read under replica lag")
	}
}
