package apiconnector_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const (
	certListAll         = resourceType + ".all"
	connectorCollection = "/identity/apiConnectors"
)

// connectorTenant is a B2C tenant whose connectors someone set up in the portal: one with two certificates, one
// still on basic authentication, one whose only certificate has expired.
type connectorTenant struct {
	Signup, Basic, Legacy *graph.APIConnector
}

func seedConnectorTenant(t *testing.T, env *acctest.Env) connectorTenant {
	t.Helper()
	ten := connectorTenant{
		Signup: env.CreateAPIConnector(t, "Contoso sign-up validation"),
		Basic:  env.CreateAPIConnector(t, "Fabrikam age gate"),
		Legacy: env.CreateAPIConnector(t, "Contoso legacy enrichment"),
	}
	upload := func(conn *graph.APIConnector, fixture string) {
		if _, err := env.Graph.UploadClientCertificate(acctest.MinuteContext(t), conn.ID, testfixtures.Base64(fixture), testfixtures.Password); err != nil {
			t.Fatalf("uploading %s to %s: %v", fixture, conn.DisplayName, err)
		}
	}
	upload(ten.Signup, "client-legacy-3des.pfx")
	upload(ten.Signup, "client-ec.pfx") // the most recent valid one: active
	upload(ten.Legacy, "client-expired.pfx")
	return ten
}

func certIdentity(connectorID, thumbprint string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"api_connector_id": knownvalue.StringExact(connectorID), "thumbprint": knownvalue.StringExact(thumbprint)}
}

func listBlock(name string, includeResource bool, config string) string {
	s := fmt.Sprintf("list %q %q {\n  provider = entracert\n  limit = 1000\n", resourceType, name)
	if includeResource {
		s += "  include_resource = true\n"
	}
	if config != "" {
		s += "  config {\n    " + config + "\n  }\n"
	}
	return s + "}\n"
}

// Every connector's certificates are listed by thumbprint, validity and connector with their identity, and with
// include_resource the state an import reads (no PFX, no subject: Graph reports neither); api_connector_id keeps one
// connector's, and a connector on basic authentication lists none.
func TestAccClientCertificateList_existingTenant(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	ten := seedConnectorTenant(t, env)
	signupOnly, basicOnly := resourceType+".signup", resourceType+".basic"
	values := func(connectorID, thumbprint string, checks map[string]knownvalue.Check) querycheck.QueryResultCheck {
		var kv []querycheck.KnownValueCheck
		for k, v := range checks {
			kv = append(kv, querycheck.KnownValueCheck{Path: tfjsonpath.New(k), KnownValue: v})
		}
		return querycheck.ExpectResourceKnownValues(certListAll, queryfilter.ByResourceIdentity(certIdentity(connectorID, thumbprint)), kv)
	}
	resource.Test(t, env.QueryTestCase(resource.TestStep{
		Query: true,
		Config: env.QueryConfig(
			listBlock("all", true, ""),
			listBlock("signup", false, `api_connector_id = "`+strings.ToUpper(ten.Signup.ID)+`"`),
			listBlock("basic", false, `api_connector_id = "`+ten.Basic.ID+`"`),
		),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(certListAll, 3),
			querycheck.ExpectIdentity(certListAll, certIdentity(ten.Signup.ID, testfixtures.ClientThumbprint)),
			querycheck.ExpectIdentity(certListAll, certIdentity(ten.Signup.ID, testfixtures.ClientECThumbprint)),
			querycheck.ExpectIdentity(certListAll, certIdentity(ten.Legacy.ID, testfixtures.ExpiredThumbprint)),
			querycheck.ExpectResourceDisplayName(certListAll, queryfilter.ByResourceIdentity(certIdentity(ten.Legacy.ID, testfixtures.ExpiredThumbprint)),
				knownvalue.StringExact(testfixtures.ExpiredThumbprint+" (valid 2019-01-01 to 2021-01-01, inactive) on API connector "+ten.Legacy.DisplayName)),
			querycheck.ExpectResourceDisplayName(certListAll, queryfilter.ByResourceIdentity(certIdentity(ten.Signup.ID, testfixtures.ClientECThumbprint)),
				knownvalue.StringRegexp(regexp.MustCompile(`^`+testfixtures.ClientECThumbprint+` \(valid \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d, active\) on API connector `+regexp.QuoteMeta(ten.Signup.DisplayName)+`$`))),
			values(ten.Legacy.ID, testfixtures.ExpiredThumbprint, map[string]knownvalue.Check{
				"id":               knownvalue.StringExact(ten.Legacy.ID + "/" + testfixtures.ExpiredThumbprint),
				"api_connector_id": knownvalue.StringExact(ten.Legacy.ID),
				"thumbprint":       knownvalue.StringExact(testfixtures.ExpiredThumbprint),
				"not_before":       knownvalue.StringExact("2019-01-01T00:00:00Z"),
				"not_after":        knownvalue.StringExact("2021-01-01T00:00:00Z"),
				"is_active":        knownvalue.Bool(false),
				"subject":          knownvalue.Null(),
				"pkcs12_value":     knownvalue.Null(),
				"password":         knownvalue.Null(),
			}),
			values(ten.Signup.ID, testfixtures.ClientECThumbprint, map[string]knownvalue.Check{"is_active": knownvalue.Bool(true)}),
			querycheck.ExpectLength(signupOnly, 2),
			querycheck.ExpectIdentity(signupOnly, certIdentity(ten.Signup.ID, testfixtures.ClientThumbprint)),
			querycheck.ExpectLength(basicOnly, 0),
		},
	}))
}

