package pki_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/pkcs"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

const caAddr = "entracert_certificate_based_auth_certificate_authority.test"

const caCreatePath = "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/*/certificateAuthorities"

func caConfig(env *acctest.Env, pkiID, certificate, extra string) string {
	return env.ProviderConfig() + fmt.Sprintf(`
resource "entracert_certificate_based_auth_certificate_authority" "test" {
  pki_id      = %q
  certificate = %q
%s}
`, pkiID, certificate, extra)
}

func pemFixture(name string) string { return string(testfixtures.Bytes(name)) }

// caOf is the PKI's CA with thumbprint, or nil.
func caOf(t *testing.T, env *acctest.Env, pkiID, thumbprint string) *graph.CertificateAuthority {
	t.Helper()
	cas, err := env.Graph.ListCertificateAuthorities(acctest.MinuteContext(t), pkiID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cas {
		if cas[i].Thumbprint == thumbprint {
			return &cas[i]
		}
	}
	return nil
}

func checkNoCAs(t *testing.T, env *acctest.Env, pkiID string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := caThumbprints(t, env, pkiID); len(got) != 0 {
			return fmt.Errorf("PKI %s still has certificate authorities %v after destroy", pkiID, got)
		}
		return nil
	}
}

func TestAccCA_createUpdateImportDestroy(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	pki := env.CreatePKI(t, "acctest ca")
	root := pemFixture("root-ca.pem")
	facts, err := pkcs.ParseCertificate([]byte(root))
	if err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAs(t, env, pki.ID),
		Steps: []resource.TestStep{
			{
				Config: caConfig(env, pki.ID, root, "  is_issuer_hint_enabled = true\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionCreate),
					// Known before apply, from the certificate.
					plancheck.ExpectKnownValue(caAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ContosoRootThumbprint)),
					plancheck.ExpectKnownValue(caAddr, tfjsonpath.New("subject_key_identifier"), knownvalue.StringExact(facts.SubjectKeyIdentifier)),
					plancheck.ExpectKnownValue(caAddr, tfjsonpath.New("certificate_authority_type"), knownvalue.StringExact("root")),
					plancheck.ExpectKnownValue(caAddr, tfjsonpath.New("id"), knownvalue.StringExact(pki.ID+"/"+testfixtures.ContosoRootThumbprint)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("certificate_authority_id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(facts.Subject)),
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("issuer"), knownvalue.StringExact(facts.Issuer)),
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("issuer_subject_key_identifier"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("expiration_date_time"), knownvalue.StringExact("2046-11-17T03:40:51Z")),
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("is_issuer_hint_enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("delta_certificate_revocation_list_url"), knownvalue.StringExact("")),
				},
				Check: func(*terraform.State) error {
					ca := caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint)
					if ca == nil || !ca.IsIssuerHintEnabled || ca.Type != "root" {
						return fmt.Errorf("Graph has %+v, want the root CA with issuer hints", ca)
					}
					if n := env.Emulator.Count("POST", caCreatePath); n != 1 {
						return fmt.Errorf("%d CA creates, want 1", n)
					}
					return nil
				},
			},
			{
				// Settings change in place with PATCH.
				Config: caConfig(env, pki.ID, root, `  is_issuer_hint_enabled                = false
  certificate_revocation_list_url       = "http://crl.contoso.example/root.crl"
  delta_certificate_revocation_list_url = "http://crl.contoso.example/root-delta.crl"
  certificate_authority_type            = "intermediate"
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					ca := caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint)
					if ca == nil || ca.IsIssuerHintEnabled || ca.CertificateRevocationListURL != "http://crl.contoso.example/root.crl" ||
						ca.DeltaCertificateRevocationListURL != "http://crl.contoso.example/root-delta.crl" || ca.Type != "intermediate" {
						return fmt.Errorf("Graph has %+v, want the new settings", ca)
					}
					if n := env.Emulator.Count("POST", caCreatePath); n != 1 {
						return fmt.Errorf("%d CA creates, want 1 (the update must not replace)", n)
					}
					if n := caPathCount(env, "PATCH"); n != 1 {
						return fmt.Errorf("%d CA PATCHes, want 1", n)
					}
					return nil
				},
			},
			{
				// The same certificate as base64 DER: no change at all.
				Config: caConfig(env, pki.ID, base64.StdEncoding.EncodeToString(facts.DER), `  is_issuer_hint_enabled                = false
  certificate_revocation_list_url       = "http://crl.contoso.example/root.crl"
  delta_certificate_revocation_list_url = "http://crl.contoso.example/root-delta.crl"
  certificate_authority_type            = "intermediate"
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if n := env.Emulator.Count("POST", caCreatePath) + caPathCount(env, "DELETE"); n != 1 {
						return fmt.Errorf("re-encoding the certificate wrote to Graph (%d creates and deletes, want the first create only)", n)
					}
					if n := caPathCount(env, "PATCH"); n != 1 {
						return fmt.Errorf("%d CA PATCHes, want still 1", n)
					}
					return nil
				},
			},
			{
				ResourceName:            caAddr,
				ImportState:             true,
				ImportStateId:           pki.ID + "/" + strings.ToLower(testfixtures.ContosoRootThumbprint),
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"certificate"}, // the import records Graph's DER as PEM, the config has its own text
			},
		},
	})
}

