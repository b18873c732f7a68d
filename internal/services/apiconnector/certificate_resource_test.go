package apiconnector_test

import (
	"fmt"
	"net/http"
	"regexp"
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

var rfc3339 = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// Every fixture a user might export: the thumbprint is known in the plan, the apply uploads once,
// the next plan is empty and import by ID gives the same state.
func TestAccCertificate_fixtures(t *testing.T) {
	cases := []struct {
		name       string
		fixture    string
		password   *string
		writeOnly  bool
		thumbprint string
		subject    string
	}{
		{"aes", "client-aes.pfx", ptr(testfixtures.Password), true, testfixtures.ClientThumbprint, "api-connector-client"},
		{"legacy_3des", "client-legacy-3des.pfx", ptr(testfixtures.Password), false, testfixtures.ClientThumbprint, "api-connector-client"},
		{"empty_password_no_attribute", "client-empty-password.pfx", nil, true, testfixtures.ClientThumbprint, "api-connector-client"},
		{"empty_password_attribute", "client-empty-password.pfx", ptr(""), false, testfixtures.ClientThumbprint, "api-connector-client"},
		{"with_chain", "client-with-chain.pfx", ptr(testfixtures.Password), true, testfixtures.ClientThumbprint, "api-connector-client"},
		{"ec", "client-ec.pfx", ptr(testfixtures.Password), true, testfixtures.ClientECThumbprint, "api-connector-client-ec"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, graphemu.Options{})
			conn := env.CreateAPIConnector(t, "acctest-fixture")
			p := fixturePFX(tc.fixture, tc.password, tc.writeOnly)
			cfg := certConfig(env, conn.ID, p)
			verifyIgnore := []string{"subject"} // Graph does not report it
			if !tc.writeOnly {
				verifyIgnore = append(verifyIgnore, "pkcs12_value", "password")
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
							plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(tc.thumbprint)),
							plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(conn.ID+"/"+tc.thumbprint)),
							plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("subject"), knownvalue.StringRegexp(regexp.MustCompile("CN="+tc.subject+"(,|$)"))),
							plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("not_after"), knownvalue.StringRegexp(rfc3339)),
							plancheck.ExpectUnknownValue(resourceAddr, tfjsonpath.New("is_active")),
						}},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(tc.thumbprint)),
							statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
							statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("not_before"), knownvalue.StringRegexp(rfc3339)),
							statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("pkcs12_value_wo"), knownvalue.Null()),
							statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("password_wo"), knownvalue.Null()),
						},
						Check: resource.ComposeTestCheckFunc(
							checkUploads(t, env, 1),
							checkConnectorThumbprints(t, env, conn.ID, tc.thumbprint),
						),
					},
					{
						Config: cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectEmptyPlan(),
						}},
						Check: checkUploads(t, env, 1),
					},
					{
						ResourceName:            resourceAddr,
						ImportState:             true,
						ImportStateVerify:       true,
						ImportStateVerifyIgnore: verifyIgnore,
					},
				},
			})
		})
	}
}

// Import by `terraform import` (thumbprint in lowercase) and by an import block; after either, the same PFX
// in configuration plans nothing.
func TestAccCertificate_import(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-import")
	cfg := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true))
	importID := conn.ID + "/" + strings.ToLower(testfixtures.ClientThumbprint)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{
				ResourceName:            resourceAddr,
				ImportState:             true,
				ImportStateId:           importID,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"subject"},
			},
			{
				// The plannable import fails unless the plan is a no-op.
				Config:          cfg,
				ResourceName:    resourceAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   importID,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ClientThumbprint)),
					plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(conn.ID+"/"+testfixtures.ClientThumbprint)),
				}},
			},
			{
				ResourceName:  resourceAddr,
				ImportState:   true,
				ImportStateId: conn.ID + "/not-a-thumbprint",
				ExpectError:   errorPattern(`The thumbprint in the import ID is not 40 hex digits .* The import ID is \{api_connector_id\}/\{thumbprint\}`),
			},
			{
				ResourceName:  resourceAddr,
				ImportState:   true,
				ImportStateId: conn.ID + "/" + testfixtures.ClientECThumbprint,
				ExpectError:   errorPattern(`(?i)cannot import non-existent remote object`),
			},
		},
	})
}

