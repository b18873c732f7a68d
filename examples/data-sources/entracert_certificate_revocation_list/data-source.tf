# Watch a CA's CRL as Entra downloads it. In a check block, a CRL that cannot be downloaded, that expires within two
# days, that its CA did not sign or that lacks an authority key identifier is a warning of a scheduled
# `terraform plan`, before Entra fails sign-ins with the CA's certificates.
check "issuing_ca_crl" {
  data "entracert_certificate_revocation_list" "issuing" {
    url                = "http://crl.contoso.com/contoso-issuing-ca.crl"
    issuer_certificate = file("issuing-ca.pem")
  }

  assert {
    condition     = timecmp(data.entracert_certificate_revocation_list.issuing.next_update, timeadd(plantimestamp(), "48h")) > 0
    error_message = "The issuing CA's CRL expires on ${data.entracert_certificate_revocation_list.issuing.next_update}: publish a new one before then."
  }

  assert {
    condition     = data.entracert_certificate_revocation_list.issuing.signature_valid
    error_message = "The CRL at the issuing CA's URL is not signed by the issuing CA: Entra rejects it."
  }

  assert {
    condition     = data.entracert_certificate_revocation_list.issuing.authority_key_identifier != null
    error_message = "The CRL carries no authority key identifier: Entra rejects it."
  }
}
