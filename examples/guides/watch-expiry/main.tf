# Watch the tenant's certificate authorities and API connector certificates for expiry: every `terraform plan`
# warns about those that expire within var.warn_within_days, and a scheduled plan in CI is the monitor.
# expiry.tf holds the data sources, the checks and the outputs; copy it next to your own configuration.
terraform {
  required_version = ">= 1.11"
  required_providers {
    entracert = {
      source = "entracert/entracert"
    }
  }
}

# Reading needs only PublicKeyInfrastructure.Read.All and APIConnectors.Read.All (or the ReadWrite permissions).
provider "entracert" {}
