# Import a PKI by its ID (Terraform 1.5 and later).
import {
  to = entracert_certificate_based_auth_pki.contoso
  id = "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"
}