func TestAccCA_importByIdentity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	pki := env.CreatePKI(t, "acctest ca identity")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		Steps: []resource.TestStep{
			{
				Config: caConfig(env, pki.ID, pemFixture("root-ca.pem"), ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(caAddr, map[string]knownvalue.Check{
						"pki_id":     knownvalue.StringExact(pki.ID),
						"thumbprint": knownvalue.StringExact(testfixtures.ContosoRootThumbprint),
					}),
				},
			},
			{
				ResourceName:    caAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
		},
	})
}

func TestAccCA_intermediateAndLeaf(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	pki := env.CreatePKI(t, "acctest ca types")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAs(t, env, pki.ID),
		Steps: []resource.TestStep{
			{
				Config: caConfig(env, pki.ID, pemFixture("intermediate-ca.pem"), ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("certificate_authority_type"), knownvalue.StringExact("intermediate")),
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ContosoIntermediateThumb)),
				},
			},
			{
				// Another certificate replaces the CA. A leaf is only warned about (see TestCertificateWarnings).
				Config: caConfig(env, pki.ID, pemFixture("client.pem"), ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ClientThumbprint)),
					statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("certificate_authority_type"), knownvalue.StringExact("intermediate")),
				},
				Check: func(*terraform.State) error {
					if got := caThumbprints(t, env, pki.ID); len(got) != 1 || got[0] != testfixtures.ClientThumbprint {
						return fmt.Errorf("PKI has %v, want only the new certificate", got)
					}
					return nil
				},
			},
		},
	})
}

func TestAccCA_badInput(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	pki := env.CreatePKI(t, "acctest ca bad input")
	root := pemFixture("root-ca.pem")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: caConfig(env, pki.ID, "not a certificate", ""), ExpectError: errRe("certificate is not a usable certificate")},
			{Config: caConfig(env, pki.ID, pemFixture("contoso-pki-pem.p7b"), ""), ExpectError: errRe(`not CERTIFICATE`)},
			{Config: caConfig(env, pki.ID, root, `  certificate_revocation_list_url = "https://crl.contoso.example/root.crl"`+"\n"),
				ExpectError: errRe("Entra checks only HTTP CRL distribution points")},
			{Config: caConfig(env, pki.ID, root, `  delta_certificate_revocation_list_url = "crl.contoso.example/delta.crl"`+"\n"),
				ExpectError: errRe("not an absolute URL")},
			{Config: caConfig(env, pki.ID, root, `  certificate_authority_type = "leaf"`+"\n"), ExpectError: errRe("certificate_authority_type")},
			{Config: caConfig(env, "", root, ""), ExpectError: errRe("pki_id")},
		},
	})
	if n := env.Emulator.Count("POST", caCreatePath); n != 0 {
		t.Errorf("bad input sent %d CA creates to Graph", n)
	}
}

func TestAccCA_duplicateThumbprintPointsAtImport(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	pki := env.CreatePKI(t, "acctest ca duplicate")
	root := pemFixture("root-ca.pem")
	facts, err := pkcs.ParseCertificate([]byte(root))
	if err != nil {
		t.Fatal(err)
	}
	addCA(t, env, pki.ID, facts.DER, true)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      caConfig(env, pki.ID, root, ""),
			ExpectError: errRe("Bring it under management instead: terraform import"),
		}},
	})
	if n := env.Emulator.Count("POST", caCreatePath); n != 1 {
		t.Errorf("%d CA creates, want only the out-of-band one", n)
	}
}

