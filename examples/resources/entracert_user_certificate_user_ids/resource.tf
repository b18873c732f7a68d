# Bind Bob's smart-card certificate to his account. The certificate_user_ids function builds the values from the
# certificate in Entra's exact formats; list the ones the CBA policy's username bindings use (here the strong ones).
locals {
  bob_card = provider::entracert::certificate_user_ids(file("bob.pem"))
}

resource "entracert_user_certificate_user_ids" "bob" {
  user_id = "bob@contoso.com" # or the user's object ID
  certificate_user_ids = compact([
    local.bob_card.subject_key_identifier,
    local.bob_card.issuer_and_serial_number,
  ])
}

# Values can also be written by hand, in one of Entra's forms (the prefixes are case-sensitive).
resource "entracert_user_certificate_user_ids" "alice" {
  user_id = "6b2d3bd3-b078-4f46-ac53-f862f35e10b6"
  certificate_user_ids = [
    "X509:<PN>alice@contoso.com",
    "X509:<SHA1-PUKEY>0EB255CC895477798BA418B378255204304897AD",
  ]
}
