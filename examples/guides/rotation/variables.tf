variable "api_connector_id" {
  description = "ID of the API connector whose client certificate is rotated."
  type        = string
}

variable "pfx_path" {
  description = "Path to the PFX holding the current client certificate and its private key."
  type        = string
  default     = "certs/client.pfx"
}

variable "pfx_password" {
  description = "Password of the PFX; \"\" when it has none."
  type        = string
  sensitive   = true
  ephemeral   = true
  default     = ""
}
