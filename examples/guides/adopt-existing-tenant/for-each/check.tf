# Beside main.tf, whose entracert_certificate_based_auth_certificate_authority.this it compares with what Graph holds.
locals {
  graph_ca_ids   = toset(flatten([for p in data.entracert_certificate_based_auth_pkis.all.pkis : [for ca in p.certificate_authorities : "${p.id}/${ca.thumbprint}"]]))
  managed_ca_ids = toset([for ca in entracert_certificate_based_auth_certificate_authority.this : ca.id])
}

data "entracert_certificate_based_auth_pkis" "all" {}

check "every_ca_is_managed" {
  assert {
    condition     = length(setsubtract(local.graph_ca_ids, local.managed_ca_ids)) == 0
    error_message = "Certificate authorities in the tenant but not in Terraform: ${join(", ", setsubtract(local.graph_ca_ids, local.managed_ca_ids))}."
  }
}
