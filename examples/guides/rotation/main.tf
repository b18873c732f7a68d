# Rotating an API connector's client certificate without downtime.
#
# To rotate, replace certs/client.pfx with the renewed PFX (or point pfx_path at it) and apply. The new file holds
# another certificate, so its planned thumbprint changes and the resource is replaced. With create_before_destroy,
# Terraform first uploads the new certificate, which Graph makes the active one as soon as it is valid, and only
# then removes the old one from the state. The old certificate stays on the connector, unused: Microsoft Graph
# cannot remove a single certificate (switching the connector to basic authentication removes all of them).
terraform {
  required_version = ">= 1.11"
  required_providers {
    entracert = {
      source = "entracert/entracert"
    }
  }
}

provider "entracert" {}

resource "entracert_api_connector_client_certificate" "client" {
  api_connector_id = var.api_connector_id
  pkcs12_value_wo  = filebase64(var.pfx_path)
  password_wo      = var.pfx_password

  lifecycle {
    create_before_destroy = true
  }
}

# After every apply (and in every plan), check that Graph uses the certificate Terraform uploaded. A renewed
# certificate whose validity starts in the future becomes active only then; this check says so meanwhile.
check "client_certificate_in_use" {
  data "entracert_api_connector" "current" {
    id = entracert_api_connector_client_certificate.client.api_connector_id
  }

  assert {
    condition     = data.entracert_api_connector.current.active_thumbprint == entracert_api_connector_client_certificate.client.thumbprint
    error_message = "API connector ${var.api_connector_id} does not use certificate ${entracert_api_connector_client_certificate.client.thumbprint} yet (it is valid from ${entracert_api_connector_client_certificate.client.not_before})."
  }
}
