# Import a PKI by its identity (Terraform 1.12 and OpenTofu 1.12 and later).
import {
  to = entracert_certificate_based_auth_pki.contoso
  identity = {
    id = "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"
  }
}
