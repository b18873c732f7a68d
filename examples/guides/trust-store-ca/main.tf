# Every PEM file under certs/ becomes one trusted CA of the PKI: no public URL, no .p7b bundle.
resource "entracert_certificate_based_auth_pki" "trust_store" {
  display_name = var.pki_name
}

locals {
  # certs/contoso-root.pem => "contoso-root"
  ca_files = { for f in fileset("${path.module}/certs", "*.pem") : trimsuffix(f, ".pem") => "${path.module}/certs/${f}" }
}

resource "entracert_certificate_based_auth_certificate_authority" "ca" {
  for_each = local.ca_files

  pki_id      = entracert_certificate_based_auth_pki.trust_store.id
  certificate = file(each.value)

  certificate_revocation_list_url = lookup(var.crl_urls, each.key, null)
  is_issuer_hint_enabled          = contains(var.user_issuing_cas, each.key)
}
