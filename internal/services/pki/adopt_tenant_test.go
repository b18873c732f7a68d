package pki_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/entracert/terraform-provider-entracert/internal/acctest"
	"github.com/entracert/terraform-provider-entracert/internal/graphemu"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// adoptTenantConfig adopts every PKI and CA of the tenant as it is, with import blocks fed by the plural data
// source (import for_each: Terraform 1.7+, OpenTofu 1.7+). The "Adopt an existing tenant" guide shows the same.
const adoptTenantConfig = `
data "entracert_certificate_based_auth_pkis" "tenant" {}

locals {
  pkis = { for p in data.entracert_certificate_based_auth_pkis.tenant.pkis : p.id => p }
  cas = merge([
    for p in data.entracert_certificate_based_auth_pkis.tenant.pkis : {
      for ca in p.certificate_authorities : "${p.id}/${ca.thumbprint}" => merge(ca, { pki_id = p.id })
    }
  ]...)
}

import {
  for_each = local.pkis
  to       = entracert_certificate_based_auth_pki.adopted[each.key]
  id       = each.key
}

resource "entracert_certificate_based_auth_pki" "adopted" {
  for_each     = local.pkis
  display_name = each.value.display_name
}

import {
  for_each = local.cas
  to       = entracert_certificate_based_auth_certificate_authority.adopted[each.key]
  id       = each.key
}

resource "entracert_certificate_based_auth_certificate_authority" "adopted" {
  for_each                              = local.cas
  pki_id                                = entracert_certificate_based_auth_pki.adopted[each.value.pki_id].id
  certificate                           = each.value.certificate
  certificate_authority_type            = each.value.certificate_authority_type
  certificate_revocation_list_url       = each.value.certificate_revocation_list_url
  delta_certificate_revocation_list_url = each.value.delta_certificate_revocation_list_url
  is_issuer_hint_enabled                = each.value.is_issuer_hint_enabled
}
`

// A seeded tenant (three PKIs, CAs uploaded and added directly with their own names, CRLs and hints) is adopted in
// one plan by import blocks with for_each over the plural data source: the plan imports every PKI and CA and
// changes nothing (N to import, 0 to add, 0 to change, 0 to destroy), the apply writes nothing to Graph, and the
// next plan is empty.
func TestAccAdoptSeededTenantWithForEachImports(t *testing.T) {
	t.Parallel()
	env := acctest.New(t, graphemu.Options{})
	tenant := env.SeedTenant(t)
	var addrs []string
	for _, p := range tenant.PKIs {
		addrs = append(addrs, fmt.Sprintf("entracert_certificate_based_auth_pki.adopted[%q]", p.ID))
		for _, ca := range p.CertificateAuthorities {
			addrs = append(addrs, fmt.Sprintf("entracert_certificate_based_auth_certificate_authority.adopted[%q]", p.ID+"/"+ca.Thumbprint))
		}
	}
	config := env.ProviderConfig() + adoptTenantConfig
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.ProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{expectImportOnly(addrs)}},
			},
			{
				// (Checked here: a Check function cannot read for_each instances of the state.)
				PreConfig: func() {
					for _, e := range env.Emulator.Journal() {
						if e.Method != "GET" {
							t.Errorf("adopting the tenant wrote to Graph: %s %s", e.Method, e.Path)
						}
					}
				},
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// terraform-plugin-testing cannot read string-keyed instances back into its legacy state for the final
				// destroy, so the configuration lets go of them itself: destroying the adopted objects.
				Config: env.ProviderConfig(),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`entracert_certificate_based_auth_pki.adopted["`+tenant.PKIs[0].ID+`"]`, plancheck.ResourceActionDestroy),
				}},
			},
		},
	})
}

// expectImportOnly checks that the plan imports exactly the resources at addrs and has no other change: what
// Terraform prints as "len(addrs) to import, 0 to add, 0 to change, 0 to destroy".
func expectImportOnly(addrs []string) plancheck.PlanCheck { return importOnly{addrs: addrs} }

type importOnly struct{ addrs []string }

func (c importOnly) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	want := map[string]bool{}
	for _, a := range c.addrs {
		want[a] = true
	}
	imported := 0
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		if !rc.Change.Actions.NoOp() {
			resp.Error = fmt.Errorf("%s: planned %v, want only imports (no-op)", rc.Address, rc.Change.Actions)
			return
		}
		if rc.Change.Importing == nil {
			resp.Error = fmt.Errorf("%s: in the plan but not imported", rc.Address)
			return
		}
		if !want[rc.Address] {
			resp.Error = fmt.Errorf("%s: imported, but it is not one of the seeded objects", rc.Address)
			return
		}
		imported++
	}
	if imported != len(c.addrs) {
		resp.Error = fmt.Errorf("the plan imports %d objects, want %d (%v)", imported, len(c.addrs), c.addrs)
	}
}
