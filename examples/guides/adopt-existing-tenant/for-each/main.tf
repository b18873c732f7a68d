# Every PKI, CA and connector certificate of the tenant, and the CBA policy, adopted as they are (Terraform 1.7 or later).
data "entracert_certificate_based_auth_pkis" "existing" {}
data "entracert_api_connectors" "existing" {}

locals {
  pkis = { for p in data.entracert_certificate_based_auth_pkis.existing.pkis : p.id => p }
  cas = merge([
    for p in data.entracert_certificate_based_auth_pkis.existing.pkis : {
      for ca in p.certificate_authorities : "${p.id}/${ca.thumbprint}" => merge(ca, { pki_id = p.id })
    }
  ]...)
  client_certificates = merge([
    for c in data.entracert_api_connectors.existing.api_connectors : {
      for cert in c.certificates : "${c.id}/${cert.thumbprint}" => merge(cert, { api_connector_id = c.id })
    }
  ]...)
}

import {
  for_each = local.pkis
  to       = entracert_certificate_based_auth_pki.this[each.key]
  id       = each.key
}

resource "entracert_certificate_based_auth_pki" "this" {
  for_each     = local.pkis
  display_name = each.value.display_name
}

import {
  for_each = local.cas
  to       = entracert_certificate_based_auth_certificate_authority.this[each.key]
  id       = each.key # {pki_id}/{thumbprint}
}

resource "entracert_certificate_based_auth_certificate_authority" "this" {
  for_each                              = local.cas
  pki_id                                = entracert_certificate_based_auth_pki.this[each.value.pki_id].id
  certificate                           = each.value.certificate
  certificate_authority_type            = each.value.certificate_authority_type
  certificate_revocation_list_url       = each.value.certificate_revocation_list_url
  delta_certificate_revocation_list_url = each.value.delta_certificate_revocation_list_url
  is_issuer_hint_enabled                = each.value.is_issuer_hint_enabled
}

# The PFX files, named by thumbprint: pfx/0EB255CC895477798BA418B378255204304897AD.pfx, ...
variable "pfx_passwords" {
  type      = map(string) # by thumbprint
  sensitive = true
}

import {
  for_each = local.client_certificates
  to       = entracert_api_connector_client_certificate.this[each.key]
  id       = each.key # {api_connector_id}/{thumbprint}
}

resource "entracert_api_connector_client_certificate" "this" {
  for_each         = local.client_certificates
  api_connector_id = each.value.api_connector_id
  pkcs12_value_wo  = filebase64("pfx/${each.value.thumbprint}.pfx")
  password_wo      = var.pfx_passwords[each.value.thumbprint]
}

import {
  to = entracert_certificate_based_auth_policy.this
  id = "X509Certificate"
}

resource "entracert_certificate_based_auth_policy" "this" {
  state = "enabled" # the attributes left out keep the values the tenant has
}
