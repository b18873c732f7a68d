# terraform query and the list blocks of adopt.tfquery.hcl need Terraform 1.14 or later.
terraform {
  required_providers {
    entracert = {
      source = "entracert/entracert"
    }
  }
}

# Credentials from ARM_* environment variables. Listing needs PublicKeyInfrastructure.Read.All,
# APIConnectors.Read.All and Policy.Read.AuthenticationMethod.
provider "entracert" {}
