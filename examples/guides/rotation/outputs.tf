output "thumbprint" {
  description = "Thumbprint of the certificate Terraform manages, as Graph shows it."
  value       = entracert_api_connector_client_certificate.client.thumbprint
}

output "not_after" {
  description = "When the certificate expires: rotate before then (plans warn from 30 days ahead)."
  value       = entracert_api_connector_client_certificate.client.not_after
}
