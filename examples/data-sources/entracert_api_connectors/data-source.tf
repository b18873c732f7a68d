# Every API connector of the tenant with its client certificates.
data "entracert_api_connectors" "all" {}

# When each connector's newest certificate expires (RFC 3339 strings in UTC sort as times do).
output "connector_certificate_expiry" {
  value = {
    for c in data.entracert_api_connectors.all.api_connectors :
    c.display_name => reverse(sort(c.certificates[*].not_after))[0]
    if length(c.certificates) > 0
  }
}
