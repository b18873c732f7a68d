# The tenant's certificate-based-authentication policy as Graph holds it.
data "entracert_certificate_based_auth_policy" "current" {}

output "cba_enabled_for" {
  value = data.entracert_certificate_based_auth_policy.current.state == "enabled" ? [
    for t in data.entracert_certificate_based_auth_policy.current.include_targets : t.id
  ] : []
}

output "cba_crl_validation" {
  value = data.entracert_certificate_based_auth_policy.current.crl_validation.state
}
