# Objects that already exist in the tenant, written by hand, to be imported by identity (import-by-identity.tf).

variable "signup_pfx_password" {
  type      = string
  sensitive = true
}

resource "entracert_certificate_based_auth_pki" "contoso" {
  display_name = "Contoso PKI"
}

resource "entracert_certificate_based_auth_certificate_authority" "contoso_root" {
  pki_id      = entracert_certificate_based_auth_pki.contoso.id
  certificate = file("contoso-root.pem")
}

resource "entracert_api_connector_client_certificate" "signup" {
  api_connector_id = "45715bb8-13f9-4bf6-927f-ef96c102d394"
  pkcs12_value_wo  = filebase64("signup.pfx") # Graph never returns the PFX: give the one with this thumbprint
  password_wo      = var.signup_pfx_password
}

resource "entracert_certificate_based_auth_policy" "this" {
  state = "enabled" # the attributes left out keep the values the tenant has
}
