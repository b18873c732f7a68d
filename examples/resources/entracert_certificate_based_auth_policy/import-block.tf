# Adopt the tenant's existing policy (Terraform 1.5 and later). Its ID is always X509Certificate.
import {
  to = entracert_certificate_based_auth_policy.this
  id = "X509Certificate"
}
