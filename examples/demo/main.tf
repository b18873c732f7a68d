# The configuration `make demo` applies against the Graph emulator (scripts/demo passes every variable).
# It is an ordinary configuration: point graph_endpoint and access_token elsewhere, or drop them and use
# ARM_* credentials, and it runs against a real tenant.
terraform {
  required_version = ">= 1.11" # write-only attributes
  required_providers {
    entracert = {
      source = "entracert/entracert"
    }
  }
}

variable "graph_endpoint" {
  description = "Microsoft Graph root, here the emulator's (scripts/demo sets it)."
  type        = string
}

variable "access_token" {
  description = "Bearer token the emulator expects."
  type        = string
  sensitive   = true
}

variable "api_connector_id" {
  description = "The API connector that presents the client certificate (one the emulator seeded)."
  type        = string
}

variable "pfx_path" {
  description = "PFX with the API connector's client certificate and key."
  type        = string
}

variable "pfx_password" {
  description = "The PFX's password. Ephemeral: it reaches neither the plan nor the state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "p7b_url" {
  description = "Where Graph downloads the .p7b of certificate authorities from."
  type        = string
}

variable "p7b_sha256" {
  description = "SHA-256 of that .p7b, as `sha256sum` or `Get-FileHash` prints it."
  type        = string
}

provider "entracert" {
  graph_endpoint = var.graph_endpoint
  access_token   = var.access_token
}

data "entracert_api_connector" "signup" {
  id = var.api_connector_id
}

# The PFX and its password are write-only: Terraform hands them to the provider and stores neither.
resource "entracert_api_connector_client_certificate" "signup" {
  api_connector_id = data.entracert_api_connector.signup.id
  pkcs12_value_wo  = filebase64(var.pfx_path)
  password_wo      = var.pfx_password
}

resource "entracert_certificate_based_auth_pki" "demo" {
  display_name = "Demo PKI"
}

# Graph downloads the file, checks its hash and imports the CAs in a job that can take minutes; the provider
# checks the file itself first and waits for the job.
resource "entracert_certificate_based_auth_pki_upload" "demo" {
  pki_id           = entracert_certificate_based_auth_pki.demo.id
  upload_url       = var.p7b_url
  sha256_file_hash = var.p7b_sha256
}

output "api_connector" {
  value = "${data.entracert_api_connector.signup.display_name} (${data.entracert_api_connector.signup.id})"
}

output "client_certificate_thumbprint" {
  value = entracert_api_connector_client_certificate.signup.thumbprint
}

output "client_certificate_is_active" {
  value = entracert_api_connector_client_certificate.signup.is_active
}

output "client_certificate_not_after" {
  value = entracert_api_connector_client_certificate.signup.not_after
}

output "pki_id" {
  value = entracert_certificate_based_auth_pki.demo.id
}

output "pki_upload_status" {
  value = entracert_certificate_based_auth_pki_upload.demo.status
}

output "ca_thumbprints" {
  description = "Certificate authorities of the PKI, by type."
  value = {
    for ca in entracert_certificate_based_auth_pki_upload.demo.certificate_authorities :
    "${ca.certificate_authority_type}: ${ca.display_name}" => ca.thumbprint
  }
}

output "certificate_authority_ids" {
  value = [for ca in entracert_certificate_based_auth_pki_upload.demo.certificate_authorities : ca.id]
}

# The tenant's CBA policy, applied once its CAs are in the trust store (scripts/demo sets the variable for a
# second apply): the plan checks every subject key identifier it names against the CAs Graph holds.
variable "cba_root_ca_subject_key_identifier" {
  description = "SKI of the uploaded root CA, which has no CRL: exempt from CRL validation. null: no policy yet."
  type        = string
  default     = null
}

resource "entracert_certificate_based_auth_policy" "demo" {
  count = var.cba_root_ca_subject_key_identifier == null ? 0 : 1

  state           = "enabled"
  include_targets = [{ id = "61c280b4-d3a7-42e5-b094-bf7d8cd13f46" }]
  authentication_mode = {
    rules = [{ type = "issuerSubject", identifier = "CN=Contoso Fixture Issuing CA,O=Contoso", authentication_mode = "x509CertificateMultiFactor" }]
  }
  certificate_user_bindings = [
    { x509_certificate_field = "SubjectKeyIdentifier", user_property = "certificateUserIds", priority = 1 },
    { x509_certificate_field = "PrincipalName", user_property = "userPrincipalName", priority = 2 },
  ]
  crl_validation = {
    state                                                  = "enabled"
    exempted_certificate_authority_subject_key_identifiers = [var.cba_root_ca_subject_key_identifier]
  }
}

output "cba_policy_include_targets" {
  value = [for p in entracert_certificate_based_auth_policy.demo : [for t in p.include_targets : t.id]]
}
