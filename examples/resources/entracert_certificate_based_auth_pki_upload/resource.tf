resource "entracert_certificate_based_auth_pki" "contoso" {
  display_name = "Contoso PKI"
}

# Microsoft Graph downloads the .p7b from upload_url itself, so it must be reachable from the internet.
# The provider downloads it too and checks it against sha256_file_hash before asking Graph to.
resource "entracert_certificate_based_auth_pki_upload" "contoso" {
  pki_id     = entracert_certificate_based_auth_pki.contoso.id
  upload_url = "https://pki.contoso.com/cba/contoso.p7b"
  # The file's SHA-256 in hex, either case: Get-FileHash, sha256sum, or filesha256("contoso.p7b") on a copy.
  sha256_file_hash = "14FF50E98B7263ECE04A094FF75E5DD3B9A051AD8AB801E8740E3D027E8480FA"

  # An upload job can take up to 30 minutes.
  timeouts {
    create = "45m"
  }
}

output "trusted_ca_thumbprints" {
  value = entracert_certificate_based_auth_pki_upload.contoso.certificate_authorities[*].thumbprint
}
