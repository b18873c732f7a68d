# Every PKI with its CAs, and every API connector with its client certificates: one Graph request per page.
data "entracert_certificate_based_auth_pkis" "all" {}

data "entracert_api_connectors" "all" {}

locals {
  # plantimestamp() is when the plan runs; RFC 3339 times compare with timecmp.
  warn_before = timeadd(plantimestamp(), "${var.warn_within_days * 24}h")

  # Each CA that expires before the horizon. A CA that expires stops trusting the user certificates it issued, so
  # every one counts, renewed or not: delete the old one once its successor is in the PKI.
  expiring_certificate_authorities = flatten([
    for pki in data.entracert_certificate_based_auth_pkis.all.pkis : [
      for ca in pki.certificate_authorities :
      "${ca.display_name} (${ca.thumbprint}) in ${pki.display_name} expires ${ca.expiration_date_time}"
      if timecmp(ca.expiration_date_time, local.warn_before) < 0
    ]
  ])

  # The newest expiry of each connector on certificates (RFC 3339 strings in UTC sort as times do). Graph cannot
  # remove a single certificate, so old ones stay listed after a rotation: what matters is whether one outlives
  # the horizon.
  api_connector_last_expiry = {
    for c in data.entracert_api_connectors.all.api_connectors :
    c.id => { name = c.display_name, expires = reverse(sort(c.certificates[*].not_after))[0] }
    if length(c.certificates) > 0
  }

  expiring_api_connectors = [
    for id, c in local.api_connector_last_expiry :
    "${c.name} (${id}): its last certificate expires ${c.expires}"
    if timecmp(c.expires, local.warn_before) < 0
  ]
}

check "certificate_authorities_expiry" {
  assert {
    condition     = length(local.expiring_certificate_authorities) == 0
    error_message = "Certificate authorities expiring within ${var.warn_within_days} days: ${join("; ", local.expiring_certificate_authorities)}. Upload their successors, then delete them."
  }
}

check "api_connector_certificates_expiry" {
  assert {
    condition     = length(local.expiring_api_connectors) == 0
    error_message = "API connectors without a certificate valid beyond ${var.warn_within_days} days: ${join("; ", local.expiring_api_connectors)}. Upload a renewed certificate (see the rotation guide)."
  }
}

output "expiring_certificate_authorities" {
  description = "The certificate authorities that expire within warn_within_days."
  value       = local.expiring_certificate_authorities
}

output "expiring_api_connectors" {
  description = "The API connectors whose last certificate expires within warn_within_days."
  value       = local.expiring_api_connectors
}
