variable "client_pfx_password" {
  type      = string
  sensitive = true
}

locals {
  client = provider::entracert::pkcs12_certificate(filebase64("client.pfx"), var.client_pfx_password)
}

# The thumbprint Entra will show for the API connector's certificate, known at plan time.
output "client_certificate_thumbprint" {
  value     = local.client.thumbprint
  sensitive = true # derived from a sensitive password, so Terraform marks it sensitive
}

output "client_certificate_expires" {
  value = nonsensitive(local.client.not_after)
}