// A certificate put on the connector outside Terraform is imported with an import block (no upload),
// and the plan right after is empty.
func TestAccCertificate_importBlockOutOfBand(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-import-block")
	uploadOutOfBand(t, env, conn.ID, "client-aes.pfx", testfixtures.Password)
	cfg := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true)) + `
import {
  to = ` + resourceAddr + `
  id = "` + conn.ID + "/" + testfixtures.ClientThumbprint + `"
}
`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionNoop),
			}},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ClientThumbprint)),
				statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
			},
			Check: resource.ComposeTestCheckFunc(
				checkUploads(t, env, 1), // the out-of-band one
				checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
			),
		}},
	})
}

// Creating a certificate the connector already holds adopts it instead of uploading it again.
func TestAccCertificate_adoptsExisting(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-adopt")
	uploadOutOfBand(t, env, conn.ID, "client-legacy-3des.pfx", testfixtures.Password)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true)),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
			}},
			Check: resource.ComposeTestCheckFunc(
				checkUploads(t, env, 1),
				checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
			),
		}},
	})
}

// Re-exports of the same certificate (other encryption, other password, moved to the write-only attributes)
// are in-place updates without any Graph write; another certificate replaces the resource.
func TestAccCertificate_identityIsTheThumbprint(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-identity")
	step := func(p pfx, action plancheck.ResourceActionType, uploads int, thumbprints ...string) resource.TestStep {
		return resource.TestStep{
			Config: certConfig(env, conn.ID, p),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(resourceAddr, action),
				plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(thumbprints[len(thumbprints)-1])),
			}},
			Check: resource.ComposeTestCheckFunc(
				checkUploads(t, env, uploads),
				checkConnectorThumbprints(t, env, conn.ID, thumbprints...),
			),
		}
	}
	pw := ptr(testfixtures.Password)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(fixturePFX("client-aes.pfx", pw, false), plancheck.ResourceActionCreate, 1, testfixtures.ClientThumbprint),
			// Same certificate, legacy encryption: the sensitive attribute changes, nothing is uploaded.
			step(fixturePFX("client-legacy-3des.pfx", pw, false), plancheck.ResourceActionUpdate, 1, testfixtures.ClientThumbprint),
			// Same certificate, no password, moved to the write-only attributes.
			step(fixturePFX("client-empty-password.pfx", nil, true), plancheck.ResourceActionUpdate, 1, testfixtures.ClientThumbprint),
			// Re-exported again, only inside the write-only attribute: nothing to do at all.
			step(fixturePFX("client-with-chain.pfx", pw, true), plancheck.ResourceActionNoop, 1, testfixtures.ClientThumbprint),
			// Another certificate, still write-only: detected through the planned thumbprint, and replaced.
			step(fixturePFX("client-ec.pfx", pw, true), plancheck.ResourceActionDestroyBeforeCreate, 2,
				testfixtures.ClientThumbprint, testfixtures.ClientECThumbprint),
		},
	})
}

