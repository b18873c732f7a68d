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
