resource "entracert_certificate_based_auth_pki" "contoso" {
  display_name = "Contoso PKI"
}

# One CA added directly: no public URL and no .p7b needed.
resource "entracert_certificate_based_auth_certificate_authority" "root" {
  pki_id      = entracert_certificate_based_auth_pki.contoso.id
  certificate = file("certs/contoso-root.pem")
  # Entra checks only HTTP CRL distribution points.
  certificate_revocation_list_url = "http://crl.contoso.com/contoso-root.crl"
}

resource "entracert_certificate_based_auth_certificate_authority" "issuing" {
  pki_id      = entracert_certificate_based_auth_pki.contoso.id
  certificate = file("certs/contoso-issuing.pem")
  # certificate_authority_type defaults to "intermediate" for a certificate that is not self-signed.
  certificate_revocation_list_url       = "http://crl.contoso.com/contoso-issuing.crl"
  delta_certificate_revocation_list_url = "http://crl.contoso.com/contoso-issuing-delta.crl"
  # Entra's CBA guide: enable issuer hints only for the CAs that issue user certificates.
  is_issuer_hint_enabled = true
}

output "issuing_ca_subject_key_identifier" {
  # The CA's own SKI, read from its certificate: name CAs by it in CBA policies.
  value = entracert_certificate_based_auth_certificate_authority.issuing.subject_key_identifier
}