// Rotation with create_before_destroy: the new certificate is uploaded and active before the old one leaves state.
func TestAccCertificate_rotation(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-rotation")
	pw := ptr(testfixtures.Password)
	withCBD := func(p pfx) pfx {
		p.ExtraLines = "  lifecycle {\n    create_before_destroy = true\n  }\n"
		return p
	}
	rotated := certConfig(env, conn.ID, withCBD(fixturePFX("client-ec.pfx", pw, true)))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: certConfig(env, conn.ID, withCBD(fixturePFX("client-aes.pfx", pw, true)))},
			{
				Config: rotated,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreateBeforeDestroy),
					plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ClientECThumbprint)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					checkUploads(t, env, 2),
					checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint, testfixtures.ClientECThumbprint),
				),
			},
			{
				Config: rotated + `
data "entracert_api_connector" "test" {
  id = ` + resourceAddr + `.api_connector_id
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.entracert_api_connector.test", tfjsonpath.New("active_thumbprint"),
						knownvalue.StringExact(testfixtures.ClientECThumbprint)),
					statecheck.ExpectKnownValue("data.entracert_api_connector.test", tfjsonpath.New("certificates"), knownvalue.ListSizeExact(2)),
				},
			},
		},
	})
}

// Out-of-band changes show in the plan: a connector switched to basic authentication (which drops every
// certificate) makes the plan create the certificate again; a deleted connector is a clear error at apply.
func TestAccCertificate_outOfBandChanges(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-drift")
	cfg := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{
				PreConfig: func() {
					if err := env.Graph.SetAPIConnectorBasicAuthentication(ctxFor(t), conn.ID, "user", "pass-"+conn.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionCreate),
				}},
				Check: resource.ComposeTestCheckFunc(
					checkUploads(t, env, 2),
					checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
				),
			},
			{
				PreConfig: func() {
					if err := env.Graph.DeleteAPIConnector(ctxFor(t), conn.ID); err != nil {
						t.Fatal(err)
					}
				},
				Config:      cfg,
				ExpectError: errorPattern(`No API connector with ID "` + regexp.QuoteMeta(conn.ID) + `" exists`),
			},
		},
	})
}

// Every bad input fails at plan, names the attribute to fix, and uploads nothing.
func TestAccCertificate_badInputsFailAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-bad")
	pw := ptr(testfixtures.Password)
	raw := func(value string, password *string) pfx {
		return pfx{Value: value, Password: password, WriteOnly: true}
	}
	cases := []struct {
		p    pfx
		want string
	}{
		{raw("this is not base64!", nil), `PFX is not base64 .* pkcs12_value_wo must be the PFX`},
		{pfx{Value: "aGVsbG8gd29ybGQ=", Password: pw}, `Not a PKCS#12 \(PFX\) file .* pkcs12_value is not a PKCS#12`},
		{raw(testfixtures.Base64("truncated.pfx"), pw), `Not a PKCS#12 \(PFX\) file`},
		{raw(testfixtures.Base64("client-aes.pfx"), ptr("wrong password")), `Wrong PFX password .* with the password in password_wo\.`},
		{pfx{Value: testfixtures.Base64("client-aes.pfx"), Password: ptr("wrong")}, `Wrong PFX password .* with the password in password\.`},
		{raw(testfixtures.Base64("client-aes.pfx"), nil), `PFX needs a password .* Set password_wo`},
		{raw(testfixtures.Base64("cert-only-no-key.pfx"), pw), `PFX holds no private key`},
		{raw(b64File(t, "testdata/key-only.pfx"), pw), `PFX holds no matching certificate`},
		{raw(testfixtures.Base64("client-expired.pfx"), pw), `Certificate has expired .* \(thumbprint ` + testfixtures.ExpiredThumbprint + `, .* never make it active`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      certConfig(env, conn.ID, c.p),
			ExpectError: errorPattern(c.want),
		})
	}
	both := env.ProviderConfig() + `
resource "` + resourceType + `" "test" {
  api_connector_id = "` + conn.ID + `"
  pkcs12_value     = "` + testfixtures.Base64("client-aes.pfx") + `"
  pkcs12_value_wo  = "` + testfixtures.Base64("client-aes.pfx") + `"
  password         = "x"
  password_wo      = "x"
}
`
	neither := env.ProviderConfig() + `
resource "` + resourceType + `" "test" {
  api_connector_id = "` + conn.ID + `"
}
`
	steps = append(steps,
		resource.TestStep{Config: both, ExpectError: errorPattern(`Invalid Attribute Combination .* \[pkcs12_value,pkcs12_value_wo\]`)},
		resource.TestStep{Config: both, ExpectError: errorPattern(`Invalid Attribute Combination .* \[password,password_wo\]`)},
		resource.TestStep{Config: neither, ExpectError: errorPattern(`The PFX is missing .* Set pkcs12_value_wo \(or pkcs12_value\) .* Graph never returns a connector's PFX`)},
	)
	resource.Test(t, resource.TestCase{ProtoV6ProviderFactories: env.ProtoV6ProviderFactories, Steps: steps})
	if env.Emulator != nil {
		if n := env.Emulator.Count(http.MethodPost, uploadPath); n != 0 {
			t.Errorf("bad inputs caused %d uploads, want 0", n)
		}
	}
}