// An api_connector_id that is not a GUID fails validation, and one Graph does not have fails the query naming it.
func TestAccClientCertificateList_badConnectorID(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	resource.Test(t, env.QueryTestCase(
		resource.TestStep{
			Query:       true,
			Config:      env.QueryConfig(listBlock("bad", false, `api_connector_id = "Contoso sign-up"`)),
			ExpectError: regexp.MustCompile(`api_connector_id[\s\S]*GUID`),
		},
		resource.TestStep{
			Query:       true,
			Config:      env.QueryConfig(listBlock("missing", false, `api_connector_id = "45715bb8-13f9-4bf6-927f-ef96c102d394"`)),
			ExpectError: regexp.MustCompile(`No such API connector[\s\S]*Graph has no API connector with ID 45715bb8-13f9-4bf6-927f-ef96c102d394[\s\S]*Set api_connector_id`),
		},
	))
}

// More connectors than one page: both pages are read, one request each, and a certificate of the second page is found.
func TestAccClientCertificateList_pages(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	const n = 105
	var last *graph.APIConnector
	for range n {
		last = env.CreateAPIConnector(t, "Paged connector")
	}
	if _, err := env.Graph.UploadClientCertificate(acctest.MinuteContext(t), last.ID, testfixtures.Base64("client-ec.pfx"), testfixtures.Password); err != nil {
		t.Fatal(err)
	}
	env.Emulator.ResetJournal()
	resource.Test(t, env.QueryTestCase(resource.TestStep{
		Query:  true,
		Config: env.QueryConfig(listBlock("all", false, "")),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(certListAll, 1),
			querycheck.ExpectIdentity(certListAll, certIdentity(last.ID, testfixtures.ClientECThumbprint)),
			env.JournalStatuses(http.MethodGet, connectorCollection, []int{http.StatusOK, http.StatusOK}),
		},
	}))
}

// An empty tenant lists no certificates; a 429 on the connector list is waited out; a Graph that keeps answering 5xx
// fails the query with what was being read and what to do.
func TestAccClientCertificateList_emptyThrottledFailing(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	var conn *graph.APIConnector
	resource.Test(t, env.QueryTestCase(
		resource.TestStep{
			Query:             true,
			Config:            env.QueryConfig(listBlock("all", false, "")),
			QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength(certListAll, 0)},
		},
		resource.TestStep{
			PreConfig: func() {
				conn = env.CreateAPIConnector(t, "Throttled connector")
				if _, err := env.Graph.UploadClientCertificate(acctest.MinuteContext(t), conn.ID, testfixtures.Base64("client-ec.pfx"), testfixtures.Password); err != nil {
					t.Fatal(err)
				}
				env.Emulator.ResetJournal()
				env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorCollection, Status: http.StatusTooManyRequests, RetryAfter: "5"})
			},
			Query:  true,
			Config: env.QueryConfig(listBlock("all", false, "")),
			QueryResultChecks: []querycheck.QueryResultCheck{
				querycheck.ExpectLength(certListAll, 1),
				env.JournalStatuses(http.MethodGet, connectorCollection, []int{http.StatusTooManyRequests, http.StatusOK}),
			},
		},
		resource.TestStep{
			PreConfig: func() {
				env.Emulator.AddFault(graphemu.Fault{Method: http.MethodGet, Path: connectorCollection, Status: http.StatusServiceUnavailable, Count: 100})
			},
			Query:  true,
			Config: env.QueryConfig(listBlock("all", false, "")),
			ExpectError: regexp.MustCompile(`Cannot list the client certificates[\s\S]*Listing the tenant's API connectors[\s\S]*503` +
				`[\s\S]*Run terraform query again once Graph answers`),
		},
	))
}

