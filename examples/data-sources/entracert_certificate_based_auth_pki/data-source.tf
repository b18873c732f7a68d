# Look a PKI up by its display name (or by id) and list its trusted certificate authorities.
data "entracert_certificate_based_auth_pki" "contoso" {
  display_name = "Contoso PKI"
}

output "contoso_ca_expiry" {
  value = {
    for ca in data.entracert_certificate_based_auth_pki.contoso.certificate_authorities :
    ca.display_name => ca.expiration_date_time
  }
}