// A lost answer to the upload (processed, then the connection dropped) ends with exactly one certificate,
// even when the read side lags behind the write.
func TestAccCertificate_lostUploadResponse(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-lost")
	env.Emulator.SetReadAfterWriteLag(2 * time.Second)
	env.Emulator.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPath, DropAfterProcessing: true})
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
			},
			Check: resource.ComposeTestCheckFunc(
				checkUploads(t, env, 1),
				checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
			),
		}},
	})
}

// A 503 that Graph did not act on: the provider reads, does not find the certificate, and uploads once more.
// A 429 on the upload is retried. Either way one certificate results.
func TestAccCertificate_uploadRetries(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fault   graphemu.Fault
		uploads int
	}{
		{"503_not_processed", graphemu.Fault{Method: http.MethodPost, Path: uploadPath, Status: http.StatusServiceUnavailable}, 2},
		{"429", graphemu.Fault{Method: http.MethodPost, Path: uploadPath, Status: http.StatusTooManyRequests, RetryAfter: "1"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env := acctest.New(t, graphemu.Options{})
			env.RequireEmulator(t)
			conn := env.CreateAPIConnector(t, "acctest-retry")
			env.Emulator.AddFault(tc.fault)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true)),
					Check: resource.ComposeTestCheckFunc(
						checkUploads(t, env, tc.uploads),
						checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
					),
				}},
			})
		})
	}
}

// A storm of 429s on the connector reads (half of them) does not fail create, refresh, plan or destroy.
func TestAccCertificate_throttledReads(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-429")
	env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: "/identity/apiConnectors/*",
		Status: http.StatusTooManyRequests, RetryAfter: "1", Probability: 0.5})
	cfg := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: checkUploads(t, env, 1)},
			{Config: cfg, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
	throttled := 0
	for _, e := range env.Emulator.Journal() {
		if e.Method == http.MethodGet && e.Status == http.StatusTooManyRequests {
			throttled++
		}
	}
	if throttled == 0 {
		t.Errorf("no read was answered 429: the storm was not exercised")
	}
}

// Graph's readers lag behind the upload: the apply succeeds on the upload's answer, and the refresh right after
// (terraform-plugin-testing plans again after every apply and fails on a non-empty plan) waits for the readers
// instead of dropping the certificate from state. One upload, and no read between upload and state.
func TestAccCertificate_readAfterWriteLag(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-lag")
	// Long enough that init, plan and apply on a loaded machine stay below it (5s did not, with the suite running).
	const lag = 15 * time.Second
	env.Emulator.SetReadAfterWriteLag(lag)
	start := env.Clock.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("is_active"), knownvalue.Bool(true)),
			},
			Check: resource.ComposeTestCheckFunc(
				checkUploads(t, env, 1),
				func(*terraform.State) error {
					// The apply must not have waited for the readers: the wait belongs to the next refresh.
					if d := env.Clock.Now().Sub(start); d >= lag {
						return fmt.Errorf("apply took %s, at least the read lag of %s", d, lag)
					}
					return nil
				},
			),
		}},
	})
}

