package apiconnector_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graph"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

const dataAddr = "data.entracert_api_connector.test"

func dataConfig(env *acctest.Env, body string) string {
	return env.ProviderConfig() + "data \"entracert_api_connector\" \"test\" {\n" + body + "}\n"
}

// createNamedConnector creates a connector with exactly this display name (acctest adds a suffix to its names).
func createNamedConnector(t *testing.T, env *acctest.Env, name string) *graph.APIConnector {
	t.Helper()
	c, err := env.Graph.CreateAPIConnector(ctxFor(t), graph.NewAPIConnector{
		DisplayName: name, TargetURL: "https://api.contoso.example/dup", Username: "u", Password: "p-" + name,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute) //nolint:usetesting // cleanups run after t.Context() is cancelled
		defer cancel()
		if err := env.Graph.DeleteAPIConnector(ctx, c.ID); err != nil && !graph.IsNotFound(err) {
			t.Errorf("deleting %s: %v", c.ID, err)
		}
	})
	return c
}

func TestAccConnectorDataSource_byIDAndName(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	basic := env.CreateAPIConnector(t, "acctest-ds-basic")
	withCert := env.CreateAPIConnector(t, "acctest-ds-cert")
	uploadOutOfBand(t, env, withCert.ID, "client-ec.pfx", testfixtures.Password)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: dataConfig(env, fmt.Sprintf("  id = %q\n", basic.ID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(basic.DisplayName)),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("target_url"), knownvalue.StringExact(basic.TargetURL)),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("authentication_type"), knownvalue.StringExact("basic")),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("certificates"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("active_thumbprint"), knownvalue.Null()),
				},
			},
			{
				Config: dataConfig(env, fmt.Sprintf("  display_name = %q\n", withCert.DisplayName)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("id"), knownvalue.StringExact(withCert.ID)),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("authentication_type"), knownvalue.StringExact("certificate")),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("active_thumbprint"), knownvalue.StringExact(testfixtures.ClientECThumbprint)),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("certificates"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"thumbprint": knownvalue.StringExact(testfixtures.ClientECThumbprint),
							"not_before": knownvalue.StringExact("2026-11-22T03:40:52Z"),
							"not_after":  knownvalue.StringExact("2036-11-19T03:40:52Z"),
							"is_active":  knownvalue.Bool(true),
						}),
					})),
				},
			},
		},
	})
}

func TestAccConnectorDataSource_errors(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t) // makes connectors with the same name and relies on an ID that exists nowhere
	dup := "acctest-ds-duplicate-" + env.CreateAPIConnector(t, "acctest-ds-seed").ID[:8]
	createNamedConnector(t, env, dup)
	createNamedConnector(t, env, dup)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      dataConfig(env, "  display_name = \"acctest-no-such-connector\"\n"),
				ExpectError: errorPattern(`Found 0 API connectors named "acctest-no-such-connector"`),
			},
			{
				Config:      dataConfig(env, fmt.Sprintf("  display_name = %q\n", dup)),
				ExpectError: errorPattern(`Found 2 API connectors named .* Use id to pick one`),
			},
			{
				Config:      dataConfig(env, "  id = \"d915cc77-0000-4000-8000-000000000001\"\n"),
				ExpectError: errorPattern(`No API connector with ID "d915cc77-0000-4000-8000-000000000001" exists \(Graph answered 404 Not Found, also after looking again for 30s\)`),
			},
			{
				Config:      dataConfig(env, "  id = \"d915cc77-0000-4000-8000-000000000001\"\n  display_name = \"y\"\n"),
				ExpectError: errorPattern(`Invalid Attribute Combination .* \[id,display_name\]`),
			},
			{
				Config:      dataConfig(env, ""),
				ExpectError: errorPattern(`Missing Attribute Configuration .* \[id,display_name\]`),
			},
		},
	})
}

// Bad IDs fail before any Graph read, naming the attribute and showing the form; an upper-case ID reads the
// connector and keeps the ID as configured.
func TestAccConnectorDataSource_idForms(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	env.RequireEmulator(t)
	conn := env.CreateAPIConnector(t, "acctest-ds-ids")
	bad := func(id, want string) resource.TestStep {
		return resource.TestStep{Config: dataConfig(env, fmt.Sprintf("  id = %q\n", id)), ExpectError: errorPattern(want)}
	}
	const form = `It must be the API connector's object ID, a GUID such as 45715bb8-13f9-4bf6-927f-ef96c102d394`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			bad("", `Invalid API connector ID .* id is empty\. `+form),
			bad("   ", `Invalid API connector ID .* id is not a GUID \(got "   "\)\. `+form),
			bad("not-a-guid", `id is not a GUID \(got "not-a-guid"\)\. `+form),
			bad(strings.Repeat("x", 10*1024), `id is not a GUID \(got "x{100}"… \(10240 characters\)\)`),
			bad("00000000-0000-0000-0000-000000000000", `id is the all-zero GUID, which is never an object's ID`),
			{
				Config: dataConfig(env, fmt.Sprintf("  id = %q\n", strings.ToUpper(conn.ID))),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("id"), knownvalue.StringExact(strings.ToUpper(conn.ID))),
					statecheck.ExpectKnownValue(dataAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(conn.DisplayName)),
				},
			},
		},
	})
	for _, e := range env.Emulator.Journal() {
		if rest, ok := strings.CutPrefix(e.Path, "/identity/apiConnectors/"); ok && !strings.EqualFold(rest, conn.ID) {
			t.Errorf("%s %s: a bad ID reached Graph", e.Method, e.Path)
		}
	}
}
