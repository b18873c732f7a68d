# The tenant's certificate-based-authentication policy, enabled for a pilot group. What the configuration leaves
# out (here exclude_targets, issuer hints and CA scopes) keeps the values the tenant already has.
resource "entracert_certificate_based_auth_policy" "this" {
  state = "enabled"

  include_targets = [{ id = "4f8e7c52-0d5b-4a3e-9c1f-2b6d8e9a1c34" }] # the CBA pilot group

  authentication_mode = {
    default_mode = "x509CertificateSingleFactor"
    rules = [{
      # Certificates from the smart-card issuing CA count as multi-factor.
      type                = "issuerSubject"
      identifier          = "CN=Contoso Smart Card CA,DC=Contoso,DC=org"
      authentication_mode = "x509CertificateMultiFactor"
    }]
  }

  certificate_user_bindings = [
    { x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = 1 },
    # High affinity: the certificate's SKI must be in the user's certificateUserIds.
    { x509_certificate_field = "SubjectKeyIdentifier", user_property = "certificateUserIds", priority = 2 },
  ]

  crl_validation = {
    state = "enabled"
    # The offline root publishes no CRL: exempt it, or every sign-in with its certificates would fail.
    exempted_certificate_authority_subject_key_identifiers = ["9514ECF8A48AB96C779523AC6689717E703627DF"]
  }
}
