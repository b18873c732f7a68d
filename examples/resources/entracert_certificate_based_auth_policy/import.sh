# Adopt the tenant's existing policy. Its ID is always X509Certificate.
terraform import entracert_certificate_based_auth_policy.this X509Certificate
