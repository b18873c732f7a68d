# The same configuration runs in production (Microsoft Graph, ARM_* credentials) and in CI against the Graph
# emulator: only graph_endpoint and the access token differ, and both default to null (the provider's normal
# credential chain and the cloud's own Graph).
terraform {
  required_version = ">= 1.11"
  required_providers {
    entracert = {
      source = "entracert/entracert"
    }
  }
}

variable "graph_endpoint" {
  description = "Graph root to call instead of the cloud's, e.g. http://127.0.0.1:8080 for the emulator; null in production."
  type        = string
  default     = null
}

variable "graph_access_token" {
  description = "Bearer token for graph_endpoint; null in production, where the provider's credential chain applies."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "api_connector_name" {
  description = "Display name of the API connector that presents the client certificate."
  type        = string
  default     = "Sign-up validation"
}

variable "client_pfx_base64" {
  description = "The connector's client certificate and key, a base64-encoded PFX (from a secret store, or made in CI)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "client_pfx_password" {
  description = "The PFX's password."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "ca_bundle_url" {
  description = "Where Graph downloads the .p7b of trusted certificate authorities."
  type        = string
}

variable "ca_bundle_sha256" {
  description = "SHA-256 of that .p7b."
  type        = string
}

provider "entracert" {
  graph_endpoint = var.graph_endpoint
  access_token   = var.graph_access_token
}

data "entracert_api_connector" "signup" {
  display_name = var.api_connector_name
}

resource "entracert_api_connector_client_certificate" "signup" {
  api_connector_id = data.entracert_api_connector.signup.id
  pkcs12_value_wo  = var.client_pfx_base64
  password_wo      = var.client_pfx_password
}

resource "entracert_certificate_based_auth_pki" "corporate" {
  display_name = "Corporate PKI"
}

resource "entracert_certificate_based_auth_pki_upload" "corporate" {
  pki_id           = entracert_certificate_based_auth_pki.corporate.id
  upload_url       = var.ca_bundle_url
  sha256_file_hash = var.ca_bundle_sha256
}

output "client_certificate_thumbprint" {
  value = entracert_api_connector_client_certificate.signup.thumbprint
}

output "trusted_ca_thumbprints" {
  value = [for ca in entracert_certificate_based_auth_pki_upload.corporate.certificate_authorities : ca.thumbprint]
}