// The configuration terraform query writes for client certificates cannot hold the PFX: its plan fails saying what
// to add, and with the PFX added as write-only attributes it plans as imports only.
func TestAccClientCertificateList_generatedConfigNeedsThePFX(t *testing.T) {
	t.Parallel()
	acctest.SkipBelowQueryNow(t)
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	ten := seedConnectorTenant(t, env)
	signup := `api_connector_id = "` + ten.Signup.ID + `"`
	resource.Test(t, env.QueryTestCase(resource.TestStep{ // skips below Terraform 1.14, and so does the rest
		Query:             true,
		Config:            env.QueryConfig(listBlock("signup", false, signup)),
		QueryResultChecks: []querycheck.QueryResultCheck{querycheck.ExpectLength(resourceType+".signup", 2)},
	}))

	cli := env.NewCLI(t)
	cli.WriteFile(t, "adopt.tfquery.hcl", listBlock("signup", false, signup))
	cli.MustRun(t, "init", "-no-color", "-input=false")
	cli.MustRun(t, "query", "-no-color", "-generate-config-out=generated.tf")
	generated := cli.ReadFile(t, "generated.tf")
	t.Logf("generated.tf:\n%s", generated)

	out, err := cli.Run(t, "plan", "-no-color", "-input=false")
	if err == nil || !errorPattern(`The PFX is missing .* Set pkcs12_value_wo \(or pkcs12_value\) .* Graph never returns a connector's PFX, .* `+
		`\(terraform query -generate-config-out, .* Add the PFX of the certificate whose thumbprint the import block names: `+
		`pkcs12_value_wo = filebase64\("client.pfx"\), and password_wo`).MatchString(out) {
		t.Fatalf("the plan of the generated configuration does not fail saying what to add (%v):\n%s\ngenerated.tf:\n%s", err, out, generated)
	}
	if n := env.Emulator.Count(http.MethodPost, uploadPath); n != 3 { // the seeding's
		t.Errorf("%d uploads, want only the seeding's 3", n)
	}

	// Each PFX on the other certificate's resource: both are replaced (planned only).
	swapped := map[string]string{testfixtures.ClientThumbprint: "client-ec.pfx", testfixtures.ClientECThumbprint: "client-legacy-3des.pfx"}
	cli.WriteFile(t, "generated.tf", withPFX(t, generated, "_wo", swapped))
	if out := cli.MustRun(t, "plan", "-no-color", "-input=false"); !strings.Contains(out, "Plan: 2 to import, 2 to add, 0 to change, 2 to destroy.") {
		t.Errorf("with each other's PFX, the plan does not replace both certificates:\n%s", out)
	}
	right := map[string]string{testfixtures.ClientThumbprint: "client-legacy-3des.pfx", testfixtures.ClientECThumbprint: "client-ec.pfx"}
	// pkcs12_value and password: imports, and in-place updates that record them in the state.
	cli.WriteFile(t, "generated.tf", withPFX(t, generated, "", right))
	if out := cli.MustRun(t, "plan", "-no-color", "-input=false"); !strings.Contains(out, "Plan: 2 to import, 0 to add, 2 to change, 0 to destroy.") {
		t.Errorf("with pkcs12_value, the plan is not 2 imports and 2 in-place updates:\n%s", out)
	}
	// The write-only attributes: imports only.
	cli.WriteFile(t, "generated.tf", withPFX(t, generated, "_wo", right))
	cli.PlanImportsOnly(t, 2)
	cli.ApplyThenPlanEmpty(t)
	if n := env.Emulator.Count(http.MethodPost, uploadPath); n != 3 {
		t.Errorf("%d uploads after importing, want only the seeding's 3", n)
	}
}

// withPFX fills in pkcs12_value{suffix} and password{suffix} of each generated certificate resource ("" or "_wo"), with
// the fixture given for the thumbprint its import block names, as the list resource's documentation tells users to.
func withPFX(t *testing.T, generated, suffix string, fixtures map[string]string) string {
	t.Helper()
	thumbprintOf := map[string]string{} // resource name -> thumbprint, from the import blocks
	for _, m := range regexp.MustCompile(`to\s*=\s*`+resourceType+`\.(\w+)[^}]*?thumbprint\s*=\s*"([0-9A-F]{40})"`).FindAllStringSubmatch(generated, -1) {
		thumbprintOf[m[1]] = m[2]
	}
	blocks := regexp.MustCompile(`(?s)resource "` + resourceType + `" "(\w+)" \{.*?\n\}`)
	filled := 0
	out := blocks.ReplaceAllStringFunc(generated, func(block string) string {
		name := blocks.FindStringSubmatch(block)[1]
		fixture, ok := fixtures[thumbprintOf[name]]
		if !ok {
			t.Fatalf("generated resource %s names thumbprint %q, which no fixture has", name, thumbprintOf[name])
		}
		filled++
		block = regexp.MustCompile(`pkcs12_value`+suffix+`\s*=\s*null # sensitive`).ReplaceAllString(block,
			fmt.Sprintf("pkcs12_value%s = %q", suffix, testfixtures.Base64(fixture)))
		return regexp.MustCompile(`password`+suffix+`\s*=\s*null # sensitive`).ReplaceAllString(block,
			fmt.Sprintf("password%s = %q", suffix, testfixtures.Password))
	})
	if filled != len(fixtures) {
		t.Fatalf("filled in %d generated resources, want %d:\n%s", filled, len(fixtures), generated)
	}
	return out
}
