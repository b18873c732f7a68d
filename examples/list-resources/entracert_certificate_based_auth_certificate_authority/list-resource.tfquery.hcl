# The certificate authorities of every PKI of the tenant (terraform query, Terraform 1.14 or later).
list "entracert_certificate_based_auth_certificate_authority" "all" {
  provider = entracert
  limit    = 1000 # Terraform's default is 100 results per list block
}

# The certificate authorities of one PKI.
list "entracert_certificate_based_auth_certificate_authority" "contoso" {
  provider = entracert

  config {
    pki_id = "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"
  }
}