func TestAccCA_lostCreateAnswerCreatesOnce(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest ca lost answer")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.Emulator.AddFault(graphemu.Fault{Method: "POST", Path: caCreatePath, DropAfterProcessing: true})
			},
			Config: caConfig(env, pki.ID, pemFixture("root-ca.pem"), ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("certificate_authority_id"), knownvalue.NotNull()),
			},
			Check: func(*terraform.State) error {
				if n := env.Emulator.Count("POST", caCreatePath); n != 1 {
					return fmt.Errorf("%d CA creates after a lost answer, want exactly 1", n)
				}
				if got := caThumbprints(t, env, pki.ID); len(got) != 1 {
					return fmt.Errorf("PKI has %v, want one CA", got)
				}
				return nil
			},
		}},
	})
}

func TestAccCA_outOfBandChanges(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	pki := env.CreatePKI(t, "acctest ca drift")
	config := caConfig(env, pki.ID, pemFixture("root-ca.pem"), "  is_issuer_hint_enabled = true\n")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAs(t, env, pki.ID),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// A setting changed out of band is planned back, then restored.
				PreConfig: func() {
					ca := caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint)
					off := false
					if _, err := env.Graph.UpdateCertificateAuthority(acctest.MinuteContext(t), pki.ID, ca.ID, graph.CertificateAuthoritySettings{IsIssuerHintEnabled: &off}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionUpdate),
				}},
				Check: func(*terraform.State) error {
					if ca := caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint); ca == nil || !ca.IsIssuerHintEnabled {
						return fmt.Errorf("Graph has %+v, want the issuer hint restored", ca)
					}
					return nil
				},
			},
			{
				// Deleted out of band: the plan restores it from the deleted items (ca_restore_test.go).
				PreConfig:          func() { deleteCAByThumbprint(t, env, pki.ID, testfixtures.ContosoRootThumbprint) },
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(caAddr, plancheck.ResourceActionUpdate),
				}},
			},
			{
				Config: config,
				Check: func(*terraform.State) error {
					if caOf(t, env, pki.ID, testfixtures.ContosoRootThumbprint) == nil {
						return fmt.Errorf("the CA deleted out of band was not added again")
					}
					return nil
				},
			},
		},
	})
}

// Graph's reads lagging behind writes (here: a PKI created just before, invisible to reads for 5 s): the read right
// after the create waits for the CA to show up instead of dropping it, which would plan a second create.
func TestAccCA_readAfterWriteLag(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	env.Emulator.SetReadAfterWriteLag(5 * time.Second)
	pki := env.CreatePKI(t, "acctest ca lag")
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: caConfig(env, pki.ID, pemFixture("root-ca.pem"), ""),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(caAddr, tfjsonpath.New("certificate_authority_id"), knownvalue.NotNull()),
			},
			Check: func(*terraform.State) error {
				if n := env.Emulator.Count("POST", caCreatePath); n != 1 {
					return fmt.Errorf("%d CA creates, want 1", n)
				}
				return nil
			},
		}},
	})
}

// Many CA resources of one PKI share one read of its CA list per terraform command for the duplicate check.
func TestAccCA_manyCAsShareThePlanTimeList(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	pki := env.CreatePKI(t, "acctest ca many")
	config := env.ProviderConfig()
	for i, name := range []string{"root-ca.pem", "intermediate-ca.pem", "other-root-ca.pem"} {
		config += fmt.Sprintf(`
resource "entracert_certificate_based_auth_certificate_authority" "ca%d" {
  pki_id      = %q
  certificate = %q
}
`, i, pki.ID, pemFixture(name))
	}
	listPath := "/directory/publicKeyInfrastructure/certificateBasedAuthConfigurations/" + pki.ID + "/certificateAuthorities"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		CheckDestroy:             checkNoCAs(t, env, pki.ID),
		Steps: []resource.TestStep{{
			PreConfig: env.Emulator.ResetJournal,
			Config:    config,
			Check: func(*terraform.State) error {
				if n := env.Emulator.Count("POST", caCreatePath); n != 3 {
					return fmt.Errorf("%d CA creates, want 3", n)
				}
				// terraform plan, then apply (plan and apply phases): 3 resources without sharing would read 9 times.
				if n := env.Emulator.Count("GET", listPath); n == 0 || n > 2 {
					return fmt.Errorf("%d reads of the CA list for 3 CAs, want at most one per terraform command (2)", n)
				}
				return nil
			},
		}},
	})
}
