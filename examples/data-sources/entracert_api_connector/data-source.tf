# Look an API connector up by its display name (exactly one connector must have it), or by id.
data "entracert_api_connector" "signup" {
  display_name = "Sign-up validation"
}

output "api_connector_id" {
  value = data.entracert_api_connector.signup.id
}

# The certificate Graph uses now (null with basic authentication, or when none is valid).
output "active_thumbprint" {
  value = data.entracert_api_connector.signup.active_thumbprint
}

# Every certificate on the connector, with its validity.
output "certificates" {
  value = {
    for c in data.entracert_api_connector.signup.certificates : c.thumbprint => c.not_after
  }
}
