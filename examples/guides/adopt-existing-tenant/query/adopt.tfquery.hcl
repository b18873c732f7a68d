# Everything this provider manages that the tenant already has. `terraform query` lists it;
# `terraform query -generate-config-out=generated.tf` writes a resource and an import block for each result.

list "entracert_certificate_based_auth_pki" "pki" {
  provider = entracert
}

list "entracert_certificate_based_auth_certificate_authority" "ca" {
  provider = entracert
  limit    = 1000 # Terraform stops at 100 results per list block by default
}

list "entracert_api_connector_client_certificate" "client_certificate" {
  provider = entracert
}

list "entracert_certificate_based_auth_policy" "policy" {
  provider = entracert
}