// When the answer to the upload is lost and the certificate does not show up within timeouts.create, the apply
// fails saying so; the next apply, once Graph's reads have caught up, adopts the uploaded certificate instead of
// uploading it again.
func TestAccCertificate_createTimeoutThenAdopt(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-timeout")
	const lag = 5 * time.Second
	env.Emulator.SetReadAfterWriteLag(lag)
	env.Emulator.AddFault(graphemu.Fault{Method: http.MethodPost, Path: uploadPath, DropAfterProcessing: true})
	p := fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true)
	// The adopting apply has the default timeout: 2s of real time is too short for a whole apply on a loaded machine.
	adopt := certConfig(env, conn.ID, p)
	p.ExtraLines = "  timeouts {\n    create = \"2s\"\n  }\n"
	cfg := certConfig(env, conn.ID, p)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      cfg,
				ExpectError: errorPattern(`Timed out uploading the client certificate .* the next apply adopts it without uploading it again`),
			},
			{
				PreConfig: func() { env.Clock.Advance(lag) }, // let the read side catch up, on the emulator's clock
				Config:    adopt,
				Check: resource.ComposeTestCheckFunc(
					checkUploads(t, env, 1),
					checkConnectorThumbprints(t, env, conn.ID, testfixtures.ClientThumbprint),
				),
			},
		},
	})
}

// In the US Government clouds the resource and the data source fail at plan, saying why.
func TestAccCertificate_usGovernmentCloud(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-gov")
	gov := strings.Replace(env.ProviderConfig(), "provider \"entracert\" {\n", "provider \"entracert\" {\n  environment = \"usgovernmentl4\"\n", 1)
	if gov == env.ProviderConfig() {
		t.Fatal("could not add environment to the provider block")
	}
	body := fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true).body()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      gov + "resource \"" + resourceType + "\" \"test\" {\n  api_connector_id = \"" + conn.ID + "\"\n" + body + "}\n",
				ExpectError: errorPattern(`API connectors are not available in this cloud .* "usgovernmentl4" cloud\. .* only in the global and China clouds`),
			},
			{
				Config:      gov + "data \"entracert_api_connector\" \"test\" {\n  id = \"" + conn.ID + "\"\n}\n",
				ExpectError: errorPattern(`API connectors are not available in this cloud`),
			},
		},
	})
	if n := env.Emulator.Count(http.MethodPost, uploadPath); n != 0 {
		t.Errorf("%d uploads in a US Government cloud, want 0", n)
	}
}

// A PFX that is unknown while planning (it comes from another resource) leaves the certificate's facts unknown
// in the plan; the PFX is checked at apply, before any upload.
func TestAccCertificate_unknownAtPlan(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-unknown")
	config := func(fixture string) string {
		return env.ProviderConfig() + fmt.Sprintf(`
resource "terraform_data" "pfx" {
  input = %q
}

resource %q "test" {
  api_connector_id = %q
  pkcs12_value_wo  = terraform_data.pfx.output
  password_wo      = %q
}
`, testfixtures.Base64(fixture), resourceType, conn.ID, testfixtures.Password)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("client-aes.pfx"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(resourceAddr, tfjsonpath.New("thumbprint")),
					plancheck.ExpectUnknownValue(resourceAddr, tfjsonpath.New("not_after")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ClientThumbprint)),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("subject"), knownvalue.StringRegexp(regexp.MustCompile("CN=api-connector-client"))),
				},
				Check: checkUploads(t, env, 1),
			},
			{
				Config: config("client-expired.pfx"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionReplace),
				}},
				ExpectError: errorPattern(`Certificate has expired`),
			},
		},
	})
	if env.Emulator != nil {
		if n := env.Emulator.Count(http.MethodPost, uploadPath); n != 1 {
			t.Errorf("%d uploads, want 1: the expired certificate must not be uploaded", n)
		}
	}
}
