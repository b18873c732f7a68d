output "trusted_cas" {
  description = "Thumbprint, type and own subject key identifier of every trusted CA."
  value = {
    for name, ca in entracert_certificate_based_auth_certificate_authority.ca : name => {
      thumbprint             = ca.thumbprint
      type                   = ca.certificate_authority_type
      subject_key_identifier = ca.subject_key_identifier
      expires                = ca.expiration_date_time
    }
  }
}
