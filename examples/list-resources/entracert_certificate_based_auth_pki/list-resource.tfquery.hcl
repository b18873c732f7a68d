# Every PKI of the tenant (terraform query, Terraform 1.14 or later).
list "entracert_certificate_based_auth_pki" "all" {
  provider = entracert
}

# Only the PKI named "Contoso PKI", with its whole state.
list "entracert_certificate_based_auth_pki" "contoso" {
  provider         = entracert
  include_resource = true

  config {
    display_name = "Contoso PKI"
  }
}
