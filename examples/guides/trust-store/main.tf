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
# Publishing a new version of a bundle means a new hash, which replaces that upload: its certificate
# authorities are deleted, then the new file is uploaded. Graph refuses a file holding a certificate that is
# already in the PKI, so a certificate authority belongs to exactly one bundle.
resource "entracert_certificate_based_auth_pki_upload" "bundle" {
  for_each = var.bundle_urls

  pki_id           = entracert_certificate_based_auth_pki.trust_store.id
  upload_url       = each.value
  sha256_file_hash = filesha256("${path.module}/bundles/${each.key}.p7b")

  timeouts {
    create = "45m"
    delete = "45m"
  }
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
