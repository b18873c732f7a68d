# Import a CA as {pki_id}/{SHA-1 thumbprint} (Terraform 1.5 and later).
import {
  to = entracert_certificate_based_auth_certificate_authority.root
  id = "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10/97B4B3728E56D57F944FDE35056EF206612D21ED"
}

# Or by resource identity (Terraform 1.12 and later).
# import {
#   to = entracert_certificate_based_auth_certificate_authority.root
#   identity = {
#     pki_id     = "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"
#     thumbprint = "97B4B3728E56D57F944FDE35056EF206612D21ED"
#   }
# }
