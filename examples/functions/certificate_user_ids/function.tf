locals {
  ids = provider::entracert::certificate_user_ids(file("alice.pem"))
}

# The bindings to set in the user's authorizationInfo.certificateUserIds, e.g. the strong ones.
output "alice_certificate_user_ids" {
  value = compact([local.ids.issuer_and_serial_number, local.ids.subject_key_identifier])
}

# X509:<PN>alice@contoso.com, or null when the certificate carries no UPN.
output "alice_principal_name" {
  value = local.ids.principal_name
}
