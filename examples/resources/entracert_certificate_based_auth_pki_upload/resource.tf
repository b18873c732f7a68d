resource "entracert_certificate_based_auth_pki" "contoso" {
  display_name = "Contoso PKI"
}

# Microsoft Graph downloads the .p7b from the URL itself, so it must be reachable from the internet.
# The provider downloads it too (or reads content_base64) and checks it against sha256_file_hash before
# asking Graph to; the plan then lists the thumbprints of the certificate authorities to be trusted.
resource "entracert_certificate_based_auth_pki_upload" "contoso" {
  pki_id = entracert_certificate_based_auth_pki.contoso.id
  # A URL without secrets can stay in the state; for a SAS URL use upload_url_wo (see the trust-store guide).
  upload_url = "https://pki.contoso.com/cba/contoso.p7b"
  # The upload is identified by the file's content: a new hash is an in-place diff of certificate authorities.
  # Get-FileHash, sha256sum, or filesha256("contoso.p7b") on a copy kept beside the configuration.
  sha256_file_hash = "14FF50E98B7263ECE04A094FF75E5DD3B9A051AD8AB801E8740E3D027E8480FA"
  # Optional, with a local copy: plan without downloading (for runners without internet access).
  # content_base64 = filebase64("contoso.p7b")

  # Per-CA settings, keyed by uppercase SHA-1 thumbprint; each key must be a CA of the file.
  certificate_authority_settings = {
    "0EB2A4B2C5D3B8F1D5E7C9A1B3C5D7E9F1A3B5C7" = {
      certificate_revocation_list_url = "http://crl.contoso.com/issuing-ca.crl"
      is_issuer_hint_enabled          = true # only for the CAs that issue user certificates
    }
  }

  # An upload job can take up to 30 minutes.
  timeouts {
    create = "45m"
  }
}

output "trusted_ca_thumbprints" {
  value = entracert_certificate_based_auth_pki_upload.contoso.certificate_authorities[*].thumbprint
}
