# Every PKI of the tenant with its trusted certificate authorities (display_name narrows it to the PKIs of that name).
data "entracert_certificate_based_auth_pkis" "all" {}

# The CAs of every PKI, keyed by their import ID {pki_id}/{thumbprint}: what import blocks with for_each adopt.
locals {
  certificate_authorities = merge([
    for pki in data.entracert_certificate_based_auth_pkis.all.pkis : {
      for ca in pki.certificate_authorities : "${pki.id}/${ca.thumbprint}" => merge(ca, { pki_id = pki.id })
    }
  ]...)
}

output "ca_expiry" {
  value = { for id, ca in local.certificate_authorities : id => ca.expiration_date_time }
}
