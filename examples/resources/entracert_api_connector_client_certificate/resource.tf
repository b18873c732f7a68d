variable "pfx_path" {
  description = "The PFX (.pfx/.p12) with the client certificate and its private key."
  type        = string
  default     = "client.pfx"
}

# The PFX password, given on the command line or through TF_VAR_pfx_password. Ephemeral (Terraform 1.10 and later):
# it is never written to the plan or the state, and the write-only attributes below accept it.
variable "pfx_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

data "entracert_api_connector" "signup" {
  display_name = "Sign-up validation"
}

# Upload a client certificate to an API connector. The thumbprint, subject and validity are known at plan time;
# a wrong password, a PFX without its private key or an expired certificate fails the plan.
resource "entracert_api_connector_client_certificate" "current" {
  api_connector_id = data.entracert_api_connector.signup.id

  # Write-only (Terraform 1.11 and later): neither the PFX nor its password is stored in the plan or the state.
  # Another certificate in the file is still detected, through the planned thumbprint, and replaces the resource.
  pkcs12_value_wo = filebase64(var.pfx_path)
  password_wo     = var.pfx_password

  # Upload the renewed certificate before the old one leaves the state (see the rotation guide).
  lifecycle {
    create_before_destroy = true
  }
}

output "client_certificate_thumbprint" {
  value = entracert_api_connector_client_certificate.current.thumbprint
}

output "client_certificate_expires" {
  value = entracert_api_connector_client_certificate.current.not_after
}
