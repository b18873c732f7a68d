# Import by identity (Terraform 1.12 or later): the same facts as the import IDs, typed, nothing to assemble.
import {
  to = entracert_certificate_based_auth_pki.contoso
  identity = {
    id = "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"
  }
}

import {
  to = entracert_certificate_based_auth_certificate_authority.contoso_root
  identity = {
    pki_id     = "0d7a1cbe-3d34-4ab4-9a3a-6c4e1b2a7f10"
    thumbprint = "97B4B3728E56D57F944FDE35056EF206612D21ED"
  }
}

import {
  to = entracert_api_connector_client_certificate.signup
  identity = {
    api_connector_id = "45715bb8-13f9-4bf6-927f-ef96c102d394"
    thumbprint       = "0EB255CC895477798BA418B378255204304897AD"
  }
}

import {
  to = entracert_certificate_based_auth_policy.this
  identity = {
    id = "X509Certificate"
  }
}
