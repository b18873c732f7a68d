package apiconnector_test

import (
	"strings"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	"github.com/entracert/terraform-provider-entracert/internal/testfixtures"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func certificateIdentity(connectorID, thumbprint string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"api_connector_id": knownvalue.StringExact(connectorID),
		"thumbprint":       knownvalue.StringExact(thumbprint),
	}
}

// identityImportBlock imports the "test" certificate by identity, with the thumbprint as given.
func identityImportBlock(connectorID, thumbprint string) string {
	return `
import {
  to = ` + resourceAddr + `
  identity = {
    api_connector_id = "` + connectorID + `"
    thumbprint       = "` + thumbprint + `"
  }
}
`
}

// Terraform 1.12+ and OpenTofu 1.12+ keep the identity {api_connector_id, thumbprint} through create, update and
// refresh, and import by it (an identity with a lowercase thumbprint too); a bad identity fails the import and
// says which attribute is wrong.
func TestAccCertificate_identity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-identity")
	sensitive := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), false))
	writeOnly := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true))
	want := certificateIdentity(conn.ID, testfixtures.ClientThumbprint)
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(tfversion.Version1_12_0), // resource identity needs Terraform or OpenTofu 1.12
		},
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            sensitive,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentity(resourceAddr, want)},
			},
			{
				Config: writeOnly,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentity(resourceAddr, want)},
			},
			{RefreshState: true},
			{
				Config:            writeOnly,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectIdentity(resourceAddr, want)},
			},
			{
				// Imports with the identity from the prior state; fails unless the plan is a no-op.
				Config:          writeOnly,
				ResourceName:    resourceAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(conn.ID+"/"+testfixtures.ClientThumbprint)),
					plancheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ClientThumbprint)),
				}},
			},
			{
				Config:          writeOnly,
				ResourceName:    resourceAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   conn.ID + "/" + testfixtures.ClientThumbprint,
			},
		},
	})
}

// An import block with an identity adopts a certificate put on the connector outside Terraform, whatever the
// thumbprint's case, and stores the identity normalised; bad identities are refused before any Graph call.
func TestAccCertificate_importByIdentity(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-identity-import")
	uploadOutOfBand(t, env, conn.ID, "client-aes.pfx", testfixtures.Password)
	cfg := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true))
	resource.Test(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{
			tfversion.SkipBelow(tfversion.Version1_12_0), // import by identity needs Terraform or OpenTofu 1.12
		},
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      cfg + identityImportBlock(conn.ID, "not-a-thumbprint"),
				ExpectError: errorPattern(`identity\.thumbprint is not 40 hex digits \(got "not-a-thumbprint"\)\. The import ID is \{api_connector_id\}/\{thumbprint\}`),
			},
			{
				Config:      cfg + identityImportBlock("", testfixtures.ClientThumbprint),
				ExpectError: errorPattern(`identity\.api_connector_id is empty\. The import ID is \{api_connector_id\}/\{thumbprint\}: the API connector's object ID \(a GUID\)`),
			},
			{
				Config:      cfg + identityImportBlock("not-a-guid", testfixtures.ClientThumbprint),
				ExpectError: errorPattern(`identity\.api_connector_id is not a GUID \(got "not-a-guid"\)`),
			},
			{
				Config:      cfg + identityImportBlock(conn.ID, testfixtures.ClientECThumbprint),
				ExpectError: errorPattern(`(?i)cannot import non-existent remote object`),
			},
			{
				// Upper-case GUID, lower-case thumbprint: stored normalised, so the plan is a no-op.
				Config: cfg + identityImportBlock(strings.ToUpper(conn.ID), strings.ToLower(testfixtures.ClientThumbprint)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(resourceAddr, certificateIdentity(conn.ID, testfixtures.ClientThumbprint)),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ClientThumbprint)),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("api_connector_id"), knownvalue.StringExact(conn.ID)),
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("id"), knownvalue.StringExact(conn.ID+"/"+testfixtures.ClientThumbprint)),
				},
				// The certificate was already there: importing uploads nothing.
				Check: checkUploads(t, env, 1),
			},
			{
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// On every Terraform version, Terraform 1.11 included (which knows nothing of identities): create, an in-place
// update, a refresh and both kinds of import by ID work with no identity error, such as "Missing Resource
// Identity After Update".
func TestAccCertificate_identityOnAnyVersion(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	conn := env.CreateAPIConnector(t, "acctest-identity-any")
	sensitive := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), false))
	writeOnly := certConfig(env, conn.ID, fixturePFX("client-aes.pfx", ptr(testfixtures.Password), true))
	thumbprint := statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("thumbprint"), knownvalue.StringExact(testfixtures.ClientThumbprint))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: sensitive, ConfigStateChecks: []statecheck.StateCheck{thumbprint}},
			{
				Config: writeOnly,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(resourceAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					thumbprint,
					statecheck.ExpectKnownValue(resourceAddr, tfjsonpath.New("pkcs12_value"), knownvalue.Null()),
				},
			},
			{RefreshState: true},
			{
				Config:            writeOnly,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{thumbprint},
			},
			{
				ResourceName:            resourceAddr,
				ImportState:             true,
				ImportStateId:           conn.ID + "/" + testfixtures.ClientThumbprint,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"subject"},
			},
			{
				Config:          writeOnly,
				ResourceName:    resourceAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   conn.ID + "/" + testfixtures.ClientThumbprint,
			},
		},
	})
}
