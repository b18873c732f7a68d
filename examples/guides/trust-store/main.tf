# A trust store for Entra certificate-based authentication: one PKI holding the certificate authorities of
# several .p7b bundles. Each bundle is published at a URL Microsoft Graph can download from, and a copy is kept
# beside this configuration (bundles/<name>.p7b) so that its hash is part of the reviewed code.
terraform {
  required_version = ">= 1.11"
  required_providers {
    entracert = {
      source = "entracert/entracert"
    }
  }
}

provider "entracert" {}

resource "entracert_certificate_based_auth_pki" "trust_store" {
  display_name = var.pki_name
}

# Uploads to one PKI run one at a time (Graph allows one job per PKI); the provider queues them.
# Publishing a new version of a bundle means a new hash: an in-place update that adds the certificate
# authorities the PKI lacks and deletes those that left the file, never touching the ones both versions hold.
# A certificate authority belongs to exactly one bundle.
resource "entracert_certificate_based_auth_pki_upload" "bundle" {
  for_each = var.bundle_urls

  pki_id           = entracert_certificate_based_auth_pki.trust_store.id
  upload_url       = each.value
  sha256_file_hash = filesha256("${path.module}/bundles/${each.key}.p7b")

  # Issuer hints only for the CAs that issue user certificates; CRL URLs must be http.
  certificate_authority_settings = lookup(var.ca_settings, each.key, {})

  timeouts {
    create = "45m"
    delete = "45m"
  }
}

# A bundle kept in a private storage container: the SAS URL goes to the write-only upload_url_wo, so the
# token never reaches the plan or the state (an ephemeral variable keeps it out of saved plans too).
resource "entracert_certificate_based_auth_pki_upload" "storage" {
  count = var.storage_bundle_sha256 == null ? 0 : 1

  pki_id           = entracert_certificate_based_auth_pki.trust_store.id
  upload_url_wo    = var.storage_bundle_sas_url
  sha256_file_hash = var.storage_bundle_sha256
}

locals {
  trusted_cas = flatten([
    for name, upload in entracert_certificate_based_auth_pki_upload.bundle : [
      for ca in upload.certificate_authorities : merge(ca, { bundle = name })
    ]
  ])
}

# Warn in every plan when a trusted certificate authority expires within var.expiry_warning.
check "certificate_authorities_not_expiring" {
  assert {
    condition = alltrue([
      for ca in local.trusted_cas : timecmp(ca.expiration_date_time, timeadd(plantimestamp(), var.expiry_warning)) > 0
    ])
    error_message = "Certificate authorities expiring within ${var.expiry_warning}: ${join(", ", [
      for ca in local.trusted_cas : "${ca.display_name} (${ca.bundle}, ${ca.expiration_date_time})"
      if timecmp(ca.expiration_date_time, timeadd(plantimestamp(), var.expiry_warning)) <= 0
    ])}."
  }
}
