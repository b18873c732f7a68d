variable "pki_name" {
  description = "Display name of the PKI (at most 256 characters)."
  type        = string
  default     = "Corporate trust store"
}

variable "crl_urls" {
  description = "CRL URL (http only: Entra checks only HTTP distribution points) per CA file name; CAs not listed keep the CRL of their certificate."
  type        = map(string)
  default = {
    contoso-root = "http://crl.contoso.com/contoso-root.crl"
  }
}

variable "user_issuing_cas" {
  description = "CA file names that issue user certificates: only these send issuer hints."
  type        = set(string)
  default     = ["contoso-issuing"]
}
