# A container for the trusted certificate authorities of Entra certificate-based authentication.
resource "entracert_certificate_based_auth_pki" "contoso" {
  display_name = "Contoso PKI"
}
