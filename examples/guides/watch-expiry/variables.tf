variable "warn_within_days" {
  description = "Warn about certificate authorities and connector certificates that expire within this many days."
  type        = number
  default     = 30

  validation {
    condition     = var.warn_within_days > 0
    error_message = "warn_within_days must be a positive number of days."
  }
}
