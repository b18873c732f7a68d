output "pki_id" {
  description = "ID of the PKI."
  value       = entracert_certificate_based_auth_pki.trust_store.id
}

output "trusted_certificate_authorities" {
  description = "Every trusted certificate authority, by thumbprint."
  value = {
    for ca in local.trusted_cas : ca.thumbprint => {
      bundle  = ca.bundle
      subject = ca.display_name
      type    = ca.certificate_authority_type
      expires = ca.expiration_date_time
      crl_url = ca.certificate_revocation_list_url
    }
  }
}
