# The client certificates of every API connector of the tenant (terraform query, Terraform 1.14 or later).
list "entracert_api_connector_client_certificate" "all" {
  provider = entracert
}

# The client certificates of one API connector.
list "entracert_api_connector_client_certificate" "signup" {
  provider = entracert

  config {
    api_connector_id = "45715bb8-13f9-4bf6-927f-ef96c102d394"
  }
}
