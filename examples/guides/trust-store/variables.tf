variable "pki_name" {
  description = "Display name of the PKI (at most 256 characters)."
  type        = string
  default     = "Corporate trust store"
}

variable "bundle_urls" {
  description = "Bundles to trust: name => http(s) URL where Microsoft Graph downloads bundles/<name>.p7b."
  type        = map(string)
  default = {
    contoso  = "https://pki.contoso.com/cba/contoso.p7b"
    fabrikam = "https://pki.fabrikam.com/cba/fabrikam.p7b"
  }
}

variable "expiry_warning" {
  description = "How long before a certificate authority expires the plan warns about it (a Terraform duration)."
  type        = string
  default     = "720h"
}

variable "ca_settings" {
  description = "Per-bundle certificate authority settings: bundle name => { uppercase thumbprint => settings }."
  type = map(map(object({
    certificate_revocation_list_url       = optional(string)
    delta_certificate_revocation_list_url = optional(string)
    is_issuer_hint_enabled                = optional(bool)
  })))
  default = {
    contoso = {
      "0EB2A4B2C5D3B8F1D5E7C9A1B3C5D7E9F1A3B5C7" = {
        certificate_revocation_list_url = "http://crl.contoso.com/issuing-ca.crl"
        is_issuer_hint_enabled          = true
      }
    }
  }
}

variable "storage_bundle_sas_url" {
  description = "SAS URL of a bundle in a private storage container (null: none). Never stored in plan or state."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "storage_bundle_sha256" {
  description = "SHA-256 of the bundle at storage_bundle_sas_url (null: no such bundle)."
  type        = string
  default     = null
}
