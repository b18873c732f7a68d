# 3. The pilot users' bindings. The policy binds a certificate to a user by its subject key identifier in
#    certificateUserIds, so each pilot user needs that value in Entra's exact format: the certificate_user_ids function
#    builds it from the user's certificate, and the resource checks every value at plan time.
variable "pilot_user_certificates" {
  description = "The pilot users' certificates (PEM), by user principal name, e.g. { \"bob@contoso.com\" = file(\"bob.pem\") }."
  type        = map(string)
  default     = {}
}

resource "entracert_user_certificate_user_ids" "pilot" {
  for_each = var.pilot_user_certificates

  user_id = each.key
  certificate_user_ids = compact([
    provider::entracert::certificate_user_ids(each.value).subject_key_identifier,
  ])
}
